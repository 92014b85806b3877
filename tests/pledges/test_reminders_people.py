"""Reminders about people and pledges: the representative's yearly confirmation, team
invitations and join requests, pledge reviews, delisting proposals and the staff digest."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from pledges.models import (
    ComplianceDecision,
    EmailOptOut,
    PledgeCommitment,
    ReminderClaim,
    ReminderDelivery,
)
from pledges.services.reminders.delivery import delivery_send
from pledges.services.reminders.sweep import reminders_send_due
from signatories.models import Application, Invitation, JoinRequest
from signatories.services.representatives import representative_from_token
from tests.conftest import make_cycle, make_user
from tests.pledges.reminders_helpers import london, sent_to, sweep_at

pytestmark = pytest.mark.django_db


# ---- the representative's yearly confirmation --------------------------------------------------


@pytest.fixture
def dana(acme):
    representative = acme.representatives.get()
    representative.confirmed_at = london(2025, 10, 10, 14, 0)
    representative.save(update_fields=["confirmed_at"])
    return representative


@pytest.mark.parametrize(
    ("moment", "recipients", "step"),
    [
        (london(2026, 10, 10), {"dana@acme.example"}, "reconfirm:2026-10-10"),
        (london(2026, 10, 17), {"dana@acme.example"}, "chase7:2026-10-10"),
        (london(2026, 10, 31), {"dana@acme.example"}, "chase21:2026-10-10"),
        (london(2026, 11, 7), {"alice@acme.example"}, "unconfirmed:2026-10-10"),
    ],
)
def test_every_step_of_the_yearly_confirmation(
    dana, moment, recipients, step, django_capture_on_commit_callbacks
):
    sweep_at(moment, capture=django_capture_on_commit_callbacks)

    assert set(sent_to()) == recipients
    assert list(ReminderClaim.objects.values_list("step", flat=True)) == [step]


def test_the_confirmation_email_carries_a_fresh_signed_link(
    dana, django_capture_on_commit_callbacks
):
    sweep_at(london(2026, 10, 10), capture=django_capture_on_commit_callbacks)

    body = mail.outbox[0].body
    link = next(line for line in body.splitlines() if "/dashboard/representative/" in line)
    token = link.rstrip("/").rsplit("/", 1)[1]
    with time_machine.travel(london(2026, 11, 6), tick=False):
        # 27 days later, the last chase's link still works (the links last 30 days).
        assert representative_from_token(token) == dana
    assert "Dana Director" in body


def test_the_admins_hear_when_the_representative_does_not_answer(
    dana, django_capture_on_commit_callbacks
):
    sweep_at(london(2026, 11, 7), capture=django_capture_on_commit_callbacks)

    assert mail.outbox[0].subject == (
        "Dana Director has not confirmed as Acme Analytics's senior representative"
    )
    assert "/dashboard/acme-analytics/representative/" in mail.outbox[0].body


def test_a_new_confirmation_stops_the_chase(dana, django_capture_on_commit_callbacks):
    sweep_at(london(2026, 10, 10), capture=django_capture_on_commit_callbacks)
    dana.confirmed_at = london(2026, 10, 12)
    dana.save(update_fields=["confirmed_at"])
    mail.outbox.clear()

    sweep_at(london(2026, 10, 17), capture=django_capture_on_commit_callbacks)
    sweep_at(london(2026, 11, 7), capture=django_capture_on_commit_callbacks)

    assert mail.outbox == []


@pytest.mark.parametrize("field", ["declined_at", "ended_at"])
def test_a_declined_or_ended_representative_is_not_chased(
    dana, field, django_capture_on_commit_callbacks
):
    setattr(dana, field, london(2026, 10, 11))
    dana.save(update_fields=[field])

    sweep_at(london(2026, 10, 17), capture=django_capture_on_commit_callbacks)

    assert mail.outbox == []


# ---- team -----------------------------------------------------------------------------------


def test_an_invitation_is_reminded_48_hours_before_it_expires(
    acme, alice, django_capture_on_commit_callbacks
):
    invitation = Invitation.objects.create(
        organisation=acme, email="Sam@Acme.example", invited_by=alice
    )
    Invitation.objects.filter(pk=invitation.pk).update(created_at=london(2026, 11, 1, 12, 0))

    sweep_at(london(2026, 11, 6, 11, 59), capture=django_capture_on_commit_callbacks)
    assert mail.outbox == []  # 4 days 23 hours 59 minutes: not yet

    sweep_at(london(2026, 11, 6, 12, 1), capture=django_capture_on_commit_callbacks)
    assert set(sent_to()) == {"sam@acme.example"}
    assert "/dashboard/invitations/" in mail.outbox[0].body
    sweep_at(london(2026, 11, 7), capture=django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("field", ["accepted_at", "cancelled_at"])
def test_an_accepted_or_cancelled_invitation_is_not_reminded(
    acme, alice, field, django_capture_on_commit_callbacks
):
    invitation = Invitation.objects.create(
        organisation=acme, email="sam@acme.example", invited_by=alice
    )
    Invitation.objects.filter(pk=invitation.pk).update(
        created_at=london(2026, 11, 1, 12, 0), **{field: london(2026, 11, 2)}
    )

    sweep_at(london(2026, 11, 6, 13, 0), capture=django_capture_on_commit_callbacks)

    assert mail.outbox == []


def test_a_join_request_waiting_a_week_is_sent_to_the_admins_once(
    acme, django_capture_on_commit_callbacks
):
    robin = make_user("robin@acme.example", full_name="Robin Reader")
    join_request = JoinRequest.objects.create(organisation=acme, user=robin, job_title="Engineer")
    JoinRequest.objects.filter(pk=join_request.pk).update(created_at=london(2026, 11, 1, 10, 0))

    sweep_at(london(2026, 11, 8, 9, 59), capture=django_capture_on_commit_callbacks)
    assert mail.outbox == []
    sweep_at(london(2026, 11, 8, 10, 1), capture=django_capture_on_commit_callbacks)
    sweep_at(london(2026, 11, 9), capture=django_capture_on_commit_callbacks)

    assert sent_to() == {
        "alice@acme.example": ["Robin Reader has waited a week to join Acme Analytics"]
    }


def test_a_decided_join_request_is_not_reminded(acme, alice, django_capture_on_commit_callbacks):
    robin = make_user("robin@acme.example")
    join_request = JoinRequest.objects.create(organisation=acme, user=robin, job_title="Engineer")
    JoinRequest.objects.filter(pk=join_request.pk).update(
        created_at=london(2026, 11, 1, 10, 0), status="refused", decided_by=alice
    )

    sweep_at(london(2026, 11, 8, 11, 0), capture=django_capture_on_commit_callbacks)

    assert mail.outbox == []


# ---- pledge reviews (optional) -----------------------------------------------------------------


@pytest.fixture
def acme_pledges(acme_workspace):
    PledgeCommitment.objects.filter(organisation=acme_workspace).update(
        accepted_at=london(2025, 11, 20, 15, 0)
    )
    return acme_workspace


def test_pledges_not_reviewed_for_a_year_nudge_the_admins(
    acme_pledges, django_capture_on_commit_callbacks
):
    sweep_at(london(2026, 11, 20), capture=django_capture_on_commit_callbacks)

    assert set(sent_to()) == {"alice@acme.example"}
    message = mail.outbox[0]
    assert message.subject == "Time to review your charter pledges"
    assert message.body.count("/dashboard/acme-analytics/pledges/") == 5
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_reviewed_pledge_is_not_nudged(acme_pledges, django_capture_on_commit_callbacks):
    PledgeCommitment.objects.filter(organisation=acme_pledges).update(
        reviewed_at=london(2026, 6, 1)
    )

    sweep_at(london(2026, 11, 20), capture=django_capture_on_commit_callbacks)

    assert mail.outbox == []


def test_pledge_reviews_respect_an_opt_out(acme_pledges, alice, django_capture_on_commit_callbacks):
    EmailOptOut.objects.create(user=alice, kind="pledge_review", at=timezone.now())

    sweep_at(london(2026, 11, 20), capture=django_capture_on_commit_callbacks)

    assert mail.outbox == []


# ---- delisting proposals -------------------------------------------------------------------


@pytest.fixture
def two_missed_cycles(db):
    closed = {"status": "closed"}
    return [
        make_cycle(2024, opens_on=dt.date(2024, 10, 1), closes_on=dt.date(2024, 10, 31), **closed),
        make_cycle(2025, opens_on=dt.date(2025, 10, 1), closes_on=dt.date(2025, 10, 31), **closed),
    ]


def test_a_delisting_proposal_tells_the_admins_and_the_representative_once(
    acme, two_missed_cycles, django_capture_on_commit_callbacks
):
    sweep_at(london(2026, 1, 5), capture=django_capture_on_commit_callbacks)
    sweep_at(london(2026, 2, 5), capture=django_capture_on_commit_callbacks)

    assert set(sent_to()) == {"alice@acme.example", "dana@acme.example"}
    assert len(mail.outbox) == 2
    assert mail.outbox[0].subject == "Delisting proposed: Acme Analytics"
    assert "What happens next" in mail.outbox[0].body


def test_no_delisting_email_once_staff_decided(
    acme, two_missed_cycles, staff_user, django_capture_on_commit_callbacks
):
    ComplianceDecision.objects.create(
        organisation=acme,
        cycle=two_missed_cycles[1],
        kind="another_chance",
        reason="New team",
        by=staff_user,
    )

    sweep_at(london(2026, 1, 5), capture=django_capture_on_commit_callbacks)

    assert "alice@acme.example" not in sent_to()


# ---- the staff digest (optional) ----------------------------------------------------------------


def test_no_digest_when_nothing_waits(staff_user, acme, django_capture_on_commit_callbacks):
    sweep_at(london(2026, 11, 4, 8, 30), capture=django_capture_on_commit_callbacks)

    assert mail.outbox == []


@pytest.fixture
def waiting_application(db):
    applicant = make_user("pat@newco.example")
    # Submitted on Tuesday 27 October: on Wednesday 4 November it has waited more than 5
    # working days (28, 29, 30 October, 2 and 3 November, and today).
    return Application.objects.create(
        applicant=applicant,
        status="submitted",
        public_name="Newco",
        submitted_at=london(2026, 10, 27, 10, 0),
    )


def test_the_digest_lists_what_waits_once_a_day_from_eight(
    staff_user, waiting_application, django_capture_on_commit_callbacks
):
    sweep_at(london(2026, 11, 4, 7, 59), capture=django_capture_on_commit_callbacks)
    assert mail.outbox == []

    sweep_at(london(2026, 11, 4, 8, 0), capture=django_capture_on_commit_callbacks)
    sweep_at(london(2026, 11, 4, 17, 0), capture=django_capture_on_commit_callbacks)
    assert sent_to() == {"staff@charter.example": ["Charter staff digest: what is waiting today"]}
    assert "1 application waiting more than 5 working days" in mail.outbox[0].body

    sweep_at(london(2026, 11, 5, 8, 5), capture=django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 2  # the next day's digest


def test_applications_count_in_working_days(
    staff_user, waiting_application, django_capture_on_commit_callbacks
):
    # Tuesday 3 November: 5 working days since Tuesday 27 October, not more.
    sweep_at(london(2026, 11, 3, 9, 0), capture=django_capture_on_commit_callbacks)

    assert mail.outbox == []


def claim_the_digest_only(moment):
    """The sweep's claims and queued deliveries at ``moment``, with nothing sent yet."""
    with time_machine.travel(moment, tick=False):
        reminders_send_due()
    return ReminderDelivery.objects.get(kind="staff_digest")


def approve_the_application(application, staff_user):
    application.status = "approved"
    application.save(update_fields=["status"])


def leave_the_staff_group(application, staff_user):
    staff_user.groups.clear()


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (approve_the_application, "Nothing waits on staff any more."),
        (leave_the_staff_group, "The recipient is no longer charter staff."),
    ],
)
def test_a_digest_no_longer_due_is_skipped_at_send_time(
    staff_user, waiting_application, change, reason, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        delivery = claim_the_digest_only(london(2026, 11, 4, 8, 0))
    change(waiting_application, staff_user)

    assert delivery_send(delivery_id=delivery.pk) == "skipped"
    assert mail.outbox == []
    delivery.refresh_from_db()
    assert delivery.skipped_reason == reason


def test_a_digest_still_due_is_sent_at_send_time(
    staff_user, waiting_application, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        delivery = claim_the_digest_only(london(2026, 11, 4, 8, 0))

    assert delivery_send(delivery_id=delivery.pk) == "sent"
    assert "1 application waiting more than 5 working days" in mail.outbox[0].body


def test_the_digest_respects_an_opt_out(
    staff_user, waiting_application, django_capture_on_commit_callbacks
):
    EmailOptOut.objects.create(user=staff_user, kind="staff_digest", at=timezone.now())

    sweep_at(london(2026, 11, 4, 9, 0), capture=django_capture_on_commit_callbacks)

    assert mail.outbox == []

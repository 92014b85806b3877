"""Data return reminders: the invitation, the steps before and after each organisation's own
deadline, who gets them, and every reason they stop."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.utils import timezone

from pledges.models import (
    CycleExemption,
    DataReturn,
    ReminderClaim,
    ReminderDelivery,
    ReminderKind,
    ReminderPause,
)
from pledges.services.reminders.delivery import delivery_send
from pledges.services.reminders.sweep import reminders_send_due
from signatories.choices import MemberRole, OrganisationStatus
from signatories.models import Membership
from tests.conftest import make_organisation, make_user
from tests.pledges.reminders_helpers import london, sent_to, sweep_at

pytestmark = pytest.mark.django_db

ACME_TEAM = {"alice@acme.example", "data@acme.example"}


@pytest.fixture
def acme_data(acme):
    acme.data_contact_email = "Data@Acme.example"
    acme.save(update_fields=["data_contact_email"])
    return acme


def steps_claimed(organisation=None) -> list[str]:
    claims = ReminderClaim.objects.all()
    if organisation is not None:
        claims = claims.filter(organisation=organisation)
    return sorted(set(claims.values_list("step", flat=True)))


def test_it_invites_the_data_contact_and_admins_when_the_cycle_opens(
    acme_data, open_cycle, django_capture_on_commit_callbacks
):
    result = sweep_at(london(2026, 10, 1, 9, 5), capture=django_capture_on_commit_callbacks)

    assert set(sent_to()) == ACME_TEAM  # bob is an editor: not an admin
    assert result.claimed == 2 and result.deliveries == 2
    message = mail.outbox[0]
    assert message.subject == "The 2026 diversity data collection is open"
    assert "submit by 31 October 2026" in message.body
    assert f"{settings.SITE_URL}/dashboard/acme-analytics/data/2026/" in message.body
    assert steps_claimed() == ["open:2026-10-01"]


def test_nothing_goes_out_before_nine_on_the_opening_day(
    acme_data, open_cycle, django_capture_on_commit_callbacks
):
    sweep_at(london(2026, 10, 1, 8, 59), capture=django_capture_on_commit_callbacks)

    assert mail.outbox == []


def due_soon(days: int) -> str:
    if days == 0:
        return "Today is the deadline for your 2026 diversity data"
    return f"{days} days left to submit your 2026 diversity data"


OVERDUE = "Your 2026 diversity data return is overdue"


@pytest.mark.parametrize(
    ("moment", "step", "subject"),
    [
        *(
            (london(2026, 10, 31 - days), f"before:{days}:2026-10-31", due_soon(days))
            for days in (28, 14, 7, 2, 0)
        ),
        (london(2026, 11, 1), "after:1:2026-10-31", OVERDUE),
        (london(2026, 11, 14), "after:14:2026-10-31", OVERDUE),
    ],
)
def test_every_step_of_the_deadline_schedule(
    acme_data, open_cycle, moment, step, subject, django_capture_on_commit_callbacks
):
    # The invitation was sent at the opening, so only the deadline step is new.
    sweep_at(london(2026, 10, 1), capture=django_capture_on_commit_callbacks)
    mail.outbox.clear()

    sweep_at(moment, capture=django_capture_on_commit_callbacks)

    assert {message.subject for message in mail.outbox} == {subject}
    assert set(sent_to()) >= ACME_TEAM
    assert step in steps_claimed()


def test_the_last_overdue_step_copies_the_representative_and_explains_grace(
    acme_data, open_cycle, django_capture_on_commit_callbacks
):
    sweep_at(london(2026, 11, 1), capture=django_capture_on_commit_callbacks)
    first = sent_to()
    assert "dana@acme.example" not in first
    assert "grace extension" in mail.outbox[0].body
    assert "/dashboard/acme-analytics/data/2026/grace/" in mail.outbox[0].body
    mail.outbox.clear()

    sweep_at(london(2026, 11, 14), capture=django_capture_on_commit_callbacks)

    assert set(sent_to()) == ACME_TEAM | {"dana@acme.example"}
    dana = next(m for m in mail.outbox if m.to == ["dana@acme.example"])
    assert "copied in your senior representative" in dana.body


def test_the_last_step_stays_due_for_a_week_only(
    acme_data, open_cycle, django_capture_on_commit_callbacks
):
    sweep_at(london(2026, 11, 21, 9, 29), capture=django_capture_on_commit_callbacks)
    assert mail.outbox == []  # 14 days after + 7 days: too late for anything


def test_after_downtime_only_the_latest_due_step_is_sent(
    acme_data, open_cycle, django_capture_on_commit_callbacks
):
    # The sweep never ran in October: on 25 October the 28-, 14- and 7-day steps have all
    # passed, and only the 7-day one (plus the still-running invitation) goes out.
    sweep_at(london(2026, 10, 25), capture=django_capture_on_commit_callbacks)

    assert steps_claimed() == ["before:7:2026-10-31", "open:2026-10-01"]
    assert sorted(sent_to()["alice@acme.example"]) == [
        "7 days left to submit your 2026 diversity data",
        "The 2026 diversity data collection is open",
    ]


def test_running_the_sweep_again_sends_nothing_new(
    acme_data, open_cycle, django_capture_on_commit_callbacks
):
    first = sweep_at(london(2026, 10, 3), capture=django_capture_on_commit_callbacks)
    sent = len(mail.outbox)
    second = sweep_at(london(2026, 10, 3, 9, 35), capture=django_capture_on_commit_callbacks)
    third = sweep_at(london(2026, 10, 16, 23, 0), capture=django_capture_on_commit_callbacks)

    assert first.claimed > 0
    assert second.claimed == third.claimed == 0
    assert len(mail.outbox) == sent == ReminderDelivery.objects.count()


def test_one_email_per_person_lists_all_their_organisations(
    acme_data, globex, open_cycle, django_capture_on_commit_callbacks
):
    alice = acme_data.memberships.get(role=MemberRole.ADMIN).user
    Membership.objects.create(organisation=globex, user=alice, role=MemberRole.ADMIN)

    sweep_at(london(2026, 10, 24), capture=django_capture_on_commit_callbacks)

    alices = [m for m in mail.outbox if m.to == ["alice@acme.example"]]
    due = [m for m in alices if m.subject.startswith("7 days")]
    assert len(due) == 1
    assert "Acme Analytics" in due[0].body and "Globex" in due[0].body
    delivery = ReminderDelivery.objects.get(recipient="alice@acme.example", kind="data_due")
    assert delivery.claims.count() == 2
    assert sent_to()["charlie@globex.example"]  # Globex's own admin has their own email


def test_a_draft_is_told_what_is_still_incomplete(
    acme_data, open_cycle, django_capture_on_commit_callbacks
):
    DataReturn.objects.create(cycle=open_cycle, organisation=acme_data, total_employees=120)

    sweep_at(london(2026, 10, 24), capture=django_capture_on_commit_callbacks)

    message = next(m for m in mail.outbox if m.subject.startswith("7 days"))
    assert "incomplete section" in message.body
    assert "Tech employees by gender" in message.body
    assert "Headcount" in message.body  # tech_total is still empty


def test_a_submitted_return_stops_the_reminders(
    acme_data, open_cycle, django_capture_on_commit_callbacks
):
    DataReturn.objects.create(
        cycle=open_cycle, organisation=acme_data, status="submitted", submitted_at=timezone.now()
    )

    sweep_at(london(2026, 10, 24), capture=django_capture_on_commit_callbacks)

    assert mail.outbox == []


def test_an_exempt_organisation_gets_nothing(
    acme_data, open_cycle, staff_user, django_capture_on_commit_callbacks
):
    CycleExemption.objects.create(
        cycle=open_cycle, organisation=acme_data, reason="Merged into Globex", by=staff_user
    )

    sweep_at(london(2026, 10, 24), capture=django_capture_on_commit_callbacks)

    assert "alice@acme.example" not in sent_to()


@pytest.mark.parametrize("status", [OrganisationStatus.SUSPENDED, OrganisationStatus.WITHDRAWN])
def test_suspended_and_withdrawn_organisations_get_nothing(
    acme_data, open_cycle, status, django_capture_on_commit_callbacks
):
    acme_data.status = status
    acme_data.save(update_fields=["status"])

    sweep_at(london(2026, 10, 24), capture=django_capture_on_commit_callbacks)

    assert mail.outbox == []


def test_a_pause_stops_everything_until_staff_resume(
    acme_data, open_cycle, staff_user, django_capture_on_commit_callbacks
):
    pause = ReminderPause.objects.create(
        organisation=acme_data,
        reason="Disputed address",
        paused_by=staff_user,
        paused_at=timezone.now(),
    )
    sweep_at(london(2026, 10, 24), capture=django_capture_on_commit_callbacks)
    assert mail.outbox == []

    pause.resumed_at = timezone.now()
    pause.resumed_by = staff_user
    pause.save()
    sweep_at(london(2026, 10, 24, 10, 0), capture=django_capture_on_commit_callbacks)
    assert sent_to()["alice@acme.example"]


def test_organisations_not_expected_to_report_get_nothing(
    open_cycle, django_capture_on_commit_callbacks
):
    newcomer = make_organisation("Newco", number=9, signed_on=dt.date(2026, 11, 5))
    admin = make_user("nia@newco.example")
    Membership.objects.create(organisation=newcomer, user=admin, role=MemberRole.ADMIN)

    sweep_at(london(2026, 10, 24), capture=django_capture_on_commit_callbacks)

    assert mail.outbox == []


def test_a_grace_extension_moves_the_schedule_to_the_new_deadline(
    acme_data, open_cycle, django_capture_on_commit_callbacks
):
    sweep_at(london(2026, 10, 29), capture=django_capture_on_commit_callbacks)
    assert "before:2:2026-10-31" in steps_claimed()
    DataReturn.objects.create(
        cycle=open_cycle, organisation=acme_data, grace_until=dt.date(2026, 11, 14)
    )
    mail.outbox.clear()

    # 1 November: the old deadline's "1 day after" is not sent; the new deadline's 14-day
    # step (31 October) is the one due.
    sweep_at(london(2026, 11, 1), capture=django_capture_on_commit_callbacks)
    assert "after:1:2026-10-31" not in steps_claimed()
    assert {m.subject for m in mail.outbox} == {"14 days left to submit your 2026 diversity data"}
    assert "14 November 2026" in mail.outbox[0].body

    mail.outbox.clear()
    sweep_at(london(2026, 11, 15), capture=django_capture_on_commit_callbacks)
    assert "after:1:2026-11-14" in steps_claimed()
    assert {m.subject for m in mail.outbox} == {"Your 2026 diversity data return is overdue"}


def test_a_reopen_gives_a_new_schedule(acme_data, open_cycle, django_capture_on_commit_callbacks):
    sweep_at(london(2026, 11, 14), capture=django_capture_on_commit_callbacks)
    DataReturn.objects.create(
        cycle=open_cycle, organisation=acme_data, reopened_until=dt.date(2026, 11, 30)
    )
    mail.outbox.clear()

    sweep_at(london(2026, 11, 23), capture=django_capture_on_commit_callbacks)

    assert "before:7:2026-11-30" in steps_claimed()
    assert {m.subject for m in mail.outbox} == {"7 days left to submit your 2026 diversity data"}


def test_a_return_submitted_after_the_claim_is_dropped_at_send_time(
    acme_data, open_cycle, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=False),
        time_machine.travel(london(2026, 10, 24), tick=False),
    ):
        reminders_send_due()
    DataReturn.objects.create(
        cycle=open_cycle, organisation=acme_data, status="submitted", submitted_at=timezone.now()
    )

    states = {
        delivery_send(delivery_id=pk)
        for pk in ReminderDelivery.objects.values_list("pk", flat=True)
    }

    assert states == {"skipped"}
    assert mail.outbox == []
    assert "submitted its 2026 return" in ReminderDelivery.objects.first().skipped_reason


def test_the_kinds_are_the_expected_ones(acme_data, open_cycle, django_capture_on_commit_callbacks):
    sweep_at(london(2026, 11, 1), capture=django_capture_on_commit_callbacks)
    kinds = set(ReminderDelivery.objects.values_list("kind", flat=True))
    assert kinds == {ReminderKind.DATA_OVERDUE}

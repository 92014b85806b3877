"""The sweep's mechanics: fixed query count, dry run, requeue of stuck deliveries, and the
delivery's states (SMTP errors with backoff, failed, the staff's single retry)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.db import connection
from django.template import TemplateDoesNotExist

from pledges.models import DeliveryState, ReminderClaim, ReminderDelivery
from pledges.services.reminders.delivery import (
    RetryRefused,
    delivery_retry,
    delivery_send,
    retry_countdown,
)
from pledges.services.reminders.sweep import reminders_send_due
from signatories.choices import MemberRole
from signatories.models import Membership
from tests.conftest import make_organisation, make_user
from tests.pledges.reminders_helpers import RefusingBackend, count_queries, london, sweep_at

pytestmark = pytest.mark.django_db


def organisations(count: int) -> None:
    for number in range(1, count + 1):
        organisation = make_organisation(
            f"Org {number}", number=100 + number, data_contact_email=f"data{number}@org.example"
        )
        admin = make_user(f"admin{number}@org.example")
        Membership.objects.create(organisation=organisation, user=admin, role=MemberRole.ADMIN)


def test_the_sweep_costs_the_same_queries_for_3_and_for_30_organisations(
    require_postgres, open_cycle, staff_user, django_capture_on_commit_callbacks
):
    # On PostgreSQL: SQLite (a fresh checkout) has no arrays and claims one row at a time.
    def queries_at(moment) -> int:
        with (
            time_machine.travel(moment, tick=False),
            django_capture_on_commit_callbacks(execute=False),
        ):
            return count_queries(connection, reminders_send_due)

    organisations(3)
    with_3 = queries_at(london(2026, 10, 24))
    assert ReminderClaim.objects.count() == 2 * 2 * 3  # invitation + 7-day step, 2 people each
    organisations_from = ReminderClaim.objects.count()
    # Their tasks were not run here: mark them sent, so no requeue adds its own update.
    ReminderDelivery.objects.update(state="sent")
    for number in range(4, 31):
        organisation = make_organisation(
            f"Org {number}", number=100 + number, data_contact_email=f"data{number}@org.example"
        )
        admin = make_user(f"admin{number}@org.example")
        Membership.objects.create(organisation=organisation, user=admin, role=MemberRole.ADMIN)
    with_30 = queries_at(london(2026, 10, 29))

    assert ReminderClaim.objects.count() - organisations_from == 2 * 27 + 2 * 30
    assert with_3 == with_30


def test_a_dry_run_plans_everything_and_writes_nothing(
    acme, open_cycle, django_capture_on_commit_callbacks
):
    acme.data_contact_email = "data@acme.example"
    acme.save()

    result = sweep_at(
        london(2026, 10, 24), capture=django_capture_on_commit_callbacks, dry_run=True
    )

    assert result.claimed == 4 and result.deliveries == 4
    planned = {(p.kind, p.step, p.recipient, tuple(p.organisations)) for p in result.planned}
    assert ("data_due", "before:7:2026-10-31", "alice@acme.example", ("Acme Analytics",)) in planned
    assert ReminderClaim.objects.count() == ReminderDelivery.objects.count() == 0
    assert mail.outbox == []
    # The real run afterwards claims exactly what the dry run planned.
    real = sweep_at(london(2026, 10, 24), capture=django_capture_on_commit_callbacks)
    assert {(p.kind, p.step, p.recipient) for p in real.planned} == {p[:3] for p in planned}


def delivery(**fields) -> ReminderDelivery:
    values = {
        "kind": "data_due",
        "step": "before:7:2026-10-31",
        "recipient": "alice@acme.example",
        "claimed_at": london(2026, 10, 24, 9, 0),
    }
    values.update(fields)
    return ReminderDelivery.objects.create(**values)


def test_the_sweep_requeues_deliveries_stuck_for_15_minutes(
    acme, django_capture_on_commit_callbacks
):
    stuck = delivery(state="sending", attempts=1, sending_since=london(2026, 10, 24, 9, 0))
    lost = delivery(state="queued", recipient="bob@acme.example")
    recent = delivery(
        state="sending",
        attempts=1,
        sending_since=london(2026, 10, 24, 9, 10),
        recipient="carol@acme.example",
    )
    worn_out = delivery(
        state="sending",
        attempts=4,
        sending_since=london(2026, 10, 24, 9, 0),
        recipient="dan@acme.example",
    )

    with (
        django_capture_on_commit_callbacks(execute=False) as callbacks,
        time_machine.travel(london(2026, 10, 24, 9, 16), tick=False),
    ):
        result = reminders_send_due()

    assert result.requeued == 2
    assert len(callbacks) == 1
    for row in (stuck, lost, recent, worn_out):
        row.refresh_from_db()
    assert (stuck.state, lost.state, recent.state) == ("queued", "queued", "sending")
    assert worn_out.state == "failed" and "worker stopped" in worn_out.last_error


def test_a_delivery_already_sending_is_left_to_the_sweep(acme):
    row = delivery(state="sending", attempts=1, sending_since=london(2026, 10, 24, 9, 0))

    assert delivery_send(delivery_id=row.pk) == "sending"
    row.refresh_from_db()
    assert row.attempts == 1 and mail.outbox == []


def test_a_sent_delivery_is_never_sent_again(acme, open_cycle, django_capture_on_commit_callbacks):
    sweep_at(london(2026, 10, 24), capture=django_capture_on_commit_callbacks)
    sent = len(mail.outbox)
    for pk in ReminderDelivery.objects.values_list("pk", flat=True):
        assert delivery_send(delivery_id=pk) == "sent"
    assert len(mail.outbox) == sent


def test_smtp_errors_retry_with_backoff_then_fail(
    acme, open_cycle, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.pledges.reminders_helpers.RefusingBackend"
    RefusingBackend.refusing = True
    settings.REMINDER_MAX_ATTEMPTS = 3
    settings.REMINDER_RETRY_BASE_SECONDS = 60

    sweep_at(london(2026, 10, 24), capture=django_capture_on_commit_callbacks)

    rows = list(ReminderDelivery.objects.all())
    assert rows and {row.state for row in rows} == {DeliveryState.FAILED}
    assert {row.attempts for row in rows} == {3}
    assert "SMTPDataError" in rows[0].last_error and "Attempt 3" in rows[0].last_error
    assert [retry_countdown(n) for n in (1, 2, 3)] == [60, 120, 240]


def test_staff_retry_a_failed_delivery_once(
    acme, open_cycle, staff_user, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.pledges.reminders_helpers.RefusingBackend"
    RefusingBackend.refusing = True
    sweep_at(london(2026, 10, 24), capture=django_capture_on_commit_callbacks)
    failed = ReminderDelivery.objects.filter(recipient="alice@acme.example", kind="data_due").get()
    assert failed.can_be_retried

    RefusingBackend.refusing = False
    try:
        with django_capture_on_commit_callbacks(execute=True):
            retried = delivery_retry(delivery=failed, by=staff_user)
    finally:
        RefusingBackend.refusing = True

    retried.refresh_from_db()
    assert retried.state == "sent" and retried.retried_by == staff_user
    assert [m.to for m in mail.outbox] == [["alice@acme.example"]]
    with pytest.raises(RetryRefused, match="failed email"):
        delivery_retry(delivery=retried, by=staff_user)
    retried.state = "failed"
    retried.save()
    with pytest.raises(RetryRefused, match="already retried"):
        delivery_retry(delivery=retried, by=staff_user)


def test_each_email_has_both_parts_a_message_id_and_the_delivery_header(
    acme, open_cycle, django_capture_on_commit_callbacks
):
    sweep_at(london(2026, 10, 24), capture=django_capture_on_commit_callbacks)

    message = next(m for m in mail.outbox if m.subject.startswith("7 days"))
    row = ReminderDelivery.objects.get(recipient=message.to[0], kind="data_due")
    assert message.extra_headers["X-Charter-Delivery"] == str(row.pk)
    assert message.extra_headers["Message-ID"].startswith(f"<reminder-{row.pk}@")
    assert "List-Unsubscribe" not in message.extra_headers  # essential
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert '<html lang="en-GB">' in html and "<title>7 days left" in html
    assert f'href="{settings.SITE_URL}/dashboard/acme-analytics/data/2026/"' in html
    assert "cannot be switched off" in message.body and "cannot be switched off" in html
    assert row.subject_line == message.subject and row.sent_at is not None


def test_sweeps_are_correct_whatever_their_frequency(
    acme, open_cycle, django_capture_on_commit_callbacks
):
    # Every hour through October, or once on the 24th: the 24th's emails are the same step.
    moment = london(2026, 10, 24, 9, 0)
    while moment < london(2026, 10, 24, 12, 0):
        sweep_at(moment, capture=django_capture_on_commit_callbacks)
        moment += dt.timedelta(minutes=5)
    steps = set(ReminderClaim.objects.values_list("step", flat=True))
    assert steps == {"before:7:2026-10-31", "open:2026-10-01"}
    assert len(mail.outbox) == ReminderDelivery.objects.count() == 2


def test_an_email_that_cannot_be_rendered_fails_at_once(acme, open_cycle, settings):
    row = delivery(kind="data_due", step="before:7:2026-10-31")
    ReminderClaim.objects.create(
        delivery=row,
        kind="data_due",
        subject=f"cycle:{open_cycle.pk}:organisation:{acme.pk}",
        step="before:7:2026-10-31",
        recipient="alice@acme.example",
        organisation=acme,
        cycle=open_cycle,
        claimed_at=row.claimed_at,
    )
    settings.TEMPLATES = [
        {
            **settings.TEMPLATES[0],
            "DIRS": [str(settings.BASE_DIR / "tests" / "no-such-dir")],
            "APP_DIRS": False,
        }
    ]

    with pytest.raises(TemplateDoesNotExist, match=r"email/reminders/data_due_subject\.txt"):
        delivery_send(delivery_id=row.pk)

    row.refresh_from_db()
    assert row.state == "failed" and "Could not render" in row.last_error


def test_an_attempt_requeued_while_slow_is_still_recorded_as_sent(
    acme, open_cycle, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.pledges.reminders_helpers.SlowBackend"
    sweep_at(london(2026, 10, 24), capture=django_capture_on_commit_callbacks)
    row = ReminderDelivery.objects.get(recipient="alice@acme.example", kind="data_due")

    row.refresh_from_db()
    assert row.state == "sent"
    # The requeued copy's task finds it sent and sends nothing.
    assert delivery_send(delivery_id=row.pk) == "sent"
    assert [m.subject for m in mail.outbox].count(row.subject_line) == 1


def test_a_retried_delivery_whose_message_was_lost_is_queued_again_not_failed(
    acme, django_capture_on_commit_callbacks
):
    # Staff retried it (attempts already at the maximum) and the broker lost the message.
    row = delivery(state="queued", attempts=4, sending_since=london(2026, 10, 24, 9, 0))

    with (
        django_capture_on_commit_callbacks(execute=False),
        time_machine.travel(london(2026, 10, 24, 9, 16), tick=False),
    ):
        result = reminders_send_due()

    row.refresh_from_db()
    assert (result.requeued, row.state) == (1, "queued")

"""Reminders on real parts: Redis, real ``celery worker`` processes, a real SMTP server.

Every figure is counted at the SMTP server (tests/smtp_server.py), by the ``X-Charter-Delivery``
header each reminder carries and the recipient: "exactly once" means every delivery the sweep
wrote arrived once, none twice, and nothing arrived that the sweep did not write. The sweeps
run as ``manage.py reminders_send_due`` subprocesses, as an operator (or beat's task) runs them,
and queue their emails on this test's own Redis queue.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.utils import timezone

from pledges.models import DeliveryState, ReminderClaim, ReminderDelivery, ReminderKind
from pledges.services.reminders.delivery import RetryRefused, delivery_retry
from signatories.choices import MemberRole
from signatories.models import Membership
from tests.celery_worker import charter_environment
from tests.conftest import make_cycle, make_organisation, make_user

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

# An admin and a data contact each, two reminders due to each person: 24 emails, a batch long
# enough to be cut in the middle.
ORGANISATIONS = 6
DUE_KINDS = {ReminderKind.DATA_INVITATION, ReminderKind.DATA_DUE}
EMAILS_EACH = len(DUE_KINDS)
SWEEP_TIMEOUT = 60
SETTLE_SECONDS = 2  # after the last expected email, how long a duplicate gets to show up


def organisations_due_today(count: int) -> set[str]:
    """``count`` organisations in a cycle that opened 30 days ago and closes in 6 days, none
    submitted; each has an admin and a separate data contact. Returns every recipient.

    Whatever the time of day, two reminders are due to each person: the invitation (due while
    the cycle is open) and "7 days before" (09:00 yesterday; "2 days before" is days away)."""
    today = timezone.localdate()
    make_cycle(
        today.year,
        opens_on=today - dt.timedelta(days=30),
        closes_on=today + dt.timedelta(days=6),
    )
    recipients = set()
    for number in range(1, count + 1):
        organisation = make_organisation(
            f"Org {number}",
            number=number,
            data_contact_name=f"Data Contact {number}",
            data_contact_email=f"data@org-{number}.example",
        )
        admin = make_user(f"admin@org-{number}.example", full_name=f"Admin {number}")
        Membership.objects.create(organisation=organisation, user=admin, role=MemberRole.ADMIN)
        recipients |= {admin.email, organisation.data_contact_email}
    return recipients


@pytest.fixture
def smtp_worker_environment(smtp_server) -> dict[str, str]:
    # Small retry waits (1 s, then 2 s) and 3 attempts, so that refusals end within seconds.
    return {
        **smtp_server.email_settings(),
        "REMINDER_RETRY_BASE_SECONDS": "1",
        "REMINDER_MAX_ATTEMPTS": "3",
    }


@pytest.fixture
def start_sweep(require_redis, worker_queue, smtp_worker_environment):
    """Start ``manage.py reminders_send_due --at AT`` in a process of its own (not waited for)."""

    def start(at: dt.datetime) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "manage.py", "reminders_send_due", "--at", at.isoformat()],
            cwd=settings.BASE_DIR,
            env=charter_environment(
                broker_url=require_redis, queue=worker_queue, extra=smtp_worker_environment
            ),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

    return start


def finish(sweep: subprocess.Popen) -> str:
    output, _ = sweep.communicate(timeout=SWEEP_TIMEOUT)
    assert sweep.returncode == 0, output
    return output


def wait_until(condition, *, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"not within {timeout} s: {what}")
        time.sleep(0.1)


def states() -> dict[str, int]:
    counts: dict[str, int] = {}
    for state in ReminderDelivery.objects.values_list("state", flat=True):
        counts[state] = counts.get(state, 0) + 1
    return counts


def written_deliveries() -> set[tuple[str, str]]:
    return {
        (str(delivery_id), recipient)
        for delivery_id, recipient in ReminderDelivery.objects.values_list("id", "recipient")
    }


def kinds_by_recipient() -> dict[str, set[str]]:
    kinds: dict[str, set[str]] = {}
    for recipient, kind in ReminderDelivery.objects.values_list("recipient", "kind"):
        kinds.setdefault(recipient, set()).add(kind)
    return kinds


def test_it_sends_every_due_email_exactly_once_when_two_sweeps_start_together(
    start_worker, smtp_server, smtp_worker_environment, start_sweep
):
    recipients = organisations_due_today(ORGANISATIONS)
    start_worker(name="worker-a", environment=smtp_worker_environment)
    start_worker(name="worker-b", environment=smtp_worker_environment)
    now = timezone.now().replace(microsecond=0)

    # Both started before either finishes: they race for the same claims.
    sweeps = [start_sweep(now), start_sweep(now)]
    outputs = [finish(sweep) for sweep in sweeps]

    expected = written_deliveries()
    assert kinds_by_recipient() == dict.fromkeys(recipients, DUE_KINDS)
    smtp_server.wait_for(len(expected), settle=SETTLE_SECONDS)
    assert smtp_server.counts() == dict.fromkeys(expected, 1)
    wait_until(
        lambda: states() == {DeliveryState.SENT: len(expected)},
        what=f"every delivery marked sent (now {states()})",
    )
    # One claim per (kind, subject, step, recipient), however many sweeps tried.
    claims = ReminderClaim.objects.values_list("kind", "subject", "step", "recipient")
    assert len(claims) == len(set(claims))
    # And each claim was won by exactly one of the two sweeps ("Claimed N reminders in M emails").
    claimed = [int(re.search(r"Claimed (\d+) reminders", output)[1]) for output in outputs]
    emails = [int(re.search(r"in (\d+) emails", output)[1]) for output in outputs]
    assert sum(claimed) == len(claims)
    assert sum(emails) == len(expected)
    assert smtp_server.refused == []


def test_it_loses_and_repeats_nothing_when_a_worker_is_killed_in_the_middle_of_a_batch(
    start_worker, smtp_server, smtp_worker_environment, start_sweep
):
    organisations_due_today(ORGANISATIONS)
    # The server holds the 5th email before answering its DATA: the worker waits for the reply.
    smtp_server.hold(5)
    worker = start_worker(environment=smtp_worker_environment)
    now = timezone.now().replace(microsecond=0)
    finish(start_sweep(now))
    expected = written_deliveries()
    assert len(expected) == EMAILS_EACH * 2 * ORGANISATIONS

    smtp_server.wait_until_holding()
    worker.kill()
    smtp_server.wait_until_held_sender_gone()
    smtp_server.release()
    smtp_server.wait_until_abandoned()

    # The 5th email never completed: the server dropped it with the connection.
    [abandoned] = smtp_server.abandoned
    assert len(smtp_server.messages) == 4
    [stuck] = ReminderDelivery.objects.filter(state=DeliveryState.SENDING)
    assert str(stuck.pk) == abandoned.delivery_id

    # Restarted, the worker sends the rest of the batch; the email it was sending when it died
    # stays "sending" (the killed task is not acknowledged, and nobody can know whether it left).
    worker.start()
    smtp_server.wait_for(len(expected) - 1, settle=SETTLE_SECONDS)
    assert len(smtp_server.messages) == len(expected) - 1
    stuck.refresh_from_db()
    assert stuck.state == DeliveryState.SENDING

    # Beat's next sweep after 15 minutes queues it again.
    finish(start_sweep(now + dt.timedelta(minutes=16)))

    smtp_server.wait_for(len(expected), settle=SETTLE_SECONDS)
    # 0 lost, 0 duplicates, nothing extra.
    assert smtp_server.counts() == dict.fromkeys(expected, 1)
    wait_until(
        lambda: states() == {DeliveryState.SENT: len(expected)},
        what=f"every delivery marked sent (now {states()})",
    )
    stuck.refresh_from_db()
    assert stuck.attempts == 2


def test_it_retries_refused_emails_then_logs_them_failed_and_a_staff_retry_sends_once(
    start_worker, smtp_server, smtp_worker_environment, start_sweep, staff_user
):
    recipients = organisations_due_today(1)
    smtp_server.refuse()
    start_worker(environment=smtp_worker_environment)

    finish(start_sweep(timezone.now().replace(microsecond=0)))

    expected = written_deliveries()
    assert kinds_by_recipient() == dict.fromkeys(recipients, DUE_KINDS)
    # REMINDER_MAX_ATTEMPTS=3: three attempts at the server for each email, then "failed".
    smtp_server.wait_for_refusals(3 * len(expected))
    wait_until(
        lambda: states() == {DeliveryState.FAILED: len(expected)},
        what=f"every delivery marked failed (now {states()})",
    )
    attempts_at_server: dict[str, int] = {}
    for refused in smtp_server.refused:
        attempts_at_server[refused.delivery_id] = attempts_at_server.get(refused.delivery_id, 0) + 1
    assert attempts_at_server == {delivery_id: 3 for delivery_id, _ in expected}
    for delivery in ReminderDelivery.objects.all():
        assert delivery.attempts == 3
        assert "451" in delivery.last_error
        assert delivery.sent_at is None
    assert smtp_server.messages == []

    # The server is back; staff retry one of them from the delivery log.
    smtp_server.accept()
    retried, *untouched = ReminderDelivery.objects.order_by("pk")
    delivery_retry(delivery=retried, by=staff_user)

    smtp_server.wait_for(1, settle=SETTLE_SECONDS)
    assert smtp_server.counts() == {(str(retried.pk), retried.recipient): 1}
    wait_until(
        lambda: ReminderDelivery.objects.get(pk=retried.pk).state == DeliveryState.SENT,
        what="the retried delivery marked sent",
    )
    retried.refresh_from_db()
    assert retried.retried_by == staff_user
    assert {delivery.state for delivery in untouched} == {DeliveryState.FAILED}
    assert ReminderDelivery.objects.filter(state=DeliveryState.FAILED).count() == len(untouched)
    # Once only: a second retry is refused and sends nothing.
    with pytest.raises(RetryRefused):
        delivery_retry(delivery=retried, by=staff_user)
    time.sleep(SETTLE_SECONDS)
    assert len(smtp_server.messages) == 1

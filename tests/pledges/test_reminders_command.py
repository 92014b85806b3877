"""manage.py reminders_send_due [--at ISO_DATETIME] [--dry-run], and the beat task."""

from __future__ import annotations

from io import StringIO

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.core.management import CommandError, call_command

from pledges.models import ReminderClaim, ReminderDelivery
from pledges.tasks import reminders_sweep
from tests.pledges.reminders_helpers import london

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("reminders_send_due", *args, stdout=out)
    return out.getvalue()


def test_a_dry_run_at_a_moment_prints_each_email_and_writes_nothing(acme, open_cycle):
    output = run("--at", "2026-10-24T09:30", "--dry-run")

    assert "data_due\tbefore:7:2026-10-31\talice@acme.example\tAcme Analytics" in output
    assert "data_invitation\topen:2026-10-01\talice@acme.example\tAcme Analytics" in output
    assert "Dry run: 2 claims in 2 emails would be sent" in output
    assert "Nothing was written." in output
    assert ReminderClaim.objects.count() == ReminderDelivery.objects.count() == 0
    assert mail.outbox == []


def test_a_real_run_claims_and_sends(acme, open_cycle, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        output = run("--at", "2026-10-24T09:30:00+01:00")

    assert output.strip() == "Claimed 2 reminders in 2 emails; queued 0 stuck emails again."
    assert len(mail.outbox) == 2
    assert run("--at", "2026-10-24T10:30").startswith("Claimed 0 reminders in 0 emails")


def test_at_is_london_time_unless_it_has_an_offset(acme, open_cycle):
    # 08:30 UTC on 1 October is 09:30 in London (summer time): the invitation is due.
    assert "open:2026-10-01" in run("--at", "2026-10-01T08:30+00:00", "--dry-run")
    # 07:30 UTC is 08:30 in London: not yet.
    assert "open:2026-10-01" not in run("--at", "2026-10-01T07:30+00:00", "--dry-run")
    assert "open:2026-10-01" not in run("--at", "2026-10-01T08:59", "--dry-run")


@pytest.mark.parametrize("value", ["yesterday", "2026-13-01T09:00", "24/10/2026"])
def test_a_bad_at_is_a_clear_error(value):
    with pytest.raises(CommandError, match="is not an ISO date and time"):
        run("--at", value)


def test_the_help_says_what_it_does():
    from pledges.management.commands.reminders_send_due import Command

    assert "--dry-run prints each email" in Command.help
    assert "writes nothing" in Command.help


def test_the_beat_task_runs_the_same_sweep_every_five_minutes(
    acme, open_cycle, django_capture_on_commit_callbacks
):
    entry = settings.CELERY_BEAT_SCHEDULE["reminders-sweep"]
    assert entry == {"task": "pledges.tasks.reminders_sweep", "schedule": 300}
    with (
        time_machine.travel(london(2026, 10, 24), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        result = reminders_sweep.delay().get()

    assert result == {"claimed": 2, "deliveries": 2, "requeued": 0}
    assert len(mail.outbox) == 2

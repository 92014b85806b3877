"""Helpers of the reminder tests: a sweep at a London moment, with its emails sent inline."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import time_machine
from django.core import mail
from django.test.utils import CaptureQueriesContext

from pledges.services.reminders.sweep import reminders_send_due

LONDON = ZoneInfo("Europe/London")


def london(year: int, month: int, day: int, hour: int = 9, minute: int = 30) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=LONDON)


def sweep_at(moment: dt.datetime, *, capture, dry_run: bool = False):
    """Run the sweep as the clock reads ``moment``; its tasks run inline (eager Celery) once
    the sweep's transaction commits. ``capture``: django_capture_on_commit_callbacks."""
    with time_machine.travel(moment, tick=False), capture(execute=True):
        return reminders_send_due(dry_run=dry_run)


def sent_to() -> dict[str, list[str]]:
    """Each recipient's subjects, in the order sent (one email has exactly one recipient)."""
    found: dict[str, list[str]] = {}
    for message in mail.outbox:
        assert len(message.to) == 1
        found.setdefault(message.to[0], []).append(message.subject)
    return found


def count_queries(connection, function) -> int:
    with CaptureQueriesContext(connection) as context:
        function()
    return len(context.captured_queries)


class RefusingBackend:
    """An SMTP server that refuses every message while ``refusing`` is set (what leaves the
    machine is the only thing these tests stand in for; tests/charter has the real SMTP ones)."""

    refusing = True

    def __init__(self, *args, **kwargs):
        from django.core.mail.backends.locmem import EmailBackend

        self.backend = EmailBackend(*args, **kwargs)

    def send_messages(self, messages):
        import smtplib

        if RefusingBackend.refusing:
            raise smtplib.SMTPDataError(451, b"4.3.0 Try again later")
        return self.backend.send_messages(messages)


class SlowBackend:
    """An SMTP server so slow that the sweep's 15-minute rule put the delivery back to queued
    while the message was being accepted."""

    def __init__(self, *args, **kwargs):
        from django.core.mail.backends.locmem import EmailBackend

        self.backend = EmailBackend(*args, **kwargs)

    def send_messages(self, messages):
        from pledges.models import ReminderDelivery

        ReminderDelivery.objects.filter(state="sending").update(state="queued")
        return self.backend.send_messages(messages)

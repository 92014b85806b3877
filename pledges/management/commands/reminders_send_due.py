from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from pledges.services.reminders.sweep import reminders_send_due


class Command(BaseCommand):
    help = (
        "Run one reminder sweep now, inline, as the beat task does every 5 minutes: requeue "
        "deliveries stuck for 15 minutes, claim every reminder due at --at (default: now) that "
        "was never claimed, and queue one email per person and step. --dry-run prints each email "
        "that would be sent and writes nothing."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--at",
            metavar="ISO_DATETIME",
            help="Sweep as if it were this moment, e.g. 2026-10-24T09:30 (London time unless "
            "the value carries an offset).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Print what would be sent; write nothing."
        )

    def handle(self, *args, at: str | None = None, dry_run: bool = False, **options) -> None:
        moment = _parse_at(at) if at else None
        result = reminders_send_due(at=moment, dry_run=dry_run)
        if dry_run:
            for email in result.planned:
                names = ", ".join(email.organisations) or "-"
                self.stdout.write(f"{email.kind}\t{email.step}\t{email.recipient}\t{names}")
            self.stdout.write(
                f"Dry run: {result.claimed} claims in {result.deliveries} emails would be sent; "
                f"{result.requeued} stuck emails would be queued again. Nothing was written."
            )
            return
        self.stdout.write(
            f"Claimed {result.claimed} reminders in {result.deliveries} emails; "
            f"queued {result.requeued} stuck emails again."
        )


def _parse_at(value: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise CommandError(
            f"--at {value!r} is not an ISO date and time, e.g. 2026-10-24T09:30 or "
            "2026-10-24T09:30+01:00."
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(settings.TIME_ZONE))
    return moment

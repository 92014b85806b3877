"""Delivery log rows for the reminder pages' tests, written directly: the pages read the log,
whatever sweep wrote it. Every value is explicit so a test can assert on it."""

from __future__ import annotations

import datetime as dt

from pledges.models import ReminderClaim, ReminderDelivery

OCTOBER_24 = dt.datetime(2026, 10, 24, 9, tzinfo=dt.UTC)


def make_delivery(
    *,
    recipient: str,
    organisations: list,
    kind: str = "data_due",
    step: str = "before:7:2026-10-31",
    state: str = "sent",
    at: dt.datetime = OCTOBER_24,
    attempts: int = 1,
    last_error: str = "",
    subject_line: str = "Your data return is due in 7 days",
    cycle=None,
) -> ReminderDelivery:
    """One email to ``recipient`` carrying one claim per organisation in ``organisations``."""
    delivery = ReminderDelivery.objects.create(
        kind=kind,
        step=step,
        recipient=recipient,
        state=state,
        attempts=attempts,
        claimed_at=at,
        sent_at=at if state == "sent" else None,
        finished_at=at if state in ("sent", "failed") else None,
        last_error=last_error,
        subject_line=subject_line,
    )
    ReminderClaim.objects.bulk_create(
        ReminderClaim(
            delivery=delivery,
            kind=kind,
            subject=f"cycle:{cycle.pk if cycle else 0}:organisation:{organisation.pk}",
            step=step,
            recipient=recipient,
            organisation=organisation,
            cycle=cycle,
            claimed_at=at,
        )
        for organisation in organisations
    )
    return delivery

"""Staff set a cycle's reminder schedule: the days before and after its closing date on which the
sweep chases the organisations that have not submitted.

Only a draft cycle's schedule can change. Once a cycle is open the sweep has been claiming its
steps (a claim names its step, e.g. "14 days before"), so moving the steps then would make some
organisations get a reminder twice and others none; staff who need to chase differently pause
an organisation or extend the closing date, which the sweep follows.
"""

from __future__ import annotations

from django.db import transaction

from pledges.models import CycleEvent, CycleEventKind, CycleStatus, ReportingCycle
from pledges.services.cycles import CycleInvalid

# Three months either side of the closing date: further out a reminder is noise, and after it a
# return is "not reporting", which the compliance rules handle.
MAX_DAYS = 90

SCHEDULE_FIELDS = ("reminder_days_before", "reminder_days_after")


def reminder_days_problem(days: list[int]) -> str:
    """What is wrong with one list of day offsets, or "" when nothing is."""
    if not days:
        return "Give at least one day."
    out_of_range = sorted({day for day in days if not 0 <= day <= MAX_DAYS})
    if out_of_range:
        shown = ", ".join(str(day) for day in out_of_range)
        return f"Each number of days must be between 0 and {MAX_DAYS}: {shown} is not."
    repeated = sorted({day for day in days if days.count(day) > 1})
    if repeated:
        shown = ", ".join(str(day) for day in repeated)
        return f"Give each day once: {shown} is there more than once."
    return ""


def cycle_reminder_schedule_set(
    *,
    cycle: ReportingCycle,
    by,
    reminder_days_before: list[int],
    reminder_days_after: list[int],
    reason: str = "",
) -> ReportingCycle:
    """Save a draft cycle's schedule, each list sorted the way it runs (furthest first before
    the closing date, nearest first after it), and record who changed it, from what to what."""
    wanted = {
        "reminder_days_before": sorted(reminder_days_before, reverse=True),
        "reminder_days_after": sorted(reminder_days_after),
    }
    problems = {
        name: problem for name, days in wanted.items() if (problem := reminder_days_problem(days))
    }
    if problems:
        raise CycleInvalid("The schedule was not saved: correct the days shown.", problems=problems)
    with transaction.atomic():
        current = ReportingCycle.objects.select_for_update().get(pk=cycle.pk)
        if current.status != CycleStatus.DRAFT:
            raise CycleInvalid(
                f"The {current.year} cycle is {current.get_status_display().lower()}: its "
                "reminder schedule can only change before it opens. Pause an organisation's "
                "reminders or extend the closing date instead.",
                problems={},
            )
        changes = {
            name: {"before": getattr(current, name), "after": days}
            for name, days in wanted.items()
            if getattr(current, name) != days
        }
        if changes:
            ReportingCycle.objects.filter(pk=current.pk).update(**wanted)
            CycleEvent.objects.create(
                cycle=current,
                kind=CycleEventKind.REMINDERS_SCHEDULED,
                by=by,
                reason=reason.strip(),
                details=changes,
            )
    cycle.refresh_from_db()
    return cycle

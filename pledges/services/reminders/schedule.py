"""When each reminder is due: pure functions of dates, no database.

Every sequence is a list of steps, each with the moment it becomes due. The sweep asks which
step of a sequence is due *now*, and the answer depends only on the data and the moment, never on
when the sweep last ran: so it is correct whether it runs every minute or once a day, and after
downtime it sends the latest step only, never a backlog of stale ones.

- Within one sequence only the LATEST step whose moment has passed is due; it stops being due
  when the next step's moment comes, and the last step stays due for ``LAST_STEP_DUE_FOR`` at
  most (a week-old "overdue" email would be news to nobody).
- Dates are the charter's (settings.TIME_ZONE, Europe/London). A dated step goes out at
  ``SEND_AT`` local time on its date: mid-morning on a working day reads better than midnight,
  and 09:00 leaves the early sweeps of the day to catch up after a restart before people read.
- Step names are part of a claim's unique key. They name the date they count from wherever that
  date can move (``before:7:2026-10-31``): a grace extension moves an organisation's deadline,
  and the steps counted from the new one are new facts, sent once each, while the old ones are
  never due again.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings

from pledges.models import ReminderKind

SEND_AT = dt.time(9, 0)
LAST_STEP_DUE_FOR = dt.timedelta(days=7)
# The staff digest: once per local day, from this hour (before the team starts work).
DIGEST_FROM = dt.time(8, 0)
# A team invitation: reminded this long before its link expires.
INVITATION_WARNING = dt.timedelta(hours=48)
# A join request: admins are reminded once it has waited this long.
JOIN_REQUEST_WAITS = dt.timedelta(days=7)
# A pledge, or a representative's confirmation, is due again after a year.
YEARLY_MONTHS = 12
# Representative reconfirmation: chased after 7 and 21 days, then the admins are told at 28.
RECONFIRM_CHASES = (7, 21)
RECONFIRM_GIVE_UP = 28


@dataclass(frozen=True)
class Step:
    kind: str
    step: str
    moment: dt.datetime
    # When it stops being due if nothing comes after it (None: the sequence's rule decides).
    due_until: dt.datetime | None = None

    @property
    def label(self) -> str:
        return step_label(self.step)


def local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def local_date(moment: dt.datetime) -> dt.date:
    return moment.astimezone(local_zone()).date()


def step_moment(day: dt.date, at: dt.time = SEND_AT) -> dt.datetime:
    """The aware moment a dated step goes out (09:00 London time on that date)."""
    return dt.datetime.combine(day, at, tzinfo=local_zone())


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later; the month's last day when it has no such day (29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def due_step(steps: list[Step], at: dt.datetime) -> Step | None:
    """The one step of a sequence that is due at ``at``: the latest whose moment has passed,
    while the next has not come, and the last for LAST_STEP_DUE_FOR (or its own due_until)."""
    ordered = sorted(steps, key=lambda step: step.moment)
    for index, step in enumerate(ordered):
        if step.moment > at:
            return None
        if index + 1 < len(ordered):
            if ordered[index + 1].moment > at:
                return step
            continue
        until = step.due_until or step.moment + LAST_STEP_DUE_FOR
        return step if at < until else None
    return None


# ---- data returns ----------------------------------------------------------------------------


def invitation_steps(*, opens_on: dt.date, closes_on: dt.date) -> list[Step]:
    """The cycle is open: its own one-step sequence, due from the opening until the cycle's
    closing date passes, so an organisation that signs mid-cycle, or a cycle staff open late,
    is still invited (and one given a later deadline after closing is chased, not invited)."""
    return [
        Step(
            ReminderKind.DATA_INVITATION,
            f"open:{opens_on.isoformat()}",
            step_moment(opens_on),
            due_until=step_moment(closes_on + dt.timedelta(days=1), dt.time(0, 0)),
        )
    ]


def deadline_steps(
    *, deadline: dt.date, days_before: list[int], days_after: list[int]
) -> list[Step]:
    """Before and after the organisation's own deadline, as one sequence (the cycle's lists of
    day offsets; 0 = on the day)."""
    stamp = deadline.isoformat()
    steps = [
        Step(
            ReminderKind.DATA_DUE,
            f"before:{days}:{stamp}",
            step_moment(deadline - dt.timedelta(days=days)),
        )
        for days in sorted(set(days_before), reverse=True)
    ]
    steps += [
        Step(
            ReminderKind.DATA_OVERDUE,
            f"after:{days}:{stamp}",
            step_moment(deadline + dt.timedelta(days=days)),
        )
        for days in sorted(set(days_after))
        if days > 0
    ]
    return steps


def is_last_after_step(step: str, days_after: list[int]) -> bool:
    """The last overdue step (default 14 days after) also copies the senior representative."""
    if not step.startswith("after:") or not days_after:
        return False
    return int(step.split(":")[1]) == max(days_after)


# ---- representatives, team, pledges ----------------------------------------------------------


def reconfirm_anchor(*, confirmed_at: dt.datetime | None, named_at: dt.datetime) -> dt.date:
    return add_months(local_date(confirmed_at or named_at), YEARLY_MONTHS)


def reconfirm_steps(anchor: dt.date) -> list[Step]:
    stamp = anchor.isoformat()
    steps = [Step(ReminderKind.REPRESENTATIVE_RECONFIRM, f"reconfirm:{stamp}", step_moment(anchor))]
    steps += [
        Step(
            ReminderKind.REPRESENTATIVE_RECONFIRM,
            f"chase{days}:{stamp}",
            step_moment(anchor + dt.timedelta(days=days)),
        )
        for days in RECONFIRM_CHASES
    ]
    steps.append(
        Step(
            ReminderKind.REPRESENTATIVE_UNCONFIRMED,
            f"unconfirmed:{stamp}",
            step_moment(anchor + dt.timedelta(days=RECONFIRM_GIVE_UP)),
        )
    )
    return steps


def invitation_expiring_step(*, created_at: dt.datetime, max_age: dt.timedelta) -> Step:
    expires_at = created_at + max_age
    return Step(
        ReminderKind.INVITATION_EXPIRING,
        "expiring",
        expires_at - INVITATION_WARNING,
        due_until=expires_at,
    )


def join_request_step(created_at: dt.datetime) -> Step:
    return Step(ReminderKind.JOIN_REQUEST_WAITING, "waiting7", created_at + JOIN_REQUEST_WAITS)


def pledge_review_anchor(*, reviewed_at: dt.datetime | None, accepted_at: dt.datetime) -> dt.date:
    return add_months(local_date(reviewed_at or accepted_at), YEARLY_MONTHS)


def pledge_review_step(anchor: dt.date) -> Step:
    return Step(ReminderKind.PLEDGE_REVIEW, f"review:{anchor.isoformat()}", step_moment(anchor))


def digest_step(at: dt.datetime) -> Step:
    """Today's digest, due from 08:00 until local midnight."""
    today = local_date(at)
    return Step(
        ReminderKind.STAFF_DIGEST,
        f"day:{today.isoformat()}",
        step_moment(today, DIGEST_FROM),
        due_until=step_moment(today + dt.timedelta(days=1), dt.time(0, 0)),
    )


def working_days_before(day: dt.date, count: int) -> dt.date:
    """The date ``count`` working days (Monday to Friday) before ``day``."""
    while count > 0:
        day -= dt.timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


# ---- labels (delivery log, forecast, dry run) --------------------------------------------------


def step_label(step: str) -> str:
    """A person-readable name of a step string, e.g. "7 days before 31 Oct 2026"."""
    parts = step.split(":")
    name = parts[0]

    def day(text: str) -> str:
        return f"{dt.date.fromisoformat(text):%-d %b %Y}"

    try:
        if name == "open":
            return f"Collection opens {day(parts[1])}"
        if name == "before":
            days = int(parts[1])
            if days == 0:
                return f"On the deadline, {day(parts[2])}"
            return f"{days} day{'s' if days != 1 else ''} before {day(parts[2])}"
        if name == "after":
            days = int(parts[1])
            return f"{days} day{'s' if days != 1 else ''} after {day(parts[2])}"
        if name == "reconfirm":
            return f"Yearly confirmation due {day(parts[1])}"
        if name.startswith("chase"):
            return f"Chased {name[5:]} days after {day(parts[1])}"
        if name == "unconfirmed":
            return f"Not confirmed 28 days after {day(parts[1])}"
        if name == "review":
            return f"Review due {day(parts[1])}"
        if name == "day":
            return f"Digest of {day(parts[1])}"
        if name == "expiring":
            return "48 hours before the link expires"
        if name == "waiting7":
            return "Waiting 7 days"
        if name == "delisting":
            return f"After missing {parts[1]}"
    except (IndexError, ValueError):
        pass
    return step

"""What the data reminders of one cycle will send over the coming days (the staff forecast).

Built from the same schedule functions and stop conditions as the sweep (services.reminders),
in a fixed number of queries whatever the number of organisations. It shows what the data says
today: a return submitted tomorrow, a grace extension or a pause changes it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from pledges.models import (
    CycleExemption,
    DataReturn,
    ReminderKind,
    ReportingCycle,
    ReturnStatus,
)
from pledges.selectors.compliance import was_expected
from pledges.services.reminders import schedule
from pledges.services.reminders.candidates import (
    admin_emails,
    chased_organisations,
    organisation_deadline,
)
from signatories.models import Representative


@dataclass
class ForecastDay:
    date: dt.date
    kind: str
    step: str
    organisations: list[str] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        return ReminderKind(self.kind).label

    @property
    def step_label(self) -> str:
        return schedule.step_label(self.step)


def reminders_forecast(
    *, cycle: ReportingCycle, start: dt.date, days: int = 30
) -> list[ForecastDay]:
    """Each (date, kind, step) of ``cycle``'s data reminders from ``start`` for ``days`` days,
    with the organisations it goes to (by name) and the distinct recipients, by date."""
    end = start + dt.timedelta(days=days)
    organisations = chased_organisations().values()
    returns = {
        row[0]: row[1:]
        for row in DataReturn.objects.filter(cycle=cycle).values_list(
            "organisation_id", "status", "grace_until", "reopened_until"
        )
    }
    exempt = set(
        CycleExemption.objects.filter(cycle=cycle).values_list("organisation_id", flat=True)
    )
    admins = admin_emails()
    representatives = dict(
        Representative.objects.filter(ended_at=None, declined_at=None).values_list(
            "organisation_id", "email"
        )
    )

    found: dict[tuple[dt.date, str, str], tuple[list[str], set[str]]] = defaultdict(
        lambda: ([], set())
    )
    for organisation in organisations:
        if organisation.pk in exempt or not was_expected(organisation, cycle):
            continue
        status, grace_until, reopened_until = returns.get(organisation.pk, (None, None, None))
        if status == ReturnStatus.SUBMITTED:
            continue
        deadline = organisation_deadline(cycle, grace_until, reopened_until)
        recipients = {
            email.strip().lower()
            for email in (organisation.data_contact_email, *admins.get(organisation.pk, ()))
            if email and email.strip()
        }
        steps = schedule.invitation_steps(opens_on=cycle.opens_on, closes_on=cycle.closes_on)
        steps += schedule.deadline_steps(
            deadline=deadline,
            days_before=cycle.reminder_days_before,
            days_after=cycle.reminder_days_after,
        )
        for step in steps:
            day = schedule.local_date(step.moment)
            if not start <= day < end:
                continue
            names, people = found[day, step.kind, step.step]
            names.append(organisation.public_name)
            people |= recipients
            representative = representatives.get(organisation.pk)
            if representative and schedule.is_last_after_step(step.step, cycle.reminder_days_after):
                people.add(representative.lower())
    return [
        ForecastDay(date=day, kind=kind, step=step, organisations=names, recipients=sorted(people))
        for (day, kind, step), (names, people) in sorted(found.items())
    ]

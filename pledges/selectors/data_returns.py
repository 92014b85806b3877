"""Reads for an organisation's data returns: the overview of its cycles and receipts, its open
staff queries, and the dashboard's next step for the data pledge. Each costs a fixed number of
queries however many years and revisions there are (pinned by tests)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Case, IntegerField, Prefetch, Value, When
from django.utils import timezone

from pledges import returns_rules as rules
from pledges.models import (
    CycleExemption,
    CycleStatus,
    DataReturn,
    ReportingCycle,
    ReturnQuery,
    ReturnRevision,
)
from pledges.services.returns import (
    return_deadline,
    return_editable_until,
    return_is_editable,
)
from signatories.models import Organisation


@dataclass
class CycleRow:
    """One year on the overview: the cycle, the organisation's return in it (or None) and its
    exemption (or None)."""

    cycle: ReportingCycle
    data_return: DataReturn | None
    exemption: CycleExemption | None
    revisions: list[ReturnRevision] = field(default_factory=list)

    @property
    def deadline(self) -> dt.date:
        return return_deadline(self.data_return) if self.data_return else self.cycle.closes_on

    @property
    def incomplete_sections(self) -> list[str]:
        if self.data_return is None:
            return list(rules.SECTIONS)
        return rules.sections_incomplete(self.data_return.figures())


def open_queries(*, organisation: Organisation) -> list[ReturnQuery]:
    """Staff questions the organisation has not answered yet, oldest first."""
    return list(
        ReturnQuery.objects.filter(data_return__organisation=organisation, answered_at__isnull=True)
        .select_related("data_return__cycle")
        .order_by("asked_at", "id")
    )


def data_overview(*, organisation: Organisation) -> list[CycleRow]:
    """Every cycle that is not a draft, newest first, with the organisation's part in it."""
    cycles = list(ReportingCycle.objects.exclude(status=CycleStatus.DRAFT).order_by("-year"))
    revisions = Prefetch(
        "revisions",
        queryset=ReturnRevision.objects.select_related("submitted_by").order_by("-number"),
    )
    returns = {
        data_return.cycle_id: data_return
        for data_return in DataReturn.objects.filter(organisation=organisation)
        .select_related("cycle", "organisation", "grace_request")
        .prefetch_related(revisions)
    }
    exemptions = {
        exemption.cycle_id: exemption
        for exemption in CycleExemption.objects.filter(organisation=organisation)
    }
    rows = []
    for cycle in cycles:
        data_return = returns.get(cycle.pk)
        rows.append(
            CycleRow(
                cycle=cycle,
                data_return=data_return,
                exemption=exemptions.get(cycle.pk),
                revisions=list(data_return.revisions.all()) if data_return else [],
            )
        )
    return rows


def current_cycle() -> ReportingCycle | None:
    """The open cycle, or else the latest closed or published one."""
    return (
        ReportingCycle.objects.exclude(status=CycleStatus.DRAFT)
        .annotate(
            open_first=Case(
                When(status=CycleStatus.OPEN, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("open_first", "-year")
        .first()
    )


def data_next_step(*, organisation: Organisation) -> str:
    """What the organisation should do next for the data pledge, in one sentence (three
    queries: its oldest open query, the current cycle, its return in that cycle)."""
    query = (
        ReturnQuery.objects.filter(data_return__organisation=organisation, answered_at__isnull=True)
        .select_related("data_return__cycle")
        .order_by("asked_at", "id")
        .first()
    )
    if query is not None:
        return (
            f"Charter staff asked a question about your {query.data_return.cycle.year} return: "
            "answer it or amend the return."
        )
    cycle = current_cycle()
    if cycle is None:
        return "Submit your diversity data when the yearly collection opens."
    data_return = (
        DataReturn.objects.filter(cycle=cycle, organisation=organisation)
        .select_related("cycle", "organisation")
        .first()
    )
    today = timezone.localdate()
    year = cycle.year
    if data_return is not None and data_return.is_submitted:
        return f"Your {year} return was received: receipt {data_return.reference}."
    if cycle.status == CycleStatus.OPEN and today < cycle.opens_on:
        return f"The {year} data collection opens on {cycle.opens_on:%-d %B %Y}."
    if data_return is None:
        if cycle.status == CycleStatus.OPEN and today <= cycle.closes_on:
            return f"Submit your {year} diversity data by {cycle.closes_on:%-d %B %Y}."
        return f"The {year} data collection closed without a return from you."
    if not return_is_editable(data_return, today=today):
        return f"The {year} data collection closed without a return from you."
    # A reopened return may be changed after its deadline: the date that matters is the last
    # day it can be submitted.
    until = return_editable_until(data_return)
    incomplete = rules.sections_incomplete(data_return.figures())
    if incomplete:
        count = len(incomplete)
        return (
            f"Your {year} draft has {count} incomplete section{'s' if count > 1 else ''}: "
            f"finish and submit it by {until:%-d %B %Y}."
        )
    return f"Your {year} draft is complete: submit it by {until:%-d %B %Y}."

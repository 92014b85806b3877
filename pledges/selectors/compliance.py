"""Compliance with the data pledge: each organisation's state in each cycle, and its standing.

Rules (issue 11, after the UN Global Compact's active → non-communicating → delisted):

- In a cycle an organisation is *on time* or *late* once it submitted a return (late: its first
  submission came after its deadline, e.g. through a staff reopen), *exempt* when staff excused
  it, *due* while the cycle is still running and nothing is submitted, and *missing* once the
  cycle is closed (or published) if it was expected and submitted nothing.
- Expected: signed on or before the closing date, and neither withdrawn nor suspended on that
  date. A suspended organisation was expected in the cycles that closed before its suspension
  (they still count as missed) but not in those that close while it is suspended: it cannot
  report from outside the charter. Exempt cycles are not expected either, so they neither
  count as a miss nor break a run of misses.
- Standing over the closed cycles it was expected in: *not reporting* when it missed the latest,
  *delisting proposed* when it missed the latest two in a row and staff made no decision about
  the latest miss ("another chance" leaves it not reporting; "suspend" suspends it; a
  suspension staff later lift still answered that miss), otherwise
  *reporting*. A suspended organisation's standing is *suspended*.

Everything is read in a fixed number of queries (one per table) and combined in Python, so the
page costs the same at 10 signatories as at 10,000.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import TextChoices

from pledges.models import (
    ComplianceDecision,
    CycleExemption,
    CycleStatus,
    DataReturn,
    ReportingCycle,
    ReturnStatus,
)
from signatories.choices import OrganisationStatus
from signatories.models import Organisation

CLOSED_STATUSES = (CycleStatus.CLOSED, CycleStatus.PUBLISHED)


class CycleState(TextChoices):
    ON_TIME = "on_time", "On time"
    LATE = "late", "Late"
    EXEMPT = "exempt", "Exempt"
    MISSING = "missing", "Missing"
    DUE = "due", "Not submitted yet"
    NOT_EXPECTED = "not_expected", "Not expected"


class Standing(TextChoices):
    REPORTING = "reporting", "Reporting"
    NOT_REPORTING = "not_reporting", "Not reporting"
    DELISTING_PROPOSED = "delisting_proposed", "Delisting proposed"
    SUSPENDED = "suspended", "Suspended"


@dataclass(frozen=True)
class CycleCompliance:
    cycle: ReportingCycle
    state: str
    # The submitted return, for the link to its staff page (None when there is none).
    return_id: int | None = None

    @property
    def label(self) -> str:
        return CycleState(self.state).label


@dataclass
class OrganisationCompliance:
    organisation: Organisation
    cycles: list[CycleCompliance] = field(default_factory=list)
    standing: str = Standing.REPORTING
    # The closed cycle whose miss a staff decision answers (the latest missed one).
    latest_missed_cycle: ReportingCycle | None = None

    @property
    def standing_label(self) -> str:
        return Standing(self.standing).label


def was_expected(organisation: Organisation, cycle: ReportingCycle) -> bool:
    closes_on = cycle.closes_on
    if organisation.signed_on > closes_on:
        return False
    if organisation.withdrawn_on is not None and organisation.withdrawn_on <= closes_on:
        return False
    if organisation.status == OrganisationStatus.WITHDRAWN and organisation.withdrawn_on is None:
        return False
    suspended_on = organisation.suspended_on
    if organisation.status == OrganisationStatus.SUSPENDED:
        # A suspension with no date (set by hand) counts from the start.
        return suspended_on is not None and suspended_on > closes_on
    return True


def cycle_state(
    *,
    organisation: Organisation,
    cycle: ReportingCycle,
    submitted_late: bool | None,
    exempt: bool,
) -> str:
    """``submitted_late``: None when nothing was submitted, else the return's late flag."""
    if exempt:
        return CycleState.EXEMPT
    if submitted_late is not None:
        return CycleState.LATE if submitted_late else CycleState.ON_TIME
    if not was_expected(organisation, cycle):
        return CycleState.NOT_EXPECTED
    if cycle.status in CLOSED_STATUSES:
        return CycleState.MISSING
    return CycleState.DUE


def standing(
    *,
    organisation: Organisation,
    cycles: list[CycleCompliance],
    decided_years: set[int],
) -> tuple[str, ReportingCycle | None]:
    """The standing and the latest missed closed cycle. ``cycles`` oldest first;
    ``decided_years``: the cycles after whose miss staff made a decision. Usually "another
    chance"; a suspension that staff later lifted also answered that miss."""
    counted = [
        entry
        for entry in cycles
        if entry.cycle.status in CLOSED_STATUSES
        and entry.state in (CycleState.ON_TIME, CycleState.LATE, CycleState.MISSING)
    ]
    missed = [entry.cycle for entry in counted if entry.state == CycleState.MISSING]
    latest_missed = missed[-1] if missed else None
    if organisation.status == OrganisationStatus.SUSPENDED:
        return Standing.SUSPENDED, latest_missed
    if not counted or counted[-1].state != CycleState.MISSING:
        return Standing.REPORTING, latest_missed
    two_in_a_row = len(counted) >= 2 and counted[-2].state == CycleState.MISSING
    if two_in_a_row and latest_missed.year not in decided_years:
        return Standing.DELISTING_PROPOSED, latest_missed
    return Standing.NOT_REPORTING, latest_missed


def compliance_overview(
    *, organisation_ids: list[int] | None = None, standing_filter: str = ""
) -> tuple[list[ReportingCycle], list[OrganisationCompliance]]:
    """Every cycle (oldest first) and, for each active or suspended organisation by signatory
    number, its state in each cycle and its standing. Five queries whatever the numbers."""
    cycles = list(ReportingCycle.objects.order_by("year"))
    organisations = Organisation.objects.filter(
        status__in=[OrganisationStatus.ACTIVE, OrganisationStatus.SUSPENDED]
    ).only(
        "public_name",
        "slug",
        "signatory_number",
        "status",
        "signed_on",
        "withdrawn_on",
        "suspended_on",
        "suspension_reason",
    )
    returns = DataReturn.objects.filter(status=ReturnStatus.SUBMITTED)
    exemptions = CycleExemption.objects.all()
    decisions = ComplianceDecision.objects.all()
    if organisation_ids is not None:
        organisations = organisations.filter(pk__in=organisation_ids)
        returns = returns.filter(organisation_id__in=organisation_ids)
        exemptions = exemptions.filter(organisation_id__in=organisation_ids)
        decisions = decisions.filter(organisation_id__in=organisation_ids)

    submitted, return_ids = {}, {}
    for org_id, cycle_id, late, return_id in returns.values_list(
        "organisation_id", "cycle_id", "is_late", "id"
    ):
        submitted[org_id, cycle_id] = late
        return_ids[org_id, cycle_id] = return_id
    exempt = set(exemptions.values_list("organisation_id", "cycle_id"))
    decided: dict[int, set[int]] = defaultdict(set)
    for org_id, year in decisions.values_list("organisation_id", "cycle__year"):
        decided[org_id].add(year)

    rows = []
    for organisation in organisations.order_by("signatory_number"):
        entries = [
            CycleCompliance(
                cycle=cycle,
                state=cycle_state(
                    organisation=organisation,
                    cycle=cycle,
                    submitted_late=submitted.get((organisation.pk, cycle.pk)),
                    exempt=(organisation.pk, cycle.pk) in exempt,
                ),
                return_id=return_ids.get((organisation.pk, cycle.pk)),
            )
            for cycle in cycles
        ]
        org_standing, latest_missed = standing(
            organisation=organisation,
            cycles=entries,
            decided_years=decided.get(organisation.pk, set()),
        )
        if standing_filter and org_standing != standing_filter:
            continue
        rows.append(
            OrganisationCompliance(
                organisation=organisation,
                cycles=entries,
                standing=org_standing,
                latest_missed_cycle=latest_missed,
            )
        )
    return cycles, rows


def organisation_compliance(organisation: Organisation) -> OrganisationCompliance | None:
    """One organisation's compliance (None for a withdrawn organisation)."""
    _, rows = compliance_overview(organisation_ids=[organisation.pk])
    return rows[0] if rows else None


def reported_years(organisation: Organisation) -> list[int]:
    """The years the organisation reported: a submitted return in a closed or published cycle.
    Only the years: the public profile never shows a figure."""
    return list(
        DataReturn.objects.filter(
            organisation=organisation,
            status=ReturnStatus.SUBMITTED,
            cycle__status__in=CLOSED_STATUSES,
        )
        .order_by("cycle__year")
        .values_list("cycle__year", flat=True)
    )

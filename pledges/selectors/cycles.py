"""Reads for staff running a cycle: who is expected to report, how far they have got, and the
cycle's record. Figures are never read here, only states, so these pages are open to every
member of staff (raw figures need pledges.view_raw_figures and are logged).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, FilteredRelation, Q, QuerySet

from pledges.models import (
    CycleEvent,
    CycleExemption,
    DataReturn,
    GraceRequest,
    GraceStatus,
    RawDataAccess,
    ReportingCycle,
    ReturnStatus,
)
from signatories.choices import OrganisationStatus, Sector, SizeBand
from signatories.models import DirectoryCounter, Organisation

ACCESS_LOG_PAGE_SIZE = 50
# The progress is cached under a key that changes with every change it counts (see
# cycle_progress_live); this bounds how long an edge case the key cannot see may last.
PROGRESS_CACHE_SECONDS = 60


def expected_organisations(cycle: ReportingCycle) -> QuerySet[Organisation]:
    """The signatories expected to report for ``cycle``: active, and signed on or before its
    closing date (DESIGN §3). Exempt ones are among them; the progress counts them apart.
    Suspended and withdrawn organisations are not chased."""
    return Organisation.objects.filter(
        status=OrganisationStatus.ACTIVE, signed_on__lte=cycle.closes_on
    )


@dataclass
class ProgressRow:
    """One line of the progress tables: ``expected`` is everyone in the group, exempt
    included; submitted + in_draft + not_started + exempt == expected."""

    code: str = ""
    label: str = "All expected organisations"
    submitted: int = 0
    late: int = 0  # of the submitted, those first submitted after their deadline
    in_draft: int = 0
    not_started: int = 0
    exempt: int = 0

    @property
    def expected(self) -> int:
        return self.submitted + self.in_draft + self.not_started + self.exempt

    @property
    def to_report(self) -> int:
        return self.expected - self.exempt

    @property
    def submitted_percent(self) -> int:
        """Share of the organisations that must report (exempt ones are not) that did."""
        return round(100 * self.submitted / self.to_report) if self.to_report else 0

    def add(self, other: ProgressRow) -> None:
        for name in ("submitted", "late", "in_draft", "not_started", "exempt"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class CycleProgress:
    overall: ProgressRow
    by_sector: list[ProgressRow] = field(default_factory=list)
    by_size_band: list[ProgressRow] = field(default_factory=list)


def cycle_progress(cycle: ReportingCycle) -> CycleProgress:
    """Submitted / in draft / not started / exempt, overall, by sector and by size band.

    One grouped query whatever the number of organisations: each expected organisation is
    joined to its one return and its one exemption for this cycle (both unique per cycle and
    organisation, so the joins never multiply rows) and counted with conditional aggregates per
    (sector, size band); the totals by sector, by size band and overall are sums in Python of
    at most 13 × 6 rows. An exemption wins over a return: exempt organisations are counted apart
    even if they sent something.
    """
    not_exempt = Q(cycle_exemption__id__isnull=True)
    submitted = not_exempt & Q(cycle_return__status=ReturnStatus.SUBMITTED)
    # A draft nobody saved yet (version 1: opening the form or a staff reopen creates the row)
    # is not started; every saved draft has a higher version (return_save_draft).
    in_draft = not_exempt & Q(cycle_return__status=ReturnStatus.DRAFT, cycle_return__version__gt=1)
    not_started = not_exempt & (
        Q(cycle_return__id__isnull=True)
        | Q(cycle_return__status=ReturnStatus.DRAFT, cycle_return__version=1)
    )
    groups = (
        expected_organisations(cycle)
        .annotate(
            cycle_return=FilteredRelation("data_returns", condition=Q(data_returns__cycle=cycle)),
            cycle_exemption=FilteredRelation(
                "cycle_exemptions", condition=Q(cycle_exemptions__cycle=cycle)
            ),
        )
        .order_by()
        .values("sector", "size_band")
        .annotate(
            submitted=Count("pk", filter=submitted),
            late=Count("pk", filter=submitted & Q(cycle_return__is_late=True)),
            in_draft=Count("pk", filter=in_draft),
            not_started=Count("pk", filter=not_started),
            exempt=Count("pk", filter=~not_exempt),
        )
    )
    overall = ProgressRow()
    sectors = {code: ProgressRow(code, str(label)) for code, label in Sector.choices}
    size_bands = {code: ProgressRow(code, str(label)) for code, label in SizeBand.choices}
    for group in groups:
        counts = ProgressRow(
            submitted=group["submitted"],
            late=group["late"],
            in_draft=group["in_draft"],
            not_started=group["not_started"],
            exempt=group["exempt"],
        )
        overall.add(counts)
        sectors.setdefault(group["sector"], ProgressRow(group["sector"], group["sector"]))
        sectors[group["sector"]].add(counts)
        size_bands.setdefault(
            group["size_band"], ProgressRow(group["size_band"], group["size_band"])
        )
        size_bands[group["size_band"]].add(counts)
    return CycleProgress(
        overall=overall,
        by_sector=[row for row in sectors.values() if row.expected],
        by_size_band=[row for row in size_bands.values() if row.expected],
    )


def _progress_signature(cycle: ReportingCycle) -> str:
    """One cheap query (indexes only) whose answer changes whenever the progress can: the
    cycle's returns (how many, the latest change: every writer stamps updated_at), its
    exemptions (how many, the newest), and the organisations (the directory's change counter,
    bumped by a trigger on every insert, update or delete)."""
    returns = DataReturn._meta.db_table
    exemptions = CycleExemption._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT count(*) FROM {returns} WHERE cycle_id = %s),"
            f" (SELECT max(updated_at) FROM {returns} WHERE cycle_id = %s),"
            f" (SELECT count(*) FROM {exemptions} WHERE cycle_id = %s),"
            f" (SELECT max(id) FROM {exemptions} WHERE cycle_id = %s),"
            f" (SELECT max(changes) FROM {DirectoryCounter._meta.db_table})",
            [cycle.pk] * 4,
        )
        row = cursor.fetchone()
    return f"{cycle.pk}:{cycle.closes_on}:{row}"


def cycle_progress_live(cycle: ReportingCycle) -> CycleProgress:
    """cycle_progress, from the cache while nothing it counts has changed.

    Staff keep the cycle page open and reload it while the collection runs; at 10,000
    signatories the grouped count is most of the page's time. A timestamp alone could miss a
    slow transaction committing an older stamp, so the cache entry also expires after
    PROGRESS_CACHE_SECONDS: the counts are exact after any change the signature sees, and at
    most that old otherwise.
    """
    key = "cycle-progress:" + hashlib.sha256(_progress_signature(cycle).encode()).hexdigest()
    progress = cache.get(key)
    if progress is None:
        progress = cycle_progress(cycle)
        cache.set(key, progress, PROGRESS_CACHE_SECONDS)
    return progress


def cycles_for_list() -> QuerySet[ReportingCycle]:
    """Every cycle, newest first, with its submitted count (one query)."""
    return ReportingCycle.objects.annotate(
        submitted_count=Count("returns", filter=Q(returns__status=ReturnStatus.SUBMITTED))
    ).order_by("-year")


def cycle_events(cycle: ReportingCycle) -> QuerySet[CycleEvent]:
    """The cycle's full staff record, newest first."""
    return cycle.events.select_related("by", "organisation").order_by("-at", "-id")


def cycle_exemptions(cycle: ReportingCycle) -> QuerySet[CycleExemption]:
    return cycle.exemptions.select_related("organisation", "by").order_by(
        "organisation__signatory_number"
    )


def cycle_pending_grace_requests(cycle: ReportingCycle) -> QuerySet[GraceRequest]:
    """Requests waiting for a decision, oldest first (the first asked is the most urgent)."""
    return (
        GraceRequest.objects.filter(data_return__cycle=cycle, status=GraceStatus.PENDING)
        .select_related("data_return__organisation", "requested_by")
        .order_by("requested_at", "id")
    )


def cycle_reopened_returns(cycle: ReportingCycle) -> QuerySet[DataReturn]:
    """Returns staff reopened, with their state only (``only``: no figure is loaded)."""
    return (
        DataReturn.objects.filter(cycle=cycle, reopened_until__isnull=False)
        .select_related("organisation")
        .only(
            "id",
            "status",
            "reopened_until",
            "reopen_reason",
            "organisation__public_name",
            "organisation__signatory_number",
        )
        .order_by("organisation__signatory_number")
    )


def organisation_by_signatory_number(number: int) -> Organisation | None:
    return Organisation.objects.filter(signatory_number=number).first()


def raw_access_log(*, cycle: ReportingCycle | None = None, page: int | str = 1) -> Page:
    """The raw data access log, newest first, a page at a time (two queries: count and page)."""
    entries = RawDataAccess.objects.select_related("user", "cycle", "organisation").order_by(
        "-at", "-id"
    )
    if cycle is not None:
        entries = entries.filter(cycle=cycle)
    return Paginator(entries, ACCESS_LOG_PAGE_SIZE).get_page(page)

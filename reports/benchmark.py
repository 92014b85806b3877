"""Each signatory's own benchmark: its own figures beside the published cells of all signatories
and of its peers (same sector, same size band, same region), year by year.

The comparison side comes only from the frozen cells of each year's latest published report, so
the page shows nothing a visitor of the open data could not see; the organisation's side comes
from its own returns (reports.aggregation.own). No other organisation's figures are read.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction

from reports.aggregation.own import OwnFigures, own_figures
from reports.models import BenchmarkReport
from signatories.models import Organisation

MEASURES = (
    ("women_pct", "Women in tech roles"),
    ("ethnic_minority_pct", "Ethnic minority staff in tech roles"),
    ("senior_women_pct", "Women in senior tech roles"),
    ("senior_ethnic_minority_pct", "Ethnic minority staff in senior tech roles"),
)
# A peer group is compared against only with at least this many organisations; fewer, and one
# organisation's figures move the group too much to say anything (and its quartiles are null).
MIN_PEER_ORGANISATIONS = 10

BELOW_LOWER = "below_lower_quartile"
LOWER_TO_MEDIAN = "lower_quartile_to_median"
MEDIAN_TO_UPPER = "median_to_upper_quartile"
ABOVE_UPPER = "above_upper_quartile"
POSITION_LABELS = {
    BELOW_LOWER: "below the lower quartile",
    LOWER_TO_MEDIAN: "between the lower quartile and the median",
    MEDIAN_TO_UPPER: "between the median and the upper quartile",
    ABOVE_UPPER: "above the upper quartile",
}


def quartile_position(share_pct: Fraction | float, quartiles: list[int]) -> str:
    """Where a women share (in percent) sits against a group's quartiles.

    On a boundary it counts in the upper band, except at the upper quartile, which is still
    "between the median and the upper quartile": "above" means strictly above.
    """
    lower, median, upper = quartiles
    if share_pct < lower:
        return BELOW_LOWER
    if share_pct < median:
        return LOWER_TO_MEDIAN
    if share_pct <= upper:
        return MEDIAN_TO_UPPER
    return ABOVE_UPPER


@dataclass(frozen=True)
class Comparison:
    """One group the organisation is compared with, after any fall-back to all signatories."""

    key: str  # "all", "sector", "size_band", "region"
    label: str  # "Same sector (Software and IT services)"
    cell: dict | None  # the published cell compared against
    fell_back: bool = False
    reason: str = ""  # why the peer group fell back to all signatories
    position: str | None = None

    @property
    def position_label(self) -> str:
        return POSITION_LABELS.get(self.position or "", "")

    @property
    def quartiles(self) -> list[int] | None:
        return (self.cell or {}).get("women_pct_quartiles")


@dataclass(frozen=True)
class MeasureRow:
    label: str
    own: float | None
    change: float | None  # percentage points since the organisation's previous return
    groups: list[float | None]  # one per comparison, in order


@dataclass(frozen=True)
class YearBenchmark:
    year: int
    version: int
    published_at: dt.datetime
    correction_note: str
    own: OwnFigures | None
    previous: OwnFigures | None
    comparisons: list[Comparison]
    rows: list[MeasureRow]

    @property
    def tech_total_change(self) -> int | None:
        if self.own is None or self.previous is None:
            return None
        return self.own.tech_total - self.previous.tech_total


def _latest_published_with_cells() -> list[BenchmarkReport]:
    latest: dict[int, BenchmarkReport] = {}
    published = (
        BenchmarkReport.objects.filter(published_at__isnull=False)
        .select_related("cycle")
        .defer("content")
        .order_by("-cycle__year", "-version")
    )
    for report in published:
        latest.setdefault(report.cycle.year, report)
    return list(latest.values())


def _peer(
    *, key: str, code: str, cells: dict, overall: dict | None
) -> tuple[dict | None, bool, str]:
    """The peer group's cell, or all signatories' with the reason when it is too small."""
    published = cells.get("breakdowns", {}).get(key, {})
    if code not in published:
        # The profile changed since publication: the report grouped the organisation elsewhere.
        reason = "the report has no figures for this group, so the column shows all signatories"
        return overall, True, reason
    cell = published[code]
    if cell is None:
        reason = (
            "its figures are suppressed to protect small groups, so the column shows all "
            "signatories instead"
        )
        return overall, True, reason
    if cell["organisations"] < MIN_PEER_ORGANISATIONS:
        reason = (
            f"only {cell['organisations']} organisations reported, fewer than "
            f"{MIN_PEER_ORGANISATIONS}, so the column shows all signatories instead"
        )
        return overall, True, reason
    return cell, False, ""


def _comparisons(organisation: Organisation, cells: dict, own: OwnFigures | None):
    overall = cells.get("overall")
    groups = [("all", "All signatories", overall, False, "")]
    for key, label, code in (
        ("sector", f"Same sector ({organisation.get_sector_display()})", organisation.sector),
        (
            "size_band",
            f"Same size ({organisation.get_size_band_display()})",
            organisation.size_band,
        ),
        ("region", f"Same region ({organisation.get_region_display()})", organisation.region),
    ):
        cell, fell_back, reason = _peer(key=key, code=code, cells=cells, overall=overall)
        groups.append((key, label, cell, fell_back, reason))
    comparisons = []
    for key, label, cell, fell_back, reason in groups:
        quartiles = (cell or {}).get("women_pct_quartiles")
        position = None
        if quartiles and own is not None and own.women_share_pct is not None:
            position = quartile_position(own.women_share_pct, quartiles)
        comparisons.append(Comparison(key, label, cell, fell_back, reason, position))
    return comparisons


def _change(own: OwnFigures | None, previous: OwnFigures | None, measure: str) -> float | None:
    if own is None or previous is None:
        return None
    now, before = own.value(measure), previous.value(measure)
    if now is None or before is None:
        return None
    return round(now - before, 1)


def own_benchmark(*, organisation: Organisation) -> list[YearBenchmark]:
    """Every published year, newest first, for one organisation. Two queries."""
    figures = own_figures(organisation=organisation)
    years = []
    for report in _latest_published_with_cells():
        year = report.cycle.year
        own = figures.get(year)
        earlier = [figures[known] for known in figures if known < year]
        previous = earlier[-1] if earlier else None
        comparisons = _comparisons(organisation, report.cells or {}, own)
        rows = [
            MeasureRow(
                label=label,
                own=own.value(measure) if own else None,
                change=_change(own, previous, measure),
                groups=[(comparison.cell or {}).get(measure) for comparison in comparisons],
            )
            for measure, label in MEASURES
        ]
        years.append(
            YearBenchmark(
                year=year,
                version=report.version,
                published_at=report.published_at,
                correction_note=report.correction_note,
                own=own,
                previous=previous,
                comparisons=comparisons,
                rows=rows,
            )
        )
    return years

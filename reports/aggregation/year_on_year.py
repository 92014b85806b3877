"""The same organisations year on year: a cycle and the one before it, over the organisations
with counted returns in both.

Comparing all respondents of two years mixes real change with a change of who reported; the
matched sample holds the organisations fixed. Each year's matched figures are one grouped query
(the same sums as every other cell, restricted by a subquery to the matched organisations) and
pass through the same disclosure rules: a matched sample under 3 organisations, under 10 tech
staff or dominated by one organisation is null.
"""

from __future__ import annotations

from pledges.models import ReportingCycle
from reports.aggregation import disclosure
from reports.aggregation.sums import OVERALL, _aggregates, _counted, _group, group_sums


def _matched_cell(cycle: ReportingCycle, other: ReportingCycle) -> dict | None:
    matched = _counted(cycle).filter(organisation_id__in=_counted(other).values("organisation_id"))
    row = matched.aggregate(**_aggregates())
    if not row["organisations"]:
        return None
    # No quartiles: the matched comparison is of pooled shares, the report's headline measure.
    return disclosure.cell(_group(row, OVERALL, None))


def matched_sample_compute(cycle: ReportingCycle) -> dict | None:
    """The matched sample's cells for this cycle and the previous one, and the previous
    cycle's all-respondents cell (``None`` when there is no previous cycle).
    ``organisations`` is the matched count, exact like every organisation count, or ``None``
    when the sample is suppressed."""
    previous = ReportingCycle.objects.filter(year=cycle.year - 1).first()
    if previous is None:
        return None
    this_year = _matched_cell(cycle, previous)
    last_year = _matched_cell(previous, cycle)
    if this_year is None or last_year is None:
        # Both years share one set of organisations: if either year's figures would identify
        # one of them, neither year is shown.
        this_year = last_year = None
    everyone_previous = group_sums(previous)
    return {
        "previous_year": previous.year,
        # Every respondent of the previous year, for the comparison beside the matched sample.
        "all_previous": disclosure.cell(everyone_previous[0]) if everyone_previous else None,
        "organisations": this_year["organisations"] if this_year else None,
        "this_year": this_year,
        "previous": last_year,
    }

"""A cycle's benchmark cells in the open-data shape (``/api/benchmarks/<year>/``).

``benchmarks_compute`` is what the generation job freezes at publication; everything public is
served from that frozen copy, never from here.
"""

from __future__ import annotations

from pledges.models import ReportingCycle
from reports.aggregation import disclosure
from reports.aggregation.sums import BREAKDOWNS, group_sums


def benchmarks_compute(cycle: ReportingCycle) -> dict:
    overall_groups = group_sums(cycle)
    overall = disclosure.cell(overall_groups[0]) if overall_groups else None
    suppressed = 0 if overall is not None else 1
    breakdowns: dict[str, dict] = {}
    for breakdown in BREAKDOWNS:
        cells, suppressed_here = disclosure.breakdown_cells(group_sums(cycle, breakdown))
        breakdowns[breakdown] = cells
        suppressed += suppressed_here
    return {
        "year": cycle.year,
        "overall": overall,
        "breakdowns": breakdowns,
        "methodology": {
            "rules_version": disclosure.RULES_VERSION,
            "minimum_organisations": disclosure.MIN_ORGANISATIONS,
            "minimum_tech_staff": disclosure.MIN_TECH_STAFF,
            "largest_organisation_max_share_pct": int(disclosure.MAX_LARGEST_SHARE * 100),
            "minimum_numerator": disclosure.MIN_NUMERATOR,
            "minimum_organisations_for_quartiles": disclosure.MIN_ORGANISATIONS_FOR_QUARTILES,
            "people_rounded_to": 5,
            "suppressed_cells": suppressed,
            "returns_counted": overall_groups[0].organisations if overall_groups else 0,
        },
    }

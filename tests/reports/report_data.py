"""A closed cycle with enough submitted returns for published cells, for the report tests."""

from __future__ import annotations

from pledges.models import ReportingCycle
from tests.conftest import make_cycle, make_organisation
from tests.pledges.review_data import submitted_return

REGIONS = ("london", "london", "london", "scotland", "scotland", "scotland", "wales")


def closed_cycle_with_returns(year: int = 2025, *, count: int = 12) -> ReportingCycle:
    cycle = make_cycle(year, status="closed")
    for number in range(1, count + 1):
        organisation = make_organisation(
            f"Contributor {number:02d}",
            number=100 + number,
            region=REGIONS[number % len(REGIONS)],
        )
        submitted_return(
            organisation,
            cycle,
            tech_total=40,
            tech_women=8 + number % 5,
            tech_men=30 - number % 5,
        )
    return cycle

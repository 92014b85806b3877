"""Published benchmark reports made the way publication makes them: the cells computed from
real returns by reports.aggregation.benchmarks_compute and frozen on a published row.

The world, for 2024 and 2025 (alice's Acme Analytics is software, 50–249, London):

- Acme and eleven more software organisations in London, 40 tech staff each, women 6 to 16
  (2025); six of the twelve are 50–249 (Acme's size band: fewer than 10 organisations), the
  rest 250–999. Acme: 40 staff, 10 women in 2024; 50 staff, 15 women (30%) in 2025.
- Three finance organisations in Scotland and one in Wales (250–999): Wales fails the
  small-cell rule and Scotland, the next smallest region, is suppressed with it.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from pledges.models import DataReturn
from reports.aggregation.benchmarks import benchmarks_compute
from reports.models import BenchmarkReport
from tests.conftest import make_cycle, make_organisation, valid_figures

OTHER_WOMEN_2025 = list(range(6, 17))  # o2..o12, each of 40 tech staff


def submit(cycle, organisation, *, tech_total: int = 40, tech_women: int = 10, **figures):
    values = valid_figures(
        cycle.year,
        tech_total=tech_total,
        tech_women=tech_women,
        tech_men=tech_total - tech_women - 2,
        **figures,
    )
    moment = dt.datetime(cycle.year, 10, 5, tzinfo=dt.UTC)
    return DataReturn.objects.create(
        cycle=cycle,
        organisation=organisation,
        status="submitted",
        submitted_at=moment,
        first_submitted_at=moment,
        revision_count=1,
        **values,
    )


def publish(cycle, *, version: int = 1, correction_note: str = "", when=None) -> BenchmarkReport:
    """A published version of the cycle's report, its cells computed now and frozen."""
    moment = when or timezone.now()
    return BenchmarkReport.objects.create(
        cycle=cycle,
        version=version,
        state="published",
        cells=benchmarks_compute(cycle),
        content={},
        correction_note=correction_note,
        requested_at=moment,
        finished_at=moment,
        published_at=moment,
    )


def build_world(acme) -> dict:
    others = [
        make_organisation(
            f"Peer {number}",
            number=100 + number,
            size_band="50-249" if number <= 6 else "250-999",
        )
        for number in range(2, 13)
    ]
    finance = [
        make_organisation(
            f"Fund {number}",
            number=200 + number,
            sector="finance",
            size_band="250-999",
            region="scotland" if number <= 3 else "wales",
        )
        for number in range(1, 5)
    ]
    cycles = {}
    for year in (2024, 2025):
        cycle = make_cycle(year, status="published")
        cycles[year] = cycle
        for organisation, women in zip(others, OTHER_WOMEN_2025, strict=True):
            submit(cycle, organisation, tech_women=women)
        for organisation in finance:
            submit(cycle, organisation, tech_women=12)
    submit(cycles[2024], acme, tech_total=40, tech_women=10)
    submit(cycles[2025], acme, tech_total=50, tech_women=15)
    return {"cycles": cycles, "others": others, "finance": finance}

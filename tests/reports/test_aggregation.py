"""Benchmark cells from real returns in the database: what counts, the grouped sums, the
quartiles computed by PostgreSQL, and a query count that does not grow with the returns."""

from __future__ import annotations

import datetime as dt
import statistics

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pledges.models import DataReturn
from reports.aggregation.benchmarks import benchmarks_compute
from reports.aggregation.sums import group_sums
from tests.conftest import make_cycle, make_organisation, valid_figures

pytestmark = pytest.mark.django_db


def submitted(cycle, organisation, **figures):
    values = valid_figures(cycle.year, **figures)
    return DataReturn.objects.create(
        cycle=cycle,
        organisation=organisation,
        status="submitted",
        submitted_at=dt.datetime(cycle.year, 10, 5, tzinfo=dt.UTC),
        first_submitted_at=dt.datetime(cycle.year, 10, 5, tzinfo=dt.UTC),
        revision_count=1,
        **values,
    )


def organisations(count, *, start=1, **profile):
    return [
        make_organisation(f"Org {number}", number=number, **profile)
        for number in range(start, start + count)
    ]


def test_the_overall_cell_is_computed_from_the_counted_returns_only():
    cycle = make_cycle(2025, status="closed")
    counted = organisations(3)
    for organisation, (tech, women) in zip(counted, [(40, 10), (30, 9), (30, 8)], strict=True):
        submitted(
            cycle,
            organisation,
            tech_total=tech,
            tech_women=women,
            tech_men=tech - women - 2,
            tech_non_binary=1,
            tech_gender_undisclosed=1,
            tech_ethnic_minority=tech // 4,
            tech_white=tech - tech // 4 - 2,
            tech_ethnicity_undisclosed=2,
        )
    excluded, draft = organisations(2, start=10)
    submitted(cycle, excluded)
    DataReturn.objects.filter(organisation=excluded).update(excluded_from_report=True)
    DataReturn.objects.create(cycle=cycle, organisation=draft, **valid_figures(2025))

    overall = benchmarks_compute(cycle)["overall"]

    assert overall["organisations"] == 3
    assert overall["tech_total"] == 100
    assert overall["women_pct"] == 27.0  # 27 of 100, excluded and draft returns left out
    assert overall["ethnic_minority_pct"] == 24.0  # 10 + 7 + 7 of 100
    assert overall["senior_women_pct"] is None  # 6 senior women: numerator below 10
    assert overall["women_pct_quartiles"] is None  # 3 organisations


def test_a_breakdown_lists_every_value_with_a_return_and_suppresses_the_next_smallest():
    cycle = make_cycle(2025, status="closed")
    for organisation in organisations(6, region="london"):
        submitted(cycle, organisation)
    for organisation in organisations(3, start=20, region="scotland"):
        submitted(cycle, organisation)
    for organisation in organisations(3, start=30, region="wales"):
        submitted(cycle, organisation, tech_total=30, tech_women=8, tech_men=20)
    for organisation in organisations(2, start=40, region="north-west"):
        submitted(cycle, organisation)

    result = benchmarks_compute(cycle)
    regions = result["breakdowns"]["region"]

    assert set(regions) == {"london", "scotland", "wales", "north-west"}
    assert regions["north-west"] is None  # two organisations
    assert regions["wales"] is None  # secondary: the next smallest (fewer staff than scotland)
    assert regions["scotland"]["organisations"] == 3
    assert regions["london"]["women_pct"] == 25.0
    assert result["breakdowns"]["sector"] == {
        "software": result["breakdowns"]["sector"]["software"]
    }
    assert result["methodology"]["suppressed_cells"] == 2


@pytest.mark.parametrize("count", [9, 10, 13])
def test_quartiles_are_those_of_the_organisations_own_shares(count):
    cycle = make_cycle(2025, status="closed")
    women = [3, 5, 7, 8, 10, 11, 12, 15, 19, 20, 21, 25, 30][:count]
    for organisation, number in zip(organisations(count), women, strict=True):
        submitted(cycle, organisation, tech_total=40, tech_women=number, tech_men=38 - number)

    quartiles = benchmarks_compute(cycle)["overall"]["women_pct_quartiles"]

    if count < 10:
        assert quartiles is None
    else:
        expected = statistics.quantiles([n / 40 * 100 for n in women], n=4, method="inclusive")
        assert quartiles == [int(value + 0.5) for value in expected]


def test_the_number_of_queries_does_not_grow_with_the_returns():
    def queries_for(count, start):
        cycle = make_cycle(2000 + start, status="closed")
        for organisation in organisations(count, start=start):
            submitted(cycle, organisation)
        with CaptureQueriesContext(connection) as captured:
            benchmarks_compute(cycle)
        return len(captured.captured_queries)

    assert queries_for(3, 100) == queries_for(30, 200)


def test_an_erased_return_drops_out_of_the_sums():
    cycle = make_cycle(2025, status="closed")
    returns = [submitted(cycle, organisation) for organisation in organisations(4)]
    DataReturn.objects.filter(pk=returns[0].pk).update(tech_total=None, tech_women=None)
    assert group_sums(cycle)[0].organisations == 3

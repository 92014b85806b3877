"""What the report shows besides its cells (reports.content), on small hand-counted fixtures:
the same organisations year on year, the response rate, the contributors, the signatory base,
and the change from last year measured against last year's published (frozen) report."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pledges.models import CycleExemption, DataReturn
from reports.content import report_content_compute
from reports.document import contributor_groups
from tests.conftest import make_cycle, make_organisation
from tests.reports.report_data import published_report_make, two_years_of_returns
from tests.reports.test_aggregation import organisations, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def cycles():
    return make_cycle(2024, status="closed"), make_cycle(2025, status="closed")


def test_it_compares_the_organisations_that_reported_in_both_years(cycles):
    before, now = cycles
    two_years_of_returns(before, now)

    comparison = report_content_compute(now)["year_on_year"]

    # Organisations 3–10 reported both years: 8 × 40 tech staff.
    assert comparison["previous_year"] == 2024
    assert comparison["organisations"] == 8
    assert comparison["this_year"]["women_pct"] == 30.0  # 8 × 12 of 320
    assert comparison["previous"]["women_pct"] == 25.0  # 8 × 10 of 320
    assert comparison["this_year"]["tech_total"] == 320
    assert comparison["this_year"]["senior_women_pct"] == 50.0  # 8 × 3 of 48
    # Beside it, every 2024 respondent (1–10), computed because 2024 has no published report.
    assert comparison["all_previous"]["organisations"] == 10
    assert comparison["all_previous"]["women_pct"] == 25.0


def test_it_suppresses_the_matched_sample_under_the_same_rules(cycles):
    before, now = cycles
    both = organisations(2)
    for organisation in both:
        submitted(before, organisation)
        submitted(now, organisation)
    for organisation in organisations(3, start=20):
        submitted(now, organisation)

    comparison = report_content_compute(now)["year_on_year"]

    # Two organisations in both years: under 3, so neither year's matched figures are shown.
    assert comparison["organisations"] is None
    assert comparison["this_year"] is None
    assert comparison["previous"] is None


def test_it_suppresses_a_matched_sample_that_one_organisation_dominates(cycles):
    before, now = cycles
    giant, *others = organisations(3)
    submitted(before, giant, tech_total=400, tech_women=100, tech_men=298)
    submitted(now, giant, tech_total=400, tech_women=100, tech_men=298)
    for organisation in others:
        submitted(before, organisation)
        submitted(now, organisation)

    comparison = report_content_compute(now)["year_on_year"]

    # 400 of 480 tech staff is 83%: over the 80% rule.
    assert comparison["this_year"] is None
    assert comparison["organisations"] is None


def test_it_has_no_year_on_year_comparison_in_the_first_year():
    now = make_cycle(2025, status="closed")
    for organisation in organisations(3):
        submitted(now, organisation)

    assert report_content_compute(now)["year_on_year"] is None


def test_it_measures_the_response_rate_against_the_organisations_expected_to_report(cycles):
    _, now = cycles
    reported = organisations(10)
    for organisation in reported:
        submitted(now, organisation)
    excluded, draft, _silent, exempt = organisations(4, start=20)
    submitted(now, excluded)
    DataReturn.objects.filter(organisation=excluded).update(excluded_from_report=True)
    DataReturn.objects.create(cycle=now, organisation=draft)
    CycleExemption.objects.create(cycle=now, organisation=exempt, reason="No tech staff")
    # Neither was expected: one signed after the collection closed, one is suspended.
    make_organisation("Late Joiner", number=40, signed_on=dt.date(2025, 11, 1))
    make_organisation("Paused", number=41, status="suspended")

    rate = report_content_compute(now)["response_rate"]

    # Expected: the 10, the excluded, the draft and the silent one (the exempt one is not).
    assert rate == {"expected": 13, "counted": 10, "rate_pct": 76.9}


def test_it_lists_the_contributors_by_public_name_alphabetically(cycles):
    _, now = cycles
    names = ["Zeta Labs", "acme data", "Beta Systems"]
    for number, name in enumerate(names, start=1):
        submitted(now, make_organisation(name, number=number, legal_name=f"{name} Holdings plc"))
    excluded = make_organisation("Excluded Co", number=10)
    submitted(now, excluded)
    DataReturn.objects.filter(organisation=excluded).update(excluded_from_report=True)
    DataReturn.objects.create(cycle=now, organisation=make_organisation("Drafty", number=11))

    assert report_content_compute(now)["contributors"] == ["acme data", "Beta Systems", "Zeta Labs"]


def test_the_report_groups_the_contributors_by_initial():
    names = ["3 Bridges", "acme data", "Acorn", "Beta Systems", "Zeta Labs"]

    assert contributor_groups(names) == [
        ("#", ["3 Bridges"]),
        ("A", ["acme data", "Acorn"]),
        ("B", ["Beta Systems"]),
        ("Z", ["Zeta Labs"]),
    ]


def test_it_counts_the_active_signatories_by_year_region_sector_and_size(cycles):
    _, now = cycles
    make_organisation("A", number=1, signed_on=dt.date(2021, 5, 1), region="wales")
    make_organisation("B", number=2, signed_on=dt.date(2023, 5, 1), sector="finance")
    make_organisation("C", number=3, signed_on=dt.date(2023, 6, 1), size_band="1-9")
    make_organisation("Gone", number=4, status="withdrawn", withdrawn_on=dt.date(2024, 1, 1))
    make_organisation("Paused", number=5, status="suspended")

    base = report_content_compute(now)["signatory_base"]

    assert base["total"] == 3
    assert base["growth"] == [
        {"year": 2021, "joined": 1, "cumulative": 1},
        {"year": 2023, "joined": 2, "cumulative": 3},
    ]
    assert base["by_region"] == [
        {"code": "london", "label": "London", "count": 2},
        {"code": "wales", "label": "Wales", "count": 1},
    ]
    assert base["by_sector"] == [
        {"code": "software", "label": "Software and IT services", "count": 2},
        {"code": "finance", "label": "Financial services", "count": 1},
    ]
    assert [(row["code"], row["count"]) for row in base["by_size_band"]] == [
        ("1-9", 1),
        ("50-249", 2),
    ]


def test_it_takes_last_year_from_its_latest_published_report_not_from_the_returns(cycles, media):
    before, now = cycles
    two_years_of_returns(before, now)
    first = published_report_make(before)
    corrected = published_report_make(before, version=2, correction_note="Fixed a typo.")
    corrected.cells["overall"]["women_pct"] = 26.0  # what version 2 published
    corrected.save(update_fields=["cells"])
    # After publication an organisation's 2024 figures change: the published report does not.
    DataReturn.objects.filter(cycle=before).update(tech_women=20, tech_men=18)

    content = report_content_compute(now)

    assert first.cells["overall"]["women_pct"] == 25.0
    assert content["previous"]["year"] == 2024
    assert content["previous"]["version"] == 2
    assert content["previous"]["overall"]["women_pct"] == 26.0
    # The year-on-year table's all-respondents figure for 2024 is the published one too.
    assert content["year_on_year"]["all_previous"]["women_pct"] == 26.0


def test_it_has_no_previous_figures_when_last_year_was_not_published(cycles, media):
    before, now = cycles
    two_years_of_returns(before, now)
    older = make_cycle(2023, status="published")
    for organisation in organisations(3, start=50):
        submitted(older, organisation)
    published_report_make(older)  # two years back does not count as last year

    assert report_content_compute(now)["previous"] is None


def test_it_is_plain_json_with_the_national_context_and_its_sources(cycles):
    before, now = cycles
    two_years_of_returns(before, now)

    content = report_content_compute(now)

    assert json.loads(json.dumps(content)) == content
    national = content["national_context"]
    assert national["women_in_tech_jobs_pct"] == 17
    assert (national["girls_interested_pct"], national["boys_interested_pct"]) == (21, 74)
    assert national["women_in_tech_jobs_source"]
    assert national["interest_source"]


def test_it_reads_the_same_number_of_queries_for_any_number_of_organisations(cycles):
    before, now = cycles

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            report_content_compute(now)
        return len(captured)

    two_years_of_returns(before, now)
    few = queries()
    for organisation in organisations(30, start=100, region="wales"):
        submitted(before, organisation)
        submitted(now, organisation)

    assert queries() == few

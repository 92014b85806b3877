"""The benchmark open data: /api/benchmarks/, /api/benchmarks/<year>/ and
/reports/<year>/benchmarks.csv, served from the latest published version's frozen cells."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone
from openapi_schema_validator import OAS30Validator
from openapi_spec_validator import validate

from pledges.models import DataReturn
from pledges.services.retention import erase_requested_figures
from reports.aggregation.benchmarks import benchmarks_compute
from reports.models import BenchmarkReport
from reports.open_data import csv_rows
from tests.conftest import make_cycle
from tests.reports.benchmark_world import build_world, publish

pytestmark = pytest.mark.django_db

CELL_KEYS = [
    "organisations",
    "tech_total",
    "women_pct",
    "ethnic_minority_pct",
    "senior_women_pct",
    "senior_ethnic_minority_pct",
    "women_pct_quartiles",
]
BREAKDOWNS = ["sector", "size_band", "region", "organisation_type"]


@pytest.fixture
def world(acme, staff_user):
    built = build_world(acme)
    cycles = built["cycles"]
    built["2024"] = publish(cycles[2024], when=dt.datetime(2025, 3, 1, 9, tzinfo=dt.UTC))
    built["2025v1"] = publish(cycles[2025], when=dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC))
    # A late correction: Wales's organisation amended, then version 2 computed and published.
    DataReturn.objects.filter(cycle=cycles[2025], organisation=built["finance"][3]).update(
        tech_women=13
    )
    built["2025v2"] = publish(
        cycles[2025],
        version=2,
        correction_note="One return was amended after publication.",
        when=dt.datetime(2026, 4, 1, 9, tzinfo=dt.UTC),
    )
    # 2026 has only a draft: it is not served.
    draft_cycle = make_cycle(2026, status="closed")
    BenchmarkReport.objects.create(
        cycle=draft_cycle,
        state="ready",
        cells=benchmarks_compute(draft_cycle),
        requested_at=timezone.now(),
    )
    return built


def schema_validator(client, name: str) -> OAS30Validator:
    document = client.get("/api/schema/").json()
    # The $refs resolve inside the whole document.
    return OAS30Validator({"$ref": f"#/components/schemas/{name}", **document})


def test_it_lists_the_published_years_at_their_latest_version(
    client, world, django_assert_num_queries
):
    with django_assert_num_queries(1):
        response = client.get("/api/benchmarks/")

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    body = response.json()
    assert body == {
        "count": 2,
        "results": [
            {
                "year": 2025,
                "version": 2,
                "published_at": "2026-04-01T09:00:00+00:00",
                "url": "http://testserver/api/benchmarks/2025/",
                "report_url": "http://testserver/reports/2025/",
                "pdf_url": "http://testserver/reports/2025.pdf",
                "csv_url": "http://testserver/reports/2025/benchmarks.csv",
            },
            {
                "year": 2024,
                "version": 1,
                "published_at": "2025-03-01T09:00:00+00:00",
                "url": "http://testserver/api/benchmarks/2024/",
                "report_url": "http://testserver/reports/2024/",
                "pdf_url": "http://testserver/reports/2024.pdf",
                "csv_url": "http://testserver/reports/2024/benchmarks.csv",
            },
        ],
    }
    schema_validator(client, "BenchmarkYearList").validate(body)


def test_it_lists_no_years_before_the_first_publication(client, db):
    assert client.get("/api/benchmarks/").json() == {"count": 0, "results": []}


def test_a_year_answers_exactly_the_open_data_shape_from_the_latest_version(
    client, world, django_assert_num_queries
):
    # Which version is published, then that version's cells.
    with django_assert_num_queries(2):
        response = client.get("/api/benchmarks/2025/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    body = response.json()
    assert list(body)[:3] == ["year", "overall", "breakdowns"]
    assert body["year"] == 2025
    assert body["version"] == 2
    assert body["correction_note"] == "One return was amended after publication."
    assert list(body["breakdowns"]) == BREAKDOWNS
    frozen = world["2025v2"].cells
    assert body["overall"] == frozen["overall"]
    assert body["breakdowns"] == frozen["breakdowns"]
    assert body["methodology"] == frozen["methodology"]
    for key in CELL_KEYS:
        assert key in body["overall"]
    assert body["overall"]["organisations"] == 16
    assert body["overall"]["tech_total"] == 650  # 11 × 40 + 4 × 40 + 50
    # Wales (one organisation) fails rule 1; Scotland, the next smallest, goes with it.
    assert body["breakdowns"]["region"] == {
        "london": frozen["breakdowns"]["region"]["london"],
        "scotland": None,
        "wales": None,
    }
    assert body["breakdowns"]["region"]["london"]["women_pct_quartiles"] is not None
    schema_validator(client, "BenchmarkYear").validate(body)


def test_it_serves_an_earlier_year_at_its_own_version(client, world):
    body = client.get("/api/benchmarks/2024/").json()

    assert body["version"] == 1
    assert body["overall"] == world["2024"].cells["overall"]
    assert body["correction_note"] == ""


@pytest.mark.parametrize("year", [2026, 2019])
def test_an_unpublished_year_is_a_404_in_json(client, world, year):
    response = client.get(f"/api/benchmarks/{year}/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": f"No benchmarking report has been published for {year}."}
    schema_validator(client, "NotFound").validate(response.json())


def test_a_year_answers_not_modified_until_a_correction_is_published(client, world):
    etag = client.get("/api/benchmarks/2024/")["ETag"]

    assert client.get("/api/benchmarks/2024/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    publish(world["cycles"][2024], version=2, correction_note="Recounted.")
    response = client.get("/api/benchmarks/2024/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response.json()["version"] == 2


def test_a_process_serves_a_published_version_from_memory(
    client, world, settings, django_assert_num_queries
):
    first = client.get("/api/benchmarks/2025/").content
    first_csv = client.get("/reports/2025/benchmarks.csv").content
    # Checking which version is published still costs one small query...
    with django_assert_num_queries(1):
        assert client.get("/api/benchmarks/2025/").content == first
    # ...and none while the process may reuse its last look.
    settings.REPORTS_PUBLISHED_MAX_AGE = 60
    client.get("/api/benchmarks/2025/")
    with django_assert_num_queries(0):
        assert client.get("/api/benchmarks/2025/").content == first
        assert client.get("/reports/2025/benchmarks.csv").content == first_csv
    publish(world["cycles"][2025], version=3, correction_note="Again.")
    assert client.get("/api/benchmarks/2025/").json()["version"] == 2  # not looked at yet
    settings.REPORTS_PUBLISHED_MAX_AGE = 0
    assert client.get("/api/benchmarks/2025/").json()["version"] == 3


def test_the_api_refuses_writes(client, world):
    assert client.post("/api/benchmarks/").status_code == 405
    assert client.post("/api/benchmarks/2025/").status_code == 405
    assert client.post("/reports/2025/benchmarks.csv").status_code == 405


def test_published_figures_do_not_change_when_returns_are_erased_afterwards(
    client, world, staff_user
):
    before_json = client.get("/api/benchmarks/2025/").content
    before_csv = client.get("/reports/2025/benchmarks.csv").content
    cycle = world["cycles"][2025]
    DataReturn.objects.filter(cycle=cycle).update(retention="delete")

    assert erase_requested_figures(cycle=cycle, by=staff_user) == 16
    assert benchmarks_compute(cycle)["overall"] is None  # nothing left to aggregate
    assert client.get("/api/benchmarks/2025/").content == before_json
    assert client.get("/reports/2025/benchmarks.csv").content == before_csv


def read_csv(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_the_csv_has_one_row_per_published_cell_overall_first(
    client, world, django_assert_num_queries
):
    with django_assert_num_queries(2):
        response = client.get("/reports/2025/benchmarks.csv")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="charter-benchmarks-2025-v2.csv"'
    )
    rows = read_csv(response)
    frozen = world["2025v2"].cells
    expected_keys = [("overall", "all")] + [
        (breakdown, code)
        for breakdown in BREAKDOWNS
        for code in sorted(frozen["breakdowns"][breakdown])
    ]
    assert [(row["breakdown"], row["code"]) for row in rows] == expected_keys
    overall = rows[0]
    assert overall["suppressed"] == "false"
    assert overall["organisations"] == "16"
    assert overall["tech_total"] == "650"
    assert overall["women_pct"] == str(frozen["overall"]["women_pct"])
    quartiles = frozen["overall"]["women_pct_quartiles"]
    assert [
        overall["women_pct_lower_quartile"],
        overall["women_pct_median"],
        overall["women_pct_upper_quartile"],
    ] == [str(value) for value in quartiles]
    wales = next(row for row in rows if row["code"] == "wales")
    assert wales["suppressed"] == "true"
    assert {
        value for key, value in wales.items() if key not in {"breakdown", "code", "suppressed"}
    } == {""}


def test_an_unpublished_year_has_no_csv(client, world):
    response = client.get("/reports/2026/benchmarks.csv")

    assert response.status_code == 404
    assert response.content == b"No benchmarking report has been published for 2026.\n"


def test_csv_rows_keep_small_counts_as_text_and_flatten_every_further_key():
    cell = {
        "organisations": 4,
        "tech_total": 35,
        "women_pct": None,
        "ethnic_minority_pct": 12.5,
        "senior_women_pct": None,
        "senior_ethnic_minority_pct": None,
        "women_pct_quartiles": None,
        "ethnicity_sample": {"organisations": 3, "tech_total": "<10"},
        "senior_total": "<10",
    }
    cells = {
        "overall": cell,
        "breakdowns": {
            "sector": {"finance": None, "software": {**cell, "women_pct_quartiles": [20, 25, 31]}},
            "size_band": {},
            "region": {},
            "organisation_type": {},
        },
    }

    header, rows = csv_rows(cells)

    assert header == [
        "breakdown",
        "code",
        "suppressed",
        "organisations",
        "tech_total",
        "women_pct",
        "ethnic_minority_pct",
        "senior_women_pct",
        "senior_ethnic_minority_pct",
        "women_pct_lower_quartile",
        "women_pct_median",
        "women_pct_upper_quartile",
        "ethnicity_sample_organisations",
        "ethnicity_sample_tech_total",
        "senior_total",
    ]
    assert rows == [
        ["overall", "all", "false", 4, 35, "", 12.5, "", "", "", "", "", 3, "<10", "<10"],
        ["sector", "finance", "true", *[""] * 12],
        ["sector", "software", "false", 4, 35, "", 12.5, "", "", 20, 25, 31, 3, "<10", "<10"],
    ]


def test_the_openapi_description_stays_valid_and_describes_the_benchmarks(client):
    document = client.get("/api/schema/").json()

    validate(document)
    for path in ["/api/benchmarks/", "/api/benchmarks/{year}/", "/reports/{year}/benchmarks.csv"]:
        assert "get" in document["paths"][path]
    cell = document["components"]["schemas"]["BenchmarkCell"]
    assert cell["required"] == CELL_KEYS
    assert "404" in document["paths"]["/api/benchmarks/{year}/"]["get"]["responses"]
    # The signatories' part is still there.
    assert "/api/signatories/" in document["paths"]


def test_the_schema_refuses_a_cell_that_breaks_the_promised_shape(client):
    validator = schema_validator(client, "BenchmarkCell")
    good = {
        "organisations": 3,
        "tech_total": "<10",
        "women_pct": None,
        "ethnic_minority_pct": None,
        "senior_women_pct": None,
        "senior_ethnic_minority_pct": None,
        "women_pct_quartiles": None,
    }

    validator.validate(good)
    validator.validate(None)  # a suppressed cell
    assert not validator.is_valid({**good, "tech_total": 12})  # not rounded to 5
    assert not validator.is_valid({**good, "women_pct_quartiles": [1, 2]})
    assert not validator.is_valid({key: value for key, value in good.items() if key != "women_pct"})


def test_the_api_page_tells_people_about_the_benchmark_figures(client):
    html = client.get("/api/").content.decode()

    assert "http://testserver/api/benchmarks/" in html
    assert "/reports/&lt;year&gt;/benchmarks.csv" in html
    for key in CELL_KEYS:
        assert f"<code>{key}</code>" in html
    assert "<code>women_pct_lower_quartile</code>" in html

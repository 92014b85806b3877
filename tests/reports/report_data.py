"""Published reports for tests: rows made the way the generation job makes them, from real
returns (cells, content and a real PDF), then published; and a closed cycle with enough
submitted returns for published cells, for the generation tests."""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile

from pledges.models import ReportingCycle
from reports.aggregation.benchmarks import benchmarks_compute
from reports.content import report_content_compute
from reports.document import report_pdf_render
from reports.models import BenchmarkReport
from tests.conftest import make_cycle, make_organisation
from tests.pledges.review_data import submitted_return
from tests.reports.test_aggregation import organisations, submitted


def report_make(cycle, *, version: int = 1, foreword: str = "", correction_note: str = ""):
    """A generated, not yet published, report of ``cycle`` (its cells, content and PDF)."""
    report = BenchmarkReport.objects.create(
        cycle=cycle,
        version=version,
        state="ready",
        foreword=foreword,
        correction_note=correction_note,
        requested_at=dt.datetime(cycle.year + 1, 1, 10, 9, 0, tzinfo=dt.UTC),
    )
    report.cells = benchmarks_compute(cycle)
    report.content = report_content_compute(cycle)
    report.pdf.save(
        f"report-{cycle.year}-v{version}.pdf",
        ContentFile(report_pdf_render(report, draft=False)),
        save=False,
    )
    report.save()
    return report


def report_publish_made(report, *, on: dt.date) -> BenchmarkReport:
    report.state = "published"
    report.published_at = dt.datetime.combine(on, dt.time(10, 0), tzinfo=dt.UTC)
    report.save(update_fields=["state", "published_at"])
    return report


def published_report_make(cycle, *, on: dt.date | None = None, **fields) -> BenchmarkReport:
    on = on or dt.date(cycle.year + 1, 2, 1)
    return report_publish_made(report_make(cycle, **fields), on=on)


def two_years_of_returns(cycle_before, cycle, *, start: int = 1):
    """Twelve organisations: 1–10 report in the first year, 3–12 in the second, so 3–10 (eight)
    reported in both. Women grow from 10 to 12 of 40 among the matched ones."""
    people = organisations(12, start=start)
    for organisation in people[:10]:
        submitted(cycle_before, organisation)
    for organisation in people[2:]:
        submitted(cycle, organisation, tech_women=12, tech_men=26, senior_women=3, senior_total=6)
    return people


def published_world():
    """2024 published once; 2025 published, then corrected as version 2; 2026 generated but
    not published. Returns the three reports of interest."""
    before, now = make_cycle(2024, status="published"), make_cycle(2025, status="published")
    two_years_of_returns(before, now)
    first_year = published_report_make(before, on=dt.date(2025, 2, 1))
    original = published_report_make(now, on=dt.date(2026, 2, 1), foreword="A **good** year.")
    corrected = published_report_make(
        now,
        version=2,
        on=dt.date(2026, 3, 1),
        foreword="A **good** year.",
        correction_note="Version 1 counted one organisation twice.",
    )
    draft = report_make(make_cycle(2026, status="closed"))
    return {"first_year": first_year, "original": original, "corrected": corrected, "draft": draft}


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

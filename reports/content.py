"""Everything the annual report shows besides the cycle's own cells, computed once and frozen.

The generation job stores ``report_content_compute(cycle)`` in ``BenchmarkReport.content``
beside ``benchmarks_compute(cycle)`` in ``cells``; the report is then drawn from those two
frozen copies only (``reports.document``). All of it is JSON: plain dicts, lists, numbers and
strings.

- ``previous``: last year's LATEST PUBLISHED overall cell, read from its frozen row, never
  recomputed, so the change from last year is measured against what was actually published;
  ``None`` when no earlier year was published.
- ``signatory_base``: counts of active signatories by signing year, region, sector and size
  band (public directory data, so plain counts).
- ``year_on_year``: the organisations that reported in both years (reports.aggregation), beside
  the all-respondents figures of both years.
- ``response_rate`` and ``contributors`` (public names only).
- ``national_context``: the figures the charter quotes, with their sources.
"""

from __future__ import annotations

from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.utils import timezone

from pledges.models.cycles import ReportingCycle
from reports.aggregation.participation import contributors_compute, response_rate_compute
from reports.aggregation.year_on_year import matched_sample_compute
from reports.models import BenchmarkReport
from signatories.choices import Region, Sector, SizeBand
from signatories.selectors import public_signatories

CONTENT_VERSION = 1

# The charter's context figures (DESIGN.md §1), named with where they come from so a reader can
# look them up. charter.public.views.CONTEXT_FIGURES quotes the same numbers on the home page.
NATIONAL_CONTEXT = {
    "women_in_tech_jobs_pct": 17,
    "women_in_tech_jobs_source": (
        "BCS, The Chartered Institute for IT, and the Tech Partnership, from the Office for "
        "National Statistics' Labour Force Survey"
    ),
    "girls_interested_pct": 21,
    "boys_interested_pct": 74,
    "interest_source": (
        "research among 15–16 year olds quoted by the Tech Talent Charter when it was founded"
    ),
}


def _previous_published(cycle: ReportingCycle) -> dict | None:
    report = (
        BenchmarkReport.objects.filter(cycle__year=cycle.year - 1, published_at__isnull=False)
        .order_by("-version")
        .only("version", "cells", "published_at")
        .first()
    )
    if report is None or not report.cells:
        return None
    return {
        "year": cycle.year - 1,
        "version": report.version,
        "published_at": report.published_at.isoformat(),
        "overall": report.cells.get("overall"),
    }


def _counts(rows: list[dict], column: str, choices) -> list[dict]:
    totals: dict[str, int] = {}
    for row in rows:
        totals[row[column]] = totals.get(row[column], 0) + row["n"]
    return [
        {"code": code, "label": str(label), "count": totals[code]}
        for code, label in choices
        if totals.get(code)
    ]


def signatory_base_compute() -> dict:
    """Active signatories: joined per year and cumulative, and by region, sector and size band,
    in two grouped queries."""
    signed = (
        public_signatories()
        .annotate(signed_year=ExtractYear("signed_on"))
        .values("signed_year")
        .annotate(n=Count("id"))
        .order_by("signed_year")
    )
    growth, running = [], 0
    for row in signed:
        running += row["n"]
        growth.append({"year": row["signed_year"], "joined": row["n"], "cumulative": running})
    profile = list(
        public_signatories().values("region", "sector", "size_band").annotate(n=Count("id"))
    )
    return {
        "total": running,
        "growth": growth,
        "by_region": _counts(profile, "region", Region.choices),
        "by_sector": _counts(profile, "sector", Sector.choices),
        "by_size_band": _counts(profile, "size_band", SizeBand.choices),
    }


def _year_on_year(cycle: ReportingCycle, previous: dict | None) -> dict | None:
    matched = matched_sample_compute(cycle)
    if matched is None:
        return None
    # Last year's all-respondents figure as published when it was (the same frozen figure as
    # the change from last year); computed from the returns only when last year has no report.
    if previous is not None:
        return {**matched, "all_previous": previous["overall"]}
    return matched


def report_content_compute(cycle: ReportingCycle) -> dict:
    previous = _previous_published(cycle)
    return {
        "content_version": CONTENT_VERSION,
        "year": cycle.year,
        "computed_at": timezone.now().isoformat(),
        "previous": previous,
        "signatory_base": signatory_base_compute(),
        "year_on_year": _year_on_year(cycle, previous),
        "response_rate": response_rate_compute(cycle),
        "contributors": contributors_compute(cycle),
        "national_context": NATIONAL_CONTEXT,
    }

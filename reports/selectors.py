"""Reads of published reports, for the public pages and the home page. Published rows are
frozen (reports.models), so everything here is served as it was published."""

from __future__ import annotations

from dataclasses import dataclass, field

from reports.models import BenchmarkReport


def published():
    return BenchmarkReport.objects.filter(published_at__isnull=False).select_related("cycle")


@dataclass
class PublishedYear:
    """One year's published report: its latest version (what the public reads) and the
    versions it corrected, newest first."""

    year: int
    latest: BenchmarkReport
    earlier: list[BenchmarkReport] = field(default_factory=list)


def published_years() -> list[PublishedYear]:
    """Every published year, newest first, in one query; the cells and content (large JSON)
    are not loaded: a list needs neither."""
    years: dict[int, PublishedYear] = {}
    for report in published().defer("cells", "content").order_by("-cycle__year", "-version"):
        if report.cycle.year in years:
            years[report.cycle.year].earlier.append(report)
        else:
            years[report.cycle.year] = PublishedYear(year=report.cycle.year, latest=report)
    return list(years.values())


def published_report(*, year: int, version: int | None = None) -> BenchmarkReport | None:
    """A year's latest published version, or the given version if it was published."""
    reports = published().filter(cycle__year=year)
    if version is not None:
        return reports.filter(version=version).first()
    return reports.order_by("-version").first()


def published_version_id(*, year: int, version: int) -> int | None:
    """The id of a year's published version, without its cells and content."""
    return (
        published().filter(cycle__year=year, version=version).values_list("pk", flat=True).first()
    )


def latest_published_report() -> BenchmarkReport | None:
    """The newest year's latest version, for the home page's link (one query)."""
    return (
        published()
        .order_by("-cycle__year", "-version")
        .only("version", "published_at", "cycle__year")
        .first()
    )

"""The home page's share of the directory: signatories over time, the newest signatories and
the geometry of the server-rendered bar chart."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q
from django.db.models.functions import ExtractYear
from django.utils import timezone

from signatories.choices import OrganisationStatus
from signatories.directory.pages import ROW_FIELDS, DirectoryRow
from signatories.models import Organisation
from signatories.selectors import public_signatories


@dataclass(frozen=True)
class YearCount:
    year: int
    count: int


def signatories_over_time(*, today: dt.date | None = None) -> list[YearCount]:
    """The number of signatories at the end of each year (this year: today), in one query.

    Counts organisations that signed by then and had not withdrawn by then. Suspended ones are
    left out throughout, as they are from the live count, so the last bar equals that count.
    """
    today = today or timezone.localdate()
    rows = (
        # Withdrawn without a date cannot be placed in time, so they are left out.
        Organisation.objects.filter(
            Q(status=OrganisationStatus.ACTIVE)
            | Q(status=OrganisationStatus.WITHDRAWN, withdrawn_on__isnull=False)
        )
        .annotate(signed_year=ExtractYear("signed_on"), left_year=ExtractYear("withdrawn_on"))
        .values("signed_year", "left_year")
        .annotate(n=Count("id"))
        .order_by()
    )
    signed: dict[int, int] = {}
    left: dict[int, int] = {}
    for row in rows:
        signed[row["signed_year"]] = signed.get(row["signed_year"], 0) + row["n"]
        if row["left_year"] is not None:
            left[row["left_year"]] = left.get(row["left_year"], 0) + row["n"]
    if not signed:
        return []
    series, running = [], 0
    for year in range(min(signed), max(today.year, max(signed)) + 1):
        running += signed.get(year, 0) - left.get(year, 0)
        series.append(YearCount(year=year, count=running))
    return series


def newest_signatories(*, limit: int = 5) -> list[DirectoryRow]:
    rows = public_signatories().order_by("-signed_on", "-signatory_number").values(*ROW_FIELDS)
    return [DirectoryRow(**row) for row in rows[:limit]]


@dataclass(frozen=True)
class ChartBar:
    year: int
    count: int
    x: float
    y: float
    width: float
    height: float
    label_x: float
    label_y: float


@dataclass(frozen=True)
class Chart:
    """Geometry for the home page's server-rendered SVG bar chart (no JavaScript needed)."""

    width: int
    height: int
    baseline: float
    year_y: float
    bars: list[ChartBar]
    maximum: int


def bar_chart(series: list[YearCount], *, width: int = 640, height: int = 260) -> Chart | None:
    if not series:
        return None
    top, bottom, side = 28.0, 28.0, 8.0
    maximum = max(point.count for point in series) or 1
    slot = (width - 2 * side) / len(series)
    bar_width = slot * 0.7
    plot_height = height - top - bottom
    bars = []
    for index, point in enumerate(series):
        bar_height = plot_height * point.count / maximum
        x = side + index * slot + (slot - bar_width) / 2
        bars.append(
            ChartBar(
                year=point.year,
                count=point.count,
                x=round(x, 1),
                y=round(top + plot_height - bar_height, 1),
                width=round(bar_width, 1),
                height=round(bar_height, 1),
                label_x=round(x + bar_width / 2, 1),
                label_y=round(top + plot_height - bar_height - 6, 1),
            )
        )
    return Chart(
        width=width,
        height=height,
        baseline=height - bottom,
        year_y=height - 8,
        bars=bars,
        maximum=maximum,
    )


def home_directory_context() -> dict:
    """What the home page shows of the directory: the live count, the newest signatories and
    the chart of signatories over time (two queries)."""
    series = signatories_over_time()
    return {
        "signatory_count": series[-1].count if series else 0,
        "newest_signatories": newest_signatories(),
        "signatories_over_time": series,
        "signatories_chart": bar_chart(series),
    }

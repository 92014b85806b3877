"""The directory page: the matching signatories, the facet counts and the page of rows, in
three queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from django.db import connection
from django.db.models import Count, Min, QuerySet
from django.utils import timezone

from signatories.directory.facet_counts import TOTAL
from signatories.directory.facet_counts import maintained as facet_counts_maintained
from signatories.directory.params import (
    DIMENSIONS,
    SORTS,
    Dimension,
    DirectoryParams,
    _dimension_q,
)
from signatories.models import DirectoryFacetCount, Organisation
from signatories.search import name_search
from signatories.selectors import public_signatories

# Columns read for a directory row: never the description, logo or anything private.
ROW_FIELDS = (
    "public_name",
    "slug",
    "signatory_number",
    "signed_on",
    "sector",
    "size_band",
    "region",
    "organisation_type",
)


def first_signing_year() -> int | None:
    """The year the earliest active signatory signed (an index look-up on status, signed_on)."""
    first = public_signatories().aggregate(first=Min("signed_on"))["first"]
    return first.year if first else None


@dataclass(frozen=True)
class FacetValue:
    code: str
    label: str
    count: int
    selected: bool
    # For element ids (codes like "5000+" make poor ids): the code list's position, or the
    # year itself. The years offered move as the first signing year or the date changes, and
    # htmx swaps each count into the element with the same id, so a year's id must be its own.
    key: str


@dataclass(frozen=True)
class Facet:
    dimension: Dimension
    values: tuple[FacetValue, ...]

    @property
    def any_selected(self) -> bool:
        return any(value.selected for value in self.values)


@dataclass
class DirectoryRow:
    public_name: str
    slug: str
    signatory_number: int
    signed_on: dt.date
    sector: str
    size_band: str
    region: str
    organisation_type: str

    sector_label: str = ""
    size_band_label: str = ""
    region_label: str = ""
    organisation_type_label: str = ""

    def __post_init__(self) -> None:
        self.sector_label = _LABELS["sector"].get(self.sector, self.sector)
        self.size_band_label = _LABELS["size"].get(self.size_band, self.size_band)
        self.region_label = _LABELS["region"].get(self.region, self.region)
        self.organisation_type_label = _LABELS["type"].get(
            self.organisation_type, self.organisation_type
        )


_LABELS = {dimension.param: dimension.labels() for dimension in DIMENSIONS}


@dataclass(frozen=True)
class DirectoryPage:
    params: DirectoryParams
    count: int
    rows: list[DirectoryRow]
    facets: tuple[Facet, ...]
    number: int
    page_count: int
    problems: dict[str, list[str]]

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.page_count

    @property
    def first_index(self) -> int:
        return (self.number - 1) * self.params.per_page + 1 if self.count else 0

    @property
    def last_index(self) -> int:
        return min(self.number * self.params.per_page, self.count)

    @property
    def previous_query(self) -> str:
        return self.params.query_string(page=self.number - 1)

    @property
    def next_query(self) -> str:
        return self.params.query_string(page=self.number + 1)

    def page_links(self) -> list[PageLink]:
        """Links to pages, with gaps: 1 … 4 5 [6] 7 8 … 20."""
        shown = {1, self.page_count, *range(self.number - 2, self.number + 3)}
        numbers = sorted(n for n in shown if 1 <= n <= self.page_count)
        links: list[PageLink] = []
        previous = 0
        for number in numbers:
            if number - previous > 1:
                links.append(PageLink(number=None, query="", current=False))
            links.append(
                PageLink(
                    number=number,
                    query=self.params.query_string(page=number),
                    current=number == self.number,
                )
            )
            previous = number
        return links


@dataclass(frozen=True)
class PageLink:
    number: int | None  # None: a gap ("…")
    query: str
    current: bool


def directory_queryset(params: DirectoryParams) -> QuerySet[Organisation]:
    """Active signatories matching the search and every filter, in the requested order."""
    queryset = name_search(public_signatories(), params.q).filter(params.filters_q())
    return queryset.order_by(*SORTS[params.sort])


def _maintained_counts(keys: dict[tuple[str, str], str]) -> dict[str, int]:
    """The aggregate's results, read from the facet counts the triggers keep: one query on a
    table of a few dozen rows, whatever the number of signatories. A value nobody has is
    absent from the table and counts 0."""
    stored = {
        (dimension, code): count
        for dimension, code, count in DirectoryFacetCount.objects.values_list(
            "dimension", "code", "count"
        )
    }
    counts = {alias: stored.get(key, 0) for key, alias in keys.items()}
    counts["total"] = stored.get((TOTAL, ""), 0)
    return counts


def directory_page(params: DirectoryParams) -> DirectoryPage:
    """The page of results, the total and the facet counts, in three queries.

    Facet counts are "what you would get with this value": for each filter, the others apply
    and its own selection is left out, so a user can see what choosing another value leaves.
    They are conditional aggregates over one scan of the search's results, so the number of
    queries does not grow with the number of codes.
    """
    this_year = timezone.localdate().year
    # Every year from the first signing to now, so the list of years stays the same as the
    # filters change (htmx then only updates the counts, and keyboard focus stays put).
    years = [str(year) for year in range((first_signing_year() or this_year), this_year + 1)]
    years += [y for y in params.selected("year") if y not in years]

    aggregates = {"total": Count("id", filter=params.filters_q() or None)}
    keys: dict[tuple[str, str], str] = {}
    for dimension in DIMENSIONS:
        others = params.filters_q(leave_out=dimension.param)
        codes = years if dimension.param == "year" else list(dimension.labels())
        for position, code in enumerate(codes):
            alias = f"f_{dimension.param}_{position}"
            keys[(dimension.param, code)] = alias
            aggregates[alias] = Count("id", filter=others & _dimension_q(dimension, (code,)))
    if not params.is_filtered and facet_counts_maintained(connection):
        # Unfiltered, each facet's counts are marginal counts, which triggers keep exact.
        counts = _maintained_counts(keys)
    else:
        counts = name_search(public_signatories(), params.q).aggregate(**aggregates)

    facets = []
    for dimension in DIMENSIONS:
        labels = dimension.labels() or {year: year for year in sorted(years)}
        facets.append(
            Facet(
                dimension=dimension,
                values=tuple(
                    FacetValue(
                        code=code,
                        label=label,
                        count=counts[keys[(dimension.param, code)]],
                        selected=code in params.selected(dimension.param),
                        key=code if dimension.param == "year" else str(position),
                    )
                    for position, (code, label) in enumerate(labels.items())
                ),
            )
        )

    total = counts["total"]
    problems: dict[str, list[str]] = {}
    page_count = max(1, -(-total // params.per_page))
    number = params.page
    if number > page_count:
        problems["page"] = [
            f"There is no page {number}: there {'is' if page_count == 1 else 'are'} "
            f"{page_count} page{'' if page_count == 1 else 's'}. This is the last one."
        ]
        number = page_count
    offset = (number - 1) * params.per_page
    rows = [
        DirectoryRow(**row)
        for row in directory_queryset(params).values(*ROW_FIELDS)[offset : offset + params.per_page]
    ]
    return DirectoryPage(
        params=replace(params, page=number),
        count=total,
        rows=rows,
        facets=tuple(facets),
        number=number,
        page_count=page_count,
        problems=problems,
    )

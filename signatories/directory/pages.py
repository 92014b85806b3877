"""The directory page: the matching signatories, the facet counts and the page of rows, in
three queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from django.db import connection
from django.db.models import Count, F, Min, QuerySet, Sum, Value
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
from signatories.models import (
    DirectoryFacetCell,
    DirectoryFacetCount,
    DirectorySearchEntry,
    Organisation,
)
from signatories.search import folded_search, name_search
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


FacetCounts = dict[tuple[str, str], int]  # (dimension's param, code) -> count, and TOTAL_KEY
TOTAL_KEY = (TOTAL, "")


def _maintained_counts() -> FacetCounts:
    """The unfiltered counts, read from the table the triggers keep: one query on a table of
    a few dozen rows, whatever the number of signatories. A value nobody has is absent from
    the table and counts 0."""
    return {
        (dimension, code): count
        for dimension, code, count in DirectoryFacetCount.objects.values_list(
            "dimension", "code", "count"
        )
    }


_FILTER_FIELDS = tuple(dimension.field for dimension in DIMENSIONS if dimension.param != "year")
# Each dimension's column in the rows that the grouped count reads (the year as a number).
_GROUPED_COLUMN = {
    dimension.param: "year" if dimension.param == "year" else dimension.field
    for dimension in DIMENSIONS
}


def _column_values(param: str, selected: tuple[str, ...]) -> list:
    """A filter's selected codes as its kept column stores them: the year as a number."""
    return [int(year) for year in selected] if param == "year" else list(selected)


def _grouped_counts(params: DirectoryParams) -> FacetCounts:
    """Every facet count and the total of a filtered or searched page, in one PostgreSQL query.

    Without a search, it sums the cells of the data cube the triggers keep
    (:class:`DirectoryFacetCell`, a few thousand rows whatever the number of signatories);
    with one, it reads the search entries of the signatories the search finds (narrow rows
    the triggers keep, :class:`DirectorySearchEntry`, through their trigram index), one each.
    Either way each row or cell is tested once per selected filter, and one pass with
    GROUPING SETS counts all the facets together: for dimension ``d``, a row counts under
    its own ``d`` value when it passes every *other* filter (its ``k_d`` key is NULL
    otherwise), and it counts in the total when it passes them all. A row failing two
    filters counts nowhere, so those are left out before grouping. Same numbers as the
    conditional aggregate SQLite runs, at a cost that no longer scales with 60 filters per row.
    """
    if params.q:
        source = (
            folded_search(DirectorySearchEntry.objects.all(), params.q)
            .annotate(n=Value(1))
            .values_list(*_FILTER_FIELDS, "year", "n")
            .order_by()
        )
    else:
        source = (
            DirectoryFacetCell.objects.annotate(n=F("count"))
            .values_list(*_FILTER_FIELDS, "year", "n")
            .order_by()
        )
    source_sql, source_params = source.query.sql_with_params()

    tests: dict[str, str] = {}  # param -> "p_<param>", the selected filters only
    test_columns: list[str] = []
    test_params: list[list] = []
    for dimension in DIMENSIONS:
        selected = params.selected(dimension.param)
        if selected:
            tests[dimension.param] = f"p_{dimension.param}"
            test_columns.append(
                f"{_GROUPED_COLUMN[dimension.param]} = ANY(%s) AS p_{dimension.param}"
            )
            test_params.append(_column_values(dimension.param, selected))

    def passes(leave_out: str | None = None) -> str:
        kept = [column for param, column in tests.items() if param != leave_out]
        return " AND ".join(kept) or "TRUE"

    keys = [
        f"CASE WHEN {passes(dimension.param)} THEN {_GROUPED_COLUMN[dimension.param]}::text END"
        f" AS k_{dimension.param}"
        for dimension in DIMENSIONS
    ]
    key_names = [f"k_{dimension.param}" for dimension in DIMENSIONS]
    at_most_one_fails = (
        f"WHERE {' + '.join(f'{column}::int' for column in tests.values())} >= {len(tests) - 1}"
        if len(tests) > 1
        else ""
    )
    sql = f"""
        SELECT GROUPING({", ".join(key_names)}), {", ".join(key_names)},
               sum(n)::bigint, (sum(n) FILTER (WHERE k_all))::bigint
        FROM (
            SELECT {", ".join(keys)}, {passes()} AS k_all, n
            FROM (
                SELECT {", ".join(_FILTER_FIELDS)}, year::int AS year, n
                       {"".join(f", {column}" for column in test_columns)}
                FROM ({source_sql}) AS source
            ) AS tested
            {at_most_one_fails}
        ) AS kept
        GROUP BY GROUPING SETS ({", ".join(f"({name})" for name in key_names)}, ())
    """
    everything = (1 << len(DIMENSIONS)) - 1  # GROUPING() of the empty set: no key grouped
    counts: FacetCounts = {}
    with connection.cursor() as cursor:
        # In the order their placeholders appear: the tests come before the source.
        cursor.execute(sql, [*test_params, *source_params])
        for grouping, *values, count, total in cursor.fetchall():
            if grouping == everything:
                counts[TOTAL_KEY] = total or 0
                continue
            for position, dimension in enumerate(DIMENSIONS):
                code = values[position]
                # GROUPING() sets a key's bit when the key is *not* grouped; first key, top bit.
                # A NULL code in its own set is the rows that fail another filter.
                grouped = grouping == everything ^ (1 << (len(DIMENSIONS) - 1 - position))
                if grouped and code is not None:
                    counts[(dimension.param, code)] = count
    return counts


def _aggregated_counts(params: DirectoryParams, years: list[str]) -> FacetCounts:
    """The counts as conditional aggregates over one scan of the search's results: what
    databases without the kept tables (SQLite) run."""
    aggregates = {"total": Count("id", filter=params.filters_q() or None)}
    keys: dict[tuple[str, str], str] = {}
    for dimension in DIMENSIONS:
        others = params.filters_q(leave_out=dimension.param)
        codes = years if dimension.param == "year" else list(dimension.labels())
        for position, code in enumerate(codes):
            alias = f"f_{dimension.param}_{position}"
            keys[(dimension.param, code)] = alias
            aggregates[alias] = Count("id", filter=others & _dimension_q(dimension, (code,)))
    result = name_search(public_signatories(), params.q).aggregate(**aggregates)
    counts = {key: result[alias] for key, alias in keys.items()}
    counts[TOTAL_KEY] = result["total"]
    return counts


def active_count(params: DirectoryParams) -> int | None:
    """How many active signatories match ``params`` without a search, from what the triggers
    keep (the kept total, or a sum of the cube's cells), so the count costs the same at any
    size; None when this database keeps neither or there is a search."""
    if params.q or not facet_counts_maintained(connection):
        return None
    if not params.is_filtered:
        return _maintained_counts().get(TOTAL_KEY, 0)
    cells = DirectoryFacetCell.objects.all()
    for dimension in DIMENSIONS:
        selected = params.selected(dimension.param)
        if selected:
            column = _GROUPED_COLUMN[dimension.param]
            cells = cells.filter(**{f"{column}__in": _column_values(dimension.param, selected)})
    return cells.aggregate(total=Sum("count"))["total"] or 0


def directory_page(params: DirectoryParams) -> DirectoryPage:
    """The page of results, the total and the facet counts, in three queries.

    Facet counts are "what you would get with this value": for each filter, the others apply
    and its own selection is left out, so a user can see what choosing another value leaves.
    On PostgreSQL the unfiltered counts are read from the table triggers keep and the
    filtered ones counted in one grouped query (:func:`_grouped_counts`); elsewhere they are
    conditional aggregates over one scan of the search's results. Either way the number of
    queries does not grow with the number of codes.
    """
    this_year = timezone.localdate().year
    # Every year from the first signing to now, so the list of years stays the same as the
    # filters change (htmx then only updates the counts, and keyboard focus stays put).
    years = [str(year) for year in range((first_signing_year() or this_year), this_year + 1)]
    years += [y for y in params.selected("year") if y not in years]

    if not facet_counts_maintained(connection):
        counts = _aggregated_counts(params, years)
    elif params.is_filtered:
        counts = _grouped_counts(params)
    else:
        # Unfiltered, each facet's counts are marginal counts, which triggers keep exact.
        counts = _maintained_counts()

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
                        count=counts.get((dimension.param, code), 0),
                        selected=code in params.selected(dimension.param),
                        key=code if dimension.param == "year" else str(position),
                    )
                    for position, (code, label) in enumerate(labels.items())
                ),
            )
        )

    total = counts.get(TOTAL_KEY, 0)
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

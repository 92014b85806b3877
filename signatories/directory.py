"""The public directory's reads: query-string parameters, filters, facet counts, pages, and the
rows behind the directory page, the CSV export and the JSON API (DESIGN.md §5).

One vocabulary for all three: ``q``, ``sector``, ``size``, ``region``, ``type``, ``year``,
``sort``, ``page``, ``per_page`` (and ``updated_since`` for the open data), whose values are the
codes of ``signatories.choices``. Each filter may be given several times (``sector=software&
sector=finance``): values of one filter are alternatives, different filters all apply.

Parameters are parsed by :func:`parse_params` rather than a Django form because bad input must
degrade gently (DESIGN.md §8): an unknown code is dropped with a message while the valid ones are
kept, which a form, all-or-nothing per field, does not do.

Query budget, whatever the page size or the amount of data: :func:`directory_version` is one
query; :func:`directory_page` three more (the first signing year, the facet counts and the total
in one aggregate, then the page's rows).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

from django.conf import settings
from django.db import connection
from django.db.models import Count, Min, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from signatories.choices import OrganisationStatus, OrganisationType, Region, Sector, SizeBand
from signatories.models import Organisation
from signatories.search import name_search
from signatories.selectors import public_signatories

MAX_QUERY_LENGTH = 100
PER_PAGE_CHOICES = (25, 50, 100)
DEFAULT_PER_PAGE = 25
# No signatory can have signed before this; the upper bound is the current year.
FIRST_POSSIBLE_YEAR = 2000
# Further than this and the page number is nonsense whatever the data; checked before counting.
MAX_PAGE = 1_000_000

SORTS = {
    "name": ("public_name", "signatory_number"),
    "newest": ("-signed_on", "-signatory_number"),
    "number": ("signatory_number",),
}
SORT_LABELS = {
    "name": "Name (A to Z)",
    "newest": "Newest signatories first",
    "number": "Signatory number",
}

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


@dataclass(frozen=True)
class Dimension:
    """A filter: its query-string name, the model field it tests and its code list."""

    param: str
    field: str
    label: str
    choices: type | None  # a TextChoices class; None for the year

    def labels(self) -> dict[str, str]:
        return dict(self.choices.choices) if self.choices else {}


DIMENSIONS = (
    Dimension("sector", "sector", "Sector", Sector),
    Dimension("size", "size_band", "Size", SizeBand),
    Dimension("region", "region", "Region", Region),
    Dimension("type", "organisation_type", "Type of organisation", OrganisationType),
    Dimension("year", "signed_on", "Year signed", None),
)
DIMENSIONS_BY_PARAM = {dimension.param: dimension for dimension in DIMENSIONS}


@dataclass(frozen=True)
class DirectoryParams:
    """A valid directory request. Filter values are codes (years as strings), in a canonical
    order, so equal requests have equal :meth:`canonical_query` (the cache key)."""

    q: str = ""
    filters: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    sort: str = "name"
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE
    updated_since: dt.datetime | None = None

    def selected(self, param: str) -> tuple[str, ...]:
        return self.filters.get(param, ())

    @property
    def is_filtered(self) -> bool:
        return bool(self.q or any(self.filters.values()))

    def items(self, *, page: int | None = None, include_page: bool = True) -> list[tuple[str, str]]:
        items: list[tuple[str, str]] = []
        if self.q:
            items.append(("q", self.q))
        for dimension in DIMENSIONS:
            items.extend((dimension.param, value) for value in self.selected(dimension.param))
        if self.updated_since is not None:
            items.append(("updated_since", self.updated_since.isoformat()))
        items.append(("sort", self.sort))
        items.append(("per_page", str(self.per_page)))
        if include_page:
            items.append(("page", str(self.page if page is None else page)))
        return items

    def canonical_query(self) -> str:
        return urlencode(self.items())

    def query_string(
        self, *, page: int | None = None, include_page: bool = True, default_sort: str = "name"
    ) -> str:
        """The query string for a link: defaults left out, so shared URLs stay short."""
        defaults = {"sort": default_sort, "per_page": str(DEFAULT_PER_PAGE), "page": "1"}
        items = [
            (name, value)
            for name, value in self.items(page=page, include_page=include_page)
            if defaults.get(name) != value
        ]
        return urlencode(items)

    def filters_q(self, *, leave_out: str | None = None) -> Q:
        """Every filter but ``leave_out`` (the facet being counted), as one Q."""
        combined = Q()
        for dimension in DIMENSIONS:
            if dimension.param != leave_out and self.selected(dimension.param):
                combined &= _dimension_q(dimension, self.selected(dimension.param))
        return combined


def _dimension_q(dimension: Dimension, values: tuple[str, ...]) -> Q:
    if dimension.param == "year":
        # A date range per year, not ``signed_on__year``: comparable with the column's index.
        either = Q()
        for year in sorted({int(value) for value in values}):
            either |= Q(signed_on__gte=dt.date(year, 1, 1), signed_on__lte=dt.date(year, 12, 31))
        return either
    return Q(**{f"{dimension.field}__in": values})


# --- Parsing --------------------------------------------------------------------------------


def parse_params(
    data, *, default_sort: str = "name", allow_updated_since: bool = False
) -> tuple[DirectoryParams, dict[str, list[str]]]:
    """Read a directory request from a QueryDict.

    Returns the nearest valid request and, by parameter, what was wrong: unknown codes are
    dropped and the rest kept; a bad sort, page or page size falls back to its default; an
    overlong search is left out. Parameters the directory does not know are ignored.
    """
    errors: dict[str, list[str]] = {}

    def problem(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    # Search: printable characters only (PostgreSQL refuses NUL bytes), spaces collapsed.
    raw_q = data.get("q", "") or ""
    q = " ".join("".join(ch if ch.isprintable() else " " for ch in raw_q).split())
    if len(q) > MAX_QUERY_LENGTH:
        problem(
            "q",
            f"The search is {len(q)} characters long; the most is {MAX_QUERY_LENGTH}.",
        )
        q = ""

    filters: dict[str, tuple[str, ...]] = {}
    this_year = timezone.localdate().year
    for dimension in DIMENSIONS:
        kept: list[str] = []
        for raw in data.getlist(dimension.param):
            value = raw.strip()
            if not value:
                continue
            if dimension.param == "year":
                if not value.isdigit() or not FIRST_POSSIBLE_YEAR <= int(value) <= this_year:
                    problem(
                        "year",
                        f'"{_shorten(value)}" is not a year to filter by: give a year from '
                        f"{FIRST_POSSIBLE_YEAR} to {this_year}.",
                    )
                    continue
                value = str(int(value))
            elif value not in dimension.labels():
                # "5000+" arrives as "5000 " when a hand-written URL does not encode the "+".
                if value + "+" in dimension.labels():
                    value += "+"
                else:
                    codes = ", ".join(dimension.labels())
                    problem(
                        dimension.param,
                        f'"{_shorten(value)}" is not a {dimension.label.lower()} code; '
                        f"the codes are: {codes}.",
                    )
                    continue
            if value not in kept:
                kept.append(value)
        if kept:
            order = list(dimension.labels())
            kept.sort(key=(lambda v: int(v)) if not order else order.index)
            filters[dimension.param] = tuple(kept)

    sort = data.get("sort", "") or default_sort
    if sort not in SORTS:
        problem(
            "sort",
            f'"{_shorten(sort)}" is not a way to sort: use {", ".join(SORTS)}.',
        )
        sort = default_sort

    per_page = DEFAULT_PER_PAGE
    raw_per_page = (data.get("per_page", "") or "").strip()
    if raw_per_page:
        if raw_per_page.isdigit() and int(raw_per_page) in PER_PAGE_CHOICES:
            per_page = int(raw_per_page)
        else:
            problem(
                "per_page",
                f'"{_shorten(raw_per_page)}" is not a page size: use 25, 50 or 100.',
            )

    page = 1
    raw_page = (data.get("page", "") or "").strip()
    if raw_page:
        if raw_page.isdigit() and 1 <= len(raw_page) <= 7 and 1 <= int(raw_page) <= MAX_PAGE:
            page = int(raw_page)
        else:
            problem(
                "page",
                f'"{_shorten(raw_page)}" is not a page number: use a whole number from 1.',
            )

    updated_since = None
    raw_since = (data.get("updated_since", "") or "").strip()
    if allow_updated_since and raw_since:
        updated_since = parse_updated_since(raw_since)
        if updated_since is None:
            problem(
                "updated_since",
                f'"{_shorten(raw_since)}" is not an ISO 8601 date or date and time, such as '
                "2025-01-31 or 2025-01-31T09:30:00Z.",
            )

    params = DirectoryParams(
        q=q,
        filters=filters,
        sort=sort,
        page=page,
        per_page=per_page,
        updated_since=updated_since,
    )
    return params, errors


def parse_updated_since(value: str) -> dt.datetime | None:
    """An ISO 8601 date (midnight, local time) or date and time (local time if naive)."""
    # A "+01:00" offset arrives as " 01:00" when the "+" was not encoded.
    if len(value) > 6 and value[-6] == " " and value[-3] == ":":
        value = value[:-6] + "+" + value[-5:]
    try:
        if len(value) == 10:
            day = dt.date.fromisoformat(value)
            moment = dt.datetime.combine(day, dt.time.min)
        else:
            moment = parse_datetime(value) or dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment is None or not 1900 <= moment.year <= 9998:
        return None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _shorten(value: str, limit: int = 40) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


# --- The version: what a cached or conditional response depends on --------------------------


@dataclass(frozen=True)
class DirectoryVersion:
    """What every cached or conditional directory response depends on.

    The latest ``updated_at`` of any organisation, and the highest id. Organisations are never
    deleted (DESIGN.md §3), a new one gets a new id, and every change moves ``updated_at``:
    ``save()`` sets it (``auto_now``), and writes through ``QuerySet.update()`` must set it too,
    as ``organisation_data_contact_update`` does. Both come from an index (PostgreSQL answers
    MAX() from the index's end), so checking whether anything changed costs well under a
    millisecond whatever the number of signatories.
    """

    latest: dt.datetime | None
    highest_id: int | None

    @property
    def token(self) -> str:
        stamp = self.latest.isoformat() if self.latest else "-"
        return f"{stamp}:{self.highest_id or 0}"

    def etag(self, *parts: str) -> str:
        digest = hashlib.sha256("|".join((ETAG_FORMAT, self.token, *parts)).encode()).hexdigest()
        return f'"{digest[:32]}"'


# Bump when the directory's output format changes, so clients do not keep an old 304'd copy.
ETAG_FORMAT = "directory-1"


# (monotonic time it was read, the version): this process's last look at the database.
_remembered_version: tuple[float, DirectoryVersion] | None = None


def directory_version() -> DirectoryVersion:
    """The directory's current version, read from the database at most once per
    ``settings.DIRECTORY_VERSION_MAX_AGE`` seconds in each process.

    A cached anonymous page then costs no query at all, which is what lets the directory keep
    up with a trivial view (DESIGN.md §7). The price is bounded: after a change, a visitor may
    see the previous page for at most that long (one second by default). Tests set it to 0.
    """
    global _remembered_version
    max_age = settings.DIRECTORY_VERSION_MAX_AGE
    now = time.monotonic()
    remembered = _remembered_version
    if max_age > 0 and remembered is not None and now - remembered[0] < max_age:
        return remembered[1]
    version = read_directory_version()
    _remembered_version = (now, version)
    return version


def read_directory_version() -> DirectoryVersion:
    """One query: ``SELECT MAX(updated_at), MAX(id)``. PostgreSQL answers both from the ends
    of their indexes, without reading the table.

    Raw SQL because this runs on every directory, export and API request that is not answered
    from memory, and the ORM's aggregate() spends about a millisecond building the same
    statement.
    """
    table = connection.ops.quote_name(Organisation._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX(updated_at), MAX(id) FROM {table}")
        latest, highest_id = cursor.fetchone()
    if isinstance(latest, str):  # SQLite hands back its text form (UTC)
        latest = parse_datetime(latest)
    if latest is not None and timezone.is_naive(latest):
        latest = timezone.make_aware(latest, dt.UTC)
    return DirectoryVersion(latest=latest, highest_id=highest_id)


def first_signing_year() -> int | None:
    """The year the earliest active signatory signed (an index look-up on status, signed_on)."""
    first = public_signatories().aggregate(first=Min("signed_on"))["first"]
    return first.year if first else None


# --- The directory page ---------------------------------------------------------------------


@dataclass(frozen=True)
class FacetValue:
    code: str
    label: str
    count: int
    selected: bool
    index: int  # for element ids: codes like "5000+" make poor ids


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
        for index, code in enumerate(codes):
            key = f"f_{dimension.param.replace('-', '_')}_{index}"
            keys[(dimension.param, code)] = key
            aggregates[key] = Count("id", filter=others & _dimension_q(dimension, (code,)))
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
                        index=index,
                    )
                    for index, (code, label) in enumerate(labels.items())
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


# --- Open data: the API and the CSV export ---------------------------------------------------

# The API's and the export's field names: a published interface, never renamed.
OPEN_DATA_FIELDS = (
    "name",
    "slug",
    "url",
    "signatory_number",
    "signed_on",
    "sector",
    "size_band",
    "region",
    "organisation_type",
    "status",
    "updated_at",
)
# What a consumer syncing with ``updated_since`` sees for an organisation that is neither active
# nor withdrawn (a suspension is not announced publicly; the organisation is just not listed).
UNLISTED = "unlisted"
_OPEN_DATA_COLUMNS = (
    "public_name",
    "slug",
    "signatory_number",
    "signed_on",
    "sector",
    "size_band",
    "region",
    "organisation_type",
    "status",
    "updated_at",
)


def open_data_queryset(params: DirectoryParams) -> QuerySet[Organisation]:
    """The rows of the API and the export.

    Without ``updated_since``: the active signatories, as in the directory. With it: every
    organisation changed since then, including those that withdrew (status ``withdrawn``) or are
    no longer listed (status ``unlisted``), so a consumer can remove them from its copy.
    """
    if params.updated_since is None:
        queryset = public_signatories()
    else:
        queryset = Organisation.objects.filter(updated_at__gte=params.updated_since)
    queryset = name_search(queryset, params.q).filter(params.filters_q())
    return queryset.order_by(*SORTS[params.sort])


def open_data_record(row: Mapping, *, profile_base_url: str) -> dict:
    status = row["status"]
    if status not in (OrganisationStatus.ACTIVE, OrganisationStatus.WITHDRAWN):
        status = UNLISTED
    return {
        "name": row["public_name"],
        "slug": row["slug"],
        "url": f"{profile_base_url}{row['slug']}/",
        "signatory_number": row["signatory_number"],
        "signed_on": row["signed_on"].isoformat(),
        "sector": row["sector"],
        "size_band": row["size_band"],
        "region": row["region"],
        "organisation_type": row["organisation_type"],
        "status": str(status),
        "updated_at": row["updated_at"].isoformat(),
    }


@dataclass(frozen=True)
class ApiPage:
    count: int
    number: int
    page_count: int
    results: list[dict]


def api_page(params: DirectoryParams, *, profile_base_url: str) -> ApiPage:
    """One page of the API, in two queries (count, rows); no rows past the last page."""
    queryset = open_data_queryset(params)
    count = queryset.count()
    page_count = max(1, -(-count // params.per_page))
    if params.page > page_count:
        return ApiPage(count=count, number=params.page, page_count=page_count, results=[])
    offset = (params.page - 1) * params.per_page
    rows = queryset.values(*_OPEN_DATA_COLUMNS)[offset : offset + params.per_page]
    return ApiPage(
        count=count,
        number=params.page,
        page_count=page_count,
        results=[open_data_record(row, profile_base_url=profile_base_url) for row in rows],
    )


FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> object:
    """Neutralise spreadsheet formula injection (OWASP): a text cell starting with = + - @ (or
    a tab or carriage return) gets a leading apostrophe, so a spreadsheet shows it as text
    instead of running it. Numbers and dates are left alone."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


# Rows fetched per round trip of the server-side cursor: memory is bounded by this, not by the
# size of the export.
CSV_CHUNK_SIZE = 500


def export_rows(params: DirectoryParams, *, profile_base_url: str) -> Iterator[list]:
    """The header, then one list per organisation, read in chunks through a server-side cursor
    on PostgreSQL (``iterator``), so memory stays flat however many rows there are."""
    yield list(OPEN_DATA_FIELDS)
    rows = open_data_queryset(params).values(*_OPEN_DATA_COLUMNS)
    for row in rows.iterator(chunk_size=CSV_CHUNK_SIZE):
        record = open_data_record(row, profile_base_url=profile_base_url)
        yield [spreadsheet_safe(record[name]) for name in OPEN_DATA_FIELDS]


# --- The home page --------------------------------------------------------------------------


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

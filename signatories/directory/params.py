"""The directory's query-string vocabulary: the filters (dimensions), sorts and page sizes,
:class:`DirectoryParams`, and :func:`parse_params`, which reads a request and reports problems."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import TooManyFieldsSent
from django.db.models import Q
from django.http import QueryDict
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from signatories.choices import OrganisationType, Region, Sector, SizeBand
from signatories.search import NameSortKey

MAX_QUERY_LENGTH = 100
# The key of the problem reported when the query string has too many parameters to be read.
TOO_MANY_PARAMETERS = "query_string"
PER_PAGE_CHOICES = (25, 50, 100)
DEFAULT_PER_PAGE = 25
# No signatory can have signed before this; the upper bound is the current year.
FIRST_POSSIBLE_YEAR = 2000
# Further than this and the page number is nonsense whatever the data; checked before counting.
MAX_PAGE = 1_000_000

# Name order ignores case and accents ("acme", "élan", "Örn", "Zeta"), on both databases.
SORTS = {
    "name": (NameSortKey().asc(), "signatory_number"),
    "newest": ("-signed_on", "-signatory_number"),
    "number": ("signatory_number",),
}
SORT_LABELS = {
    "name": "Name (A to Z)",
    "newest": "Newest signatories first",
    "number": "Signatory number",
}


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
                if (
                    not _is_whole_number(value)
                    or not FIRST_POSSIBLE_YEAR <= int(value) <= this_year
                ):
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
        if _is_whole_number(raw_per_page) and int(raw_per_page) in PER_PAGE_CHOICES:
            per_page = int(raw_per_page)
        else:
            problem(
                "per_page",
                f'"{_shorten(raw_per_page)}" is not a page size: use 25, 50 or 100.',
            )

    page = 1
    raw_page = (data.get("page", "") or "").strip()
    if raw_page:
        if _is_whole_number(raw_page) and len(raw_page) <= 7 and 1 <= int(raw_page) <= MAX_PAGE:
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


def parse_request(
    request, *, default_sort: str = "name", allow_updated_since: bool = False
) -> tuple[DirectoryParams, dict[str, list[str]]]:
    """:func:`parse_params` on a request's query string, which Django refuses to read at all
    beyond ``DATA_UPLOAD_MAX_NUMBER_FIELDS`` parameters (``TooManyFieldsSent``): then the
    defaults, with a problem that says so, instead of Django's bare "Bad Request" page."""
    try:
        data = request.GET
    except TooManyFieldsSent:
        params, _ = parse_params(
            QueryDict(), default_sort=default_sort, allow_updated_since=allow_updated_since
        )
        limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
        message = (
            f"The address has more than {limit:,} parameters, so none of them was read: "
            "remove some filters and try again."
        )
        return params, {TOO_MANY_PARAMETERS: [message]}
    return parse_params(data, default_sort=default_sort, allow_updated_since=allow_updated_since)


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


def _is_whole_number(value: str) -> bool:
    """ASCII digits only: ``str.isdigit()`` also accepts "²" or "١", which ``int()`` refuses or
    reads as another number, so a hand-made URL could turn a 400 into a 500."""
    return value.isascii() and value.isdigit()


def _shorten(value: str, limit: int = 40) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"

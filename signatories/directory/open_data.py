"""Open data: the rows of the JSON API and the CSV export, with their published field names
and the spreadsheet formula guard."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from django.db.models import QuerySet

from signatories.choices import OrganisationStatus
from signatories.directory.pages import active_count
from signatories.directory.params import SORTS, DirectoryParams
from signatories.models import Organisation
from signatories.search import name_search
from signatories.selectors import public_signatories

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
    # The active signatories' count is kept (an index-only count grew with the table).
    count = active_count(params) if params.updated_since is None else None
    if count is None:
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
# size of the export. Larger chunks mean fewer round trips; 2,000 rows are about 300 KB.
CSV_CHUNK_SIZE = 2000
_ACTIVE = str(OrganisationStatus.ACTIVE)
_WITHDRAWN = str(OrganisationStatus.WITHDRAWN)


def export_rows(params: DirectoryParams, *, profile_base_url: str) -> Iterator[tuple]:
    """The header, then one tuple per organisation, read in chunks through a server-side cursor
    on PostgreSQL (``iterator``), so memory stays flat however many rows there are.

    The same values as :func:`open_data_record`, in ``OPEN_DATA_FIELDS`` order, built straight
    from ``values_list`` tuples: the export is read by the thousand, and a dict per row (the
    ORM's and the record's) cost a third of its time. The URL (the site's own address and the
    slug) and the ISO dates start with a letter or a digit, so only the stored text needs the
    formula guard.
    """
    yield tuple(OPEN_DATA_FIELDS)
    safe = spreadsheet_safe
    rows = open_data_queryset(params).values_list(*_OPEN_DATA_COLUMNS)
    for (
        name,
        slug,
        number,
        signed_on,
        sector,
        size_band,
        region,
        organisation_type,
        status,
        updated_at,
    ) in rows.iterator(chunk_size=CSV_CHUNK_SIZE):
        if status != _ACTIVE and status != _WITHDRAWN:
            status = UNLISTED
        yield (
            safe(name),
            safe(slug),
            f"{profile_base_url}{slug}/",
            number,
            signed_on.isoformat(),
            safe(sector),
            safe(size_band),
            safe(region),
            safe(organisation_type),
            safe(status),
            updated_at.isoformat(),
        )

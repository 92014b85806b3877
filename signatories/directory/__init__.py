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
in one query, then the page's rows). On PostgreSQL the facet counts come from what triggers
keep: the unfiltered counts as they are, a filtered page's summed from the data cube in one
GROUPING SETS query; a searched page groups the rows the search finds the same way. SQLite
counts them with one conditional aggregate.

One module per concern; the names the rest of the code uses are re-exported here:

- ``params``: the query-string vocabulary and :func:`parse_params`
- ``pages``: the directory page (rows, facet counts, paging)
- ``version``: :func:`directory_version`, what cached and conditional responses depend on
- ``facet_counts``: the triggers that keep the facet counts and the data cube on PostgreSQL
- ``open_data``: the rows of the JSON API and the CSV export
- ``home``: the home page's count, newest signatories and chart
"""

from signatories.directory.home import (
    Chart,
    ChartBar,
    YearCount,
    bar_chart,
    home_directory_context,
    newest_signatories,
    signatories_over_time,
)
from signatories.directory.open_data import (
    CSV_CHUNK_SIZE,
    FORMULA_PREFIXES,
    OPEN_DATA_FIELDS,
    UNLISTED,
    ApiPage,
    api_page,
    export_rows,
    open_data_queryset,
    open_data_record,
    spreadsheet_safe,
)
from signatories.directory.pages import (
    ROW_FIELDS,
    DirectoryPage,
    DirectoryRow,
    Facet,
    FacetValue,
    PageLink,
    directory_page,
    directory_queryset,
    first_signing_year,
)
from signatories.directory.params import (
    DEFAULT_PER_PAGE,
    DIMENSIONS,
    DIMENSIONS_BY_PARAM,
    FIRST_POSSIBLE_YEAR,
    MAX_PAGE,
    MAX_QUERY_LENGTH,
    PER_PAGE_CHOICES,
    SORT_LABELS,
    SORTS,
    TOO_MANY_PARAMETERS,
    Dimension,
    DirectoryParams,
    parse_params,
    parse_request,
    parse_updated_since,
)
from signatories.directory.version import (
    ETAG_FORMAT,
    DirectoryVersion,
    directory_version,
    read_directory_version,
)

__all__ = (
    "CSV_CHUNK_SIZE",
    "DEFAULT_PER_PAGE",
    "DIMENSIONS",
    "DIMENSIONS_BY_PARAM",
    "ETAG_FORMAT",
    "FIRST_POSSIBLE_YEAR",
    "FORMULA_PREFIXES",
    "MAX_PAGE",
    "MAX_QUERY_LENGTH",
    "OPEN_DATA_FIELDS",
    "PER_PAGE_CHOICES",
    "ROW_FIELDS",
    "SORTS",
    "SORT_LABELS",
    "TOO_MANY_PARAMETERS",
    "UNLISTED",
    "ApiPage",
    "Chart",
    "ChartBar",
    "Dimension",
    "DirectoryPage",
    "DirectoryParams",
    "DirectoryRow",
    "DirectoryVersion",
    "Facet",
    "FacetValue",
    "PageLink",
    "YearCount",
    "api_page",
    "bar_chart",
    "directory_page",
    "directory_queryset",
    "directory_version",
    "export_rows",
    "first_signing_year",
    "home_directory_context",
    "newest_signatories",
    "open_data_queryset",
    "open_data_record",
    "parse_params",
    "parse_request",
    "parse_updated_since",
    "read_directory_version",
    "signatories_over_time",
    "spreadsheet_safe",
)

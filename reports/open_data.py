"""The published benchmark cells as open data: which report a year serves, the CSV rows, and the
OpenAPI description of ``/api/benchmarks/``.

Everything here reads the frozen ``BenchmarkReport.cells`` of the latest PUBLISHED version of a
year, never the returns: an erasure or a late amendment after publication changes nothing that
is served (DESIGN §2, §5).
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from typing import TypeVar

from django.conf import settings

from reports.models import BenchmarkReport
from reports.selectors import published

# The cell keys the issue promises, in the order the CSV and the schema list them.
CELL_FIELDS = (
    "organisations",
    "tech_total",
    "women_pct",
    "ethnic_minority_pct",
    "senior_women_pct",
    "senior_ethnic_minority_pct",
    "women_pct_quartiles",
)
BREAKDOWN_NAMES = ("sector", "size_band", "region", "organisation_type")
QUARTILE_COLUMNS = ("women_pct_lower_quartile", "women_pct_median", "women_pct_upper_quartile")
OVERALL = "overall"
OVERALL_CODE = "all"


# --- Served from memory -------------------------------------------------------------------------
#
# The public answers are as cheap as a trivial view (DESIGN §7): each process remembers, for up
# to REPORTS_PUBLISHED_MAX_AGE seconds, which version of a year is published (so most requests
# make no query at all), and keeps the bytes it served for a published version for good, since
# a published version never changes. Both are bounded, as a visitor chooses the year.

MEMORY_ENTRIES = 64
_published_ids: dict[int, tuple[float, int | None]] = {}
_frozen_bodies: OrderedDict[tuple[str, int], object] = OrderedDict()
Body = TypeVar("Body")


def open_data_memory_clear() -> None:
    _published_ids.clear()
    _frozen_bodies.clear()


def published_report_id(year: int) -> int | None:
    """The id of the latest published version of a year, or None; at most one small query."""
    now = time.monotonic()
    known = _published_ids.get(year)
    if known is not None and now - known[0] < settings.REPORTS_PUBLISHED_MAX_AGE:
        return known[1]
    report_id = (
        BenchmarkReport.objects.filter(published_at__isnull=False, cycle__year=year)
        .order_by("-version")
        .values_list("pk", flat=True)
        .first()
    )
    if len(_published_ids) >= MEMORY_ENTRIES:
        _published_ids.clear()
    _published_ids[year] = (now, report_id)
    return report_id


def frozen(kind: str, report_id: int, make: Callable[[], Body]) -> Body:
    """What ``make`` makes for a published version, made once per process."""
    key = (kind, report_id)
    if key in _frozen_bodies:
        _frozen_bodies.move_to_end(key)
        return _frozen_bodies[key]
    body = make()
    _frozen_bodies[key] = body
    while len(_frozen_bodies) > MEMORY_ENTRIES:
        _frozen_bodies.popitem(last=False)
    return body


def frozen_body(kind: str, report_id: int, render: Callable[[BenchmarkReport], Body]) -> Body:
    """What ``render`` makes of a published version (its bytes, its file name), made once per
    process: one query the first time, none after."""
    return frozen(kind, report_id, lambda: render(published().get(pk=report_id)))


def benchmarks_document(report: BenchmarkReport) -> dict:
    """``/api/benchmarks/<year>/``: the frozen cells as stored, with the version it came from."""
    cells = report.cells or {}
    return {
        "year": report.cycle.year,
        "overall": cells.get("overall"),
        "breakdowns": {name: cells.get("breakdowns", {}).get(name, {}) for name in BREAKDOWN_NAMES},
        "methodology": cells.get("methodology"),
        "version": report.version,
        "published_at": report.published_at.isoformat(),
        "correction_note": report.correction_note,
    }


# --- The CSV ------------------------------------------------------------------------------------


def _flatten(cell: dict) -> dict[str, object]:
    """One cell as flat columns: the quartiles as three, a nested sample as <key>_<part>."""
    flat: dict[str, object] = {}
    for key, value in cell.items():
        if key == "women_pct_quartiles":
            for column, quartile in zip(QUARTILE_COLUMNS, value or (None,) * 3, strict=True):
                flat[column] = quartile
        elif isinstance(value, dict):
            for part, inner in value.items():
                flat[f"{key}_{part}"] = inner
        else:
            flat[key] = value
    return flat


def _cells_in_order(cells: dict) -> Iterator[tuple[str, str, dict | None]]:
    yield OVERALL, OVERALL_CODE, cells.get("overall")
    breakdowns = cells.get("breakdowns", {})
    for name in BREAKDOWN_NAMES:
        # Sorted by code: PostgreSQL's jsonb keeps keys in its own order (shortest first).
        cells_of_breakdown = breakdowns.get(name, {})
        for code in sorted(cells_of_breakdown):
            yield name, code, cells_of_breakdown[code]


def csv_rows(cells: dict) -> tuple[list[str], list[list[object]]]:
    """The header and one row per (breakdown, code), the overall cell first.

    A suppressed cell is a row with ``suppressed`` true and every figure empty; ``"<10"`` stays
    text. Columns: the promised keys first (the quartiles as three columns), then every further
    key the cells carry, in the order they first appear.
    """
    flat_cells = [
        (breakdown, code, None if cell is None else _flatten(cell))
        for breakdown, code, cell in _cells_in_order(cells)
    ]
    promised = [
        *(field for field in CELL_FIELDS if field != "women_pct_quartiles"),
        *QUARTILE_COLUMNS,
    ]
    further: dict[str, None] = {}
    for _, _, flat in flat_cells:
        for key in flat or {}:
            if key not in promised:
                further.setdefault(key)
    columns = [*promised, *further]
    header = ["breakdown", "code", "suppressed", *columns]
    rows = []
    for breakdown, code, flat in flat_cells:
        if flat is None:
            rows.append([breakdown, code, "true", *([""] * len(columns))])
            continue
        values = [flat.get(column) for column in columns]
        rows.append(
            [breakdown, code, "false", *("" if value is None else value for value in values)]
        )
    return header, rows


# --- The OpenAPI description --------------------------------------------------------------------


def _nullable_percentage(description: str) -> dict:
    return {
        "type": "number",
        "minimum": 0,
        "maximum": 100,
        "nullable": True,
        "description": f"{description} To 1 decimal place; null when its numerator is under 10.",
    }


def openapi_components() -> dict:
    """The schemas ``/api/benchmarks/`` answers with, for components.schemas."""
    cell = {
        "type": "object",
        "nullable": True,
        "description": "One group's published figures, or null when the group is suppressed "
        "(fewer than 3 organisations, under 10 tech staff, one organisation holding more than "
        "80% of them, or hidden so that a suppressed neighbour cannot be derived). Further keys "
        "(optional lenses, job families, practices) may appear.",
        "required": list(CELL_FIELDS),
        "properties": {
            "organisations": {
                "type": "integer",
                "minimum": 3,
                "description": "How many organisations' returns the group counts (exact).",
            },
            "tech_total": {
                "oneOf": [
                    {"type": "integer", "minimum": 10, "multipleOf": 5},
                    {"type": "string", "enum": ["<10"]},
                ],
                "description": "Tech staff covered, rounded to the nearest 5.",
            },
            "women_pct": _nullable_percentage("Women as a share of all tech staff."),
            "ethnic_minority_pct": _nullable_percentage(
                "Ethnic minority tech staff, over the organisations that collected ethnicity."
            ),
            "senior_women_pct": _nullable_percentage("Women in senior tech roles."),
            "senior_ethnic_minority_pct": _nullable_percentage(
                "Ethnic minority staff in senior tech roles."
            ),
            "women_pct_quartiles": {
                "type": "array",
                "nullable": True,
                "minItems": 3,
                "maxItems": 3,
                "items": {"type": "integer", "minimum": 0, "maximum": 100},
                "description": "Lower quartile, median and upper quartile of the organisations' "
                "own women shares, whole percents; null under 10 organisations.",
            },
        },
        "additionalProperties": True,
    }
    breakdown = {
        "type": "object",
        "description": "Every value (code) with at least one return that year.",
        "additionalProperties": {"$ref": "#/components/schemas/BenchmarkCell"},
    }
    return {
        "BenchmarkCell": cell,
        "BenchmarkYear": {
            "type": "object",
            "required": ["year", "overall", "breakdowns"],
            "properties": {
                "year": {"type": "integer"},
                "overall": {"$ref": "#/components/schemas/BenchmarkCell"},
                "breakdowns": {
                    "type": "object",
                    "required": list(BREAKDOWN_NAMES),
                    "properties": dict.fromkeys(BREAKDOWN_NAMES, breakdown),
                },
                "methodology": {"type": "object", "nullable": True},
                "version": {"type": "integer", "minimum": 1},
                "published_at": {"type": "string", "format": "date-time"},
                "correction_note": {"type": "string"},
            },
        },
        "BenchmarkYearList": {
            "type": "object",
            "required": ["count", "results"],
            "properties": {
                "count": {"type": "integer", "minimum": 0},
                "results": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": [
                            "year",
                            "version",
                            "published_at",
                            "url",
                            "report_url",
                            "pdf_url",
                            "csv_url",
                        ],
                        "properties": {
                            "year": {"type": "integer"},
                            "version": {"type": "integer", "minimum": 1},
                            "published_at": {"type": "string", "format": "date-time"},
                            "url": {"type": "string", "format": "uri"},
                            "report_url": {"type": "string", "format": "uri"},
                            "pdf_url": {"type": "string", "format": "uri"},
                            "csv_url": {"type": "string", "format": "uri"},
                        },
                    },
                },
            },
        },
        "NotFound": {
            "type": "object",
            "required": ["detail"],
            "properties": {"detail": {"type": "string"}},
        },
    }


def openapi_paths() -> dict:
    """The paths of the benchmark open data, for the document at ``/api/schema/``."""
    year = {
        "name": "year",
        "in": "path",
        "required": True,
        "schema": {"type": "integer"},
        "description": "A year whose report is published.",
    }
    not_published = {
        "description": "No report is published for that year.",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NotFound"}}},
    }
    return {
        "/api/benchmarks/": {
            "get": {
                "operationId": "listBenchmarkYears",
                "summary": "List the years whose benchmarking report is published",
                "responses": {
                    "200": {
                        "description": "The published years, newest first, each at its latest "
                        "version.",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/BenchmarkYearList"}
                            }
                        },
                    }
                },
            }
        },
        "/api/benchmarks/{year}/": {
            "get": {
                "operationId": "getBenchmarks",
                "summary": "A year's published benchmark cells",
                "parameters": [year],
                "responses": {
                    "200": {
                        "description": "The cells frozen at publication (the latest version).",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/BenchmarkYear"}
                            }
                        },
                    },
                    "304": {"description": "Not modified since the ETag you sent."},
                    "404": not_published,
                },
            }
        },
        "/reports/{year}/benchmarks.csv": {
            "get": {
                "operationId": "getBenchmarksCsv",
                "summary": "A year's published benchmark cells as CSV",
                "description": "One row per breakdown and code, the overall cell first "
                "(breakdown overall, code all). Columns: breakdown, code, suppressed, the "
                "BenchmarkCell keys with the quartiles as three columns "
                f"({', '.join(QUARTILE_COLUMNS)}), then any further keys. A suppressed cell has "
                "suppressed true and every figure empty; <10 stays as text.",
                "parameters": [year],
                "responses": {
                    "200": {
                        "description": "The cells as CSV.",
                        "content": {"text/csv": {"schema": {"type": "string"}}},
                    },
                    "404": {"description": "No report is published for that year."},
                },
            }
        },
    }

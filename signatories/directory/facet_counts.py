"""The directory's facet counts kept by PostgreSQL triggers: the unfiltered counts
(:class:`DirectoryFacetCount`) and the data cube that filtered counts are summed from
(:class:`DirectoryFacetCell`).

Counting the facets of 100,000 signatories takes a scan of all of them (about 100 ms), and
every first visit after a change paid it. The unfiltered directory's counts are marginal
counts, one per filter value, and a change to organisations moves only a few of them: these
triggers apply that change in the writing statement's own transaction, from its transition
tables (one statement per organisation statement, so a bulk insert of 100,000 rows adds one
grouped upsert, not 100,000). Rows are upserted in (dimension, code) order, so two writers lock
them in the same order and cannot deadlock. TRUNCATE empties the table, as it empties the
organisations.

The cube's cells are kept the same way by triggers of their own (``signatories_cells_*``),
installed by a later migration than the unfiltered counts' ones, and so are the narrow search
entries a searched page counts from (``signatories_entries_*``, :class:`DirectorySearchEntry`).

The dimensions and their columns must match signatories.directory.params.DIMENSIONS (tests
compare both tables with a count of the rows).
"""

from __future__ import annotations

from signatories.models import (
    DirectoryFacetCell,
    DirectoryFacetCount,
    DirectorySearchEntry,
    Organisation,
)

FACET_TABLE = DirectoryFacetCount._meta.db_table
CELL_TABLE = DirectoryFacetCell._meta.db_table
ENTRY_TABLE = DirectorySearchEntry._meta.db_table
# The cube's key, in the order of its unique constraint (and of the upserts, so writers lock
# cells in one order and cannot deadlock).
CELL_KEY = "sector, size_band, region, organisation_type, year"
ORGANISATION_TABLE = Organisation._meta.db_table
TOTAL = "total"

# (dimension, code) pairs of one organisation row, ``o``; the year as text, as the directory's
# year filter spells it.
_CELLS = f"""
    SELECT cell.dimension, cell.code, o.sign
    FROM changed AS o
    CROSS JOIN LATERAL (VALUES
        ('sector', o.sector),
        ('size', o.size_band),
        ('region', o.region),
        ('type', o.organisation_type),
        ('year', extract(year FROM o.signed_on)::int::text),
        ('{TOTAL}', '')
    ) AS cell (dimension, code)
"""


def _function_sql(name: str, changed: str) -> str:
    return f"""
    CREATE OR REPLACE FUNCTION {name}() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        WITH changed AS ({changed}),
        delta AS (
            SELECT dimension, code, sum(sign) AS change FROM ({_CELLS}) AS cells
            GROUP BY dimension, code HAVING sum(sign) <> 0
        )
        INSERT INTO {FACET_TABLE} (dimension, code, count)
        SELECT dimension, code, change FROM delta ORDER BY dimension, code
        ON CONFLICT (dimension, code) DO UPDATE SET count = {FACET_TABLE}.count + EXCLUDED.count;
        RETURN NULL;
    END
    $$
    """


_ACTIVE_NEW = "SELECT *, 1 AS sign FROM new_rows WHERE status = 'active'"
_ACTIVE_OLD = "SELECT *, -1 AS sign FROM old_rows WHERE status = 'active'"

_TRIGGERS = {
    # event: (function, the rows that changed with +1 or -1, transition tables)
    "INSERT": ("signatories_facets_inserted", _ACTIVE_NEW, "NEW TABLE AS new_rows"),
    "UPDATE": (
        "signatories_facets_updated",
        f"{_ACTIVE_NEW} UNION ALL {_ACTIVE_OLD}",
        "OLD TABLE AS old_rows NEW TABLE AS new_rows",
    ),
    "DELETE": ("signatories_facets_deleted", _ACTIVE_OLD, "OLD TABLE AS old_rows"),
}

INSTALL_SQL = []
for _event, (_function, _changed, _tables) in _TRIGGERS.items():
    INSTALL_SQL += [
        _function_sql(_function, _changed),
        f"DROP TRIGGER IF EXISTS {_function} ON {ORGANISATION_TABLE}",
        f"""
        CREATE TRIGGER {_function} AFTER {_event} ON {ORGANISATION_TABLE}
        REFERENCING {_tables} FOR EACH STATEMENT EXECUTE FUNCTION {_function}()
        """,
    ]
INSTALL_SQL += [
    f"""
    CREATE OR REPLACE FUNCTION signatories_facets_truncated() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        DELETE FROM {FACET_TABLE};
        RETURN NULL;
    END
    $$
    """,
    f"DROP TRIGGER IF EXISTS signatories_facets_truncated ON {ORGANISATION_TABLE}",
    f"""
    CREATE TRIGGER signatories_facets_truncated AFTER TRUNCATE ON {ORGANISATION_TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION signatories_facets_truncated()
    """,
]
# What the triggers would have counted had they always existed.
RECOUNT_SQL = [
    f"DELETE FROM {FACET_TABLE}",
    f"""
    WITH changed AS (SELECT *, 1 AS sign FROM {ORGANISATION_TABLE} WHERE status = 'active')
    INSERT INTO {FACET_TABLE} (dimension, code, count)
    SELECT dimension, code, sum(sign) FROM ({_CELLS}) AS cells GROUP BY dimension, code
    """,
]
DROP_SQL = [
    f"DROP TRIGGER IF EXISTS {name} ON {ORGANISATION_TABLE}"
    for name in [
        *(function for function, _, _ in _TRIGGERS.values()),
        "signatories_facets_truncated",
    ]
] + [
    f"DROP FUNCTION IF EXISTS {name}()"
    for name in [
        *(function for function, _, _ in _TRIGGERS.values()),
        "signatories_facets_truncated",
    ]
]


# The cube's cells of the changed rows, ``changed`` as in _function_sql.
_CELL_DELTA = f"""
    SELECT sector, size_band, region, organisation_type,
           extract(year FROM signed_on)::int AS year, sum(sign) AS change
    FROM changed
    GROUP BY {CELL_KEY} HAVING sum(sign) <> 0
"""


def _cell_function_sql(name: str, changed: str) -> str:
    return f"""
    CREATE OR REPLACE FUNCTION {name}() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        WITH changed AS ({changed}), delta AS ({_CELL_DELTA})
        INSERT INTO {CELL_TABLE} ({CELL_KEY}, count)
        SELECT {CELL_KEY}, change FROM delta ORDER BY {CELL_KEY}
        ON CONFLICT ({CELL_KEY}) DO UPDATE SET count = {CELL_TABLE}.count + EXCLUDED.count;
        RETURN NULL;
    END
    $$
    """


_CELL_TRIGGERS = {
    event: (function.replace("_facets_", "_cells_"), changed, tables)
    for event, (function, changed, tables) in _TRIGGERS.items()
}
_CELL_TRUNCATED = "signatories_cells_truncated"

CELL_INSTALL_SQL = []
for _event, (_function, _changed, _tables) in _CELL_TRIGGERS.items():
    CELL_INSTALL_SQL += [
        _cell_function_sql(_function, _changed),
        f"DROP TRIGGER IF EXISTS {_function} ON {ORGANISATION_TABLE}",
        f"""
        CREATE TRIGGER {_function} AFTER {_event} ON {ORGANISATION_TABLE}
        REFERENCING {_tables} FOR EACH STATEMENT EXECUTE FUNCTION {_function}()
        """,
    ]
CELL_INSTALL_SQL += [
    f"""
    CREATE OR REPLACE FUNCTION {_CELL_TRUNCATED}() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        DELETE FROM {CELL_TABLE};
        RETURN NULL;
    END
    $$
    """,
    f"DROP TRIGGER IF EXISTS {_CELL_TRUNCATED} ON {ORGANISATION_TABLE}",
    f"""
    CREATE TRIGGER {_CELL_TRUNCATED} AFTER TRUNCATE ON {ORGANISATION_TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION {_CELL_TRUNCATED}()
    """,
]
CELL_RECOUNT_SQL = [
    f"DELETE FROM {CELL_TABLE}",
    f"""
    WITH changed AS (SELECT *, 1 AS sign FROM {ORGANISATION_TABLE} WHERE status = 'active')
    INSERT INTO {CELL_TABLE} ({CELL_KEY}, count)
    SELECT {CELL_KEY}, change FROM ({_CELL_DELTA}) AS delta
    """,
]
_CELL_FUNCTIONS = [*(function for function, _, _ in _CELL_TRIGGERS.values()), _CELL_TRUNCATED]
CELL_DROP_SQL = [
    f"DROP TRIGGER IF EXISTS {name} ON {ORGANISATION_TABLE}" for name in _CELL_FUNCTIONS
] + [f"DROP FUNCTION IF EXISTS {name}()" for name in _CELL_FUNCTIONS]


# The search entries: rows deleted by id, then the active new rows inserted, in id order.
_ENTRY_COLUMNS = "organisation_id, search_text, sector, size_band, region, organisation_type, year"
_ENTRY_VALUES = """
    id, charter_fold(public_name || ' ' || legal_name), sector, size_band, region,
    organisation_type, extract(year FROM signed_on)::int
"""
_ENTRY_DELETE = f"DELETE FROM {ENTRY_TABLE} WHERE organisation_id IN (SELECT id FROM old_rows);"
_ENTRY_INSERT = f"""
    INSERT INTO {ENTRY_TABLE} ({_ENTRY_COLUMNS})
    SELECT {_ENTRY_VALUES} FROM new_rows WHERE status = 'active' ORDER BY id;
"""
_ENTRY_TRIGGERS = {
    # event: (function, its statements, transition tables)
    "INSERT": ("signatories_entries_inserted", _ENTRY_INSERT, "NEW TABLE AS new_rows"),
    "UPDATE": (
        "signatories_entries_updated",
        _ENTRY_DELETE + _ENTRY_INSERT,
        "OLD TABLE AS old_rows NEW TABLE AS new_rows",
    ),
    "DELETE": ("signatories_entries_deleted", _ENTRY_DELETE, "OLD TABLE AS old_rows"),
    "TRUNCATE": ("signatories_entries_truncated", f"DELETE FROM {ENTRY_TABLE};", ""),
}
ENTRY_INSTALL_SQL = [
    f"CREATE INDEX IF NOT EXISTS {ENTRY_TABLE}_trgm ON {ENTRY_TABLE} "
    "USING gin (search_text gin_trgm_ops)"
]
for _event, (_function, _statements, _tables) in _ENTRY_TRIGGERS.items():
    _referencing = f"REFERENCING {_tables}" if _tables else ""
    ENTRY_INSTALL_SQL += [
        f"""
        CREATE OR REPLACE FUNCTION {_function}() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            {_statements}
            RETURN NULL;
        END
        $$
        """,
        f"DROP TRIGGER IF EXISTS {_function} ON {ORGANISATION_TABLE}",
        f"""
        CREATE TRIGGER {_function} AFTER {_event} ON {ORGANISATION_TABLE}
        {_referencing} FOR EACH STATEMENT EXECUTE FUNCTION {_function}()
        """,
    ]
ENTRY_RECOUNT_SQL = [
    f"DELETE FROM {ENTRY_TABLE}",
    f"""
    INSERT INTO {ENTRY_TABLE} ({_ENTRY_COLUMNS})
    SELECT {_ENTRY_VALUES} FROM {ORGANISATION_TABLE} WHERE status = 'active' ORDER BY id
    """,
    f"ANALYZE {ENTRY_TABLE}",
]
ENTRY_DROP_SQL = [
    f"DROP TRIGGER IF EXISTS {function} ON {ORGANISATION_TABLE}"
    for function, _, _ in _ENTRY_TRIGGERS.values()
] + [f"DROP FUNCTION IF EXISTS {function}()" for function, _, _ in _ENTRY_TRIGGERS.values()]


def maintained(connection) -> bool:
    """Whether this database keeps the facet counts (PostgreSQL) or the directory counts rows."""
    return connection.vendor == "postgresql"


def install_facet_triggers(connection) -> None:
    """Create (or replace) the triggers and recount from the organisations. Idempotent."""
    if not maintained(connection):
        return
    with connection.cursor() as cursor:
        for statement in [*INSTALL_SQL, *RECOUNT_SQL]:
            cursor.execute(statement)


def drop_facet_triggers(connection) -> None:
    if not maintained(connection):
        return
    with connection.cursor() as cursor:
        for statement in DROP_SQL:
            cursor.execute(statement)


def install_cell_triggers(connection) -> None:
    """Create (or replace) the cube's triggers and recount its cells. Idempotent."""
    if not maintained(connection):
        return
    with connection.cursor() as cursor:
        for statement in [*CELL_INSTALL_SQL, *CELL_RECOUNT_SQL]:
            cursor.execute(statement)


def drop_cell_triggers(connection) -> None:
    if not maintained(connection):
        return
    with connection.cursor() as cursor:
        for statement in CELL_DROP_SQL:
            cursor.execute(statement)


def install_entry_triggers(connection) -> None:
    """Create (or replace) the search entries' index and triggers, and refill them. Idempotent."""
    if not maintained(connection):
        return
    with connection.cursor() as cursor:
        for statement in [*ENTRY_INSTALL_SQL, *ENTRY_RECOUNT_SQL]:
            cursor.execute(statement)


def drop_entry_triggers(connection) -> None:
    if not maintained(connection):
        return
    with connection.cursor() as cursor:
        for statement in ENTRY_DROP_SQL:
            cursor.execute(statement)

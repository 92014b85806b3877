"""The directory's version: a counter of changes to organisations, bumped by database triggers in
the same transaction as each change, and remembered for a bounded time in each process."""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.utils import timezone

from signatories.models import DirectoryCounter, Organisation

COUNTER_TABLE = DirectoryCounter._meta.db_table
ORGANISATION_TABLE = Organisation._meta.db_table

# One statement per organisation statement on PostgreSQL (a bulk insert of 1,000 rows bumps the
# counter once). The upsert also recreates the row if it was deleted (``manage.py flush``).
_POSTGRES_TRIGGER_SQL = [
    f"""
    CREATE OR REPLACE FUNCTION signatories_directory_changed() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO {COUNTER_TABLE} (id, changes) VALUES (1, 1)
        ON CONFLICT (id) DO UPDATE SET changes = {COUNTER_TABLE}.changes + 1;
        RETURN NULL;
    END
    $$
    """,
    f"DROP TRIGGER IF EXISTS signatories_directory_changed ON {ORGANISATION_TABLE}",
    f"""
    CREATE TRIGGER signatories_directory_changed
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {ORGANISATION_TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION signatories_directory_changed()
    """,
]
# SQLite has row triggers only; one small upsert per row is cheap at its size.
_SQLITE_TRIGGER_SQL = [
    f"""
    CREATE TRIGGER IF NOT EXISTS signatories_directory_changed_on_{event.lower()}
    AFTER {event} ON {ORGANISATION_TABLE} FOR EACH ROW
    BEGIN
        INSERT INTO {COUNTER_TABLE} (id, changes) VALUES (1, 1)
        ON CONFLICT (id) DO UPDATE SET changes = changes + 1;
    END
    """
    for event in ("INSERT", "UPDATE", "DELETE")
]
_POSTGRES_DROP_SQL = [
    f"DROP TRIGGER IF EXISTS signatories_directory_changed ON {ORGANISATION_TABLE}",
    "DROP FUNCTION IF EXISTS signatories_directory_changed()",
]
_SQLITE_DROP_SQL = [
    f"DROP TRIGGER IF EXISTS signatories_directory_changed_on_{event}"
    for event in ("insert", "update", "delete")
]


def install_change_triggers(target_connection) -> None:
    """Create (or recreate) the triggers that count changes to organisations. Idempotent.

    Called by migration 0005_directory_counter, and on SQLite after every ``migrate`` too
    (``SignatoriesConfig.ready``): SQLite alters a table by copying it into a new one, which
    loses its triggers.
    """
    statements = {
        "postgresql": _POSTGRES_TRIGGER_SQL,
        "sqlite": _SQLITE_TRIGGER_SQL,
    }.get(target_connection.vendor)
    if statements is None:
        raise NotImplementedError(
            f"The directory's change counter has no triggers for {target_connection.vendor}."
        )
    with target_connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def drop_change_triggers(target_connection) -> None:
    statements = {
        "postgresql": _POSTGRES_DROP_SQL,
        "sqlite": _SQLITE_DROP_SQL,
    }.get(target_connection.vendor, [])
    with target_connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def reinstall_sqlite_change_triggers(sender, using: str = "default", **kwargs) -> None:
    """``post_migrate`` receiver: put back the SQLite triggers a table rebuild dropped."""
    from django.db import connections

    target = connections[using]
    if target.vendor != "sqlite":
        return
    if COUNTER_TABLE in target.introspection.table_names():
        install_change_triggers(target)


@dataclass(frozen=True)
class DirectoryVersion:
    """What every cached or conditional directory response depends on: the number of changes
    made so far to organisations (:class:`signatories.models.DirectoryCounter`).

    Reading it is one primary-key look-up, whatever the number of signatories.
    """

    changes: int

    @property
    def token(self) -> str:
        return str(self.changes)

    def etag(self, *parts: str) -> str:
        """An ETag (and cache key) for a response built from this version and ``parts``.

        Today's date is part of it: the pages also depend on the date (the year filter runs to
        the current year; the CSV file is named after today), so yesterday's copy is not
        revalidated as today's.
        """
        today = timezone.localdate().isoformat()
        text = "|".join((ETAG_FORMAT, self.token, today, *parts))
        return f'"{hashlib.sha256(text.encode()).hexdigest()[:32]}"'


# Bump when the directory's output format changes, so clients do not keep an old 304'd copy.
ETAG_FORMAT = "directory-2"


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
    """One query: the counter's single row (none yet counts as no change).

    Raw SQL because this runs on every directory, export and API request that is not answered
    from memory, and the ORM spends a good part of a millisecond building the statement.

    Read before the rows a response shows, so those rows are at least as new as the version
    they are cached under: a change committed in between gives a newer page under the older
    key, never an older page under the newer one.
    """
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT changes FROM {COUNTER_TABLE} WHERE id = 1")
        row = cursor.fetchone()
    return DirectoryVersion(changes=row[0] if row else 0)

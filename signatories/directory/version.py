"""The directory's version (latest change, highest id): what every cached or conditional
response depends on, remembered for a bounded time in each process."""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from signatories.models import Organisation


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

"""The directory's version: a count of changes to organisations, kept by database triggers in
the changing transaction, and reused by each process for a bounded time."""

from __future__ import annotations

import datetime as dt
import io
import sqlite3
import threading

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from signatories.directory import version as directory_version_module
from signatories.directory.version import read_directory_version
from signatories.models import Organisation, SignatoryNumberSequence
from signatories.services.applications import application_approve
from signatories.services.organisations import (
    organisation_data_contact_update,
    organisation_profile_update,
    organisation_withdraw,
)
from tests.concurrency import run_concurrently
from tests.conftest import make_organisation


@pytest.fixture
def clock(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(directory_version_module.time, "monotonic", lambda: now[0])
    monkeypatch.setattr(directory_version_module, "_remembered_version", None)
    return now


# --- Reuse within a process ------------------------------------------------------------------


def test_it_reuses_the_version_within_the_max_age(db, settings, clock):
    settings.DIRECTORY_VERSION_MAX_AGE = 1.0
    before = directory_version_module.directory_version()
    make_organisation("Newcomer", number=50)

    clock[0] += 0.5
    still = directory_version_module.directory_version()
    clock[0] += 0.6
    after = directory_version_module.directory_version()

    assert still == before
    assert after.changes > before.changes


def test_a_max_age_of_zero_reads_the_database_every_time(
    db, settings, clock, django_assert_num_queries
):
    settings.DIRECTORY_VERSION_MAX_AGE = 0
    directory_version_module.directory_version()

    with django_assert_num_queries(1):
        directory_version_module.directory_version()


def test_within_the_max_age_a_cached_look_costs_no_query(
    db, settings, clock, django_assert_num_queries
):
    settings.DIRECTORY_VERSION_MAX_AGE = 1.0
    directory_version_module.directory_version()

    with django_assert_num_queries(0):
        directory_version_module.directory_version()


# --- Every change counts ---------------------------------------------------------------------


def _save(organisation: Organisation) -> None:
    organisation.description = "Changed."
    organisation.save()


def _update_without_touching_updated_at(organisation: Organisation) -> None:
    Organisation.objects.filter(pk=organisation.pk).update(description="Changed.")


def _bulk_create(organisation: Organisation) -> None:
    Organisation.objects.bulk_create(
        Organisation(
            legal_name=f"Bulk {number} Ltd",
            public_name=f"Bulk {number}",
            slug=f"bulk-{number}",
            website=f"https://bulk-{number}.example",
            website_domain=f"bulk-{number}.example",
            signatory_number=number,
            signed_on=dt.date(2024, 1, 1),
        )
        for number in (101, 102)
    )


def _delete(organisation: Organisation) -> None:
    # Organisations are withdrawn, never deleted, but a developer's raw fix still counts.
    Organisation.objects.filter(pk=organisation.pk).delete()


@pytest.mark.parametrize(
    "change", [_save, _update_without_touching_updated_at, _bulk_create, _delete]
)
def test_every_kind_of_write_to_organisations_moves_the_version(db, change):
    organisation = make_organisation("Target", number=99)
    before = read_directory_version()

    change(organisation)

    assert read_directory_version().changes > before.changes


def test_a_change_that_rolls_back_leaves_the_version_alone(acme):
    before = read_directory_version()

    with pytest.raises(RuntimeError), transaction.atomic():
        _save(acme)
        raise RuntimeError("the rest of the change failed")

    assert read_directory_version() == before


def test_reading_the_version_is_one_query(acme, django_assert_num_queries):
    with django_assert_num_queries(1):
        read_directory_version()


def _approve(acme, alice, staff_user, submitted_application) -> None:
    SignatoryNumberSequence.objects.update(last_number=acme.signatory_number)
    application_approve(application=submitted_application, by=staff_user)


def _edit_profile(acme, alice, staff_user, submitted_application) -> None:
    data = {
        "public_name": "Acme",
        "description": "Data science.",
        "website": "https://acme.example",
        "sector": "software",
        "size_band": "50-249",
        "region": "london",
    }
    organisation_profile_update(organisation=acme, by=alice, data=data)


def _change_data_contact(acme, alice, staff_user, submitted_application) -> None:
    organisation_data_contact_update(
        organisation=acme, by=alice, name="Dee Data", email="dee@acme.example"
    )


def _withdraw(acme, alice, staff_user, submitted_application) -> None:
    organisation_withdraw(organisation=acme, by=alice, reason="Merged into another company.")


def _seed_demo(acme, alice, staff_user, submitted_application) -> None:
    call_command("seed_demo", organisations=3, seed=1, stdout=io.StringIO())


@pytest.mark.parametrize(
    "service", [_approve, _edit_profile, _change_data_contact, _withdraw, _seed_demo]
)
def test_every_service_that_changes_an_organisation_moves_the_version(
    client, acme, alice, staff_user, submitted_application, service
):
    etag = client.get("/signatories/")["ETag"]
    before = read_directory_version()

    service(acme, alice, staff_user, submitted_application)

    assert read_directory_version().changes > before.changes
    assert client.get("/signatories/", HTTP_IF_NONE_MATCH=etag).status_code == 200


# --- A slow transaction ----------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_slow_transaction_that_commits_late_still_refreshes_the_cached_page(
    require_postgres, client
):
    """The old version, MAX(updated_at), missed this: a change stamped earlier than the latest
    visible one but committed after a visitor's page was cached never moved the maximum."""
    slow = make_organisation("Slow Ltd", number=1, slug="slow")
    make_organisation("Later Ltd", number=2, slug="later")
    written, page_cached = threading.Event(), threading.Event()

    def slow_rename() -> None:
        with transaction.atomic():
            # Stamped a day ago: earlier than "Later Ltd", which is already visible.
            Organisation.objects.filter(pk=slow.pk).update(
                public_name="Renamed Slowly",
                updated_at=slow.updated_at - dt.timedelta(days=1),
            )
            written.set()
            assert page_cached.wait(timeout=10)
        return "committed"

    def visit_while_it_is_open() -> str:
        assert written.wait(timeout=10)
        try:
            html = client.get("/signatories/").content.decode()
        finally:
            page_cached.set()
        return html

    results, errors = run_concurrently([slow_rename, visit_while_it_is_open])

    assert errors == [None, None]
    assert "Renamed Slowly" not in results[1]  # not committed when the page was made
    assert "Renamed Slowly" in client.get("/signatories/").content.decode()


# --- The triggers ----------------------------------------------------------------------------


def test_the_triggers_exist_on_this_database(db):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = 'signatories_organisation'::regclass"
                " AND NOT tgisinternal"
            )
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger'"
                " AND tbl_name = 'signatories_organisation'"
            )
        names = {row[0] for row in cursor.fetchall()}

    assert any(name.startswith("signatories_directory_changed") for name in names)


def test_the_sqlite_triggers_count_every_row_written():
    """The embedded SQLite default has its own triggers; checked here whatever the test
    database, on a throwaway SQLite database with the two tables they use."""
    database = sqlite3.connect(":memory:")
    database.executescript(
        f"""
        CREATE TABLE {directory_version_module.ORGANISATION_TABLE} (id INTEGER PRIMARY KEY,
            public_name TEXT);
        CREATE TABLE {directory_version_module.COUNTER_TABLE} (id INTEGER PRIMARY KEY,
            changes INTEGER NOT NULL);
        """
    )

    class SQLiteConnection:
        vendor = "sqlite"

        def cursor(self):
            return _Cursor(database)

    directory_version_module.install_change_triggers(SQLiteConnection())
    directory_version_module.install_change_triggers(SQLiteConnection())  # idempotent
    table = directory_version_module.ORGANISATION_TABLE
    database.execute(f"INSERT INTO {table} (public_name) VALUES ('Acme'), ('Globex')")
    database.execute(f"UPDATE {table} SET public_name = 'Acme Ltd' WHERE public_name = 'Acme'")
    database.execute(f"DELETE FROM {table} WHERE public_name = 'Globex'")

    counter = directory_version_module.COUNTER_TABLE
    assert database.execute(f"SELECT changes FROM {counter}").fetchall() == [(4,)]


class _Cursor:
    """The little of a Django cursor that install_change_triggers uses, over sqlite3."""

    def __init__(self, database: sqlite3.Connection) -> None:
        self.database = database

    def __enter__(self):
        return self

    def __exit__(self, *exc_info) -> None:
        return None

    def execute(self, statement: str) -> None:
        self.database.execute(statement)

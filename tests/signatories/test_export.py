"""The directory as CSV (/signatories/export.csv): streamed, filtered, spreadsheet-safe."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.http import StreamingHttpResponse

from signatories.choices import OrganisationStatus
from signatories.directory import spreadsheet_safe
from tests.conftest import make_organisation

pytestmark = pytest.mark.django_db


def rows_of(response) -> list[list[str]]:
    assert isinstance(response, StreamingHttpResponse)
    text = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(text)))


def test_it_streams_the_directory_as_csv(client, acme, globex):
    response = client.get("/signatories/export.csv")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="charter-signatories-')
    rows = rows_of(response)
    assert rows[0] == [
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
    ]
    assert [row[0] for row in rows[1:]] == ["Acme Analytics", "Globex"]
    assert rows[1][1:10] == [
        "acme-analytics",
        "http://testserver/signatories/acme-analytics/",
        "1",
        "2024-03-01",
        "software",
        "50-249",
        "london",
        "employer",
        "active",
    ]


def test_it_exports_with_the_directory_filters(client, acme, globex):
    rows = rows_of(client.get("/signatories/export.csv?sector=finance&region=scotland"))

    assert [row[0] for row in rows[1:]] == ["Globex"]


def test_it_leaves_out_suspended_and_withdrawn_signatories(client, acme):
    make_organisation("Hooli", number=6, status=OrganisationStatus.SUSPENDED)
    make_organisation(
        "Initech",
        number=7,
        status=OrganisationStatus.WITHDRAWN,
        withdrawn_on=dt.date(2025, 1, 31),
    )

    rows = rows_of(client.get("/signatories/export.csv"))

    assert [row[0] for row in rows[1:]] == ["Acme Analytics"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://evil.example")', '\'=HYPERLINK("http://evil.example")'),
        ("+44 Recruitment", "'+44 Recruitment"),
        ("-1+1", "'-1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTabbed", "'\tTabbed"),
        ("Acme", "Acme"),
        (42, 42),
    ],
)
def test_it_neutralises_spreadsheet_formulas(value, expected):
    assert spreadsheet_safe(value) == expected


def test_it_neutralises_a_formula_in_a_name_in_the_file(client):
    make_organisation("=cmd|' /C calc'!A0", number=1, slug="formula")

    rows = rows_of(client.get("/signatories/export.csv"))

    assert rows[1][0] == "'=cmd|' /C calc'!A0"


def test_it_reads_the_rows_in_two_queries_whatever_their_number(
    client, acme, globex, django_assert_num_queries
):
    for number in range(3, 40):
        make_organisation(f"Company {number}", number=number)

    with django_assert_num_queries(2):  # the version, then the rows through one cursor
        rows = rows_of(client.get("/signatories/export.csv"))

    assert len(rows) == 1 + 39


def test_it_answers_not_modified_until_a_signatory_changes(client, acme):
    etag = client.get("/signatories/export.csv")["ETag"]

    assert client.get("/signatories/export.csv", HTTP_IF_NONE_MATCH=etag).status_code == 304

    make_organisation("Globex", number=2)
    assert client.get("/signatories/export.csv", HTTP_IF_NONE_MATCH=etag).status_code == 200


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("sector=spaceflight", '"spaceflight" is not a sector code'),
        # Digits that str.isdigit() accepts and int() refuses or reads as another number.
        ("page=%C2%B2", '"²" is not a page number'),
        ("per_page=%C2%B2", '"²" is not a page size'),
        ("year=%C2%B2", '"²" is not a year to filter by'),
        ("year=%D9%A2%D9%A0%D9%A2%D9%A4", "is not a year to filter by"),
        ("updated_since=yesterday", '"yesterday" is not an ISO 8601 date'),
        (
            "&".join(f"x{number}=1" for number in range(1001)),
            "The address has more than 1,000 parameters",
        ),
    ],
)
def test_it_refuses_bad_input_with_a_message(client, acme, query, message):
    response = client.get(f"/signatories/export.csv?{query}")

    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert message in response.content.decode()


def test_it_names_the_file_after_today_and_changes_the_etag_with_the_date(client, acme):
    with time_machine.travel(dt.datetime(2025, 12, 31, 12, tzinfo=dt.UTC), tick=False):
        first = client.get("/signatories/export.csv")
        assert 'filename="charter-signatories-2025-12-31.csv"' in first["Content-Disposition"]
        again = client.get("/signatories/export.csv", HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 304

    with time_machine.travel(dt.datetime(2026, 1, 1, 12, tzinfo=dt.UTC), tick=False):
        response = client.get("/signatories/export.csv", HTTP_IF_NONE_MATCH=first["ETag"])

    assert response.status_code == 200
    assert 'filename="charter-signatories-2026-01-01.csv"' in response["Content-Disposition"]


def test_it_serves_an_unchanged_export_from_the_cache_in_one_query(
    client, acme, globex, django_assert_num_queries
):
    first = b"".join(client.get("/signatories/export.csv?sort=number").streaming_content)

    with django_assert_num_queries(1):  # the version only: the body comes from the cache
        again = client.get("/signatories/export.csv?sort=number")
        body = b"".join(again.streaming_content)

    assert body == first
    assert again["Content-Length"] == str(len(first))
    assert again["ETag"]


def test_it_exports_afresh_after_a_signatory_changes(client, acme, globex):
    b"".join(client.get("/signatories/export.csv").streaming_content)

    acme.public_name = "Acme Renamed"
    acme.save()
    rows = rows_of(client.get("/signatories/export.csv"))

    assert [row[0] for row in rows[1:]] == ["Acme Renamed", "Globex"]


def test_it_caches_each_filter_set_apart(client, acme, globex):
    rows_of(client.get("/signatories/export.csv"))

    rows = rows_of(client.get("/signatories/export.csv?sector=finance"))

    assert [row[0] for row in rows[1:]] == ["Globex"]


def test_it_caches_nothing_when_the_client_stops_reading_early(
    client, acme, globex, django_assert_num_queries
):
    partial = client.get("/signatories/export.csv")
    next(iter(partial.streaming_content))  # the first chunk, then the client goes away

    with django_assert_num_queries(2):  # the version, then the rows again: nothing was cached
        rows = rows_of(client.get("/signatories/export.csv"))

    assert [row[0] for row in rows[1:]] == ["Acme Analytics", "Globex"]


def test_it_streams_without_keeping_a_copy_an_export_too_large_to_cache(
    client, acme, globex, monkeypatch, django_assert_num_queries
):
    from signatories.public.views import directory as directory_views

    monkeypatch.setattr(directory_views, "CSV_CACHE_MAX_BYTES", 100)
    first = rows_of(client.get("/signatories/export.csv"))

    with django_assert_num_queries(2):  # the version, then the rows again
        again = rows_of(client.get("/signatories/export.csv"))

    assert again == first


def test_each_export_row_holds_what_the_api_record_holds(acme, globex):
    # export_rows builds its rows straight from tuples for speed, beside open_data_record
    # (the API's): the two must not drift apart, for any status the export can list.
    from signatories.directory.open_data import (
        _OPEN_DATA_COLUMNS,
        OPEN_DATA_FIELDS,
        export_rows,
        open_data_queryset,
        open_data_record,
    )
    from signatories.directory.params import DirectoryParams

    make_organisation('=Hooli "suspended"', number=6, status=OrganisationStatus.SUSPENDED)
    make_organisation(
        "Initech",
        number=7,
        status=OrganisationStatus.WITHDRAWN,
        withdrawn_on=dt.date(2025, 1, 31),
    )
    params = DirectoryParams(updated_since=dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
    base = "https://charter.example/signatories/"

    header, *rows = export_rows(params, profile_base_url=base)
    records = [
        open_data_record(row, profile_base_url=base)
        for row in open_data_queryset(params).values(*_OPEN_DATA_COLUMNS)
    ]

    assert header == tuple(OPEN_DATA_FIELDS)
    assert len(rows) == len(records) == 4
    assert {record["status"] for record in records} == {"active", "unlisted", "withdrawn"}
    for row, record in zip(rows, records, strict=True):
        assert row == tuple(spreadsheet_safe(record[name]) for name in OPEN_DATA_FIELDS)

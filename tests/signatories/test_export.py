"""The directory as CSV (/signatories/export.csv): streamed, filtered, spreadsheet-safe."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
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


def test_it_refuses_bad_input_with_a_message(client, acme):
    response = client.get("/signatories/export.csv?sector=spaceflight")

    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert '"spaceflight" is not a sector code' in response.content.decode()

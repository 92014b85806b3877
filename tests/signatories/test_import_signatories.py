"""Importing signatories from CSV: the command and the staff upload page, all or nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from signatories.models import Organisation, SignatoryNumberSequence
from signatories.services.applications import application_approve
from tests.conftest import make_organisation
from tests.signatories.conftest import submit_application_for

pytestmark = pytest.mark.django_db

HEADER = (
    "signatory_number,name,website,companies_house_number,organisation_type,sector,"
    "size_band,region,signed_on"
)
ROW_5 = "5,Foo Data,foo.example,123456,employer,software,50-249,london,2020-01-02"
ROW_7 = "7,Bar Charity,https://bar.example,,charity,charity,1-9,wales,2019-05-05"
URL = "/staff/organisations/import/"


def write_csv(tmp_path, *rows: str, header: str = HEADER, bom: bool = False):
    path = tmp_path / "signatories.csv"
    text = "\n".join([header, *rows]) + "\n"
    path.write_bytes(("\ufeff" if bom else "").encode() + text.encode())
    return path


def run(path) -> tuple[str, str]:
    from io import StringIO

    out, err = StringIO(), StringIO()
    call_command("import_signatories", str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refused(path) -> tuple[str, str]:
    from io import StringIO

    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("import_signatories", str(path), stdout=out, stderr=err)
    return err.getvalue(), str(raised.value)


def test_it_creates_active_signatories_with_slugs_and_normalised_numbers(tmp_path):
    make_organisation("Foo Data Old", number=1, slug="foo-data")

    out, _ = run(write_csv(tmp_path, ROW_5, ROW_7, bom=True))

    assert "2 created, 0 changed, 0 unchanged" in out
    foo = Organisation.objects.get(signatory_number=5)
    assert (foo.legal_name, foo.public_name) == ("Foo Data", "Foo Data")
    assert foo.slug == "foo-data-2"  # the slug of another organisation is not taken
    assert foo.website == "https://foo.example"
    assert foo.website_domain == "foo.example"
    assert foo.companies_house_number == "00123456"  # as the application form writes it
    assert foo.status == "active"
    assert foo.signed_on == dt.date(2020, 1, 2)
    assert Organisation.objects.get(signatory_number=7).slug == "bar-charity"


def test_it_updates_existing_numbers_and_a_second_run_changes_nothing(tmp_path):
    make_organisation("Foo Data", number=5, sector="finance", signed_on=dt.date(2020, 1, 2))
    path = write_csv(tmp_path, ROW_5, ROW_7)

    first, _ = run(path)
    second, _ = run(path)

    assert "1 created, 1 changed, 0 unchanged" in first
    foo = Organisation.objects.get(signatory_number=5)
    assert foo.sector == "software"
    assert foo.slug == "foo-data"  # a known organisation keeps its address
    assert "0 created, 0 changed, 2 unchanged" in second


def test_the_number_sequence_continues_after_the_highest_imported(tmp_path, staff_user):
    SignatoryNumberSequence.objects.filter(pk=1).update(last_number=3)
    run(write_csv(tmp_path, ROW_5, ROW_7))

    assert SignatoryNumberSequence.objects.get(pk=1).last_number == 7
    application = submit_application_for("new@example.org", public_name="Newcomer")
    assert application_approve(application=application, by=staff_user).signatory_number == 8


def test_a_lower_import_does_not_move_the_sequence_back(tmp_path):
    SignatoryNumberSequence.objects.filter(pk=1).update(last_number=40)
    run(write_csv(tmp_path, ROW_5))
    assert SignatoryNumberSequence.objects.get(pk=1).last_number == 40


def test_every_error_is_reported_with_row_and_column_and_nothing_is_written(tmp_path):
    make_organisation("Taken Name", number=1)
    path = write_csv(
        tmp_path,
        ROW_5,  # row 2: good, but must not be written
        "x,Bad Number,bad.example,,employer,software,50-249,london,2020-01-02",  # row 3
        "8,Bad Codes,bad2.example,,nope,nosector,huge,mars,2020-01-02",  # row 4
        "9,Bad Date,bad3.example,,employer,software,50-249,london,2020-13-40",  # row 5
        "10,Bad CH,bad4.example,12-34-56-789,employer,software,50-249,london,2020-01-02",  # 6
        "5,Same Number,bad5.example,,employer,software,50-249,london,2020-01-02",  # row 7
        "11,Foo Data,bad6.example,,employer,software,50-249,london,2020-01-02",  # row 8
        "12,Taken Name,bad7.example,,employer,software,50-249,london,2020-01-02",  # row 9
        "13,,,,employer,software,50-249,london,2020-01-02",  # row 10
        "14,Future,future.example,,employer,software,50-249,london,2999-01-01",  # row 11
        "15,Short",  # row 12
    )

    err, message = refused(path)

    expected = [
        "Row 3, column signatory_number:",
        "Row 4, column organisation_type: Unknown code “nope”",
        "Row 4, column sector:",
        "Row 4, column size_band:",
        "Row 4, column region:",
        "Row 5, column signed_on: “2020-13-40” is not a date",
        "Row 6, column companies_house_number:",
        "Row 7, column signatory_number: Number 5 is also on row 2",
        "Row 8, column name: The same name",
        "Row 9, column name: Signatory number 1 already has this name",
        "Row 10, column name: A value is required",
        "Row 10, column website: A value is required",
        "Row 11, column signed_on: 2999-01-01 is in the future",
        "Row 12: The row has 2 values",
    ]
    for line in expected:
        assert line in err, line
    assert "nothing was imported" in message
    assert Organisation.objects.count() == 1
    assert SignatoryNumberSequence.objects.get(pk=1).last_number == 0


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (HEADER.replace(",region", ""), "Row 1, column region: This required column is missing"),
        (HEADER + ",colour", "Row 1, column colour: Unknown column"),
        (HEADER + ",sector", "Row 1, column sector: This column appears twice"),
    ],
)
def test_the_header_must_have_exactly_the_columns(tmp_path, header, expected):
    err, _ = refused(write_csv(tmp_path, ROW_5, header=header))
    assert expected in err
    assert not Organisation.objects.exists()


def test_a_file_that_is_not_utf8_is_refused_clearly(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes(
        (HEADER + "\n5,Café,cafe.example,,employer,software,1-9,london,2020-01-02\n").encode(
            "latin-1"
        )
    )
    _, message = refused(path)
    assert "not UTF-8" in message and "CSV UTF-8" in message


def test_ten_thousand_rows_import_in_bulk_not_row_by_row(tmp_path, django_assert_max_num_queries):
    # Speed is measured by bench scripts, not timed tests; what a test can pin is that the
    # import writes in batches: a bounded number of queries whatever the number of rows.
    rows = [
        f"{n},Organisation {n},org{n}.example,,employer,software,50-249,london,2020-01-02"
        for n in range(1, 10_001)
    ]
    path = write_csv(tmp_path, *rows)
    with django_assert_max_num_queries(60):
        out, _ = run(path)
    assert "10000 created" in out
    with django_assert_max_num_queries(60):
        out, _ = run(path)
    assert "0 created, 0 changed, 10000 unchanged" in out


# --- The staff page ------------------------------------------------------------------------


def upload(content: str | bytes, name: str = "signatories.csv") -> SimpleUploadedFile:
    data = content.encode() if isinstance(content, str) else content
    return SimpleUploadedFile(name, data, content_type="text/csv")


def test_only_staff_reach_the_page(client, alice):
    assert client.get(URL).status_code == 302  # to log in
    client.force_login(alice)
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"file": upload(HEADER + "\n" + ROW_5)}).status_code == 403
    assert not Organisation.objects.exists()


def test_the_staff_nav_links_to_the_page(client, staff_user):
    client.force_login(staff_user)
    assert URL in client.get("/staff/organisations/").content.decode()


def test_preview_writes_nothing_then_confirm_writes(client, staff_user):
    make_organisation("Foo Data", number=5, sector="finance", signed_on=dt.date(2020, 1, 2))
    client.force_login(staff_user)

    preview = client.post(URL, {"file": upload(f"{HEADER}\n{ROW_5}\n{ROW_7}\n")})

    page = preview.content.decode()
    assert preview.status_code == 200
    assert "1 to create, 1 to change, 0 unchanged" in page
    assert "sector: finance → software" in page
    assert "Bar Charity" in page
    assert Organisation.objects.count() == 1
    assert Organisation.objects.get(signatory_number=5).sector == "finance"

    confirm = preview.context["confirm"]
    response = client.post(
        URL,
        {"confirm": "1", **{name: confirm.initial[name] for name in ("digest", "fingerprint")}},
        follow=True,
    )

    assert "1 created, 1 changed, 0 unchanged" in response.content.decode()
    assert Organisation.objects.get(signatory_number=5).sector == "software"
    assert Organisation.objects.filter(signatory_number=7).exists()
    assert SignatoryNumberSequence.objects.get(pk=1).last_number == 7


def test_confirm_refuses_when_the_database_changed_since_the_preview(client, staff_user):
    client.force_login(staff_user)
    preview = client.post(URL, {"file": upload(f"{HEADER}\n{ROW_5}\n")})
    confirm = preview.context["confirm"]
    # Someone else creates number 5 meanwhile: the preview's "create" is no longer true.
    make_organisation("Foo Data", number=5, sector="finance")

    response = client.post(
        URL,
        {"confirm": "1", **{name: confirm.initial[name] for name in ("digest", "fingerprint")}},
        follow=True,
    )

    assert "changed since the preview" in response.content.decode()
    assert Organisation.objects.get(signatory_number=5).sector == "finance"


def test_confirm_refuses_a_digest_that_was_not_previewed(client, staff_user):
    client.force_login(staff_user)
    client.post(URL, {"file": upload(f"{HEADER}\n{ROW_5}\n")})
    response = client.post(
        URL, {"confirm": "1", "digest": "0" * 64, "fingerprint": "0" * 64}, follow=True
    )
    assert "upload the file again" in response.content.decode()
    assert not Organisation.objects.exists()


def test_errors_are_shown_with_row_and_column_and_no_confirm_button(client, staff_user):
    client.force_login(staff_user)
    bad = "6,Bad,bad.example,,employer,nosector,50-249,london,2020-01-02"

    response = client.post(URL, {"file": upload(f"{HEADER}\n{ROW_5}\n{bad}\n")})

    page = response.content.decode()
    assert response.status_code == 400
    assert "<td>3</td><td>sector</td>" in page
    assert "Confirm import" not in page
    assert not Organisation.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff\xfe" + "x".encode("utf-16-le"), "not UTF-8"),
        (b"", "The submitted file is empty"),
    ],
)
def test_unreadable_uploads_get_a_clear_message(client, staff_user, content, message):
    client.force_login(staff_user)
    response = client.post(URL, {"file": upload(content)})
    assert response.status_code == 400
    assert message in response.content.decode()


def test_a_file_over_the_size_limit_is_refused(client, staff_user, monkeypatch):
    monkeypatch.setattr("charter.csv_import.MAX_IMPORT_BYTES", 100)
    client.force_login(staff_user)
    response = client.post(URL, {"file": upload(f"{HEADER}\n{ROW_5}\n{ROW_7}\n")})
    assert response.status_code == 400
    assert "the largest accepted is" in response.content.decode()


def test_the_preview_costs_a_fixed_number_of_queries(client, staff_user):
    client.force_login(staff_user)
    client.get(URL)

    def preview_queries(count: int) -> int:
        Organisation.objects.all().delete()
        for n in range(1, count + 1):
            make_organisation(f"Existing {n}", number=1000 + n)
        rows = [
            f"{1000 + n},Existing {n},x{n}.example,,charity,charity,1-9,wales,2020-01-02"
            for n in range(1, count + 1)
        ] + [
            f"{n},New {n},n{n}.example,,employer,software,1-9,wales,2020-01-02"
            for n in range(1, count + 1)
        ]
        with CaptureQueriesContext(connection) as queries:
            response = client.post(URL, {"file": upload("\n".join([HEADER, *rows]))})
        assert response.status_code == 200
        return len(queries)

    assert preview_queries(2) == preview_queries(30)

"""Importing and exporting submitted returns: the commands, all or nothing, revisions, warnings."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from pledges.models import (
    CycleEvent,
    DataReturn,
    ReportingCycle,
    ReturnQuery,
    ReturnRevision,
)
from pledges.services.returns import revision_record
from tests.conftest import make_cycle, make_organisation, valid_figures

pytestmark = pytest.mark.django_db

HEADER = (
    "signatory_number,year,snapshot_date,total_employees,tech_total,tech_women,tech_men,"
    "tech_non_binary,tech_gender_undisclosed,tech_ethnic_minority,tech_white,"
    "tech_ethnicity_undisclosed,senior_total,senior_women,senior_ethnic_minority"
)
LENS_HEADER = HEADER + ",disabled,neurodivergent,low_socioeconomic,trans"
# 120 employees, 40 in tech (10 women), as tests.conftest.valid_figures.
ACME_2025 = "1,2025,2025-04-05,120,40,10,28,1,1,9,29,2,6,2,1"
GLOBEX_2025 = "2,2025,2025-05-01,200,50,12,36,1,1,,,,8,3,2"  # ethnicity not collected


def write_csv(tmp_path, *rows: str, header: str = HEADER, name: str = "returns.csv"):
    path = tmp_path / name
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def run(path) -> str:
    out, err = StringIO(), StringIO()
    call_command("import_submissions", str(path), stdout=out, stderr=err)
    return out.getvalue()


def refused(path) -> list[str]:
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("import_submissions", str(path), stdout=out, stderr=err)
    assert "nothing was imported" in str(raised.value).lower()
    return err.getvalue().splitlines()


def export(year: int) -> str:
    out, err = StringIO(), StringIO()
    call_command("export_submissions", "--year", str(year), stdout=out, stderr=err)
    return out.getvalue()


@pytest.fixture
def orgs(db):
    return (
        make_organisation("Acme Analytics", number=1, size_band="50-249"),
        make_organisation("Globex", number=2, size_band="50-249"),
    )


def nothing_written() -> None:
    assert not DataReturn.objects.exists()
    assert not ReturnRevision.objects.exists()
    assert not ReportingCycle.objects.exists()
    assert not CycleEvent.objects.exists()


def test_it_imports_returns_as_submitted_on_time_and_creates_a_closed_cycle(tmp_path, orgs):
    acme, globex = orgs

    out = run(write_csv(tmp_path, ACME_2025, GLOBEX_2025))

    assert "2 returns created, 0 revised, 0 unchanged" in out
    cycle = ReportingCycle.objects.get(year=2025)
    assert cycle.status == "closed"
    assert (cycle.window_starts_on, cycle.window_ends_on) == (
        dt.date(2025, 3, 1),
        dt.date(2025, 9, 30),
    )
    assert (cycle.opens_on, cycle.closes_on) == (dt.date(2025, 10, 1), dt.date(2025, 10, 31))
    assert sorted(cycle.events.values_list("kind", flat=True)) == ["created", "imported"]
    data_return = DataReturn.objects.get(organisation=acme)
    assert data_return.status == "submitted"
    assert data_return.is_late is False
    assert data_return.revision_count == 1
    assert data_return.outlier_status == ""
    assert data_return.figures() == {**data_return.figures(), **valid_figures(2025)}
    revision = data_return.revisions.get()
    assert (revision.number, revision.source, revision.is_late) == (1, "import", False)
    assert revision.reference == "2025-1-r1"
    assert revision.figures() == data_return.figures()
    globex_return = DataReturn.objects.get(organisation=globex)
    assert globex_return.ethnicity_collected is False
    assert globex_return.tech_white is None
    assert globex_return.disabled_collected is False


def test_it_uses_the_window_of_an_existing_cycle(tmp_path, orgs):
    make_cycle(2025, status="closed", window_starts_on=dt.date(2025, 5, 1))

    lines = refused(write_csv(tmp_path, ACME_2025))

    assert lines == [
        "Row 2, column snapshot_date: The snapshot date must be between 1 May 2025 and "
        "30 September 2025."
    ]
    assert not DataReturn.objects.exists()


def test_the_lens_columns_are_optional_and_empty_means_not_collected(tmp_path, orgs):
    run(write_csv(tmp_path, ACME_2025 + ",3,,0,", header=LENS_HEADER))

    data_return = DataReturn.objects.get()
    assert (data_return.disabled_collected, data_return.disabled) == (True, 3)
    assert (data_return.neurodivergent_collected, data_return.neurodivergent) == (False, None)
    assert (data_return.low_socioeconomic_collected, data_return.low_socioeconomic) == (True, 0)
    assert data_return.trans_collected is False


def test_every_error_is_reported_with_row_and_column_and_nothing_is_written(tmp_path, orgs):
    rows = [
        ACME_2025,
        "99,2025,2025-04-05,120,40,10,28,1,1,9,29,2,6,2,1",  # unknown signatory
        "2,2025,2025-13-01,120,40,10,28,1,1,9,29,2,6,2,1",  # bad date
        "2,2024,2024-04-05,12x,40,10,28,1,1,9,29,2,6,2,1",  # bad number
        "2,2023,2023-04-05,120,40,10,20,1,1,9,29,2,6,2,1",  # gender does not add up
        "2,2022,2022-04-05,120,40,10,28,1,1,9,,2,6,2,1",  # half an ethnicity triple
        "2,2021,2021-04-05,120,40,10,28,1,1,9,29,2,41,2,1",  # senior over tech
        "1,2025,2025-04-05,120,40,10,28,1,1,9,29,2,6,2,1",  # duplicate of row 2
        "1,2020,2020-11-05,120,40,10,28,1,1,9,29,2,6,2,1",  # outside the window
        "1,2031,2031-04-05,120,40,10,28,1,1,9,29,2,6,2,1",  # a future year
    ]

    lines = refused(write_csv(tmp_path, *rows))

    assert lines == [
        "Row 3, column signatory_number: No signatory has the number 99.",
        "Row 4, column snapshot_date: “2025-13-01” is not a date: write it as YYYY-MM-DD "
        "(2024-03-01).",
        "Row 5, column total_employees: “12x” is not a whole number of 0 or more.",
        "Row 6, column tech_women: Women, men, non-binary and not disclosed add up to 32; "
        "they must add up to the 40 tech employees.",
        "Row 7, column tech_ethnic_minority: Enter the three ethnicity figures, or say you "
        "did not collect ethnicity.",
        "Row 8, column senior_total: Senior tech roles cannot be more than tech employees.",
        "Row 9, column signatory_number: Signatory 1 already has a 2025 return on row 2.",
        "Row 10, column snapshot_date: The snapshot date must be between 1 March 2020 and "
        "30 September 2020.",
        "Row 11, column year: 2031 is not a year between 2015 and 2026.",
    ]
    nothing_written()


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (HEADER.replace("tech_white", "tech_whites"), "column tech_whites: Unknown column"),
        (HEADER.replace(",senior_total", ""), "column senior_total: This required column"),
    ],
)
def test_the_header_must_have_the_columns(tmp_path, orgs, header, expected):
    lines = refused(write_csv(tmp_path, header=header))

    assert any(expected in line for line in lines), lines
    nothing_written()


def test_the_same_file_again_changes_nothing(tmp_path, orgs):
    path = write_csv(tmp_path, ACME_2025, GLOBEX_2025)
    run(path)
    before = list(DataReturn.objects.values_list("version", "submitted_at", "revision_count"))

    out = run(path)

    assert "0 returns created, 0 revised, 2 unchanged" in out
    assert list(DataReturn.objects.values_list("version", "submitted_at", "revision_count")) == (
        before
    )
    assert ReturnRevision.objects.count() == 2
    assert CycleEvent.objects.filter(kind="imported").count() == 1


def test_other_figures_make_a_new_revision_listing_the_changes(tmp_path, orgs):
    run(write_csv(tmp_path, ACME_2025))
    data_return = DataReturn.objects.get()
    query = ReturnQuery.objects.create(data_return=data_return, message="Why so many?")

    out = run(write_csv(tmp_path, "1,2025,2025-04-05,121,40,10,28,1,1,9,29,2,6,2,1"))

    assert "0 returns created, 1 revised, 0 unchanged" in out
    data_return.refresh_from_db()
    assert data_return.revision_count == 2
    assert data_return.total_employees == 121
    assert data_return.version == 2
    latest = data_return.revisions.get(number=2)
    assert latest.source == "import"
    assert latest.changes == [
        {"field": "total_employees", "label": "Total employees", "before": 120, "after": 121}
    ]
    assert data_return.revisions.get(number=1).total_employees == 120  # never edited
    query.refresh_from_db()
    assert query.answered_by_revision == 2


def test_a_revision_keeps_what_the_file_does_not_carry(tmp_path, orgs, open_cycle):
    """Job families and practices submitted online survive an import of the headcounts."""
    acme, _ = orgs
    data_return = DataReturn.objects.create(cycle=open_cycle, organisation=acme)
    figures = valid_figures(2026, family_software_total=20, women_on_shortlists=True)
    revision_record(data_return=data_return, by=None, figures=figures, warnings=[], is_late=False)

    run(write_csv(tmp_path, "1,2026,2026-04-05,130,40,10,28,1,1,9,29,2,6,2,1"))

    data_return.refresh_from_db()
    assert data_return.revision_count == 2
    assert (data_return.family_software_total, data_return.women_on_shortlists) == (20, True)
    assert [c["field"] for c in data_return.revisions.get(number=2).changes] == ["total_employees"]


def test_warnings_never_refuse_and_send_the_return_to_the_outlier_queue(tmp_path, orgs):
    # 2024 and 2025 in one file: the 2025 row is compared with the 2024 row.
    rows = [
        "1,2024,2024-04-05,120,40,10,28,1,1,9,29,2,6,2,1",
        "1,2025,2025-04-05,200,100,10,88,1,1,9,89,2,6,2,1",  # tech 40 → 100
        "2,2025,2025-04-05,5000,40,10,28,1,1,9,29,2,6,2,1",  # outside 50–249
    ]

    run(write_csv(tmp_path, *rows))

    first = DataReturn.objects.get(cycle__year=2024)
    assert (first.outlier_status, first.warnings) == ("", [])
    jump = DataReturn.objects.get(cycle__year=2025, organisation__signatory_number=1)
    assert jump.outlier_status == "waiting"
    assert {w["code"] for w in jump.warnings} == {"tech_total_jump", "women_share_jump"}
    assert {w["code"] for w in jump.revisions.get().warnings} == {
        "tech_total_jump",
        "women_share_jump",
    }
    band = DataReturn.objects.get(cycle__year=2025, organisation__signatory_number=2)
    assert (band.outlier_status, [w["code"] for w in band.warnings]) == (
        "waiting",
        ["outside_size_band"],
    )


def test_warnings_compare_with_the_previous_year_in_the_database(tmp_path, orgs):
    run(write_csv(tmp_path, "1,2024,2024-04-05,120,40,10,28,1,1,9,29,2,6,2,1", name="a.csv"))

    run(write_csv(tmp_path, ACME_2025.replace("2025,2025", "2025,2025"), name="b.csv"))

    # Every figure as last year (the snapshot date aside, which is not a count).
    data_return = DataReturn.objects.get(cycle__year=2025)
    assert [w["code"] for w in data_return.warnings] == ["identical_to_last_year"]
    assert data_return.outlier_status == "waiting"


def test_a_draft_in_progress_becomes_the_imported_submission(tmp_path, orgs, open_cycle):
    acme, _ = orgs
    DataReturn.objects.create(cycle=open_cycle, organisation=acme, total_employees=7)

    run(write_csv(tmp_path, "1,2026,2026-04-05,120,40,10,28,1,1,9,29,2,6,2,1"))

    data_return = DataReturn.objects.get()
    assert (data_return.status, data_return.revision_count, data_return.total_employees) == (
        "submitted",
        1,
        120,
    )
    assert data_return.revisions.get().changes == []
    assert not ReportingCycle.objects.exclude(pk=open_cycle.pk).exists()


def test_export_writes_the_latest_revision_in_the_import_columns(tmp_path, orgs):
    run(write_csv(tmp_path, ACME_2025, GLOBEX_2025, name="a.csv"))
    run(write_csv(tmp_path, "1,2025,2025-04-05,121,40,10,28,1,1,9,29,2,6,2,1", name="b.csv"))
    # A draft amendment in progress is not what was submitted: it is not exported.
    DataReturn.objects.filter(organisation__signatory_number=1).update(total_employees=999)

    text = export(2025)

    assert text.splitlines() == [
        LENS_HEADER,
        "1,2025,2025-04-05,121,40,10,28,1,1,9,29,2,6,2,1,,,,",
        GLOBEX_2025 + ",,,,",
    ]


def test_export_leaves_out_drafts_and_erased_figures(tmp_path, orgs, open_cycle):
    acme, globex = orgs
    DataReturn.objects.create(cycle=open_cycle, organisation=acme, total_employees=7)
    run(write_csv(tmp_path, "2,2026,2026-04-05,120,40,10,28,1,1,9,29,2,6,2,1"))
    assert len(export(2026).splitlines()) == 2
    DataReturn.objects.filter(organisation=globex).update(figures_erased_at=dt.datetime.now(dt.UTC))

    assert export(2026).splitlines() == [LENS_HEADER]


def test_export_to_a_file(tmp_path, orgs):
    run(write_csv(tmp_path, ACME_2025))
    target = tmp_path / "out.csv"

    call_command("export_submissions", "--year", "2025", "--output", str(target), stderr=StringIO())

    assert target.read_text().splitlines()[1].startswith("1,2025,2025-04-05,120")


def test_export_then_import_into_an_empty_database_gives_the_same_returns(tmp_path, orgs):
    rows = [
        "1,2024,2024-04-05,120,40,10,28,1,1,9,29,2,6,2,1,1,2,,0",
        "1,2025,2025-04-05,121,41,11,28,1,1,9,30,2,6,2,1,,,,",
        "2,2025,2025-05-01,200,50,12,36,1,1,,,,8,3,2,0,0,0,0",
    ]
    run(write_csv(tmp_path, *rows, header=LENS_HEADER, name="a.csv"))
    run(write_csv(tmp_path, "1,2025,2025-04-05,130,41,11,28,1,1,9,30,2,6,2,1", name="b.csv"))

    def returns() -> list[tuple]:
        return sorted(
            (r.organisation.signatory_number, r.cycle.year, r.status, r.is_late, r.figures())
            for r in DataReturn.objects.select_related("cycle", "organisation")
        )

    before = returns()
    exported = {year: export(year) for year in (2024, 2025)}
    with connection.cursor() as cursor:
        # TRUNCATE empties the tables inside the test's transaction (rolled back after it);
        # the revisions' trigger guards row updates and deletes, not this. Django's foreign
        # keys are deferred: check them now so the tables have no pending trigger events.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(
            "TRUNCATE pledges_returnquery, pledges_returnrevision, pledges_datareturn, "
            "pledges_cycleevent, pledges_reportingcycle CASCADE"
        )
    assert not DataReturn.objects.exists()
    for year, text in exported.items():
        (tmp_path / f"{year}.csv").write_text(text)
        run(tmp_path / f"{year}.csv")

    assert returns() == before
    assert ReturnRevision.objects.count() == 3  # one revision each: the latest


@pytest.mark.parametrize("organisations", [200, 1000])
def test_imports_cost_a_fixed_number_of_queries_whatever_the_number_of_rows(
    tmp_path, django_assert_num_queries, organisations
):
    """Bulk writes, never a query per row: two years of returns for every organisation."""
    from signatories.models import Organisation

    Organisation.objects.bulk_create(
        Organisation(
            legal_name=f"Org {n} Ltd",
            public_name=f"Org {n}",
            slug=f"org-{n}",
            website=f"https://org-{n}.example",
            website_domain=f"org-{n}.example",
            organisation_type="employer",
            sector="software",
            size_band="50-249",
            region="london",
            signatory_number=n,
            signed_on=dt.date(2020, 1, 1),
        )
        for n in range(1, organisations + 1)
    )
    rows = [
        f"{n},{year},{year}-04-05,120,40,10,28,1,1,9,29,2,6,2,1"
        for year in (2024, 2025)
        for n in range(1, organisations + 1)
    ]

    # Reads: organisations, cycles, returns, revisions; writes: savepoints, the 2 cycles and
    # their events, the cycles again, the new returns' ids, the imported events: 11, whatever
    # the number of rows. The returns and revisions themselves are one COPY statement each,
    # which Django's query capture does not see (they go to psycopg's copy directly).
    with django_assert_num_queries(11):
        run(write_csv(tmp_path, *rows))
    assert DataReturn.objects.count() == 2 * organisations

    # A new revision of every return: no cycles to create (2 fewer), the revised returns
    # locked in one query, the revisions copied in, then ONE update copies them onto their
    # returns and one answers open queries: 12, whatever the number of rows.
    changed = [row.replace(",120,", ",121,", 1) for row in rows]
    with django_assert_num_queries(12):
        run(write_csv(tmp_path, *changed))
    assert ReturnRevision.objects.count() == 4 * organisations
    assert set(DataReturn.objects.values_list("revision_count", "total_employees")) == {(2, 121)}


def test_a_return_whose_figures_were_erased_is_not_imported_again(tmp_path, orgs):
    run(write_csv(tmp_path, ACME_2025))
    DataReturn.objects.update(figures_erased_at=dt.datetime.now(dt.UTC))

    lines = refused(write_csv(tmp_path, ACME_2025.replace(",120,", ",121,", 1)))

    assert lines == [
        "Row 2, column year: The organisation's 2025 figures were erased at its request: they "
        "cannot be imported again."
    ]
    assert ReturnRevision.objects.count() == 1


def test_a_file_that_cannot_be_read_is_refused_clearly(tmp_path, orgs):
    path = tmp_path / "returns.csv"
    path.write_bytes(b"\xff\xfe" + "x".encode("utf-16-le"))

    with pytest.raises(CommandError, match="not UTF-8"):
        call_command("import_submissions", str(path), stdout=StringIO(), stderr=StringIO())
    nothing_written()


def test_a_return_created_by_someone_else_during_the_import_refuses_it_cleanly(
    tmp_path, orgs, monkeypatch
):
    """Between the plan and the write another import (or a first submission) creates one of
    the returns: the unique constraint refuses the second, and the import says so and writes
    nothing, instead of failing with a database error."""
    from pledges.services import submissions_import

    cycle = make_cycle(2025, status="closed")
    lock = submissions_import._returns_lock

    def someone_else_first(plan):
        lock(plan)
        DataReturn.objects.create(cycle=cycle, organisation=orgs[0])

    monkeypatch.setattr(submissions_import, "_returns_lock", someone_else_first)
    path = write_csv(tmp_path, ACME_2025)
    with pytest.raises(submissions_import.ImportRefused, match="created by someone else"):
        submissions_import.submissions_import_apply(path.read_bytes())
    assert not ReturnRevision.objects.exists()
    assert not CycleEvent.objects.exists()

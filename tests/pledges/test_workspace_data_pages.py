"""The data pages around the return: the overview of years, receipts and their PDFs (text read
back with pdftotext), grace requests, staff queries, and the dashboard's next step."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import pytest
import time_machine
from django.utils import timezone

from pledges.models import DataReturn, GraceRequest, ReturnQuery
from pledges.services.grace import grace_request
from pledges.services.queries import query_answer
from pledges.services.returns import return_get_or_start, return_save_draft, return_submit
from signatories.services import ServiceError
from tests.conftest import make_cycle, make_organisation, valid_figures

pytestmark = pytest.mark.django_db

DATA = "/dashboard/acme-analytics/data/"
IN_OCTOBER = dt.datetime(2026, 10, 10, 12, tzinfo=dt.UTC)


@pytest.fixture
def october():
    with time_machine.travel(IN_OCTOBER, tick=False):
        yield


def submitted(organisation, by, cycle, **overrides):
    data_return = return_get_or_start(cycle=cycle, organisation=organisation)
    return return_submit(
        data_return=data_return,
        by=by,
        figures=valid_figures(cycle.year, **overrides),
        version=data_return.version,
    )


def pdf_text(pdf: bytes) -> str:
    if not shutil.which("pdftotext"):
        pytest.fail("pdftotext (poppler-utils) is needed to read the receipt back")
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return " ".join(result.stdout.decode().split())


# --- Receipts -----------------------------------------------------------------------------------


def test_the_receipt_pdf_holds_exactly_what_that_revision_holds(
    client, alice, acme_workspace, open_cycle, october
):
    submitted(acme_workspace, alice, open_cycle)
    data_return = DataReturn.objects.get()
    return_submit(
        data_return=data_return,
        by=alice,
        figures=valid_figures(total_employees=130, structured_interviews=True),
        version=data_return.version,
    )
    client.force_login(alice)

    first = client.get(DATA + "2026/receipts/1/pdf/")
    second = client.get(DATA + "2026/receipts/2/pdf/")

    assert first["Content-Type"] == "application/pdf"
    assert 'filename="receipt-2026-1-r1.pdf"' in first["Content-Disposition"]
    text = pdf_text(first.content)
    assert "Receipt 2026-1-r1" in text
    assert "Acme Analytics Ltd (signatory 1)" in text
    assert "Alice Adams" in text
    assert "Total employees 120" in text and "Tech employees 40" in text
    assert "Structured interviews Not answered" in text
    assert "Disabled Not collected" in text
    later = pdf_text(second.content)
    assert "Receipt 2026-1-r2" in later and "Total employees 130" in later
    assert "Structured interviews Yes" in later and "replacing revision 1" in later


def test_a_receipt_of_another_organisation_or_a_missing_number_is_404(
    client, alice, charlie, acme_workspace, globex_workspace, open_cycle, october
):
    submitted(globex_workspace, charlie, open_cycle)
    client.force_login(alice)

    assert client.get(DATA + "2026/receipts/1/").status_code == 404
    assert client.get(DATA + "2026/receipts/1/pdf/").status_code == 404
    assert client.get("/dashboard/globex/data/2026/receipts/1/").status_code == 404


# --- The overview -------------------------------------------------------------------------------


def test_the_overview_shows_the_open_year_the_deadline_and_past_receipts(
    client, alice, acme_workspace, october
):
    past = make_cycle(2025, status="closed")
    make_cycle(2026)
    with time_machine.travel(dt.datetime(2025, 10, 10, 12, tzinfo=dt.UTC), tick=False):
        past.status = "open"
        past.save()
        submitted(acme_workspace, alice, past)
        past.status = "closed"
        past.save()
    client.force_login(alice)

    page = client.get(DATA).content.decode()

    assert "The 2026 collection" in page
    assert "31 October 2026" in page
    assert "Not started" in page
    assert "2025-1-r1" in page
    assert 'href="/dashboard/acme-analytics/data/2025/receipts/1/"' in page


@pytest.mark.parametrize("years", [1, 6])
def test_the_overview_makes_a_fixed_number_of_queries(
    client, alice, acme_workspace, charlie, years, django_assert_num_queries
):
    for year in range(2020, 2020 + years):
        cycle = make_cycle(year)
        with time_machine.travel(dt.datetime(year, 10, 10, 12, tzinfo=dt.UTC), tick=False):
            # figures differ from year to year, so no "identical to last year" warning
            submitted(acme_workspace, alice, cycle, total_employees=100 + 2 * (year - 2020))
            data_return = DataReturn.objects.get(cycle=cycle)
            return_submit(
                data_return=data_return,
                by=alice,
                figures=valid_figures(year, total_employees=101 + 2 * (year - 2020)),
                version=data_return.version,
            )
        ReturnQuery.objects.create(data_return=data_return, message="Why?")
        cycle.status = "closed"
        cycle.save()
    client.force_login(alice)

    # session, user (with the nav flags), memberships (with the organisation switcher's),
    # cycles, returns, revisions, exemptions, open queries
    with django_assert_num_queries(8):
        response = client.get(DATA)

    assert response.status_code == 200
    assert response.content.decode().count("Answer the question") == years


# --- Grace extension ----------------------------------------------------------------------------


def test_a_grace_extension_is_asked_once_with_a_reason_and_shows_its_status(
    client, alice, bob, acme_workspace, open_cycle, october
):
    client.force_login(alice)
    url = DATA + "2026/grace/"

    refused = client.post(url, {"days": "29", "reason": ""})
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "Ask for 28 days or fewer." in page and "Say why you need more time." in page
    assert 'href="#id_days"' in page and 'value="29"' in page
    assert not GraceRequest.objects.exists()

    response = client.post(url, {"days": "14", "reason": "Our HR system is being replaced."})
    assert response.status_code == 302
    grace = GraceRequest.objects.get()
    assert (grace.days, grace.status, grace.requested_by) == (14, "pending", alice)
    page = client.get(url).content.decode()
    assert "Waiting for a decision" in page and "Our HR system is being replaced." in page

    data_return = DataReturn.objects.get()
    with pytest.raises(ServiceError, match="already asked"):
        grace_request(data_return=data_return, by=bob, days=3, reason="Again")


@pytest.mark.parametrize("days", [0, 29])
def test_grace_is_between_one_and_twenty_eight_days(acme_workspace, alice, open_cycle, days):
    data_return = return_get_or_start(cycle=open_cycle, organisation=acme_workspace)

    with pytest.raises(ServiceError, match="between 1 and 28"):
        grace_request(data_return=data_return, by=alice, days=days, reason="Busy")


def test_a_granted_grace_extension_moves_the_deadline_and_keeps_the_return_open(
    client, alice, acme_workspace, open_cycle
):
    with time_machine.travel(IN_OCTOBER, tick=False):
        data_return = return_get_or_start(cycle=open_cycle, organisation=acme_workspace)
        grace_request(data_return=data_return, by=alice, days=14, reason="Migration")
    # the cycles room grants it; here, the state it leaves
    GraceRequest.objects.update(status="granted")
    DataReturn.objects.update(grace_until=dt.date(2026, 11, 14))
    open_cycle.status = "closed"
    open_cycle.save()
    client.force_login(alice)

    with time_machine.travel(dt.datetime(2026, 11, 10, 12, tzinfo=dt.UTC), tick=False):
        page = client.get(DATA + "2026/").content.decode()
        grace_page = client.get(DATA + "2026/grace/").content.decode()

    assert 'name="submit"' in page and "14 November 2026" in page
    assert "it will be marked late" not in page
    assert "Granted" in grace_page and "Your new deadline" in grace_page


# --- Staff queries ------------------------------------------------------------------------------


def test_the_organisation_answers_a_query_and_the_return_goes_back_as_answered(
    client, alice, acme_workspace, open_cycle, staff_user, october
):
    submitted(acme_workspace, alice, open_cycle)
    data_return = DataReturn.objects.get()
    query = ReturnQuery.objects.create(
        data_return=data_return, message="Is 40 tech staff right?", asked_by=staff_user
    )
    DataReturn.objects.update(outlier_status="queried")
    client.force_login(alice)
    assert "Is 40 tech staff right?" in client.get(DATA).content.decode()
    url = DATA + f"2026/queries/{query.pk}/"

    empty = client.post(url, {"answer": "  "})
    assert empty.status_code == 400 and "Write your answer." in empty.content.decode()
    response = client.post(url, {"answer": "Yes: we hired a data team."})

    assert response.status_code == 302
    query.refresh_from_db()
    data_return.refresh_from_db()
    assert (query.answer, query.answered_by, data_return.outlier_status) == (
        "Yes: we hired a data team.",
        alice,
        "answered",
    )
    assert query.answered_at is not None
    assert "Answer the question" not in client.get(DATA).content.decode()
    with pytest.raises(ServiceError, match="already answered"):
        query_answer(query=query, by=alice, answer="Again")


def test_another_organisations_query_is_404(
    client, alice, charlie, acme_workspace, globex_workspace, open_cycle, october
):
    submitted(globex_workspace, charlie, open_cycle)
    query = ReturnQuery.objects.create(data_return=DataReturn.objects.get(), message="Why?")
    client.force_login(alice)

    assert client.get(DATA + f"2026/queries/{query.pk}/").status_code == 404
    assert client.post(DATA + f"2026/queries/{query.pk}/", {"answer": "x"}).status_code == 404
    query.refresh_from_db()
    assert query.answered_at is None


# --- The dashboard's next step ------------------------------------------------------------------


def data_row(client) -> str:
    page = client.get("/dashboard/acme-analytics/").content.decode()
    pledges = page.split("<tbody>")[1]
    return pledges.split('href="/dashboard/acme-analytics/data/"')[1].split("</tr>")[0]


def test_the_dashboard_says_what_is_next_for_the_data_pledge(
    client, alice, acme_workspace, staff_user
):
    client.force_login(alice)
    assert "when the yearly collection opens" in data_row(client)

    cycle = make_cycle(2026)
    with time_machine.travel(dt.datetime(2026, 9, 20, 12, tzinfo=dt.UTC), tick=False):
        assert "opens on 1 October 2026" in data_row(client)
    with time_machine.travel(IN_OCTOBER, tick=False):
        assert "Submit your 2026 diversity data by 31 October 2026." in data_row(client)
        data_return = return_get_or_start(cycle=cycle, organisation=acme_workspace)
        return_save_draft(
            data_return=data_return,
            by=alice,
            figures={"snapshot_date": dt.date(2026, 4, 5), "total_employees": 10, "tech_total": 5},
            version=1,
        )
        assert "Your 2026 draft has 3 incomplete sections" in data_row(client)
        data_return.refresh_from_db()
        return_submit(
            data_return=data_return, by=alice, figures=valid_figures(), version=data_return.version
        )
        assert "receipt 2026-1-r1" in data_row(client)
        ReturnQuery.objects.create(data_return=data_return, message="Why?", asked_by=staff_user)
        assert "Charter staff asked a question about your 2026 return" in data_row(client)


def test_the_dashboard_says_when_a_closed_year_went_without_a_return(client, alice, acme_workspace):
    make_cycle(2026, status="closed")
    client.force_login(alice)

    with time_machine.travel(dt.datetime(2026, 11, 10, 12, tzinfo=dt.UTC), tick=False):
        assert "closed without a return from you" in data_row(client)


def test_another_organisations_return_never_shows_on_the_dashboard(
    client, alice, charlie, acme_workspace, globex_workspace, open_cycle, october
):
    submitted(globex_workspace, charlie, open_cycle)
    make_organisation("Initech", number=3)
    client.force_login(alice)

    row = data_row(client)
    assert "Submit your 2026 diversity data" in row and "2026-2-r1" not in row
    assert timezone.localdate() == dt.date(2026, 10, 10)


@pytest.mark.parametrize("years", [1, 5])
def test_the_dashboard_reads_the_data_pledge_in_a_fixed_number_of_queries(
    client, alice, acme_workspace, years, django_assert_num_queries
):
    for year in range(2026 - years + 1, 2027):
        cycle = make_cycle(year)
        with time_machine.travel(dt.datetime(year, 10, 10, 12, tzinfo=dt.UTC), tick=False):
            submitted(acme_workspace, alice, cycle, total_employees=100 + year - 2020)
    client.force_login(alice)

    # as tests/signatories/test_workspace_profile.py, with the data pledge's three reads: its
    # open query, the current cycle and the return in it
    with time_machine.travel(IN_OCTOBER, tick=False), django_assert_num_queries(11):
        response = client.get("/dashboard/acme-analytics/")

    assert "receipt 2026-1-r1" in response.content.decode()

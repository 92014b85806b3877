"""The staff cycle pages (/staff/data/): who reaches them, each action through the page and its
record, refused forms shown again with what was typed, and fixed query counts."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from pledges.models import (
    CycleEvent,
    CycleExemption,
    DataReturn,
    GraceRequest,
    RawDataAccess,
    ReportingCycle,
)
from pledges.services.cycles import cycle_exempt, cycle_extend
from pledges.services.raw_access import record_raw_access
from tests.conftest import make_cycle, make_organisation, make_user

pytestmark = pytest.mark.django_db

D = dt.date
OCTOBER_5 = dt.datetime(2026, 10, 5, 9, tzinfo=dt.UTC)
NOVEMBER_3 = dt.datetime(2026, 11, 3, 9, tzinfo=dt.UTC)

GET_URLS = [
    "/staff/data/",
    "/staff/data/new/",
    "/staff/data/2026/",
    "/staff/data/2027/edit/",
    "/staff/data/access-log/",
]
POST_URLS = [
    "/staff/data/new/",
    "/staff/data/2026/edit/",
    "/staff/data/2026/open/",
    "/staff/data/2026/extend/",
    "/staff/data/2026/close/",
    "/staff/data/2026/exemptions/",
    "/staff/data/2026/exemptions/1/remove/",
    "/staff/data/2026/reopen/",
    "/staff/data/2026/grace/1/grant/",
    "/staff/data/2026/grace/1/refuse/",
]


@pytest.fixture
def staff(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.mark.parametrize("url", GET_URLS)
def test_only_charter_staff_open_the_pages(client, acme, alice, url):
    make_cycle(2026)
    make_cycle(2027, status="draft")
    anonymous = client.get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/login/")
    client.force_login(alice)  # an organisation admin
    assert client.get(url).status_code == 403
    client.force_login(make_user("nobody@example.com"))
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("url", POST_URLS)
def test_only_charter_staff_act(client, acme, alice, url):
    cycle = make_cycle(2026)
    client.force_login(alice)
    response = client.post(url, {"open-reason": "x", "close-reason": "x"})
    assert response.status_code == 403
    cycle.refresh_from_db()
    assert cycle.status == "open"
    assert not CycleEvent.objects.exists()


@pytest.mark.parametrize("url", POST_URLS[2:])
def test_actions_are_post_only(staff, url):
    make_cycle(2026)
    assert staff.get(url).status_code == 405


def test_an_unknown_year_is_a_404(staff):
    assert staff.get("/staff/data/2031/").status_code == 404
    assert staff.post("/staff/data/2031/open/").status_code == 404


# ---- create, edit ----------------------------------------------------------------------------


def test_staff_create_a_cycle_with_the_default_window(staff, staff_user):
    response = staff.post(
        "/staff/data/new/",
        {"year": "2027", "opens_on": "2027-10-01", "closes_on": "2027-10-31", "introduction": "Hi"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/staff/data/2027/"
    cycle = ReportingCycle.objects.get(year=2027)
    assert (cycle.status, cycle.window_starts_on, cycle.window_ends_on) == (
        "draft",
        D(2027, 3, 1),
        D(2027, 9, 30),
    )
    page = staff.get("/staff/data/2027/").content.decode()
    assert "Created" in page and "Sam Staff" in page


def test_bad_dates_are_shown_next_to_the_field_with_what_was_typed(staff):
    response = staff.post(
        "/staff/data/new/",
        {
            "year": "2027",
            "window_starts_on": "2027-03-01",
            "window_ends_on": "2027-09-30",
            "opens_on": "2027-10-01",
            "closes_on": "2027-09-01",
            "introduction": "Typed text",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'href="#id_closes_on"' in page  # the summary links to the field
    assert 'id="id_closes_on_error"' in page
    assert 'aria-describedby="id_closes_on_helptext id_closes_on_error"' in page
    assert "The closing date must be on or after the opening date." in page
    assert 'value="2027-09-01"' in page and "Typed text" in page
    assert not ReportingCycle.objects.exists()


def test_a_year_that_exists_is_refused_on_the_year_field(staff):
    make_cycle(2027, status="draft")
    response = staff.post(
        "/staff/data/new/", {"year": "2027", "opens_on": "2027-10-01", "closes_on": "2027-10-31"}
    )
    assert response.status_code == 400
    assert "There is already a 2027 cycle" in response.content.decode()
    assert ReportingCycle.objects.count() == 1


def test_a_draft_is_edited_from_its_form(staff):
    cycle = make_cycle(2027, status="draft")
    form = staff.get("/staff/data/2027/edit/").content.decode()
    assert 'value="2027-10-31"' in form
    response = staff.post(
        "/staff/data/2027/edit/",
        {
            "window_starts_on": "2027-03-01",
            "window_ends_on": "2027-09-30",
            "opens_on": "2027-10-01",
            "closes_on": "2027-11-30",
            "introduction": "New words",
            "reason": "Board asked",
        },
    )
    assert response.status_code == 302
    cycle.refresh_from_db()
    assert (cycle.closes_on, cycle.introduction) == (D(2027, 11, 30), "New words")
    page = staff.get("/staff/data/2027/").content.decode()
    assert "Board asked" in page
    assert "Closes on: 2027-10-31 → 2027-11-30" in page


def test_an_open_cycle_cannot_be_edited_and_says_why(staff):
    make_cycle(2026)
    response = staff.get("/staff/data/2026/edit/", follow=True)
    assert response.redirect_chain == [("/staff/data/2026/", 302)]
    assert "only a draft cycle can be edited" in response.content.decode()
    response = staff.post(
        "/staff/data/2026/edit/",
        {
            "window_starts_on": "2026-03-01",
            "window_ends_on": "2026-09-30",
            "opens_on": "2026-10-01",
            "closes_on": "2026-12-31",
        },
    )
    assert response.status_code == 400
    assert "only a draft cycle can be edited" in response.content.decode()


# ---- open, extend, close ---------------------------------------------------------------------


def test_staff_open_extend_and_close_with_each_step_on_the_record(staff, staff_user):
    cycle = make_cycle(2026, status="draft")
    assert "Open the 2026 cycle" in staff.get("/staff/data/2026/").content.decode()
    response = staff.post("/staff/data/2026/open/", {"open-reason": "Survey ready"})
    assert response.status_code == 302
    response = staff.post(
        "/staff/data/2026/extend/",
        {"extend-closes_on": "2026-11-14", "extend-reason": "Half-term clash"},
    )
    assert response.status_code == 302
    response = staff.post("/staff/data/2026/close/", {"close-reason": ""})
    assert response.status_code == 302
    cycle.refresh_from_db()
    assert (cycle.status, cycle.closes_on) == ("closed", D(2026, 11, 14))
    page = staff.get("/staff/data/2026/").content.decode()
    for text in (
        "Opened",
        "Survey ready",
        "Closing date extended",
        "Half-term clash",
        "Closes on: 2026-10-31 → 2026-11-14",
        "State: open → closed",
        "Sam Staff",
    ):
        assert text in page
    assert list(cycle.events.values_list("kind", flat=True)) == ["closed", "extended", "opened"]


def test_an_extension_to_an_earlier_date_is_shown_on_its_field(staff):
    cycle = make_cycle(2026)
    response = staff.post(
        "/staff/data/2026/extend/",
        {"extend-closes_on": "2026-10-20", "extend-reason": "Typed reason"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'href="#id_extend-closes_on"' in page
    assert "after the current one, 31 October 2026" in page
    assert "Typed reason" in page and 'value="2026-10-20"' in page
    cycle.refresh_from_db()
    assert cycle.closes_on == D(2026, 10, 31)
    assert not cycle.events.exists()


def test_an_extension_without_a_reason_is_refused(staff):
    make_cycle(2026)
    response = staff.post("/staff/data/2026/extend/", {"extend-closes_on": "2026-11-20"})
    assert response.status_code == 400
    assert 'href="#id_extend-reason"' in response.content.decode()
    assert not CycleEvent.objects.exists()


def test_closing_a_closed_cycle_says_so(staff):
    make_cycle(2026, status="closed")
    response = staff.post("/staff/data/2026/close/", {})
    assert response.status_code == 400
    assert "only an open cycle can be closed" in response.content.decode()


# ---- exemptions, reopen, grace ---------------------------------------------------------------


def test_staff_exempt_an_organisation_by_signatory_number_and_remove_it(staff, acme):
    cycle = make_cycle(2026)
    response = staff.post(
        "/staff/data/2026/exemptions/",
        {"exempt-organisation": "1", "exempt-reason": "No tech staff on the snapshot date"},
    )
    assert response.status_code == 302
    exemption = CycleExemption.objects.get(cycle=cycle, organisation=acme)
    page = staff.get("/staff/data/2026/").content.decode()
    assert "No tech staff on the snapshot date" in page
    assert "Organisation exempted: Acme Analytics (no. 1)" in page
    response = staff.post(
        f"/staff/data/2026/exemptions/{exemption.pk}/remove/",
        {f"unexempt-{exemption.pk}-reason": "They hired"},
    )
    assert response.status_code == 302
    assert not CycleExemption.objects.exists()
    assert "Exemption removed" in staff.get("/staff/data/2026/").content.decode()


def test_an_unknown_signatory_number_is_refused_with_the_input_kept(staff, acme):
    make_cycle(2026)
    response = staff.post(
        "/staff/data/2026/exemptions/",
        {"exempt-organisation": "999", "exempt-reason": "Typed why"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "No signatory has the number 999." in page
    assert 'href="#id_exempt-organisation"' in page
    assert 'value="999"' in page and "Typed why" in page
    assert not CycleExemption.objects.exists()


def test_removing_another_cycles_exemption_is_a_404(staff, acme, staff_user):
    make_cycle(2026)
    other = make_cycle(2025, status="closed")
    exemption = cycle_exempt(cycle=other, organisation=acme, by=staff_user, reason="x")
    response = staff.post(
        f"/staff/data/2026/exemptions/{exemption.pk}/remove/",
        {f"unexempt-{exemption.pk}-reason": "y"},
    )
    assert response.status_code == 404


def test_staff_reopen_a_return_after_the_deadline(staff, acme):
    make_cycle(2026, status="closed")
    with time_machine.travel(NOVEMBER_3):
        response = staff.post(
            "/staff/data/2026/reopen/",
            {
                "reopen-organisation": "1",
                "reopen-until": "2026-11-20",
                "reopen-reason": "Data lead was ill",
            },
        )
        assert response.status_code == 302
        page = staff.get("/staff/data/2026/").content.decode()
    data_return = DataReturn.objects.get(organisation=acme)
    assert data_return.reopened_until == D(2026, 11, 20)
    assert "can be changed until 20 November 2026" in page
    assert "Return reopened: Acme Analytics (no. 1)" in page


def test_a_reopen_before_the_deadline_is_refused_on_the_page(staff, acme):
    make_cycle(2026)
    with time_machine.travel(OCTOBER_5):
        response = staff.post(
            "/staff/data/2026/reopen/",
            {"reopen-organisation": "1", "reopen-until": "2026-11-20", "reopen-reason": "x"},
        )
    assert response.status_code == 400
    assert "deadline is 31 October 2026" in response.content.decode()
    assert not DataReturn.objects.exists()


def pending_grace(cycle, organisation, by, days=7) -> GraceRequest:
    data_return = DataReturn.objects.create(cycle=cycle, organisation=organisation)
    return GraceRequest.objects.create(
        data_return=data_return, days=days, reason="Payroll migration", requested_by=by
    )


def test_staff_grant_a_pending_grace_request_from_the_page(staff, acme, alice):
    cycle = make_cycle(2026)
    grace = pending_grace(cycle, acme, alice, days=7)
    page = staff.get("/staff/data/2026/").content.decode()
    assert "Payroll migration" in page and "Grant 7 days" in page
    response = staff.post(f"/staff/data/2026/grace/{grace.pk}/grant/", {})
    assert response.status_code == 302
    assert DataReturn.objects.get(pk=grace.data_return_id).grace_until == D(2026, 11, 7)
    page = staff.get("/staff/data/2026/").content.decode()
    assert "No grace request is waiting." in page
    assert "Grace extension granted: Acme Analytics (no. 1)" in page
    assert "Deadline: (none) → 2026-11-07" in page


def test_a_refusal_without_a_note_is_shown_on_that_requests_form(staff, acme, alice):
    cycle = make_cycle(2026)
    grace = pending_grace(cycle, acme, alice)
    response = staff.post(f"/staff/data/2026/grace/{grace.pk}/refuse/", {})
    assert response.status_code == 400
    assert f'href="#id_refuse-{grace.pk}-note"' in response.content.decode()
    grace.refresh_from_db()
    assert grace.status == "pending"
    response = staff.post(
        f"/staff/data/2026/grace/{grace.pk}/refuse/", {f"refuse-{grace.pk}-note": "Six weeks"}
    )
    assert response.status_code == 302
    grace.refresh_from_db()
    assert (grace.status, grace.decision_note) == ("refused", "Six weeks")


def test_the_cycle_page_shows_states_never_figures(staff, acme):
    cycle = make_cycle(2026)
    DataReturn.objects.create(
        cycle=cycle,
        organisation=acme,
        status="submitted",
        tech_total=98765,
        total_employees=123456,
        submitted_at=timezone.now(),
        first_submitted_at=timezone.now(),
    )
    page = staff.get("/staff/data/2026/").content.decode()
    assert "98765" not in page and "123456" not in page
    assert "1 of 1 expected organisation submitted (100%)" in page
    assert not RawDataAccess.objects.exists()  # nothing raw was shown, nothing to log


# ---- fixed query counts ----------------------------------------------------------------------

# session, user (with the staff group check), the authenticator the staff pages require
STAFF_REQUEST_QUERIES = 3


@pytest.mark.parametrize("size", [1, 5])
def test_the_cycles_list_makes_a_fixed_number_of_queries(
    staff, staff_user, size, django_assert_num_queries
):
    for year in range(2020, 2020 + size):
        make_cycle(year, status="closed")
    staff.get("/staff/data/")  # warm the session
    with django_assert_num_queries(STAFF_REQUEST_QUERIES + 1):
        response = staff.get("/staff/data/")
    assert response.status_code == 200
    assert response.content.decode().count('href="/staff/data/20') == size


@pytest.mark.parametrize("size", [3, 30])
def test_the_cycle_page_makes_a_fixed_number_of_queries(
    staff, staff_user, alice, size, django_assert_num_queries
):
    cycle = make_cycle(2026)
    sectors = ["software", "finance", "health"]
    for number in range(1, size + 1):
        org = make_organisation(
            f"Org {number}", number=100 + number, sector=sectors[number % 3], size_band="1-9"
        )
        if number % 3 == 0:
            cycle_exempt(cycle=cycle, organisation=org, by=staff_user, reason=f"Reason {number}")
        elif number % 3 == 1:
            pending_grace(cycle, org, alice)
        else:
            DataReturn.objects.create(cycle=cycle, organisation=org, status="submitted")
    for days in range(size):
        cycle_extend(
            cycle=cycle,
            by=staff_user,
            closes_on=D(2026, 11, 1) + dt.timedelta(days=days),
            reason=f"Extension {days}",
        )
    staff.get("/staff/data/2026/")
    # cycle, progress, grace requests, exemptions, reopened returns, events; and the user's
    # permissions (its own and its groups'), which decide whether the export link is shown
    with django_assert_num_queries(STAFF_REQUEST_QUERIES + 8):
        response = staff.get("/staff/data/2026/")
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('data-testid="grace-request"') == len(range(1, size + 1, 3))
    assert f"Extension {size - 1}" in page


def test_long_lists_show_the_newest_and_link_to_the_rest(staff, staff_user):
    """Hundreds of exemptions and record entries at 10,000 signatories: the page shows 10 of
    each (the record newest first) and links to the whole list."""
    cycle = make_cycle(2026)
    for number in range(1, 31):
        org = make_organisation(f"Org {number}", number=100 + number)
        cycle_exempt(cycle=cycle, organisation=org, by=staff_user, reason=f"Reason {number}")
    page = staff.get("/staff/data/2026/").content.decode()
    assert page.count('/remove/"') == 10
    assert 'href="?show=exemptions#exemptions"' in page and 'href="?show=record#record"' in page
    assert "Reason 30" in page and "Reason 5<" not in page.split('id="record"')[1]
    everything = staff.get("/staff/data/2026/?show=exemptions").content.decode()
    assert everything.count('/remove/"') == 30
    assert 'href="?show=exemptions#exemptions"' not in everything
    record = staff.get("/staff/data/2026/?show=record").content.decode()
    assert record.split('id="record"')[1].count("Organisation exempted") == 30


# ---- the raw data access log -----------------------------------------------------------------


def accesses(user, cycle, organisation, count: int) -> None:
    for number in range(count):
        record_raw_access(
            user=user,
            kind="view_return",
            cycle=cycle,
            organisation=organisation,
            path=f"/staff/data/returns/{number}/",
        )


def test_the_access_log_lists_newest_first_and_filters_by_cycle(staff, staff_user, acme, globex):
    this_year = make_cycle(2026)
    last_year = make_cycle(2025, status="closed")
    with time_machine.travel(dt.datetime(2026, 10, 5, 9, tzinfo=dt.UTC)):
        record_raw_access(user=staff_user, kind="view_return", cycle=last_year, organisation=acme)
    with time_machine.travel(dt.datetime(2026, 10, 6, 9, tzinfo=dt.UTC)):
        record_raw_access(
            user=staff_user, kind="download_export", cycle=this_year, path="/export.csv"
        )
    page = staff.get("/staff/data/access-log/").content.decode()
    assert page.index("Downloaded the cycle&#x27;s returns") < page.index("Viewed a return")
    assert "2 accesses." in page
    filtered = staff.get("/staff/data/access-log/?cycle=2025").content.decode()
    assert "1 access in the 2025 cycle." in filtered
    assert "Acme Analytics (no. 1)" in filtered
    assert "/export.csv" not in filtered


def test_an_unknown_cycle_in_the_filter_is_a_400(staff):
    make_cycle(2026)
    response = staff.get("/staff/data/access-log/?cycle=1999")
    assert response.status_code == 400
    assert 'href="#id_cycle"' in response.content.decode()


def test_the_access_log_is_paginated(staff, staff_user, acme):
    cycle = make_cycle(2026)
    accesses(staff_user, cycle, acme, 51)
    first = staff.get("/staff/data/access-log/").content.decode()
    assert "Page 1 of 2" in first and "?cycle=&amp;page=2" in first
    second = staff.get("/staff/data/access-log/?cycle=&page=2").content.decode()
    assert second.count("/staff/data/returns/") == 1


@pytest.mark.parametrize("size", [3, 30])
def test_the_access_log_makes_a_fixed_number_of_queries(
    staff, staff_user, acme, size, django_assert_num_queries
):
    cycle = make_cycle(2026)
    accesses(staff_user, cycle, acme, size)
    staff.get("/staff/data/access-log/")
    # cycles for the filter, count, page
    with django_assert_num_queries(STAFF_REQUEST_QUERIES + 3):
        response = staff.get("/staff/data/access-log/?cycle=2026")
    assert response.content.decode().count("/staff/data/returns/") == size

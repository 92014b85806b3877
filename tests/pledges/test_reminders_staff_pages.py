"""The reminders' staff pages: the delivery log (filters, retry once), each organisation's
reminders (pause with a reason, resume), the email previews and the 30-day forecast. Staff
only; refused input shown again with what was typed, nothing written; fixed query counts."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.contrib.messages import get_messages

from pledges.models import DeliveryState, ReminderDelivery, ReminderKind, ReminderPause
from pledges.selectors.reminders import organisation_deliveries
from pledges.services.reminders.pauses import reminders_pause
from tests.conftest import make_cycle, make_organisation, make_user
from tests.pledges.reminder_pages_data import OCTOBER_24, make_delivery

pytestmark = pytest.mark.django_db

LOG = "/staff/data/reminders/"


@pytest.fixture
def staff(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture
def failed(acme) -> ReminderDelivery:
    return make_delivery(
        recipient="alice@acme.example",
        organisations=[acme],
        state=DeliveryState.FAILED,
        attempts=5,
        last_error="550 mailbox unavailable",
        at=OCTOBER_24 + dt.timedelta(hours=1),
    )


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# ---- who may ----------------------------------------------------------------------------------

GET_PATHS = [
    LOG,
    "/staff/data/reminders/previews/",
    "/staff/data/reminders/previews/0/email.html",
    "/staff/data/organisations/acme-analytics/reminders/",
    "/staff/data/2026/reminders/",
]
POST_PATHS = [
    "/staff/data/reminders/{failed}/retry/",
    "/staff/data/organisations/acme-analytics/reminders/pause/",
    "/staff/data/organisations/acme-analytics/reminders/resume/",
    "/staff/data/2026/reminders/schedule/",
]


@pytest.mark.parametrize("path", GET_PATHS)
def test_only_charter_staff_open_the_reminder_pages(client, acme, alice, path):
    make_cycle(2026)
    anonymous = client.get(path)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/login/")
    client.force_login(alice)  # an organisation admin
    assert client.get(path).status_code == 403
    client.force_login(make_user("nobody@example.com"))
    assert client.get(path).status_code == 403


@pytest.mark.parametrize("path", POST_PATHS)
def test_only_charter_staff_act_on_reminders(client, acme, alice, failed, path):
    cycle = make_cycle(2026, status="draft")
    client.force_login(alice)
    response = client.post(
        path.format(failed=failed.pk),
        {
            "reason": "Merger",
            "schedule-reminder_days_before": "3",
            "schedule-reminder_days_after": "1",
        },
    )
    assert response.status_code == 403
    failed.refresh_from_db()
    assert (failed.state, failed.retried_at) == (DeliveryState.FAILED, None)
    assert not ReminderPause.objects.exists()
    cycle.refresh_from_db()
    assert cycle.reminder_days_before == [28, 14, 7, 2, 0]


@pytest.mark.parametrize("path", POST_PATHS)
def test_reminder_actions_are_post_only(staff, acme, failed, path):
    make_cycle(2026, status="draft")
    assert staff.get(path.format(failed=failed.pk)).status_code == 405


# ---- the delivery log ------------------------------------------------------------------------


def test_the_log_lists_every_email_newest_first_with_its_recipient_and_organisations(
    staff, acme, globex, failed
):
    make_delivery(recipient="charlie@globex.example", organisations=[globex], at=OCTOBER_24)
    make_delivery(
        recipient="consultant@example.org",
        organisations=[acme, globex],
        kind=ReminderKind.DATA_OVERDUE,
        step="after:1:2026-10-31",
        at=OCTOBER_24 + dt.timedelta(days=8),
    )

    response = staff.get(LOG)

    assert response.status_code == 200
    page = response.content.decode()
    order = [
        page.index("consultant@example.org"),
        page.index("alice@acme.example"),
        page.index("charlie@globex.example"),
    ]
    assert order == sorted(order)
    assert page.count('data-testid="delivery-row"') == 3
    assert "1 day after 31 Oct 2026" in page
    assert "7 days before 31 Oct 2026" in page
    assert "550 mailbox unavailable" in page
    assert "Data return overdue" in page
    assert "3 emails." in page
    both = page.split('data-testid="delivery-row"')[1]  # the newest: to the consultant
    assert both.index('Acme Analytics</a> <span class="muted">(no. 1)') < both.index("Globex")


@pytest.fixture
def three_emails(acme, globex, failed):
    make_delivery(recipient="charlie@globex.example", organisations=[globex], at=OCTOBER_24)
    make_delivery(
        recipient="alice@acme.example",
        organisations=[acme],
        kind=ReminderKind.PLEDGE_REVIEW,
        step="review:2026-11-02",
        at=dt.datetime(2026, 11, 2, 9, tzinfo=dt.UTC),
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kind=pledge_review", ["review"]),
        ("state=failed", ["failed"]),
        ("organisation=2", ["globex"]),
        ("organisation=globex", ["globex"]),
        ("organisation=acme+anal", ["review", "failed"]),
        ("date_from=2026-10-25", ["review"]),
        ("date_to=2026-10-24", ["failed", "globex"]),
        ("date_from=2026-10-24&date_to=2026-10-24&organisation=1", ["failed"]),
        ("organisation=999", []),
    ],
)
def test_the_log_filters_by_kind_state_organisation_and_dates(staff, three_emails, query, expected):
    response = staff.get(f"{LOG}?{query}")

    assert response.status_code == 200
    page = response.content.decode()
    shown = []
    for row in page.split('data-testid="delivery-row"')[1:]:
        if "Pledge not reviewed" in row:
            shown.append("review")
        elif "charlie@globex.example" in row:
            shown.append("globex")
        else:
            shown.append("failed")
    assert shown == expected
    if not expected:
        assert "No reminder email matches the filter." in page


def test_the_date_filter_counts_days_in_london(staff, acme):
    # 23:30 UTC on 24 October is 00:30 on the 25th in London (summer time).
    make_delivery(
        recipient="late@acme.example",
        organisations=[acme],
        at=dt.datetime(2026, 10, 24, 23, 30, tzinfo=dt.UTC),
    )

    on_the_24th = staff.get(f"{LOG}?date_from=2026-10-24&date_to=2026-10-24").content.decode()
    on_the_25th = staff.get(f"{LOG}?date_from=2026-10-25&date_to=2026-10-25").content.decode()

    assert "late@acme.example" not in on_the_24th
    assert "late@acme.example" in on_the_25th


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("state=lost&organisation=Acme", "id_state", "Choose a state from the list: lost is"),
        ("kind=spam&organisation=Acme", "id_kind", "Choose a kind from the list: spam is"),
        ("date_from=yesterday&organisation=Acme", "id_date_from", "Enter a date"),
        (
            "date_from=2026-10-30&date_to=2026-10-01&organisation=Acme",
            "id_date_to",
            "The end date must be on or after the start date.",
        ),
    ],
)
def test_a_bad_filter_is_explained_keeps_what_was_typed_and_lists_nothing(
    staff, three_emails, query, field, message
):
    response = staff.get(f"{LOG}?{query}")

    assert response.status_code == 400
    page = response.content.decode()
    assert "The filter was not applied" in page
    assert f'href="#{field}"' in page
    assert message in page
    assert 'value="Acme"' in page
    assert 'data-testid="delivery-row"' not in page


def test_the_log_is_paginated_by_50_and_keeps_the_filter_across_pages(staff, acme):
    for minute in range(51):
        make_delivery(
            recipient=f"person{minute}@acme.example",
            organisations=[acme],
            at=OCTOBER_24 + dt.timedelta(minutes=minute),
        )

    first = staff.get(f"{LOG}?organisation=1").content.decode()
    second = staff.get(f"{LOG}?organisation=1&page=2").content.decode()

    assert first.count('data-testid="delivery-row"') == 50
    assert "person50@acme.example" in first
    assert 'href="?organisation=1&amp;page=2"' in first
    assert second.count('data-testid="delivery-row"') == 1
    assert "person0@acme.example" in second


# session, user (with the staff group check), the authenticator the staff pages require
STAFF_REQUEST_QUERIES = 3


@pytest.mark.parametrize("size", [3, 30])
def test_the_log_makes_a_fixed_number_of_queries(
    staff, staff_user, acme, globex, size, django_assert_num_queries
):
    for number in range(size):
        delivery = make_delivery(
            recipient=f"person{number}@example.org",
            organisations=[acme, globex],
            state=DeliveryState.FAILED,
            at=OCTOBER_24 + dt.timedelta(minutes=number),
        )
        if number % 2:
            ReminderDelivery.objects.filter(pk=delivery.pk).update(
                retried_at=OCTOBER_24, retried_by=staff_user
            )
    staff.get(LOG)  # warm the session
    # the count, the page (with who retried), the claims with their organisations
    with django_assert_num_queries(STAFF_REQUEST_QUERIES + 3):
        response = staff.get(f"{LOG}?organisation=acme")
    assert response.content.decode().count('data-testid="delivery-row"') == size


# ---- retry once -----------------------------------------------------------------------------


def test_a_failed_email_has_a_retry_button_and_others_do_not(staff, acme, failed):
    make_delivery(recipient="bob@acme.example", organisations=[acme])

    page = staff.get(LOG).content.decode()

    assert page.count('data-testid="retry"') == 1
    assert f'action="/staff/data/reminders/{failed.pk}/retry/"' in page


def test_staff_retry_a_failed_email_once_and_the_log_says_who_and_when(
    staff, staff_user, acme, failed
):
    with time_machine.travel(dt.datetime(2026, 10, 24, 10, 30, tzinfo=dt.UTC), tick=False):
        response = staff.post(
            f"/staff/data/reminders/{failed.pk}/retry/", {"filters": "state=failed&page=2"}
        )

    assert response.status_code == 302
    assert response["Location"] == "/staff/data/reminders/?state=failed&page=2"
    failed.refresh_from_db()
    assert failed.retried_by == staff_user
    assert failed.retried_at == dt.datetime(2026, 10, 24, 10, 30, tzinfo=dt.UTC)
    page = staff.get(LOG).content.decode()
    assert 'data-testid="retry"' not in page
    assert "Retried by Sam Staff at 24 Oct 2026 11:30" in page  # London is on summer time


def test_a_second_retry_is_refused_and_changes_nothing(staff, staff_user, acme, failed):
    staff.post(f"/staff/data/reminders/{failed.pk}/retry/")
    failed.refresh_from_db()
    first = (failed.retried_at, failed.retried_by_id, failed.attempts)
    ReminderDelivery.objects.filter(pk=failed.pk).update(state=DeliveryState.FAILED)

    response = staff.post(f"/staff/data/reminders/{failed.pk}/retry/")

    assert response.status_code == 302
    assert response["Location"] == LOG
    assert any("already retried" in message for message in messages_of(response))
    failed.refresh_from_db()
    assert (failed.retried_at, failed.retried_by_id) == first[:2]


def test_an_email_that_did_not_fail_cannot_be_retried(staff, acme):
    sent = make_delivery(recipient="bob@acme.example", organisations=[acme])

    response = staff.post(f"/staff/data/reminders/{sent.pk}/retry/")

    assert response.status_code == 302
    sent.refresh_from_db()
    assert (sent.state, sent.retried_at) == (DeliveryState.SENT, None)


def test_retrying_an_unknown_email_is_a_404(staff):
    assert staff.post("/staff/data/reminders/999/retry/").status_code == 404


# ---- one organisation's reminders ------------------------------------------------------------


def test_an_organisations_page_lists_only_its_emails(staff, acme, globex, failed):
    make_delivery(recipient="charlie@globex.example", organisations=[globex])
    make_delivery(recipient="carla@consult.example", organisations=[acme, globex])

    response = staff.get("/staff/data/organisations/acme-analytics/reminders/")

    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('data-testid="delivery-row"') == 2
    assert "alice@acme.example" in page
    assert "carla@consult.example" in page
    assert "charlie@globex.example" not in page
    assert "Reminders are being sent." in page


def test_the_staff_list_of_organisations_links_to_their_reminders(staff, acme):
    page = staff.get("/staff/organisations/").content.decode()

    assert 'href="/staff/data/organisations/acme-analytics/reminders/"' in page


def test_staff_pause_an_organisations_reminders_with_a_reason(staff, staff_user, acme):
    response = staff.post(
        "/staff/data/organisations/acme-analytics/reminders/pause/",
        {"reason": "Merging with Globex"},
    )

    assert response.status_code == 302
    pause = ReminderPause.objects.get()
    assert (pause.organisation, pause.paused_by, pause.reason, pause.resumed_at) == (
        acme,
        staff_user,
        "Merging with Globex",
        None,
    )
    page = staff.get("/staff/data/organisations/acme-analytics/reminders/").content.decode()
    assert 'data-testid="paused"' in page
    assert "Merging with Globex" in page
    assert "Resume reminders" in page


def test_a_pause_without_a_reason_is_refused_and_writes_nothing(staff, acme):
    response = staff.post(
        "/staff/data/organisations/acme-analytics/reminders/pause/", {"reason": "   "}
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "Reminders were not paused" in page
    assert 'href="#id_reason"' in page
    assert "Say why reminders are paused." in page
    assert not ReminderPause.objects.exists()


def test_a_pause_typed_too_long_is_shown_again_as_typed(staff, acme):
    reason = "x" * 2001
    response = staff.post(
        "/staff/data/organisations/acme-analytics/reminders/pause/", {"reason": reason}
    )

    assert response.status_code == 400
    assert reason in response.content.decode()
    assert not ReminderPause.objects.exists()


def test_a_second_pause_is_refused(staff, staff_user, acme):
    reminders_pause(organisation=acme, by=staff_user, reason="Merger")

    response = staff.post(
        "/staff/data/organisations/acme-analytics/reminders/pause/", {"reason": "Again"}
    )

    assert response.status_code == 409
    assert "already paused" in response.content.decode()
    assert ReminderPause.objects.count() == 1


def test_staff_resume_an_organisations_reminders(staff, staff_user, acme):
    reminders_pause(organisation=acme, by=staff_user, reason="Merger")

    response = staff.post("/staff/data/organisations/acme-analytics/reminders/resume/")

    assert response.status_code == 302
    pause = ReminderPause.objects.get()
    assert pause.resumed_by == staff_user
    assert pause.resumed_at is not None
    page = staff.get("/staff/data/organisations/acme-analytics/reminders/").content.decode()
    assert "Pause reminders" in page
    assert "by Sam Staff" in page


def test_resuming_reminders_that_are_not_paused_says_so(staff, acme):
    response = staff.post("/staff/data/organisations/acme-analytics/reminders/resume/")

    assert response.status_code == 302
    assert any("not paused" in message for message in messages_of(response))
    assert not ReminderPause.objects.exists()


def test_an_unknown_organisation_is_a_404(staff):
    assert staff.get("/staff/data/organisations/nobody/reminders/").status_code == 404
    assert (
        staff.post("/staff/data/organisations/nobody/reminders/pause/", {"reason": "x"}).status_code
        == 404
    )


@pytest.mark.parametrize("size", [3, 30])
def test_an_organisations_page_makes_a_fixed_number_of_queries(
    staff, staff_user, acme, globex, size, django_assert_num_queries
):
    for number in range(size):
        make_delivery(
            recipient=f"person{number}@example.org",
            organisations=[acme, globex],
            at=OCTOBER_24 + dt.timedelta(minutes=number),
        )
        pause = reminders_pause(organisation=acme, by=staff_user, reason=f"Pause {number}")
        ReminderPause.objects.filter(pk=pause.pk).update(
            resumed_at=OCTOBER_24, resumed_by=staff_user
        )
    staff.get("/staff/data/organisations/acme-analytics/reminders/")
    # the organisation, the open pause, the pauses, the deliveries, their claims
    with django_assert_num_queries(STAFF_REQUEST_QUERIES + 5):
        response = staff.get("/staff/data/organisations/acme-analytics/reminders/")
    assert response.content.decode().count('data-testid="delivery-row"') == min(size, 25)


def test_an_organisations_deliveries_carry_only_its_own_claims(acme, globex):
    make_delivery(recipient="carla@consult.example", organisations=[acme, globex])

    (delivery,) = organisation_deliveries(acme)

    assert [claim.organisation for claim in delivery.claim_list] == [acme]


def test_the_log_covers_organisations_of_any_status(staff, acme):
    withdrawn = make_organisation("Gone Ltd", number=9, status="withdrawn")
    make_delivery(recipient="gone@gone.example", organisations=[withdrawn])

    assert staff.get("/staff/data/organisations/gone-ltd/reminders/").status_code == 200
    assert "gone@gone.example" in staff.get(f"{LOG}?organisation=9").content.decode()


# ---- previews and the forecast ----------------------------------------------------------------


def test_the_previews_show_every_kind_with_its_subject_and_plain_text(staff):
    response = staff.get("/staff/data/reminders/previews/")

    assert response.status_code == 200
    page = response.content.decode()
    for kind in ReminderKind:
        assert kind.label in page, kind
    assert page.count('data-testid="preview"') == page.count('<pre class="email-text"')
    assert "Example Analytics" in page  # the sample data
    assert 'href="/staff/data/reminders/previews/0/email.html"' in page
    # The digest's failed emails link to this log, filtered to them.
    assert (
        "3 emails failed and not retried: http://127.0.0.1:8000/staff/data/reminders/?state=failed"
        in page
    )


def test_the_html_part_is_served_alone_under_a_policy_that_runs_nothing(staff):
    response = staff.get("/staff/data/reminders/previews/0/email.html")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    policy = response["Content-Security-Policy"]
    assert "default-src 'none'" in policy
    assert "sandbox" in policy
    assert "script-src" not in policy  # so default-src 'none' refuses every script
    page = response.content.decode()
    assert page.lstrip().lower().startswith("<!doctype html")
    assert "Example Analytics" in page


def test_an_unknown_preview_is_a_404(staff):
    assert staff.get("/staff/data/reminders/previews/999/email.html").status_code == 404


def test_the_open_cycle_page_links_to_its_forecast_and_a_draft_does_not(staff):
    make_cycle(2026)
    make_cycle(2027, status="draft")

    open_page = staff.get("/staff/data/2026/").content.decode()
    draft_page = staff.get("/staff/data/2027/").content.decode()

    assert 'href="/staff/data/2026/reminders/"' in open_page
    assert 'href="/staff/data/2027/reminders/"' not in draft_page


def test_a_cycle_that_is_not_open_forecasts_nothing(staff):
    make_cycle(2027, status="draft")

    response = staff.get("/staff/data/2027/reminders/")

    assert response.status_code == 200
    assert "only an open cycle sends reminders" in response.content.decode()


def forecast_rows(page: str) -> list[str]:
    body = page.split("<tbody>")[1].split("</tbody>")[0]
    return [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in body.split("</tr>")[:-1]]


def test_the_forecast_lists_the_steps_due_in_the_next_30_days(staff, staff_user, acme, globex):
    make_cycle(2026)  # closes 31 October: 28, 14, 7, 2 and 0 days before, then 1 and 14 after
    initech = make_organisation("Initech", number=3)
    reminders_pause(organisation=initech, by=staff_user, reason="Merger")

    with time_machine.travel(dt.datetime(2026, 10, 20, 8, tzinfo=dt.UTC), tick=False):
        response = staff.get("/staff/data/2026/reminders/")

    assert response.status_code == 200
    # 14 days before (17 October) is past; Initech is paused. Alice (admin) and Charlie (admin)
    # are chased; 14 days after, Acme's senior representative is copied in too.
    assert forecast_rows(response.content.decode()) == [
        "Sat 24 Oct 2026 Data return due soon 7 days before 31 Oct 2026 2 Acme Analytics, Globex 2",
        "Thu 29 Oct 2026 Data return due soon 2 days before 31 Oct 2026 2 Acme Analytics, Globex 2",
        "Sat 31 Oct 2026 Data return due soon On the deadline, 31 Oct 2026 2 Acme Analytics, "
        "Globex 2",
        "Sun 1 Nov 2026 Data return overdue 1 day after 31 Oct 2026 2 Acme Analytics, Globex 2",
        "Sat 14 Nov 2026 Data return overdue 14 days after 31 Oct 2026 2 Acme Analytics, Globex 3",
    ]


@pytest.mark.parametrize("size", [3, 30])
def test_the_forecast_makes_a_fixed_number_of_queries(staff, size, django_assert_num_queries):
    make_cycle(2026)
    for number in range(size):
        make_organisation(
            f"Org {number}", number=100 + number, data_contact_email=f"d{number}@x.org"
        )
    staff.get("/staff/data/2026/reminders/")
    # the cycle, then the forecast's own five: organisations (without the paused), returns,
    # exemptions, admins, representatives
    with (
        time_machine.travel(dt.datetime(2026, 10, 20, 8, tzinfo=dt.UTC), tick=False),
        django_assert_num_queries(STAFF_REQUEST_QUERIES + 6),
    ):
        response = staff.get("/staff/data/2026/reminders/")
    first = forecast_rows(response.content.decode())[0]
    names = sorted(f"Org {number}" for number in range(size))
    shown = ", ".join(names[:5]) + (f" and {size - 5} more" if size > 5 else "")
    assert f"7 days before 31 Oct 2026 {size} {shown} {size}" in first


def test_an_unknown_cycle_has_no_forecast(staff):
    assert staff.get("/staff/data/2040/reminders/").status_code == 404

"""Charter staff review warnings in a real Chromium: the outlier queue, a return, a question
and an acceptance, the compliance page; axe-core on each."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from playwright.sync_api import Page, expect

from pledges.models import CycleEvent, ReturnQuery
from tests.conftest import PASSWORD, authenticator_code, make_cycle
from tests.pledges.review_data import JUMP_WARNING, submitted_return

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def log_in_as_staff(page: Page, live_server, email: str) -> None:
    page.goto(live_server.url + "/accounts/login/")
    page.locator('input[name="login"]').fill(email)
    page.locator('input[name="password"]').fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.locator('input[name="code"]').fill(authenticator_code())
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


@pytest.fixture
def queue(acme, globex, staff_user):
    staff_user.user_permissions.add(Permission.objects.get(codename="view_raw_figures"))
    cycle = make_cycle(2026, status="closed")
    acme_return = submitted_return(acme, cycle, warnings=[JUMP_WARNING])
    globex_return = submitted_return(globex, cycle, warnings=[JUMP_WARNING])
    return acme_return, globex_return


def test_staff_query_one_warning_and_accept_another(
    page: Page, live_server, queue, staff_user, axe
):
    acme_return, globex_return = queue
    log_in_as_staff(page, live_server, staff_user.email)

    page.goto(live_server.url + "/staff/")
    page.get_by_role("link", name="Outlier queue").click()
    expect(page.get_by_role("heading", name="Outlier queue")).to_be_visible()
    expect(page.get_by_test_id("outlier-row")).to_have_count(2)
    expect(page.get_by_text("went from 40 to 95").first).to_be_visible()
    axe(page)

    page.get_by_role("link", name="Acme Analytics").click()
    expect(page.get_by_test_id("outlier-status")).to_have_text("Waiting for review")
    axe(page)
    # A question sent empty is refused with the error next to the field and in the summary.
    page.get_by_role("button", name="Send the question").click()
    expect(page.locator(".error-summary")).to_be_visible()
    axe(page)
    page.get_by_label("Your question to the organisation").fill("Please confirm the merger.")
    page.get_by_role("button", name="Send the question").click()
    expect(page.get_by_test_id("outlier-status")).to_have_text("Queried")
    thread = page.get_by_role("region", name="Questions and answers")
    expect(thread.get_by_text("Please confirm the merger.")).to_be_visible()

    page.get_by_role("link", name="Back to the outlier queue").click()
    page.get_by_role("link", name="Globex").click()
    page.get_by_label("Note for the record (optional)").fill("Known merger.")
    page.get_by_role("button", name="Accept").click()
    expect(page.get_by_test_id("outlier-status")).to_have_text("Accepted")

    page.get_by_role("link", name="Data compliance").click()
    expect(page.get_by_role("heading", name="Data pledge compliance")).to_be_visible()
    axe(page)

    assert ReturnQuery.objects.get().data_return_id == acme_return.pk
    assert sorted(CycleEvent.objects.values_list("kind", flat=True)) == ["accepted", "queried"]
    globex_return.refresh_from_db()
    assert globex_return.outlier_status == "accepted"


def test_axe_on_the_compliance_page_with_decision_forms(
    page: Page, live_server, acme, globex, staff_user, axe
):
    acme.signed_on = globex.signed_on = dt.date(2020, 1, 1)
    acme.save()
    globex.save()
    for year in (2024, 2025):
        make_cycle(year, status="closed")
    log_in_as_staff(page, live_server, staff_user.email)

    page.goto(live_server.url + "/staff/data/compliance/?standing=delisting_proposed")
    expect(page.get_by_test_id("compliance-row")).to_have_count(2)
    axe(page)
    page.get_by_role("button", name="Suspend").first.click()
    expect(page.locator(".error-summary")).to_be_visible()
    axe(page)

"""The signatory directory in a real Chromium: search, filter, page, open a profile; with and
without JavaScript; checked with axe-core."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Browser, Page, expect

from signatories.choices import OrganisationStatus
from tests.conftest import make_organisation

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def directory():
    make_organisation(
        "Société Générale Tech",
        number=1,
        slug="societe-generale-tech",
        sector="finance",
        region="london",
        description="A bank's technology arm.",
    )
    for number in range(2, 32):
        make_organisation(
            f"Company {number:02}",
            number=number,
            sector="software" if number % 2 else "finance",
            region="wales" if number % 3 else "london",
            signed_on=dt.date(2023 if number < 10 else 2024, 5, 1),
        )
    make_organisation("Hooli", number=40, status=OrganisationStatus.SUSPENDED)


def count(page: Page):
    return page.get_by_test_id("result-count")


def test_it_searches_filters_pages_and_opens_a_profile(page: Page, live_server, directory, axe):
    page.goto(live_server.url + "/signatories/")
    expect(count(page)).to_have_text("31 signatories")
    axe(page)

    # Searching updates the results as you type, and the address follows.
    page.get_by_label("Search by name").fill("SOCIETE gen")
    expect(count(page)).to_have_text("1 signatory found")
    expect(page).to_have_url(re.compile(r"q=SOCIETE(\+|%20)gen"))
    expect(page.locator(".directory-card__name")).to_have_text(["Société Générale Tech"])

    # Filters combine with each other; counts next to each value follow.
    page.get_by_label("Search by name").fill("")
    expect(count(page)).to_have_text("31 signatories")
    page.locator("#filter-sector-2").check()  # finance
    expect(count(page)).to_have_text("16 signatories found")
    page.locator("summary", has_text="Region").click()
    expect(page.locator("#count-region-6")).to_have_text("(6)")  # finance in London
    page.locator("#filter-region-6").check()  # London
    expect(count(page)).to_have_text("6 signatories found")
    expect(page).to_have_url(re.compile(r"sector=finance.*region=london"))
    axe(page)

    # Back to everything, 25 a page: the next page comes in place, and keeps the filters.
    page.goto(live_server.url + "/signatories/?sort=number")
    page.get_by_role("link", name="Next page").click()
    expect(page).to_have_url(re.compile(r"sort=number&page=2"))
    expect(page.locator(".directory-card__name")).to_have_count(6)
    expect(page.locator(".pagination [aria-current=page]")).to_have_text("Page 2")

    # The back button brings the first page back, from the server.
    page.go_back()
    expect(page.locator(".directory-card__name").first).to_have_text("Société Générale Tech")

    page.get_by_role("link", name="Société Générale Tech").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Société Générale Tech")
    expect(page.get_by_text("A bank's technology arm.")).to_be_visible()
    axe(page)

    page.get_by_test_id("similar-signatories").click()
    expect(count(page)).to_have_text("6 signatories found")


def test_it_filters_without_javascript(browser: Browser, live_server, directory, axe):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(live_server.url + "/signatories/")
        page.locator("#filter-sector-0").check()  # software
        page.get_by_role("button", name="Show results").click()

        expect(page).to_have_url(re.compile(r"sector=software"))
        expect(count(page)).to_have_text("15 signatories found")
    finally:
        context.close()


def test_it_shows_what_was_wrong_with_a_hand_written_address(page: Page, live_server, directory):
    page.goto(live_server.url + "/signatories/?sector=spaceflight&page=99")

    expect(page.get_by_role("alert")).to_contain_text('"spaceflight" is not a sector code')
    expect(count(page)).to_have_text("31 signatories")

"""The public pages and the account forms in a real Chromium, checked with axe-core.

Each test runs against pytest-django's live server, which empties the database after every test;
``serialized_rollback`` restores what the migrations created (the five pledges) before each one.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from charter.models import Pledge
from signatories.choices import OrganisationStatus
from tests.conftest import make_organisation

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

MOBILE = {"width": 375, "height": 812}


@pytest.fixture
def signatories():
    make_organisation("Acme Analytics", number=1)
    make_organisation("Globex", number=2)
    make_organisation("Hooli", number=3, status=OrganisationStatus.SUSPENDED)
    make_organisation(
        "Initech", number=4, status=OrganisationStatus.WITHDRAWN, withdrawn_on=dt.date(2025, 1, 2)
    )


def pledge_titles() -> list[str]:
    titles = list(Pledge.objects.order_by("position").values_list("title", flat=True))
    # Guard against a vacuous pass: expect(...).to_have_text([]) holds for an empty list.
    assert len(titles) == 5, "the migrations' pledges are missing from the test database"
    return titles


def active_element(page: Page) -> dict:
    return page.evaluate(
        "() => ({tag: document.activeElement.tagName.toLowerCase(),"
        " id: document.activeElement.id, text: document.activeElement.textContent.trim()})"
    )


def test_it_shows_the_count_and_the_pledges_on_an_accessible_home_page(
    page: Page, live_server, signatories, axe
):
    page.goto(live_server.url + "/")

    expect(page).to_have_title("Home · Tech Diversity Charter")
    expect(page.get_by_test_id("signatory-count")).to_have_text(
        "2 organisations have signed the charter."
    )
    expect(page.locator(".pledge-card h3")).to_have_text(pledge_titles())
    expect(page.get_by_text("17%", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Sign the charter").first).to_be_visible()
    axe(page)


def test_it_moves_focus_to_the_main_content_with_the_skip_link(page: Page, live_server):
    page.goto(live_server.url + "/")

    page.keyboard.press("Tab")

    skip_link = page.get_by_role("link", name="Skip to main content")
    expect(skip_link).to_be_focused()
    # Hidden until focused, then on screen for the sighted keyboard user.
    box = skip_link.bounding_box()
    assert box is not None and box["x"] >= 0 and box["y"] >= 0

    page.keyboard.press("Enter")

    expect(page.locator("main")).to_be_focused()
    assert page.url.endswith("/#main")
    # The next Tab continues from the main content, not from the top of the page.
    page.keyboard.press("Tab")
    focused = active_element(page)
    assert page.evaluate("() => document.querySelector('main').contains(document.activeElement)"), (
        focused
    )


def test_it_shows_the_five_pledges_on_an_accessible_charter_page(page: Page, live_server, axe):
    page.goto(live_server.url + "/charter/")

    expect(page.get_by_role("heading", level=1)).to_have_text("The charter")
    expect(page.locator(".pledge-full-list > li h2")).to_have_text(
        [f"{position}. {title}" for position, title in enumerate(pledge_titles(), start=1)]
    )
    expect(page.get_by_role("link", name="The charter", exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    axe(page)


def test_it_serves_an_accessible_login_page_whose_errors_are_accessible_too(
    page: Page, live_server, alice, axe
):
    page.goto(live_server.url + "/accounts/login/")
    axe(page)

    page.get_by_label("Email").fill("alice@acme.example")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign In").click()

    expect(page.get_by_role("alert")).to_contain_text("not correct")
    axe(page)


def test_it_logs_in_with_the_labelled_fields_and_the_keyboard(
    page: Page, live_server, alice, password
):
    page.goto(live_server.url + "/accounts/login/")

    page.get_by_label("Email").fill("alice@acme.example")
    page.get_by_label("Password").fill(password)
    page.get_by_label("Password").press("Enter")

    expect(page).to_have_url(live_server.url + "/")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def test_it_serves_an_accessible_signup_page_whose_errors_are_accessible_too(
    page: Page, live_server, axe
):
    page.goto(live_server.url + "/accounts/signup/")
    axe(page)

    page.get_by_label("Email").fill("dee@initech.example")
    # Django's label suffix (a trailing colon) may or may not be shown: match either.
    page.get_by_label(re.compile(r"^Password:?$")).fill("a-brand-new-passphrase-77")
    page.get_by_label(re.compile(r"^Password \(again\):?$")).fill("something else entirely")
    page.get_by_role("button", name="Sign Up").click()

    expect(page.get_by_text("You must type the same password each time.")).to_be_visible()
    axe(page)


def test_it_serves_accessible_account_pages_to_a_logged_in_person(
    page: Page, live_server, alice, password, axe
):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill("alice@acme.example")
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()

    for path in ["/accounts/email/", "/accounts/password/change/", "/accounts/2fa/"]:
        page.goto(live_server.url + path)
        expect(page.locator("main h1")).to_be_visible()
        axe(page)


def test_it_fits_the_home_page_on_a_375_pixel_wide_phone(page: Page, live_server, signatories, axe):
    page.set_viewport_size(MOBILE)
    page.goto(live_server.url + "/")

    expect(page.get_by_test_id("signatory-count")).to_be_visible()
    # Nothing wider than the screen: no sideways scrolling on a phone.
    assert page.evaluate("() => document.documentElement.scrollWidth") <= MOBILE["width"]
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    axe(page)


def test_it_serves_accessible_two_factor_pages(page: Page, live_server, alice, password, axe):
    from tests.charter.test_accounts import authenticator_code

    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill("alice@acme.example")
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()

    # Activating asks for the password again first.
    page.goto(live_server.url + "/accounts/2fa/totp/activate/")
    expect(page).to_have_url(re.compile(r"/accounts/reauthenticate/"))
    axe(page)
    page.get_by_label(re.compile(r"^Password:?$")).fill(password)
    page.get_by_role("button", name="Confirm").click()

    expect(page.locator("main h1")).to_have_text("Activate Authenticator App")
    axe(page)
    secret = page.get_by_label("Authenticator secret").input_value()
    page.get_by_label(re.compile(r"^Authenticator code:?$")).fill(authenticator_code(secret))
    page.get_by_role("button", name="Activate").click()

    expect(page).to_have_url(live_server.url + "/accounts/2fa/recovery-codes/")
    expect(page.get_by_label("Unused codes")).to_be_visible()
    axe(page)

    page.get_by_role("button", name="Log out").click()
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill("alice@acme.example")
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign In").click()

    expect(page).to_have_url(live_server.url + "/accounts/2fa/authenticate/")
    axe(page)
    page.get_by_label(re.compile(r"^(Authenticator )?[Cc]ode:?$")).fill("000000")
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_text("Incorrect code.")).to_be_visible()
    axe(page)

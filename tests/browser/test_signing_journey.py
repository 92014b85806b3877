"""The whole signing journey in a real Chromium: sign up, verify, apply, staff approve, public page.

The live server runs in this process with the locmem email backend and Celery in eager mode, so
the emails the journey sends land in ``mail.outbox`` as soon as their transaction commits.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from playwright.sync_api import Page, expect

from signatories.models import Organisation
from tests.conftest import PASSWORD, authenticator_code, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def link_in_last_email(pattern: str) -> str:
    for message in reversed(mail.outbox):
        match = re.search(pattern, message.body)
        if match:
            return match.group(0)
    raise AssertionError(f"no email holds a link matching {pattern}")


def fill_application(page: Page) -> None:
    page.get_by_label("Legal name").fill("Northwind Analytics Limited")
    page.get_by_label("Name used publicly").fill("Northwind Analytics")
    page.get_by_label("Website").fill("https://northwind.example")
    page.get_by_label("Companies House number (if you have one)").fill("SC123456")
    page.get_by_label("Type of organisation").select_option("employer")
    page.get_by_label("Sector").select_option("software")
    page.get_by_label("Number of employees").select_option("50-249")
    page.get_by_label("Headquarters").select_option("scotland")
    page.get_by_label("Short public description").fill("Data tools for the public sector.")
    page.get_by_label("Full name").fill("Morag Campbell")
    page.locator("#id_representative_job_title").fill("Chief Executive")
    page.get_by_label("Work email").fill("morag@northwind.example")
    page.get_by_label("The representative agrees to be named publicly").check()
    for position in range(1, 6):
        page.get_by_label(re.compile(f"We commit to pledge {position}:")).check()
    page.get_by_label("Your public commitment: inclusive attraction and recruitment").fill(
        "At least one woman on every shortlist."
    )
    page.get_by_label("Your job title").fill("Head of People")


def test_an_organisation_signs_up_applies_and_is_approved(page: Page, live_server, axe):
    staff = make_user("reviewer@charter.example", full_name="Rae Viewer", authenticator=True)
    staff.groups.add(Group.objects.get(name="Charter staff"))

    # 1. The applicant creates an account and verifies the email address from the outbox.
    page.goto(live_server.url + "/sign/")
    page.get_by_role("link", name="Create an account to apply").click()
    page.locator('input[name="email"]').fill("nadia@northwind.example")
    page.locator('input[name="password1"]').fill(PASSWORD)
    page.locator('input[name="password2"]').fill(PASSWORD)
    page.locator('form button[type="submit"]').click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Verify")

    page.goto(link_in_last_email(r"https?://\S+/accounts/confirm-email/\S+"))
    page.get_by_role("button", name="Confirm").click()

    # 2. The application form: a mistake first, then the corrected application.
    page.goto(live_server.url + "/sign/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Apply to sign the charter")
    axe(page)
    fill_application(page)
    page.get_by_label("Website").fill("not a website")
    page.get_by_role("button", name="Submit application").click()
    expect(page.locator(".error-summary")).to_contain_text("Enter the website as a full address")
    expect(page.get_by_label("Legal name")).to_have_value("Northwind Analytics Limited")
    axe(page)
    page.get_by_label("Website").fill("https://northwind.example")
    page.get_by_role("button", name="Submit application").click()
    expect(page.get_by_test_id("application-status")).to_have_text("Submitted")
    assert any(m.to == ["nadia@northwind.example"] for m in mail.outbox)

    # 3. Charter staff find it in the queue and approve it.
    page.get_by_role("button", name="Log out").click()
    page.goto(live_server.url + "/accounts/login/?next=/staff/")
    page.locator('input[name="login"]').fill("reviewer@charter.example")
    page.locator('input[name="password"]').fill(PASSWORD)
    page.locator('form button[type="submit"]').click()
    page.locator('input[name="code"]').fill(authenticator_code())
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Applications")
    axe(page)
    page.get_by_role("link", name="Northwind Analytics").click()
    expect(page.get_by_text("Morag Campbell", exact=False).first).to_be_visible()
    axe(page)
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_test_id("application-status")).to_have_text("Approved")

    # 4. The organisation's public page.
    page.get_by_role("link", name="public profile").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Northwind Analytics")
    expect(page.get_by_text("Morag Campbell, Chief Executive")).to_be_visible()
    expect(page.get_by_text("At least one woman on every shortlist.")).to_be_visible()
    axe(page)

    organisation = Organisation.objects.get()
    assert organisation.signatory_number == 1
    assert organisation.memberships.get().user.email == "nadia@northwind.example"
    assert any(m.to == ["morag@northwind.example"] for m in mail.outbox)


def test_a_possible_duplicate_is_shown_before_submitting(page: Page, live_server, axe):
    from tests.conftest import make_organisation

    make_organisation(
        "Northwind",
        number=1,
        website="https://northwind.example",
        website_domain="northwind.example",
    )
    make_user("nadia@northwind.example", full_name="Nadia Noor")
    page.goto(live_server.url + "/accounts/login/?next=/sign/")
    page.locator('input[name="login"]').fill("nadia@northwind.example")
    page.locator('input[name="password"]').fill(PASSWORD)
    page.locator('form button[type="submit"]').click()

    fill_application(page)
    page.get_by_label("Website").fill("https://jobs.northwind.example")
    page.get_by_role("button", name="Submit application").click()

    expect(
        page.get_by_role("heading", name="Your organisation may already be a signatory")
    ).to_be_visible()
    expect(page.get_by_role("link", name="ask to join Northwind")).to_be_visible()
    expect(page.get_by_label("Legal name")).to_have_value("Northwind Analytics Limited")
    axe(page)
    page.get_by_label("None of these is my organisation").check()
    page.get_by_role("button", name="Submit application").click()
    expect(page.get_by_test_id("application-status")).to_have_text("Submitted")

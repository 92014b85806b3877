"""Charter staff run a reporting cycle in a real Chromium: create it (a mistake first), open it,
see the live progress, exempt an organisation, read the record and the raw data access log,
with axe-core on each page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from playwright.sync_api import Page, expect

from pledges.models import CycleExemption, DataReturn, ReportingCycle
from tests.conftest import PASSWORD, authenticator_code, make_organisation, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def log_in_as_staff(page: Page, live_server, email: str, next_url: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/?next={next_url}")
    page.locator('input[name="login"]').fill(email)
    page.locator('input[name="password"]').fill(PASSWORD)
    page.locator('form button[type="submit"]').click()
    page.locator('input[name="code"]').fill(authenticator_code())
    page.get_by_role("button", name="Sign In").click()


def test_staff_create_and_open_a_cycle_and_follow_its_progress(page: Page, live_server, axe):
    staff = make_user("runner@charter.example", full_name="Rita Runner", authenticator=True)
    staff.groups.add(Group.objects.get(name="Charter staff"))
    # Three organisations expected in 2030, one signed too late, one suspended.
    acme = make_organisation("Acme Analytics", number=1, signed_on=dt.date(2029, 1, 1))
    make_organisation("Globex", number=2, sector="finance", signed_on=dt.date(2029, 1, 1))
    initech = make_organisation("Initech", number=3, signed_on=dt.date(2030, 5, 1))
    make_organisation("Latecomer", number=4, signed_on=dt.date(2031, 1, 1))
    make_organisation("Paused", number=5, status="suspended", signed_on=dt.date(2029, 1, 1))

    log_in_as_staff(page, live_server, "runner@charter.example", "/staff/data/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Data collection")
    expect(page.get_by_role("link", name="Raw data access log")).to_have_count(2)
    axe(page)

    # Create, with the closing date before the opening date first.
    page.get_by_role("link", name="Create a cycle").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Create a cycle")
    axe(page)
    page.get_by_label("Year").fill("2030")
    page.get_by_label("Opens on").fill("2030-10-01")
    page.get_by_label("Closes on").fill("2030-09-15")
    page.get_by_label("Introduction").fill("Tell us about your tech team on one day of 2030.")
    page.get_by_role("button", name="Create the cycle").click()
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("The closing date must be on or after the opening date.")
    expect(page.get_by_label("Introduction")).to_have_value(
        "Tell us about your tech team on one day of 2030."
    )
    axe(page)
    summary.get_by_role("link").click()
    expect(page.get_by_label("Closes on")).to_be_focused()
    page.get_by_label("Closes on").fill("2030-10-31")
    page.get_by_role("button", name="Create the cycle").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("The 2030 data collection")
    expect(page.get_by_test_id("cycle-state")).to_have_text("Draft")
    expect(page.get_by_text("1 March 2030 to 30 September 2030")).to_be_visible()
    axe(page)

    # Returns arrive (as the signatories' room would write them) and staff open the cycle.
    cycle = ReportingCycle.objects.get(year=2030)
    DataReturn.objects.create(
        cycle=cycle,
        organisation=acme,
        status="submitted",
        submitted_at=timezone.now(),
        first_submitted_at=timezone.now(),
    )
    DataReturn.objects.create(cycle=cycle, organisation=initech, version=2)
    page.get_by_label("Note (optional)").fill("The survey is ready")
    page.get_by_role("button", name="Open the 2030 cycle").click()
    expect(page.get_by_text("The 2030 cycle is open.")).to_be_visible()
    expect(page.get_by_test_id("cycle-state")).to_have_text("Open")
    expect(page.get_by_test_id("progress-summary")).to_have_text(
        "1 of 3 expected organisations submitted (33%); 1 in draft, 1 not started, 0 exempt."
    )
    sectors = page.get_by_test_id("progress-sector")
    expect(sectors.get_by_role("row", name="Software and IT services")).to_contain_text("1")
    expect(sectors.get_by_role("row", name="Financial services")).to_be_visible()
    record = page.get_by_test_id("cycle-record")
    expect(record).to_contain_text("The survey is ready")
    expect(record).to_contain_text("Rita Runner")
    axe(page)

    # Globex has no tech staff this year: exempt it by its signatory number.
    page.locator("#id_exempt-organisation").fill("2")
    page.locator("#id_exempt-reason").fill("No tech staff on the snapshot date")
    page.get_by_role("button", name="Exempt the organisation").click()
    expect(page.get_by_test_id("progress-summary")).to_contain_text("1 of 2 expected")
    expect(page.get_by_test_id("exemptions")).to_contain_text("Globex (no. 2)")
    expect(record).to_contain_text("Organisation exempted: Globex (no. 2)")
    axe(page)
    assert CycleExemption.objects.filter(cycle=cycle, organisation__signatory_number=2).exists()

    # An extension to an earlier date is refused next to its field, the reason kept.
    page.get_by_label("New closing date").fill("2030-10-15")
    page.get_by_label("Why the extension").fill("Half-term")
    page.get_by_role("button", name="Extend the closing date").click()
    expect(page.locator(".error-summary")).to_contain_text("after the current one")
    expect(page.get_by_label("Why the extension")).to_have_value("Half-term")
    axe(page)
    page.get_by_label("New closing date").fill("2030-11-14")
    page.get_by_role("button", name="Extend the closing date").click()
    expect(page.get_by_test_id("closes-on")).to_have_text("14 November 2030")

    page.get_by_role("link", name="Raw data access log").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Raw data access log")
    axe(page)

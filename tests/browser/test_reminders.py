"""The reminders in a real Chromium: a member of staff filters the delivery log and retries a
failed email (then sees who retried it), pauses an organisation's reminders, reads the previews
and the 30-day forecast; a signatory switches off pledge review nudges. axe-core on each page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Page, expect

from pledges.models import DeliveryState, EmailOptOut, ReminderDelivery
from signatories.choices import MemberRole
from signatories.models import Membership
from tests.browser.test_staff_cycles import log_in_as_staff
from tests.conftest import PASSWORD, make_cycle, make_organisation, make_user
from tests.pledges.reminder_pages_data import make_delivery

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_staff_filter_the_delivery_log_and_retry_a_failed_email(page: Page, live_server, axe):
    staff = make_user("runner@charter.example", full_name="Rita Runner", authenticator=True)
    staff.groups.add(Group.objects.get(name="Charter staff"))
    today = timezone.localdate()
    cycle = make_cycle(
        today.year,
        opens_on=today - dt.timedelta(days=20),
        closes_on=today + dt.timedelta(days=7),
    )
    acme = make_organisation("Acme Analytics", number=1, data_contact_email="dora@acme.example")
    globex = make_organisation("Globex", number=2, sector="finance")
    step = f"before:7:{cycle.closes_on.isoformat()}"
    failed = make_delivery(
        recipient="dora@acme.example",
        organisations=[acme],
        step=step,
        state=DeliveryState.FAILED,
        attempts=5,
        last_error="451 try again later",
        at=timezone.now() - dt.timedelta(hours=1),
        cycle=cycle,
    )
    make_delivery(
        recipient="gil@globex.example",
        organisations=[globex],
        step=step,
        at=timezone.now() - dt.timedelta(hours=2),
        cycle=cycle,
    )

    log_in_as_staff(page, live_server, "runner@charter.example", "/staff/data/reminders/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Reminder delivery log")
    expect(page.get_by_test_id("delivery-row")).to_have_count(2)
    axe(page)

    # A date that is no date first: explained, what was typed kept, nothing listed.
    page.get_by_label("Organisation").fill("acme")
    page.get_by_label("State").select_option("failed")
    page.get_by_label("From").fill(f"{today:%Y-%m-%d}")
    page.get_by_label("To").fill(f"{today - dt.timedelta(days=3):%Y-%m-%d}")
    page.get_by_role("button", name="Show").click()
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("The end date must be on or after the start date.")
    expect(page.get_by_label("Organisation")).to_have_value("acme")
    expect(page.get_by_test_id("delivery-row")).to_have_count(0)
    axe(page)
    page.get_by_label("To").fill("")
    page.get_by_role("button", name="Show").click()

    expect(page.get_by_test_id("delivery-row")).to_have_count(1)
    row = page.get_by_test_id("delivery-row")
    expect(row).to_contain_text("dora@acme.example")
    expect(row).to_contain_text("451 try again later")
    expect(row.get_by_test_id("delivery-state")).to_have_text("Failed")

    row.get_by_role("button", name="Retry the email to dora@acme.example").click()
    expect(page.get_by_role("status")).to_contain_text("queued again")
    # Back on the same filtered list; the email went at once (Celery runs inline here).
    expect(page.get_by_label("Organisation")).to_have_value("acme")
    page.get_by_label("State").select_option("")
    page.get_by_role("button", name="Show").click()
    row = page.get_by_test_id("delivery-row")
    expect(row.get_by_test_id("retried")).to_contain_text("Retried by Rita Runner at")
    expect(row.get_by_role("button", name="Retry")).to_have_count(0)
    failed.refresh_from_db()
    assert failed.retried_by == staff
    assert failed.state == DeliveryState.SENT
    assert [message.to for message in mail.outbox] == [["dora@acme.example"]]
    axe(page)

    # Acme's reminders: pause them, a reason is needed.
    row.get_by_role("link", name="Acme Analytics").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reminders to Acme Analytics")
    axe(page)
    page.get_by_role("button", name="Pause reminders").click()
    expect(page.locator(".error-summary")).to_contain_text("Say why reminders are paused.")
    axe(page)
    page.get_by_label("Why reminders are paused").fill("Merging with Globex")
    page.get_by_role("button", name="Pause reminders").click()
    expect(page.get_by_test_id("paused")).to_contain_text("Merging with Globex")
    axe(page)

    # The previews, and the HTML part of one email on its own.
    page.goto(f"{live_server.url}/staff/data/reminders/previews/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Reminder email previews")
    assert page.get_by_test_id("preview").count() >= 10
    axe(page)
    page.get_by_role("link", name="The HTML part").first.click()
    expect(page.locator("body")).to_contain_text("Example Analytics")

    # What goes out in the next 30 days, from the cycle page.
    page.goto(f"{live_server.url}/staff/data/{cycle.year}/")
    page.get_by_test_id("forecast-link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reminders in the next 30 days")
    axe(page)
    assert ReminderDelivery.objects.count() == 2


def test_an_admin_reads_the_teams_emails_and_switches_off_pledge_review_nudges(
    page: Page, live_server, axe
):
    alice = make_user("alice@acme.example", full_name="Alice Adams")
    acme = make_organisation("Acme Analytics", number=1)
    Membership.objects.create(organisation=acme, user=alice, role=MemberRole.ADMIN)
    make_delivery(recipient="alice@acme.example", organisations=[acme])

    page.goto(f"{live_server.url}/accounts/login/?next=/dashboard/acme-analytics/team/")
    page.locator('input[name="login"]').fill("alice@acme.example")
    page.locator('input[name="password"]').fill(PASSWORD)
    page.locator('form button[type="submit"]').click()
    page.get_by_role("link", name="The reminder emails sent to your team").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Emails sent to your team")
    expect(page.get_by_test_id("email-row")).to_contain_text("7 days before 31 Oct 2026")
    axe(page)

    page.get_by_role("link", name="Your account").click()
    page.get_by_role("navigation", name="Account").get_by_role(
        "link", name="Email preferences"
    ).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Email preferences")
    nudges = page.get_by_label("Pledge not reviewed for a year")
    expect(nudges).to_be_checked()
    expect(page.get_by_label("Staff daily digest")).to_have_count(0)
    expect(page.get_by_test_id("essential-emails")).to_contain_text("Data return due soon")
    axe(page)

    nudges.uncheck()
    page.get_by_role("button", name="Save preferences").click()

    expect(page.get_by_role("status")).to_contain_text("Your email preferences are saved.")
    expect(page.get_by_label("Pledge not reviewed for a year")).not_to_be_checked()
    axe(page)
    assert list(EmailOptOut.objects.values_list("user", "kind")) == [(alice.pk, "pledge_review")]

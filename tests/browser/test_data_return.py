"""An organisation's yearly data return in a real Chromium: an admin fills it in with a
mistake, fixes it, saves a draft, submits, sees the receipt and downloads its PDF; axe-core
on every data page, with errors showing where a page has them.

The cycle is open around today (no time_machine: the live server and the browser share the
real clock).
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from pledges.models import DataReturn, ReturnQuery, ReturnRevision
from tests.browser.test_workspace import log_in
from tests.conftest import make_commitments, make_cycle

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

FIGURES = {
    "total_employees": "120",
    "tech_total": "40",
    "tech_women": "10",
    "tech_men": "28",
    "tech_non_binary": "1",
    "tech_gender_undisclosed": "1",
    "tech_ethnic_minority": "9",
    "tech_white": "29",
    "tech_ethnicity_undisclosed": "2",
    "senior_total": "6",
    "senior_women": "2",
    "senior_ethnic_minority": "1",
}


@pytest.fixture
def open_year(acme):
    make_commitments(acme)
    today = timezone.localdate()
    make_cycle(
        today.year,
        opens_on=today - dt.timedelta(days=3),
        closes_on=today + dt.timedelta(days=25),
    )
    return today.year


def pdf_text(path: Path) -> str:
    if not shutil.which("pdftotext"):
        pytest.fail("pdftotext (poppler-utils) is needed to read the receipt back")
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True)
    return " ".join(out.stdout.decode().split())


def test_an_admin_fills_in_fixes_saves_submits_and_downloads_the_receipt(
    page: Page, live_server, open_year, alice, password, axe
):
    year = open_year
    log_in(page, live_server, "alice@acme.example", password)
    page.goto(live_server.url + "/dashboard/acme-analytics/")
    page.get_by_role("navigation", name="Workspace").get_by_role("link", name="Data").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Diversity data")
    axe(page)
    page.get_by_role("link", name=f"Start your {year} return").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Your {year} diversity data")
    axe(page)

    page.locator("#id_snapshot_date").fill(f"{year}-04-05")
    for name, value in FIGURES.items():
        page.locator(f"#id_{name}").fill(value)
    page.locator("#id_tech_women").fill("12")  # the mistake: gender adds up to 42, not 40
    page.get_by_role("button", name="Submit").click()

    summary = page.locator("#error-summary")
    expect(summary).to_contain_text("add up to 42")
    expect(page.locator("#id_tech_women")).to_have_value("12")
    axe(page)
    summary.get_by_role("link").first.click()
    expect(page.locator("#id_tech_women")).to_be_focused()
    assert not ReturnRevision.objects.exists()

    page.locator("#id_tech_women").fill("10")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Draft saved. It is not submitted yet.")).to_be_visible()
    expect(page.locator("#id_tech_women")).to_have_value("10")
    assert DataReturn.objects.get().status == "draft"

    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Receipt {year}-1-r1")
    axe(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the receipt (PDF)").click()
    text = pdf_text(Path(download.value.path()))
    assert f"Receipt {year}-1-r1" in text and "Total employees 120" in text
    assert "Women 10" in text

    page.get_by_role("link", name="History of this return").click()
    expect(page.get_by_role("heading", name=f"Revision 1: {year}-1-r1")).to_be_visible()
    axe(page)


def test_axe_finds_nothing_serious_on_the_other_data_pages(
    page: Page, live_server, open_year, alice, password, axe, staff_user
):
    year = open_year
    log_in(page, live_server, "alice@acme.example", password)
    base = f"{live_server.url}/dashboard/acme-analytics/data/{year}/"

    # The grace request refused, then asked.
    page.goto(base + "grace/")
    axe(page)
    page.get_by_label("How many more days do you need?").fill("40")
    page.get_by_role("button", name="Ask for more time").click()
    expect(page.locator("#error-summary")).to_contain_text("28 days or fewer")
    axe(page)
    page.get_by_label("How many more days do you need?").fill("14")
    page.get_by_label("Why do you need more time?").fill("Our HR system is being replaced.")
    page.get_by_role("button", name="Ask for more time").click()
    expect(page.get_by_text("Waiting for a decision")).to_be_visible()
    axe(page)

    # A staff query, answered.
    data_return = DataReturn.objects.get()
    query = ReturnQuery.objects.create(
        data_return=data_return, message="Is 40 tech staff right?", asked_by=staff_user
    )
    page.goto(f"{live_server.url}/dashboard/acme-analytics/data/")
    expect(page.get_by_text("Is 40 tech staff right?")).to_be_visible()
    axe(page)
    page.get_by_role("link", name="Answer the question").click()
    axe(page)
    page.get_by_role("button", name="Send the answer").click()
    expect(page.locator("#error-summary")).to_contain_text("Write your answer.")
    axe(page)
    page.get_by_label("Your answer").fill("Yes: we hired a data team.")
    page.get_by_role("button", name="Send the answer").click()
    expect(page.get_by_text("Answer sent to charter staff.")).to_be_visible()
    query.refresh_from_db()
    assert query.answer == "Yes: we hired a data team."

    # Last year, closed without a return: the read-only page.
    make_cycle(year - 1, status="closed")
    page.goto(f"{live_server.url}/dashboard/acme-analytics/data/{year - 1}/")
    expect(page.locator("#closed")).to_contain_text("can no longer be changed")
    axe(page)

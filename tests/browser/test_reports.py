"""The published reports in a real Chromium, with axe-core on every page: the home page's link,
the list, a corrected year's report with its charts and tables, its PDF, and an earlier
version."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.reports.report_data import published_world

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def reports(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return published_world()


def test_the_public_finds_reads_and_downloads_the_latest_report(
    page: Page, live_server, reports, axe
):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Every report").click()

    expect(page).to_have_title("Benchmarking reports · Tech Diversity Charter")
    expect(page.get_by_role("table", name="Published reports, newest first")).to_be_visible()
    axe(page)

    page.get_by_role("link", name="The 2025 report", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Diversity in tech: the 2025 benchmarking report"
    )
    expect(page.get_by_role("note").filter(has_text="Correction (version 2)")).to_be_visible()
    chart = page.get_by_role("img", name="Women's share of tech roles by sector, 2025")
    expect(chart).to_be_visible()
    expect(
        page.get_by_role("table", name="Women's share of tech roles by sector, 2025: the figures")
    ).to_be_visible()
    axe(page)

    pdf_link = page.get_by_role("link", name="Download the report as a PDF")
    response = page.request.get(live_server.url + pdf_link.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body() == reports["corrected"].pdf.open("rb").read()


def test_an_earlier_version_stays_readable(page: Page, live_server, reports, axe):
    page.goto(live_server.url + "/reports/")
    page.get_by_role("link", name="Version 1 of the 2025 report", exact=True).click()

    expect(page.get_by_text("published 1 February 2026 · version 1")).to_be_visible()
    expect(page.get_by_text("Correction (version")).to_have_count(0)
    axe(page)


def test_the_report_reads_on_a_phone(page: Page, live_server, reports, axe):
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(live_server.url + "/reports/2025/")

    # The charts shrink to the screen instead of making the page scroll sideways.
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 375
    axe(page)

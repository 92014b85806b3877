"""An organisation admin opens its own benchmark from the dashboard, reads it and downloads its
one-page PDF; axe-core on the page, and on the API page that documents the benchmark open data."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_data_return import pdf_text
from tests.browser.test_workspace import log_in
from tests.conftest import make_commitments
from tests.reports.benchmark_world import build_world, publish

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def published(acme):
    make_commitments(acme)
    world = build_world(acme)
    publish(world["cycles"][2024])
    return publish(world["cycles"][2025])


def test_an_admin_reads_the_benchmark_and_downloads_its_pdf(
    page: Page, live_server, published, alice, password, axe
):
    log_in(page, live_server, "alice@acme.example", password)
    page.goto(live_server.url + "/dashboard/acme-analytics/")
    page.get_by_role("link", name="See your benchmark").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your benchmark")
    expect(page.get_by_role("heading", name="2025", exact=True)).to_be_visible()
    table = page.get_by_role(
        "table", name="Your figures beside all signatories and your peers, 2025"
    )
    expect(
        table.get_by_role("row", name=re.compile(r"^Women in tech roles 30\.0%"))
    ).to_be_visible()
    expect(page.get_by_test_id("fallback-size_band").first).to_contain_text(
        "only 6 organisations reported"
    )
    expect(page.get_by_role("link", name="Benchmark", exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    axe(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download your 2025 benchmark as a one-page PDF").click()
    text = pdf_text(Path(download.value.path()))
    assert "Acme Analytics: 2025 benchmark" in text
    assert "Page 1 of 1" in text


def test_the_api_page_with_the_benchmark_section_is_accessible(
    page: Page, live_server, published, axe
):
    page.goto(live_server.url + "/api/")

    expect(page.get_by_role("heading", name="The benchmark figures")).to_be_visible()
    axe(page)

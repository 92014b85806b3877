"""The year's report from end to end in a real Chromium: staff generate it, preview the page
and the PDF (marked as a draft), and publish it; the public opens the report and downloads the
PDF; an organisation admin opens its own benchmark. axe-core on every page."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from playwright.sync_api import Page, expect

from tests.browser.test_data_return import pdf_text
from tests.browser.test_staff_cycles import log_in_as_staff
from tests.browser.test_workspace import log_in
from tests.conftest import make_user
from tests.reports.benchmark_world import build_world, publish

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def closed_2025(acme, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world = build_world(acme)
    publish(world["cycles"][2024])  # last year's report, for the change from last year
    cycle = world["cycles"][2025]
    cycle.status = "closed"
    cycle.save(update_fields=["status"])
    return cycle


def test_staff_publish_the_report_the_public_reads_it_and_a_signatory_sees_its_benchmark(
    page: Page, live_server, closed_2025, password, axe, tmp_path
):
    staff = make_user("editor@charter.example", full_name="Esme Editor", authenticator=True)
    staff.groups.add(Group.objects.get(name="Charter staff"))

    # Staff: generate (the job runs inline here), preview, publish.
    log_in_as_staff(page, live_server, "editor@charter.example", "/staff/reports/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Benchmarking reports")
    axe(page)
    page.get_by_role("link", name="2025", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The 2025 benchmarking report")
    page.get_by_role("button", name="Generate the report").click()
    expect(page.get_by_test_id("report-state")).to_have_text("Ready to preview")
    axe(page)

    page.get_by_role("link", name="Preview the page").click()
    expect(page.get_by_role("note").filter(has_text="Draft — not published")).to_be_visible()
    axe(page)
    preview_pdf = page.request.get(live_server.url + "/staff/reports/2025/preview.pdf")
    assert preview_pdf.headers["content-type"] == "application/pdf"
    page.go_back()

    page.get_by_role("button", name="Publish version 1").click()  # without ticking the box
    expect(page.locator(".error-summary")).to_contain_text("Tick the box")
    axe(page)
    page.get_by_label("I have checked the preview: publish it to everyone").check()
    page.get_by_role("button", name="Publish version 1").click()
    expect(page.get_by_text("Version 1 of the 2025 report is published.")).to_be_visible()
    assert any("2025 benchmarking report is published" in m.subject for m in mail.outbox)

    # The public, logged out (the same page, so the CSP listener stays on): the report and PDF.
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()
    public = page
    public.goto(live_server.url + "/reports/")
    public.get_by_role("link", name="The 2025 report", exact=True).click()
    expect(public.get_by_role("heading", level=1)).to_contain_text("2025 benchmarking report")
    expect(public.get_by_role("note").filter(has_text="Draft")).to_have_count(0)
    axe(public)
    # Served inline (Chromium would open its viewer): fetch what the link points at.
    href = public.get_by_role("link", name="Download the report as a PDF").get_attribute("href")
    response = public.request.get(live_server.url + href)
    assert response.headers["content-type"] == "application/pdf"
    saved = tmp_path / "report.pdf"
    saved.write_bytes(response.body())
    text = pdf_text(saved)
    assert "2025" in text
    assert "Draft — not published" not in text

    # An organisation admin: its own benchmark against the report just published.
    admin = page
    log_in(admin, live_server, "alice@acme.example", password)
    admin.goto(live_server.url + "/dashboard/acme-analytics/benchmark/")
    expect(admin.get_by_role("heading", name="2025", exact=True)).to_be_visible()
    axe(admin)

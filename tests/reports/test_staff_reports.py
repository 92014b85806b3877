"""The staff report pages (/staff/reports/): who reaches them, each action through its POST view,
refused forms shown again, the previews, and fixed query counts."""

from __future__ import annotations

import pytest

from reports.models import BenchmarkReport
from tests.conftest import make_cycle, make_user
from tests.reports.report_data import closed_cycle_with_returns

pytestmark = pytest.mark.django_db

GET_URLS = ["/staff/reports/", "/staff/reports/2025/"]
POST_URLS = [
    "/staff/reports/2025/generate/",
    "/staff/reports/2025/texts/",
    "/staff/reports/2025/publish/",
]


@pytest.fixture
def cycle(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return closed_cycle_with_returns()


@pytest.fixture
def staff(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture
def generated(staff, cycle, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        staff.post("/staff/reports/2025/generate/")
    report = BenchmarkReport.objects.get(cycle=cycle)
    assert report.state == "ready", report.error
    return report


@pytest.mark.parametrize("url", [*GET_URLS, "/staff/reports/2025/preview/"])
def test_only_charter_staff_open_the_pages(client, cycle, alice, url):
    anonymous = client.get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/login/")
    client.force_login(alice)
    assert client.get(url).status_code == 403
    client.force_login(make_user("nobody@example.com"))
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("url", POST_URLS)
def test_only_charter_staff_act(client, cycle, alice, url):
    client.force_login(alice)
    assert client.post(url, {"confirm": "on", "foreword": "x"}).status_code == 403
    assert not BenchmarkReport.objects.exists()


@pytest.mark.parametrize("url", POST_URLS)
def test_actions_are_post_only(staff, cycle, url):
    assert staff.get(url).status_code == 405


def test_an_unknown_year_is_a_404(staff):
    assert staff.get("/staff/reports/2031/").status_code == 404


def test_the_list_costs_the_same_queries_whatever_the_number_of_cycles(
    staff, django_assert_max_num_queries
):
    for year in range(2018, 2026):
        make_cycle(year, status="closed")
    with django_assert_max_num_queries(8):
        response = staff.get("/staff/reports/")
    assert response.status_code == 200
    assert b"/staff/reports/2025/" in response.content


def test_staff_generate_then_publish_from_the_page(staff, generated, cycle):
    page = staff.get("/staff/reports/2025/").content.decode()
    assert "Ready to preview" in page
    assert "Preview the PDF" in page

    refused = staff.post("/staff/reports/2025/publish/", {})
    assert refused.status_code == 400
    assert "Tick the box" in refused.content.decode()
    generated.refresh_from_db()
    assert generated.published_at is None

    done = staff.post("/staff/reports/2025/publish/", {"confirm": "on"})
    assert done.status_code == 302
    generated.refresh_from_db()
    cycle.refresh_from_db()
    assert generated.state == "published"
    assert cycle.status == "published"


def test_the_previews_are_marked_as_a_draft(staff, generated):
    page = staff.get("/staff/reports/2025/preview/")
    assert page.status_code == 200
    assert "Draft" in page.content.decode()
    pdf = staff.get("/staff/reports/2025/preview.pdf")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"


def test_no_preview_before_generation(staff, cycle):
    assert staff.get("/staff/reports/2025/preview/").status_code == 404
    assert staff.get("/staff/reports/2025/preview.pdf").status_code == 404


def test_texts_need_a_draft_and_keep_what_was_typed(staff, cycle):
    response = staff.post("/staff/reports/2025/texts/", {"foreword": "Our fifth year."})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Generate the report first" in page
    assert "Our fifth year." in page


def test_saving_the_texts_asks_for_a_regeneration(staff, generated):
    response = staff.post("/staff/reports/2025/texts/", {"foreword": "Our fifth year."})
    assert response.status_code == 302
    generated.refresh_from_db()
    assert generated.foreword == "Our fifth year."
    assert generated.state == "failed"  # what was rendered no longer matches: regenerate


def test_generating_an_open_cycle_says_why_not(staff):
    make_cycle(2026, status="open")
    response = staff.post("/staff/reports/2026/generate/", follow=True)
    assert "once it has closed" in response.content.decode()
    assert not BenchmarkReport.objects.exists()

"""The public report pages: the list, a year's latest version (page and stored PDF), earlier
versions, 404 for what was not published, cache headers, and the home page's link."""

from __future__ import annotations

import pytest

from reports.models import BenchmarkReport
from tests.reports.report_data import published_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return published_world()


def text(response) -> str:
    return " ".join(response.content.decode().split())


def test_it_lists_every_published_year_with_its_earlier_versions(client, world):
    response = client.get("/reports/")

    assert response.status_code == 200
    page = text(response)
    assert '<a href="/reports/2025/">The 2025 report</a>' in page
    assert '<a href="/reports/2025.pdf">PDF' in page
    assert '<a href="/reports/2025/versions/1/">Version 1' in page
    assert '<a href="/reports/2025/versions/1.pdf">PDF' in page
    assert '<a href="/reports/2024/">The 2024 report</a>' in page
    assert "2 (corrected)" in page
    assert "/reports/2026/" not in page  # generated, not published


def test_it_lists_the_reports_in_one_query(client, world, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert client.get("/reports/").status_code == 200


def test_it_says_when_nothing_is_published_yet(client, db):
    assert "No report has been published yet." in text(client.get("/reports/"))


def test_it_serves_the_latest_published_version_with_its_correction_note(client, world):
    response = client.get("/reports/2025/")

    assert response.status_code == 200
    page = text(response)
    assert "Diversity in tech: the 2025 benchmarking report" in page
    assert "Correction (version 2)" in page
    assert "Version 1 counted one organisation twice." in page
    assert "published 1 March 2026 · version 2" in page
    assert '<a href="/reports/2025.pdf">Download the report as a PDF</a>' in page
    assert "<strong>good</strong>" in page  # the foreword's Markdown, sanitised
    assert "Draft — not published" not in page


def test_it_draws_the_page_from_the_frozen_cells(client, world):
    corrected = world["corrected"]
    corrected.cells["overall"]["women_pct"] = 41.5
    corrected.save(update_fields=["cells"])

    assert "Share of tech roles held by women: 41.5%;" in text(client.get("/reports/2025/"))


def test_it_renders_a_published_versions_body_once_and_then_serves_it_from_the_cache(client, world):
    first = text(client.get("/reports/2025/"))
    BenchmarkReport.objects.filter(pk=world["corrected"].pk).update(foreword="Rewritten.")

    again = text(client.get("/reports/2025/"))

    # A published row never changes, so the body rendered first is served again as it was.
    assert "Rewritten." not in again
    assert again == first


def test_it_shows_the_change_from_last_years_published_report(client, world):
    page = text(client.get("/reports/2025/"))

    assert "30.0%</span> of tech roles are held by women." in page
    assert "Up 5.0 percentage points from 25.0% in 2024." in page


def test_it_serves_the_page_in_a_fixed_number_of_queries(
    client, world, alice, django_assert_num_queries
):
    # Anonymous: which version is published, then the row, rendered once per process.
    with django_assert_num_queries(2):
        assert client.get("/reports/2025/").status_code == 200
    # After that the bytes come from memory: only the check of which version is published
    # (itself reused for REPORTS_PUBLISHED_MAX_AGE outside the tests, so no query at all).
    with django_assert_num_queries(1):
        assert client.get("/reports/2025/").status_code == 200
    # A numbered version: which one it is, and its row the first time (its body links its own
    # PDF), then only which one it is.
    with django_assert_num_queries(2):
        assert client.get("/reports/2025/versions/1/").status_code == 200
    with django_assert_num_queries(1):
        assert client.get("/reports/2025/versions/1/").status_code == 200
    client.force_login(alice)
    # session, user with the menu's check, which version is published: the body comes from
    # memory, and only the layout with this visitor's menu is rendered
    with django_assert_num_queries(3):
        assert client.get("/reports/2025/").status_code == 200


def test_a_logged_in_visitor_gets_their_own_menu_not_the_shared_page(client, world, alice):
    assert "Log out" not in text(client.get("/reports/2025/"))
    client.force_login(alice)
    page = text(client.get("/reports/2025/"))
    assert "Log out" in page
    assert "2025 benchmarking report" in page


def test_a_correction_replaces_the_shared_page(client, world):
    from tests.reports.report_data import published_report_make

    before = text(client.get("/reports/2025/"))
    published_report_make(
        world["corrected"].cycle, version=3, correction_note="Version 2 misnamed a sector."
    )
    after = text(client.get("/reports/2025/"))
    assert "Version 2 misnamed a sector." in after
    assert after != before


def test_it_serves_the_stored_pdf_not_a_new_rendering(client, world):
    stored = world["corrected"].pdf.open("rb").read()
    BenchmarkReport.objects.filter(pk=world["corrected"].pk).update(cells={"year": 1999})

    response = client.get("/reports/2025.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == ('inline; filename="benchmarking-report-2025-v2.pdf"')
    assert b"".join(response.streaming_content) == stored


def test_earlier_versions_stay_readable_and_downloadable(client, world):
    page = text(client.get("/reports/2025/versions/1/"))
    pdf = client.get("/reports/2025/versions/1.pdf")

    assert "published 1 February 2026 · version 1" in page
    assert "Correction (version" not in page
    assert '<a href="/reports/2025/versions/1.pdf">Download the report as a PDF</a>' in page
    assert pdf.status_code == 200
    assert b"".join(pdf.streaming_content) == world["original"].pdf.open("rb").read()


NOT_PUBLISHED = [
    "/reports/2026/",
    "/reports/2026.pdf",
    "/reports/2026/versions/1/",
    "/reports/2026/versions/1.pdf",
    "/reports/2025/versions/3/",
    "/reports/2025/versions/3.pdf",
    "/reports/1999/",
]


def test_what_was_not_published_is_not_found(client, world):
    # One test over every path: the world renders four real PDFs, too slow to build per path.
    assert {path: client.get(path).status_code for path in NOT_PUBLISHED} == dict.fromkeys(
        NOT_PUBLISHED, 404
    )


def test_it_lets_caches_keep_frozen_content_for_as_long_as_it_cannot_change(client, world):
    latest_page = client.get("/reports/2025/")
    latest_pdf = client.get("/reports/2025.pdf")
    version_pdf = client.get("/reports/2025/versions/1.pdf")

    # A correction can replace the latest version: minutes. A numbered version never changes.
    assert latest_page["Cache-Control"] == "private, max-age=300"
    assert latest_pdf["Cache-Control"] == "public, max-age=300"
    assert version_pdf["Cache-Control"] == "public, max-age=31536000"


def test_it_refuses_to_post(client, world):
    paths = ["/reports/", "/reports/2025/", "/reports/2025.pdf", "/reports/2025/versions/1/"]

    assert {path: client.post(path).status_code for path in paths} == dict.fromkeys(paths, 405)


# Anyone may read published reports (DESIGN §4): every kind of visitor gets the same pages.
PERMISSIONS = [
    ("/reports/", 200),
    ("/reports/2025/", 200),
    ("/reports/2025.pdf", 200),
    ("/reports/2025/versions/1/", 200),
    ("/reports/2025/versions/1.pdf", 200),
    ("/reports/2026/", 404),
]


@pytest.mark.parametrize("who", ["anonymous", "alice", "staff_user"])
def test_anyone_may_read_the_published_reports(client, world, request, who):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))

    assert [(path, client.get(path).status_code) for path, _ in PERMISSIONS] == PERMISSIONS


def test_the_home_page_links_the_latest_report(client, world):
    page = text(client.get("/"))

    assert '<a href="/reports/2025/">read the 2025 benchmarking report</a>' in page
    assert "(published 1 March 2026, corrected)" in page
    assert '<a href="/reports/2025.pdf">download it as a PDF</a>' in page


def test_the_home_page_has_no_report_link_before_the_first_is_published(client, db):
    assert "benchmarking report" not in text(client.get("/"))

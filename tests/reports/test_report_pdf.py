"""The report as a PDF, through the real WeasyPrint and read back with poppler's pdftotext and
pdfinfo: every section, the small-number wording, the draft mark, the correction note, and the
tagging (PDF/UA-1, a title, a language, bookmarks from the headings, page numbers)."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from django.template.loader import render_to_string
from pypdf import PdfReader

from reports.document import TEMPLATE, report_document_context, report_pdf_render
from tests.conftest import IN_CI, make_cycle
from tests.reports.report_data import published_report_make, report_make, two_years_of_returns
from tests.reports.test_aggregation import organisations, submitted

pytestmark = pytest.mark.django_db


def poppler(tool: str, pdf: bytes) -> str:
    if shutil.which(tool) is None:
        if IN_CI:
            pytest.fail(f"CI=true and {tool} is missing: scripts/bootstrap test installs it")
        pytest.skip(f"{tool} is missing (poppler-utils): scripts/bootstrap test installs it")
    arguments = [tool, "-", "-"] if tool == "pdftotext" else [tool, "-"]
    return subprocess.run(
        arguments, input=pdf, capture_output=True, check=True, timeout=60
    ).stdout.decode()


def text_of(pdf: bytes) -> str:
    return " ".join(poppler("pdftotext", pdf).split())


def info_of(pdf: bytes) -> dict[str, str]:
    lines = poppler("pdfinfo", pdf).splitlines()
    return {key.strip(): value.strip() for key, _, value in (line.partition(":") for line in lines)}


@pytest.fixture
def report(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    before, now = make_cycle(2024, status="published"), make_cycle(2025, status="closed")
    two_years_of_returns(before, now)
    published_report_make(before)
    return report_make(now, foreword="Ten organisations told us about **400** tech staff.")


def test_it_prints_every_section_of_the_report(report):
    text = text_of(report_pdf_render(report, draft=False))

    for heading in (
        "Diversity in tech: the 2025 benchmarking report",
        "Foreword",
        "Key figures",
        "The signatories",
        "Gender",
        "Ethnicity",
        "Seniority",
        "Disability, neurodivergence, background and trans people",
        "Job families",
        "Practices adopted",
        "The same organisations year on year",
        "The national context",
        "The organisations that contributed data",
        "How the figures are made",
    ):
        assert heading in text, heading
    assert "Ten organisations told us about 400 tech staff." in text
    assert (
        "30.0% of tech roles are held by women. Up 5.0 percentage points from 25.0% in 2024."
        in text
    )
    assert "10 of the 12 organisations expected to report" in text
    assert "the 8 organisations that reported in both 2024 and 2025" in text
    assert "17% of UK tech jobs are held by women (source: BCS" in text
    assert "21% of girls aged 15–16 were interested in a tech career, against 74% of boys" in text
    assert "O Org 10 · Org 11 · Org 12 · Org 3 · Org 4 · Org 5 · Org 6" in text
    # Both averages, with their formulas, and every rule.
    assert "Women's share = Σ women ÷ Σ tech staff" in text
    assert "the middle of the quartiles is the median" in text
    assert "at least 3 organisations, at least 10 tech staff" in text
    assert "at most 80% of the group's tech staff" in text
    assert "rounded to the nearest 5 (halves up)" in text
    assert "a percentage whose numerator is below 10 is suppressed" in text
    assert "at least 10 organisations, each rounded to a whole percent" in text
    assert "Secondary suppression" in text


def test_it_draws_the_charts_with_their_tables(report):
    text = text_of(report_pdf_render(report, draft=False))

    assert "Women's share of tech roles by sector, 2025" in text
    assert "Women's share of tech roles by sector, 2025: the figures" in text
    assert "The same organisations in 2024 and 2025" in text


def test_it_is_a_tagged_pdf_with_a_title_a_language_and_bookmarks(report):
    pdf = report_pdf_render(report, draft=False)
    info = info_of(pdf)
    reader = PdfReader(io.BytesIO(pdf))

    assert info["Tagged"] == "yes"
    assert info["Title"] == "The 2025 benchmarking report · Tech Diversity Charter"
    assert int(info["Pages"]) >= 4
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"
    assert reader.trailer["/Root"]["/MarkInfo"]["/Marked"]
    # The PDF/UA identification schema in the XMP metadata.
    assert b"pdfuaid" in reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    titles = [item.title for item in flatten(reader.outline)]
    assert titles[0] == "Diversity in tech: the 2025 benchmarking report"
    assert {"Key figures", "Gender", "How the figures are made", "Disclosure control"} <= set(
        titles
    )


def flatten(outline) -> list:
    items = []
    for item in outline:
        items.extend(flatten(item) if isinstance(item, list) else [item])
    return items


def test_it_numbers_the_pages(report):
    pdf = report_pdf_render(report, draft=False)
    pages = int(info_of(pdf)["Pages"])

    text = text_of(pdf)
    assert "Page 1 of" in text
    assert f"Page {pages} of {pages}" in text


def test_it_marks_a_draft_on_every_page(report):
    draft = report_pdf_render(report, draft=True)
    published = report_pdf_render(report, draft=False)

    reader = PdfReader(io.BytesIO(draft))
    assert all("Draft — not published" in page.extract_text() for page in reader.pages)
    assert "Draft — not published" not in text_of(published)


def test_it_shows_a_correction_note_on_a_corrected_version(report):
    report.version, report.correction_note = 2, "Version 1 left out two returns."

    assert "Correction (version 2) Version 1 left out two returns." in text_of(
        report_pdf_render(report, draft=False)
    )


def test_it_writes_small_counts_and_suppressed_figures_in_words(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    cycle = make_cycle(2025, status="closed")
    for organisation in organisations(3):
        # 3 × 2 senior roles: a count of 6 people, and 3 senior women, a numerator under 10.
        submitted(cycle, organisation, senior_total=2, senior_women=1, senior_ethnic_minority=0)
    report = report_make(cycle)

    text = text_of(report_pdf_render(report, draft=False))

    assert "Senior tech roles reported: fewer than 10. Share held by women: suppressed;" in text
    assert "suppressed Women's share of senior tech roles: too few people to publish." in text
    assert "There are too few organisations (under 10) to publish the spread" in text
    assert "There is no published report for 2024 to compare with." in text
    assert "This is the first year of data" in text


def test_the_staff_preview_page_is_marked_as_a_draft(report, rf, staff_user):
    request = rf.get("/staff/reports/")
    request.user = staff_user
    page = render_to_string(TEMPLATE, report_document_context(report, draft=True), request=request)

    assert '<p class="draft-mark" role="note"><strong>Draft — not published.</strong>' in page
    assert "<title>The 2025 benchmarking report (draft) · Tech Diversity Charter</title>" in page

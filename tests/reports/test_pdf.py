"""PDFs through the real WeasyPrint: the charter at /charter.pdf and the render_pdf helper."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from charter.models import Pledge
from reports.pdf import pdf_response, render_pdf


def text_of(pdf: bytes) -> str:
    """All the text of a PDF on one line: WeasyPrint breaks lines wherever the layout does."""
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def page_count(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture
def small_template(settings, tmp_path):
    """A one-off template directory in front of the project's, for testing the helper alone."""
    (tmp_path / "small.html").write_text(
        '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>Small</title></head>'
        "<body><h1>{{ heading }}</h1><p>Signed by {{ count }} organisations.</p></body></html>",
        encoding="utf-8",
    )
    engine = {**settings.TEMPLATES[0]}
    engine["DIRS"] = [tmp_path, *engine["DIRS"]]
    settings.TEMPLATES = [engine]
    return "small.html"


@pytest.mark.django_db
def test_it_serves_the_charter_as_a_pdf(client):
    response = client.get("/charter.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="charter.pdf"'
    assert response.content.startswith(b"%PDF")
    assert response.content.rstrip().endswith(b"%%EOF")


@pytest.mark.django_db
def test_it_puts_every_pledge_title_from_the_database_in_the_pdf(client):
    text = text_of(client.get("/charter.pdf").content)

    titles = list(Pledge.objects.order_by("position").values_list("position", "title"))
    assert len(titles) == 5
    for position, title in titles:
        assert f"{position}. {title}" in text
    assert "17% of UK tech jobs are held by women" in text


@pytest.mark.django_db
def test_it_prints_a_pledge_as_staff_reworded_it(client):
    Pledge.objects.filter(code="people").update(title="A named senior champion")

    text = text_of(client.get("/charter.pdf").content)

    assert "1. A named senior champion" in text


@pytest.mark.django_db
def test_it_refuses_to_post_to_the_pdf(client):
    assert client.post("/charter.pdf").status_code == 405


def test_it_renders_a_template_to_pdf_with_the_print_stylesheet(small_template):
    pdf = render_pdf(small_template, {"heading": "Annual report 2025", "count": 290})

    assert pdf.startswith(b"%PDF")
    assert page_count(pdf) == 1
    text = text_of(pdf)
    assert "Annual report 2025" in text
    assert "Signed by 290 organisations." in text
    # The page furniture comes from static/css/print.css's @page rules, so finding it proves the
    # print stylesheet was applied.
    assert "Page 1 of 1" in text
    assert "Tech Diversity Charter" in text


def test_it_escapes_the_context_like_any_django_template(small_template):
    pdf = render_pdf(small_template, {"heading": "<b>Bold</b> & co", "count": 1})

    assert "<b>Bold</b> & co" in text_of(pdf)


def test_it_wraps_a_pdf_as_a_download_when_asked():
    response = pdf_response(b"%PDF-1.7 test", filename="report-2025.pdf", inline=False)

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="report-2025.pdf"'
    assert response.content == b"%PDF-1.7 test"

"""Render Django templates to PDF with WeasyPrint.

Every PDF Charter serves (the charter itself, the annual benchmarking report) goes through
``render_pdf``: a normal Django template, laid out for paper by ``static/css/print.css``.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

PRINT_STYLESHEET = "css/print.css"


def _print_stylesheet_path() -> str:
    path = finders.find(PRINT_STYLESHEET)
    if path is None:  # pragma: no cover - the file ships with the repository
        raise FileNotFoundError(f"static/{PRINT_STYLESHEET} is missing")
    return path


def render_pdf(
    template_name: str,
    context: dict,
    *,
    request: HttpRequest | None = None,
    pdf_variant: str | None = None,
) -> bytes:
    """``pdf_variant``: a WeasyPrint variant such as ``"pdf/ua-1"`` (tagged, for screen readers:
    the annual report asks for it), or None for a plain PDF."""
    # Imported here: WeasyPrint loads Pango through cffi, which is slow and needless for any
    # process that never makes a PDF (the web workers serving HTML, Celery's beat).
    from weasyprint import CSS, HTML

    html = render_to_string(template_name, context, request=request)
    base_url = request.build_absolute_uri("/") if request else settings.SITE_URL
    return HTML(string=html, base_url=base_url).write_pdf(
        stylesheets=[CSS(filename=_print_stylesheet_path())], pdf_variant=pdf_variant
    )


def pdf_response(pdf: bytes, *, filename: str, inline: bool = True) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response

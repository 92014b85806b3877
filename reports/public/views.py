"""The published reports, for anyone: the list, a year's page and PDF, and earlier versions.

Everything is served from the frozen rows: the page is drawn from the stored cells and content,
the PDF is the stored file, never rendered again. A year with no published version is a 404.
"""

from __future__ import annotations

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from reports.document import TEMPLATE, report_document_context
from reports.models import BenchmarkReport
from reports.open_data import frozen, frozen_body, published_report_id
from reports.selectors import published_report, published_version_id, published_years

BODY_TEMPLATE = "reports/public/_report_body.html"

# The latest version of a year can be replaced by a correction: browsers and proxies may keep it
# for a few minutes. A numbered version never changes once published: keep it for a year.
LATEST_MAX_AGE = 5 * 60
VERSION_MAX_AGE = 365 * 24 * 60 * 60


def _report_or_404(year: int, version: int | None = None) -> BenchmarkReport:
    report = published_report(year=year, version=version)
    if report is None:
        raise Http404("No published report for that year and version.")
    return report


def _page_shell(report: BenchmarkReport, *, pdf_url: str) -> dict:
    """A published version's page without the layout around it: its body rendered (the costly
    part: charts from the frozen cells), and the two values the layout's title and description
    read. The body depends on the version and its PDF's address only, never on the visitor."""
    context = {**report_document_context(report, draft=False), "pdf_url": pdf_url}
    return {
        "base_template": context["base_template"],
        "year": context["year"],
        "methodology": {"returns_counted": context["methodology"]["returns_counted"]},
        "body": mark_safe(render_to_string(BODY_TEMPLATE, context)),  # our own template's output
    }


def _page(request: HttpRequest, report_id: int, *, pdf_url: str) -> HttpResponse:
    """A published version's page: the body made once per process and version (a published
    version never changes), the layout with the visitor's navigation on each request."""
    shell = frozen_body(
        f"page body {pdf_url}", report_id, lambda report: _page_shell(report, pdf_url=pdf_url)
    )
    return render(request, TEMPLATE, shell)


def _pdf(report: BenchmarkReport, *, max_age: int) -> FileResponse:
    if not report.pdf:
        raise Http404("This report has no stored PDF.")
    filename = f"benchmarking-report-{report.cycle.year}-v{report.version}.pdf"
    response = FileResponse(
        report.pdf.open("rb"), content_type="application/pdf", filename=filename
    )
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    # The PDF is the same for everyone (no navigation, no session): shared caches may keep it.
    patch_cache_control(response, public=True, max_age=max_age)
    return response


@require_safe
def report_list(request: HttpRequest) -> HttpResponse:
    return render(request, "reports/public/list.html", {"years": published_years()})


def _is_a_plain_visit(request: HttpRequest) -> bool:
    """No session and no pending message: the page is exactly what every other anonymous
    visitor gets (base.html writes a CSRF token and a personal menu only for a logged-in
    person), so its bytes may be shared."""
    return settings.SESSION_COOKIE_NAME not in request.COOKIES and "messages" not in request.COOKIES


@require_safe
def report_page(request: HttpRequest, year: int) -> HttpResponse:
    pdf_url = reverse("reports:report_pdf", args=[year])
    report_id = published_report_id(year)
    if report_id is None:
        raise Http404("No published report for that year.")
    if _is_a_plain_visit(request):
        # Every anonymous visitor gets the same bytes: each process makes them once and serves
        # them from memory after that (as the open data does), so the public report costs
        # about what a trivial view does, with no query at all on most requests.
        content = frozen(
            "page", report_id, lambda: _page(request, report_id, pdf_url=pdf_url).content
        )
        response = HttpResponse(content)
    else:
        response = _page(request, report_id, pdf_url=pdf_url)
    patch_vary_headers(response, ["Cookie"])
    # The page carries the visitor's navigation (logged in or not), so private caches only.
    patch_cache_control(response, private=True, max_age=LATEST_MAX_AGE)
    return response


@require_safe
def report_pdf(request: HttpRequest, year: int) -> FileResponse:
    return _pdf(_report_or_404(year), max_age=LATEST_MAX_AGE)


@require_safe
def version_page(request: HttpRequest, year: int, version: int) -> HttpResponse:
    report_id = published_version_id(year=year, version=version)
    if report_id is None:
        raise Http404("No published report for that year and version.")
    pdf_url = reverse("reports:version_pdf", args=[year, version])
    response = _page(request, report_id, pdf_url=pdf_url)
    patch_cache_control(response, private=True, max_age=VERSION_MAX_AGE)
    return response


@require_safe
def version_pdf(request: HttpRequest, year: int, version: int) -> FileResponse:
    return _pdf(_report_or_404(year, version), max_age=VERSION_MAX_AGE)

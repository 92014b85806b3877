"""The benchmark cells as open data: ``/api/benchmarks/`` (the published years) and
``/api/benchmarks/<year>/`` (a year's cells), served from the latest published version's frozen
cells, never recomputed. Plain Django views, like the signatories API beside them."""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.views.decorators.http import require_safe

from reports.open_data import benchmarks_document, frozen_body, published_report_id
from reports.selectors import published_years


def open_data_headers(response: HttpResponse, *, etag: str | None = None) -> HttpResponse:
    # Open data: any site may read it. Always revalidate: a correction can be published at any
    # moment, and asking costs a 304.
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "no-cache"
    if etag is not None:
        response["ETag"] = etag
    return response


def report_etag(kind: str, year: int, report_id: int) -> str:
    # A published version is frozen: its id names its content for good.
    return f'"benchmarks-{kind}-{year}-{report_id}"'


def not_published(year: int) -> JsonResponse:
    return open_data_headers(
        JsonResponse(
            {"detail": f"No benchmarking report has been published for {year}."}, status=404
        )
    )


def year_links(request: HttpRequest, year: int) -> dict[str, str]:
    # The report page and its PDF are the public report's URLs (DESIGN §5), fixed by the URL map.
    absolute = request.build_absolute_uri
    return {
        "url": absolute(reverse("reports_api:year", args=[year])),
        "report_url": absolute(f"/reports/{year}/"),
        "pdf_url": absolute(f"/reports/{year}.pdf"),
        "csv_url": absolute(reverse("reports_data:benchmarks_csv", args=[year])),
    }


@require_safe
def benchmarks_list(request: HttpRequest) -> HttpResponse:
    results = [
        {
            "year": report.cycle.year,
            "version": report.version,
            "published_at": report.published_at.isoformat(),
            **year_links(request, report.cycle.year),
        }
        for report in (year.latest for year in published_years())
    ]
    return open_data_headers(JsonResponse({"count": len(results), "results": results}))


@require_safe
def benchmarks_year(request: HttpRequest, year: int) -> HttpResponse:
    report_id = published_report_id(year)
    if report_id is None:
        return not_published(year)
    etag = report_etag("json", year, report_id)
    not_modified = get_conditional_response(request, etag=etag)
    if not_modified is not None:
        return open_data_headers(not_modified, etag=etag)
    content = frozen_body(
        "json",
        report_id,
        lambda report: json.dumps(benchmarks_document(report), ensure_ascii=False).encode(),
    )
    return open_data_headers(HttpResponse(content, content_type="application/json"), etag=etag)

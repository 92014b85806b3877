"""``/reports/<year>/benchmarks.csv``: every published cell of a year, from the frozen cells of
its latest published version (reports.open_data.csv_rows says which columns)."""

from __future__ import annotations

import csv
import io

from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response
from django.views.decorators.http import require_safe

from reports.models import BenchmarkReport
from reports.open_data import csv_rows, frozen_body, published_report_id
from reports.public.api import open_data_headers, report_etag


def _csv_file(report: BenchmarkReport) -> tuple[bytes, str]:
    header, rows = csv_rows(report.cells or {})
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    filename = f"charter-benchmarks-{report.cycle.year}-v{report.version}.csv"
    return buffer.getvalue().encode(), filename


@require_safe
def benchmarks_csv(request: HttpRequest, year: int) -> HttpResponse:
    report_id = published_report_id(year)
    if report_id is None:
        return open_data_headers(
            HttpResponse(
                f"No benchmarking report has been published for {year}.\n",
                status=404,
                content_type="text/plain; charset=utf-8",
            )
        )
    etag = report_etag("csv", year, report_id)
    not_modified = get_conditional_response(request, etag=etag)
    if not_modified is not None:
        return open_data_headers(not_modified, etag=etag)
    content, filename = frozen_body("csv", report_id, _csv_file)
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return open_data_headers(response, etag=etag)

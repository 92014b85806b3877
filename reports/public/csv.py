"""``/reports/<year>/benchmarks.csv``: every published cell of a year, from the frozen cells of
its latest published version (reports.open_data.csv_rows says which columns)."""

from __future__ import annotations

import csv
import io

from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response
from django.views.decorators.http import require_safe

from reports.open_data import csv_rows, published_report
from reports.public.api import open_data_headers, report_etag


@require_safe
def benchmarks_csv(request: HttpRequest, year: int) -> HttpResponse:
    report = published_report(year)
    if report is None:
        return open_data_headers(
            HttpResponse(
                f"No benchmarking report has been published for {year}.\n",
                status=404,
                content_type="text/plain; charset=utf-8",
            )
        )
    etag = report_etag(report, "csv")
    not_modified = get_conditional_response(request, etag=etag)
    if not_modified is not None:
        return open_data_headers(not_modified, etag=etag)
    header, rows = csv_rows(report.cells or {})
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    filename = f"charter-benchmarks-{year}-v{report.version}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return open_data_headers(response, etag=etag)

"""Charter staff's upload of past data returns (preview, then confirm) and a year's download.

The upload follows the signatories import page: the file is checked and a preview shown with
every error, nothing written; the confirm imports exactly the previewed bytes (kept in the
session under their SHA-256) and refuses if the plan changed since. The preview names
organisations, years and which figures change, never the figures themselves: the raw figures
are for staff holding ``pledges.view_raw_figures``, and the upload page is for every staff
member.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from charter.csv_import import upload_confirm, upload_preview
from charter.permissions import staff_required
from pledges.models import CycleEvent, CycleEventKind, RawDataAccessKind, ReportingCycle
from pledges.services.raw_access import can_view_raw_figures, record_raw_access
from pledges.services.submissions_export import submissions_export
from pledges.services.submissions_import import (
    COLUMNS,
    OPTIONAL_COLUMNS,
    ImportRefused,
    submissions_import_apply,
    submissions_import_plan,
)
from pledges.staff.forms import ImportSubmissionsForm

SESSION_KEY = "submissions_import"
# A preview lists this many rows; the counts are always complete.
PREVIEW_ROWS = 200


def _render(request: HttpRequest, context: dict, status: int = 200) -> HttpResponse:
    context.setdefault("form", ImportSubmissionsForm())
    context.setdefault("allowed", True)
    context["columns"] = COLUMNS
    context["optional_columns"] = OPTIONAL_COLUMNS
    context["preview_rows"] = PREVIEW_ROWS
    context["cycles"] = ReportingCycle.objects.order_by("-year")
    return render(request, "pledges/staff/import_submissions.html", context, status=status)


def _preview(request: HttpRequest) -> HttpResponse:
    form = ImportSubmissionsForm(request.POST, request.FILES)
    preview = upload_preview(
        request, form, plan_for=submissions_import_plan, session_key=SESSION_KEY
    )
    return _render(request, preview.context, status=preview.status)


def _confirm(request: HttpRequest) -> HttpResponse:
    upload_confirm(
        request,
        apply=lambda content, **kwargs: submissions_import_apply(
            content, by=request.user, **kwargs
        ),
        refused=ImportRefused,
        session_key=SESSION_KEY,
        done="Returns imported",
    )
    return redirect("staff_data:import_submissions")


@require_http_methods(["GET", "HEAD", "POST"])
@staff_required
def import_submissions(request: HttpRequest) -> HttpResponse:
    # The file is raw diversity data and its errors quote its figures ("add up to 35"): staff
    # without the permission see why they cannot import, never a preview.
    allowed = can_view_raw_figures(request.user)
    if request.method == "POST":
        if not allowed:
            raise PermissionDenied("Importing returns needs the permission to view raw data.")
        return _confirm(request) if "confirm" in request.POST else _preview(request)
    return _render(request, {"allowed": allowed})


@require_GET
@staff_required
def export_submissions(request: HttpRequest, year: int) -> HttpResponse:
    """The year's submitted returns as the import's CSV: raw figures, so only for staff with
    the permission, and logged (the access log and the cycle's record) before it is sent."""
    if not can_view_raw_figures(request.user):
        raise PermissionDenied(
            "Downloading raw diversity figures needs the permission to view them."
        )
    cycle = get_object_or_404(ReportingCycle, year=year)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="charter-returns-{year}.csv"'
    response["Cache-Control"] = "no-store"
    count = submissions_export(year=year, out=response)
    record_raw_access(
        user=request.user,
        kind=RawDataAccessKind.DOWNLOAD_EXPORT,
        cycle=cycle,
        path=request.get_full_path(),
    )
    CycleEvent.objects.create(
        cycle=cycle, kind=CycleEventKind.EXPORTED, by=request.user, details={"returns": count}
    )
    return response

"""Charter staff's upload of a signatories CSV: a preview that writes nothing, then a confirm.

The uploaded bytes are kept in the staff member's session under their SHA-256, and the confirm
form carries that hash and the preview's fingerprint: the confirm imports exactly the file that
was previewed, and refuses if the database changed since so that the plan differs.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from charter.csv_import import upload_confirm, upload_preview
from charter.permissions import staff_required
from signatories.imports import (
    COLUMNS,
    FIELDS,
    ImportRefused,
    signatories_import_apply,
    signatories_import_plan,
)
from signatories.staff.forms import ImportSignatoriesForm

SESSION_KEY = "signatories_import"
# A preview lists this many rows of each kind; the counts are always complete.
PREVIEW_ROWS = 200


def _render(request: HttpRequest, context: dict, status: int = 200) -> HttpResponse:
    context.setdefault("form", ImportSignatoriesForm())
    context["columns"] = COLUMNS
    context["preview_rows"] = PREVIEW_ROWS
    return render(request, "signatories/staff/import_signatories.html", context, status=status)


def _preview(request: HttpRequest) -> HttpResponse:
    form = ImportSignatoriesForm(request.POST, request.FILES)
    preview = upload_preview(
        request, form, plan_for=signatories_import_plan, session_key=SESSION_KEY
    )
    if preview.status == 200:
        preview.context["fields"] = FIELDS
    return _render(request, preview.context, status=preview.status)


def _confirm(request: HttpRequest) -> HttpResponse:
    upload_confirm(
        request,
        apply=signatories_import_apply,
        refused=ImportRefused,
        session_key=SESSION_KEY,
        done="Signatories imported",
    )
    return redirect("staff:import_signatories")


@require_http_methods(["GET", "HEAD", "POST"])
@staff_required
def import_signatories(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return _confirm(request) if "confirm" in request.POST else _preview(request)
    return _render(request, {})

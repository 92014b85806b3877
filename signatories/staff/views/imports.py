"""Charter staff's upload of a signatories CSV: a preview that writes nothing, then a confirm.

The uploaded bytes are kept in the staff member's session under their SHA-256, and the confirm
form carries that hash and the preview's fingerprint: the confirm imports exactly the file that
was previewed, and refuses if the database changed since so that the plan differs.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from charter.csv_import import (
    MAX_IMPORT_BYTES,
    ConfirmImportForm,
    ImportFileError,
    upload_keep,
    upload_kept,
)
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
    if not form.is_valid():
        return _render(request, {"form": form}, status=400)
    upload = form.cleaned_data["file"]
    if upload.size > MAX_IMPORT_BYTES:
        form.add_error(
            "file",
            f"The file is {upload.size / 1024 / 1024:.1f} MB; the largest accepted is "
            f"{MAX_IMPORT_BYTES // 1024 // 1024} MB.",
        )
        return _render(request, {"form": form}, status=400)
    content = upload.read()
    try:
        plan = signatories_import_plan(content)
    except ImportFileError as error:
        form.add_error("file", str(error))
        return _render(request, {"form": form}, status=400)
    if not plan.ok:
        request.session.pop(SESSION_KEY, None)
        return _render(request, {"form": form, "plan": plan, "filename": upload.name}, status=400)
    digest = upload_keep(request.session, SESSION_KEY, content)
    confirm = ConfirmImportForm(initial={"digest": digest, "fingerprint": plan.fingerprint()})
    return _render(
        request,
        {
            "form": ImportSignatoriesForm(),
            "plan": plan,
            "filename": upload.name,
            "confirm": confirm,
            "fields": FIELDS,
        },
    )


def _confirm(request: HttpRequest) -> HttpResponse:
    confirm = ConfirmImportForm(request.POST)
    content = (
        upload_kept(request.session, SESSION_KEY, confirm.cleaned_data["digest"])
        if confirm.is_valid()
        else None
    )
    if content is None:
        messages.error(request, "That preview has expired: upload the file again.")
        return redirect("staff:import_signatories")
    try:
        plan = signatories_import_apply(
            content, expected_fingerprint=confirm.cleaned_data["fingerprint"]
        )
    except ImportRefused as refused:
        messages.error(request, str(refused))
        return redirect("staff:import_signatories")
    request.session.pop(SESSION_KEY, None)
    messages.success(request, f"Signatories imported: {plan.summary()}.")
    return redirect("staff:import_signatories")


@require_http_methods(["GET", "HEAD", "POST"])
@staff_required
def import_signatories(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return _confirm(request) if "confirm" in request.POST else _preview(request)
    return _render(request, {})

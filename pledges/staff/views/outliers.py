"""The outlier queue and the staff return page (``/staff/data/outliers/``, ``returns/<pk>/``).

RAW FIGURES RULE: staff without ``pledges.view_raw_figures`` see states, warning titles and
dates, never a figure: the warning messages, the submitters' notes and the organisations'
answers quote figures, so they are shown only with the permission, and each such page view is
logged (pledges.services.raw_access) before the response is built.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from charter.permissions import staff_required
from pledges.models import RawDataAccessKind, ReportingCycle
from pledges.selectors.outliers import (
    figures_table,
    outlier_queue,
    review_events,
    staff_return,
    warning_title,
)
from pledges.services.raw_access import can_view_raw_figures, record_raw_access
from pledges.services.review import return_accept, return_exclude, return_include, return_query
from pledges.staff.review_forms import AcceptForm, QueryForm, QueueFilterForm, ReasonForm
from signatories.services import ServiceError

PAGE_SIZE = 25


def _warnings(data_return) -> list[dict]:
    return [
        {
            "title": warning_title(warning.get("code", "")),
            "message": warning.get("message", ""),
            "note": warning.get("note", ""),
        }
        for warning in data_return.warnings
    ]


@require_safe
@staff_required
def outliers(request: HttpRequest) -> HttpResponse:
    cycles = {cycle.year: cycle for cycle in ReportingCycle.objects.only("year", "status")}
    form = QueueFilterForm(request.GET, years=sorted(cycles, reverse=True))
    year, state = None, ""
    if form.is_valid():
        year, state = form.cleaned_data["year"], form.cleaned_data["state"]
    page = Paginator(outlier_queue(year=year, state=state), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    raw = can_view_raw_figures(request.user)
    if raw:
        record_raw_access(
            user=request.user,
            kind=RawDataAccessKind.VIEW_QUEUE,
            cycle=cycles.get(year),
            path=request.get_full_path(),
        )
    rows = [{"return": item, "warnings": _warnings(item)} for item in page.object_list]
    return render(
        request,
        "pledges/staff/data/outliers.html",
        {"form": form, "page": page, "rows": rows, "raw": raw, "year": year, "state": state},
        status=200 if form.is_valid() else 400,
    )


def _return_or_404(pk: int):
    data_return = staff_return(pk)
    if data_return is None:
        raise Http404("No return has that number.")
    return data_return


def _return_page(request, data_return, *, forms: dict | None = None, status: int = 200):
    raw = can_view_raw_figures(request.user)
    if raw:
        record_raw_access(
            user=request.user,
            kind=RawDataAccessKind.VIEW_RETURN,
            cycle=data_return.cycle,
            organisation=data_return.organisation,
            path=request.get_full_path(),
        )
    forms = forms or {}
    context = {
        "data_return": data_return,
        "raw": raw,
        "warnings": _warnings(data_return),
        "figures": figures_table(data_return) if raw else [],
        "revisions": data_return.revision_list,
        "thread": data_return.thread,
        "events": review_events(data_return),
        "accept_form": forms.get("accept") or AcceptForm(prefix="accept"),
        "query_form": forms.get("query") or QueryForm(prefix="query"),
        "exclude_form": forms.get("exclude") or ReasonForm(prefix="exclude"),
        "include_form": forms.get("include") or ReasonForm(prefix="include"),
        "forms_with_errors": [form for form in forms.values() if form.errors],
        "under_review": data_return.is_submitted
        and data_return.outlier_status in ("waiting", "queried", "answered"),
    }
    return render(request, "pledges/staff/data/return.html", context, status=status)


@require_safe
@staff_required
def return_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _return_page(request, _return_or_404(pk))


def _decide(request, pk, *, form_class, key, act, success) -> HttpResponse:
    data_return = _return_or_404(pk)
    form = form_class(request.POST, prefix=key)
    if not form.is_valid():
        messages.error(request, "Nothing was changed: correct the errors below.")
        return _return_page(request, data_return, forms={key: form}, status=400)
    try:
        act(data_return, form.cleaned_data)
    except ServiceError as error:
        messages.error(request, str(error))
        return _return_page(request, _return_or_404(pk), forms={key: form}, status=409)
    messages.success(request, success)
    return redirect("staff_data:return", pk=pk)


@require_POST
@staff_required
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(
        request,
        pk,
        form_class=AcceptForm,
        key="accept",
        act=lambda data_return, data: return_accept(
            data_return=data_return, by=request.user, note=data["note"]
        ),
        success="Accepted: the figures stand as submitted.",
    )


@require_POST
@staff_required
def query(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(
        request,
        pk,
        form_class=QueryForm,
        key="query",
        act=lambda data_return, data: return_query(
            data_return=data_return, by=request.user, message=data["message"]
        ),
        success="Question sent: the organisation has been emailed that it waits on its dashboard.",
    )


@require_POST
@staff_required
def exclude(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(
        request,
        pk,
        form_class=ReasonForm,
        key="exclude",
        act=lambda data_return, data: return_exclude(
            data_return=data_return, by=request.user, reason=data["reason"]
        ),
        success="This return is left out of the report.",
    )


@require_POST
@staff_required
def include(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(
        request,
        pk,
        form_class=ReasonForm,
        key="include",
        act=lambda data_return, data: return_include(
            data_return=data_return, by=request.user, reason=data["reason"]
        ),
        success="This return is in the report again.",
    )

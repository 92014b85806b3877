"""Compliance with the data pledge (``/staff/data/compliance/``): each organisation's state in
each cycle and its standing, and staff's decision on those proposed for delisting."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from charter.permissions import staff_required
from pledges.selectors.compliance import Standing, compliance_overview
from pledges.services.compliance import compliance_another_chance, compliance_suspend
from pledges.staff.review_forms import ComplianceFilterForm, ReasonForm
from signatories.choices import OrganisationStatus
from signatories.models import Organisation
from signatories.services import ServiceError

PAGE_SIZE = 50


def _page(request, *, forms: dict | None = None, status: int = 200) -> HttpResponse:
    form = ComplianceFilterForm(request.GET)
    standing = form.cleaned_data["standing"] if form.is_valid() else ""
    cycles, rows = compliance_overview(standing_filter=standing)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    forms = forms or {}
    for row in page.object_list:
        pk = row.organisation.pk
        row.suspend_form = forms.get(f"suspend-{pk}") or ReasonForm(prefix=f"suspend-{pk}")
        row.chance_form = forms.get(f"chance-{pk}") or ReasonForm(prefix=f"chance-{pk}")
    return render(
        request,
        "pledges/staff/data/compliance.html",
        {
            "form": form,
            "cycles": cycles,
            "page": page,
            "standing": standing,
            "proposed": Standing.DELISTING_PROPOSED,
            "forms_with_errors": [f for f in forms.values() if f.errors],
        },
        status=status if form.is_valid() else 400,
    )


@require_safe
@staff_required
def compliance(request: HttpRequest) -> HttpResponse:
    return _page(request)


def _decide(request, pk, *, key, act, success) -> HttpResponse:
    organisation = get_object_or_404(Organisation, pk=pk, status=OrganisationStatus.ACTIVE)
    prefix = f"{key}-{organisation.pk}"
    form = ReasonForm(request.POST, prefix=prefix)
    if not form.is_valid():
        messages.error(request, "Nothing was changed: correct the errors below.")
        return _page(request, forms={prefix: form}, status=400)
    try:
        act(organisation, form.cleaned_data["reason"])
    except ServiceError as error:
        messages.error(request, str(error))
        return _page(request, forms={prefix: form}, status=409)
    messages.success(request, success.format(organisation=organisation))
    return redirect("staff_data:compliance")


@require_POST
@staff_required
def suspend(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(
        request,
        pk,
        key="suspend",
        act=lambda organisation, reason: compliance_suspend(
            organisation=organisation, by=request.user, reason=reason
        ),
        success="{organisation} is suspended: it left the directory and sees your reason.",
    )


@require_POST
@staff_required
def another_chance(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(
        request,
        pk,
        key="chance",
        act=lambda organisation, reason: compliance_another_chance(
            organisation=organisation, by=request.user, reason=reason
        ),
        success="{organisation} has another chance: it is proposed again only if it misses "
        "the next cycle.",
    )

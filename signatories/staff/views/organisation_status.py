"""Staff suspend or reinstate a signatory directly, with a reason
(``/staff/organisations/<pk>/suspend/`` and ``…/reinstate/``). The delisting decisions of the
data pledge (pledges' compliance page) suspend through the same service."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from charter.permissions import staff_required
from signatories.choices import OrganisationStatus
from signatories.models import Organisation
from signatories.services import ServiceError
from signatories.services.organisations import organisation_reinstate, organisation_suspend


class StatusReasonForm(forms.Form):
    reason = forms.CharField(
        label="Reason",
        help_text="Recorded with your name; the organisation's team sees it on its dashboard.",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


def _change(request, pk, *, from_status, act, action, success) -> HttpResponse:
    organisation = get_object_or_404(Organisation, pk=pk, status=from_status)
    form = StatusReasonForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                act(organisation=organisation, by=request.user, reason=form.cleaned_data["reason"])
            except ServiceError as error:
                messages.error(request, str(error))
                status = 409
            else:
                messages.success(request, success.format(organisation=organisation))
                return redirect("staff:organisations")
        else:
            status = 400
    history = organisation.status_changes.select_related("by")[:20]
    return render(
        request,
        "signatories/staff/organisation_status.html",
        {"organisation": organisation, "form": form, "action": action, "history": history},
        status=status,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@staff_required
def suspend(request: HttpRequest, pk: int) -> HttpResponse:
    return _change(
        request,
        pk,
        from_status=OrganisationStatus.ACTIVE,
        act=organisation_suspend,
        action="Suspend",
        success="{organisation} is suspended: it left the directory and sees your reason.",
    )


@require_http_methods(["GET", "HEAD", "POST"])
@staff_required
def reinstate(request: HttpRequest, pk: int) -> HttpResponse:
    return _change(
        request,
        pk,
        from_status=OrganisationStatus.SUSPENDED,
        act=organisation_reinstate,
        action="Reinstate",
        success="{organisation} is reinstated and listed in the directory again.",
    )

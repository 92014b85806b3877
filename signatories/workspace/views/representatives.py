"""The representative: naming one, reminders, the history, and the emailed link where the
person named confirms or declines."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from signatories.models import Representative
from signatories.permissions import workspace_for
from signatories.services import ServiceError
from signatories.services.representatives import (
    ConfirmationLinkError,
    representative_change,
    representative_confirm,
    representative_confirmation_state,
    representative_decline,
    representative_from_token,
    representative_remind,
)
from signatories.workspace.forms import RepresentativeForm
from signatories.workspace.views.base import _current_representative, _render


@login_required
def representative(request: HttpRequest, slug: str) -> HttpResponse:
    """The current representative, and (admins) the form to name someone else."""
    workspace = workspace_for(request.user, slug, admin_only=request.method == "POST")
    organisation = workspace.organisation
    form = RepresentativeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            new = representative_change(
                organisation=organisation, by=request.user, **form.cleaned_data
            )
            messages.success(
                request,
                f"{new.full_name} is now your representative. We have emailed them a link to "
                "confirm; until they do, they show as unconfirmed.",
            )
            return redirect("workspace:representative", slug=slug)
        status = 400
    current = _current_representative(organisation)
    return _render(
        request,
        "signatories/workspace/representative.html",
        workspace,
        {
            "representative": current,
            "representative_state": representative_confirmation_state(current),
            "form": form,
        },
        status=status,
    )


@require_POST
@login_required
def representative_remind_view(request: HttpRequest, slug: str) -> HttpResponse:
    workspace = workspace_for(request.user, slug, admin_only=True)
    current = _current_representative(workspace.organisation)
    if current is None:
        messages.error(request, "There is no representative to remind: name one first.")
    else:
        try:
            representative_remind(representative=current, by=request.user)
        except ServiceError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"We have emailed {current.email} a new link.")
    return redirect("workspace:representative", slug=slug)


@require_safe
@login_required
def representative_history(request: HttpRequest, slug: str) -> HttpResponse:
    workspace = workspace_for(request.user, slug)
    history = (
        Representative.objects.filter(organisation=workspace.organisation)
        .select_related("named_by")
        .order_by("-named_at", "-id")
    )
    return _render(
        request,
        "signatories/workspace/representative_history.html",
        workspace,
        {"history": history},
    )


def _representative_problem(request, error: ConfirmationLinkError) -> HttpResponse:
    return render(
        request,
        "signatories/workspace/representative_problem.html",
        {"error": error},
        status=404 if error.reason == "invalid" else 410,
    )


@require_safe
def representative_answer(request: HttpRequest, token: str) -> HttpResponse:
    """Public: the named person reads what the role involves and confirms or declines."""
    try:
        current = representative_from_token(token)
    except ConfirmationLinkError as error:
        return _representative_problem(request, error)
    return render(
        request,
        "signatories/workspace/representative_answer.html",
        {
            "representative": current,
            "state": representative_confirmation_state(current),
            "token": token,
        },
    )


@require_POST
def representative_confirm_view(request: HttpRequest, token: str) -> HttpResponse:
    try:
        answered = representative_confirm(token=token)
    except ConfirmationLinkError as error:
        return _representative_problem(request, error)
    return render(
        request,
        "signatories/workspace/representative_answered.html",
        {"representative": answered, "confirmed": True},
    )


@require_POST
def representative_decline_view(request: HttpRequest, token: str) -> HttpResponse:
    try:
        answered = representative_decline(token=token)
    except ConfirmationLinkError as error:
        return _representative_problem(request, error)
    return render(
        request,
        "signatories/workspace/representative_answered.html",
        {"representative": answered, "confirmed": False},
    )

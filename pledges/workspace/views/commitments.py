"""Pledge commitments, their actions and history, and shared practices, in the workspace.

Every view loads the organisation through ``workspace_for`` and every object through
``object_in_workspace``: another organisation's pledge, action or practice is a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from pledges.models import (
    CommitmentChange,
    PledgeAction,
    PledgeCommitment,
    Practice,
)
from pledges.selectors.workspace import practice_library, practices_published
from pledges.services.commitments import (
    EDITABLE_PLEDGES,
    ActionConflict,
    CommitmentConflict,
    PracticeData,
    action_add,
    action_update,
    commitment_review,
    commitment_update,
    practice_create,
    practice_submit,
    practice_update,
)
from pledges.workspace.forms import (
    ActionEditForm,
    ActionForm,
    CommitmentForm,
    LibrarySearchForm,
    PracticeForm,
)
from signatories.permissions import object_in_workspace, workspace_for
from signatories.services import ServiceError


def _commitment(workspace, code: str) -> PledgeCommitment:
    if code not in EDITABLE_PLEDGES:
        raise Http404("That pledge is not edited here.")
    return object_in_workspace(
        workspace,
        PledgeCommitment.objects.select_related("pledge", "reviewed_by"),
        pledge__code=code,
    )


def _render(request, template: str, workspace, context: dict, *, status: int = 200):
    return render(
        request,
        template,
        {
            **workspace.context(),
            **context,
        },
        status=status,
    )


def _pledge_page(
    request, workspace, commitment, *, form=None, action_form=None, conflict=None, status=200
):
    return _render(
        request,
        "pledges/workspace/commitment.html",
        workspace,
        {
            "commitment": commitment,
            "form": form
            or CommitmentForm(instance=commitment, initial={"version": commitment.version}),
            "action_form": action_form or ActionForm(),
            "actions": commitment.actions.all(),
            "conflict": conflict,
        },
        status=status,
    )


@login_required
def commitment_edit(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    workspace = workspace_for(request.user, slug)
    commitment = _commitment(workspace, code)
    if request.method != "POST":
        return _pledge_page(request, workspace, commitment)
    form = CommitmentForm(request.POST, instance=commitment)
    if not form.is_valid():
        commitment.refresh_from_db()
        return _pledge_page(request, workspace, commitment, form=form, status=400)
    try:
        commitment_update(
            commitment=commitment,
            by=request.user,
            data=form.commitment_data(),
            version=form.cleaned_data["version"],
        )
    except CommitmentConflict as conflict:
        # Keep what this editor typed, and tell the form it now starts from the current
        # version: saving again is a deliberate choice made after seeing the other changes.
        data = request.POST.copy()
        data["version"] = conflict.current.version
        form = CommitmentForm(data, instance=conflict.current)
        form.is_valid()
        return _pledge_page(
            request, workspace, conflict.current, form=form, conflict=conflict, status=409
        )
    messages.success(request, f"{commitment.pledge.title}: saved.")
    return redirect("pledges:commitment", slug=slug, code=code)


@require_POST
@login_required
def commitment_review_view(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    workspace = workspace_for(request.user, slug)
    commitment = _commitment(workspace, code)
    commitment_review(commitment=commitment, by=request.user)
    messages.success(request, "Marked as reviewed today.")
    return redirect("pledges:commitment", slug=slug, code=code)


@require_safe
@login_required
def commitment_history(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    workspace = workspace_for(request.user, slug)
    commitment = _commitment(workspace, code)
    changes = CommitmentChange.objects.filter(commitment=commitment).select_related("changed_by")
    return _render(
        request,
        "pledges/workspace/history.html",
        workspace,
        {"commitment": commitment, "changes": changes},
    )


@require_POST
@login_required
def action_new(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    workspace = workspace_for(request.user, slug)
    commitment = _commitment(workspace, code)
    form = ActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The action was not added: correct the errors below.")
        return _pledge_page(request, workspace, commitment, action_form=form, status=400)
    action_add(commitment=commitment, by=request.user, **form.cleaned_data)
    if form.due_date_in_past:
        messages.warning(
            request, "Action added. Its due date is in the past, so it shows as overdue."
        )
    else:
        messages.success(request, "Action added.")
    return redirect("pledges:commitment", slug=slug, code=code)


def _action_page(request, workspace, commitment, action, *, form, conflict=None, status=200):
    return _render(
        request,
        "pledges/workspace/action_edit.html",
        workspace,
        {"commitment": commitment, "action": action, "form": form, "conflict": conflict},
        status=status,
    )


@login_required
def action_edit(request: HttpRequest, slug: str, code: str, pk: int) -> HttpResponse:
    workspace = workspace_for(request.user, slug)
    commitment = _commitment(workspace, code)
    action = object_in_workspace(
        workspace,
        PledgeAction.objects.select_related("commitment"),
        organisation_path="commitment__organisation",
        pk=pk,
        commitment=commitment,
    )
    if request.method != "POST":
        form = ActionEditForm(initial=ActionEditForm.initial_for(action))
        return _action_page(request, workspace, commitment, action, form=form)
    form = ActionEditForm(request.POST)
    if not form.is_valid():
        return _action_page(request, workspace, commitment, action, form=form, status=400)
    try:
        action_update(action=action, by=request.user, **form.cleaned_data)
    except ActionConflict as conflict:
        # Keep what this editor typed; the form now starts from the current version, so
        # saving again is a deliberate choice made after seeing the other changes.
        data = request.POST.copy()
        data["version"] = conflict.current.version
        form = ActionEditForm(data)
        form.is_valid()
        return _action_page(
            request,
            workspace,
            commitment,
            conflict.current,
            form=form,
            conflict=conflict,
            status=409,
        )
    if form.due_date_in_past and not form.cleaned_data["done"]:
        messages.warning(request, "Action saved. Its due date is in the past: it is overdue.")
    else:
        messages.success(request, "Action saved.")
    return redirect("pledges:commitment", slug=slug, code=code)


# --- Practices ---------------------------------------------------------------------------------


def _practice_data(form: PracticeForm) -> PracticeData:
    return PracticeData(**form.cleaned_data)


@require_safe
@login_required
def practices(request: HttpRequest, slug: str) -> HttpResponse:
    workspace = workspace_for(request.user, slug)
    shared = Practice.objects.filter(organisation=workspace.organisation).order_by("-created_at")
    return _render(request, "pledges/workspace/practices.html", workspace, {"practices": shared})


@login_required
def practice_new(request: HttpRequest, slug: str) -> HttpResponse:
    workspace = workspace_for(request.user, slug)
    form = PracticeForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            practice = practice_create(
                organisation=workspace.organisation, by=request.user, data=_practice_data(form)
            )
            messages.success(request, "Draft saved. Submit it for review when it is ready.")
            return redirect("pledges:practice", slug=slug, pk=practice.pk)
        return _render(
            request, "pledges/workspace/practice_form.html", workspace, {"form": form}, status=400
        )
    return _render(request, "pledges/workspace/practice_form.html", workspace, {"form": form})


@require_safe
@login_required
def practice_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    workspace = workspace_for(request.user, slug)
    practice = object_in_workspace(workspace, Practice.objects.all(), pk=pk)
    return _render(
        request, "pledges/workspace/practice.html", workspace, {"practice": practice, "own": True}
    )


@login_required
def practice_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    workspace = workspace_for(request.user, slug)
    practice = object_in_workspace(workspace, Practice.objects.all(), pk=pk)
    initial = {
        "title": practice.title,
        "summary": practice.summary,
        "body": practice.body,
        "topics": practice.topics,
        "anonymous": practice.anonymous,
    }
    form = PracticeForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            practice_update(practice=practice, by=request.user, data=_practice_data(form))
            messages.success(request, "Practice saved.")
            return redirect("pledges:practice", slug=slug, pk=practice.pk)
        return _render(
            request,
            "pledges/workspace/practice_form.html",
            workspace,
            {"form": form, "practice": practice},
            status=400,
        )
    return _render(
        request,
        "pledges/workspace/practice_form.html",
        workspace,
        {"form": form, "practice": practice},
    )


@require_POST
@login_required
def practice_submit_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    workspace = workspace_for(request.user, slug)
    practice = object_in_workspace(workspace, Practice.objects.all(), pk=pk)
    try:
        practice_submit(practice=practice, by=request.user)
    except ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Submitted: charter staff will review it before it is published.")
    return redirect("pledges:practice", slug=slug, pk=pk)


@require_safe
@login_required
def library(request: HttpRequest, slug: str) -> HttpResponse:
    """Every published practice, for members of any signatory."""
    workspace = workspace_for(request.user, slug)
    form = LibrarySearchForm(request.GET or None)
    q, topic = "", ""
    if form.is_valid():
        q, topic = form.cleaned_data["q"], form.cleaned_data["topic"]
    found = practice_library(q=q, topic=topic)[:100]
    return _render(
        request,
        "pledges/workspace/library.html",
        workspace,
        {"form": form, "practices": found, "q": q},
    )


@require_safe
@login_required
def library_practice(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    workspace = workspace_for(request.user, slug)
    try:
        practice = practices_published().get(pk=pk)
    except Practice.DoesNotExist:
        raise Http404("No published practice has that address.") from None
    return _render(
        request, "pledges/workspace/practice.html", workspace, {"practice": practice, "own": False}
    )

"""The team: members and their roles, invitations (including the emailed invitation link) and
requests to join."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from signatories.choices import JoinRequestStatus, MemberRole
from signatories.models import Invitation, JoinRequest, Membership
from signatories.permissions import object_in_workspace, workspace_for
from signatories.services import ServiceError
from signatories.services.join_requests import join_request_accept, join_request_refuse
from signatories.services.team import (
    InvitationLinkError,
    invitation_accept,
    invitation_cancel,
    invitation_create,
    invitation_from_token,
    membership_remove,
    membership_role_change,
)
from signatories.workspace.forms import InvitationForm, RoleForm
from signatories.workspace.views.base import _render


def _team_page(request, workspace, *, invitation_form=None, status: int = 200):
    organisation = workspace.organisation
    return _render(
        request,
        "signatories/workspace/team.html",
        workspace,
        {
            "members": Membership.objects.filter(organisation=organisation)
            .select_related("user")
            .order_by("role", "user__email"),
            "invitations": Invitation.objects.filter(
                organisation=organisation, accepted_at__isnull=True, cancelled_at__isnull=True
            ).select_related("invited_by")
            if workspace.is_admin
            else [],
            "join_requests": JoinRequest.objects.filter(
                organisation=organisation, status=JoinRequestStatus.PENDING
            ).select_related("user")
            if workspace.is_admin
            else [],
            "invitation_form": invitation_form or InvitationForm(),
            "roles": MemberRole.choices,
        },
        status=status,
    )


@require_safe
@login_required
def team(request: HttpRequest, slug: str) -> HttpResponse:
    # Editors see who is on the team; only admins change it.
    return _team_page(request, workspace_for(request.user, slug))


@require_POST
@login_required
def invitation_new(request: HttpRequest, slug: str) -> HttpResponse:
    workspace = workspace_for(request.user, slug, admin_only=True)
    form = InvitationForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The invitation was not sent: correct the errors below.")
        return _team_page(request, workspace, invitation_form=form, status=400)
    try:
        invitation = invitation_create(
            organisation=workspace.organisation,
            by=request.user,
            email=form.cleaned_data["email"],
            role=form.cleaned_data["role"],
        )
    except ServiceError as error:
        form.add_error("email", str(error))
        return _team_page(request, workspace, invitation_form=form, status=400)
    messages.success(request, f"Invitation sent to {invitation.email}. The link works for a week.")
    return redirect("workspace:team", slug=slug)


@require_POST
@login_required
def invitation_cancel_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    workspace = workspace_for(request.user, slug, admin_only=True)
    invitation = object_in_workspace(workspace, Invitation.objects.all(), pk=pk)
    try:
        invitation_cancel(invitation=invitation, by=request.user)
    except ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Invitation to {invitation.email} cancelled.")
    return redirect("workspace:team", slug=slug)


@require_POST
@login_required
def member_role(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    workspace = workspace_for(request.user, slug, admin_only=True)
    membership = object_in_workspace(
        workspace, Membership.objects.select_related("user", "organisation"), pk=pk
    )
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a role: admin or editor.")
        return redirect("workspace:team", slug=slug)
    try:
        membership = membership_role_change(
            membership=membership, by=request.user, role=form.cleaned_data["role"]
        )
    except ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            f"{membership.user.get_full_name()} is now {membership.get_role_display().lower()}.",
        )
    return redirect("workspace:team", slug=slug)


@require_POST
@login_required
def member_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    workspace = workspace_for(request.user, slug, admin_only=True)
    membership = object_in_workspace(
        workspace, Membership.objects.select_related("user", "organisation"), pk=pk
    )
    try:
        membership_remove(membership=membership, by=request.user)
    except ServiceError as error:
        messages.error(request, str(error))
        return redirect("workspace:team", slug=slug)
    messages.success(request, f"{membership.user.get_full_name()} has left the team.")
    if membership.user_id == request.user.pk:
        return redirect("workspace:index")
    return redirect("workspace:team", slug=slug)


@require_POST
@login_required
def join_request_accept_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    workspace = workspace_for(request.user, slug, admin_only=True)
    join_request = object_in_workspace(workspace, JoinRequest.objects.select_related("user"), pk=pk)
    try:
        join_request_accept(join_request=join_request, by=request.user)
    except ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{join_request.user} has joined as an editor.")
    return redirect("workspace:team", slug=slug)


@require_POST
@login_required
def join_request_refuse_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    workspace = workspace_for(request.user, slug, admin_only=True)
    join_request = object_in_workspace(workspace, JoinRequest.objects.select_related("user"), pk=pk)
    try:
        join_request_refuse(join_request=join_request, by=request.user)
    except ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"You refused {join_request.user}'s request.")
    return redirect("workspace:team", slug=slug)


def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The link in an invitation email: shows the invitation, accepts it on POST."""
    try:
        invitation = invitation_from_token(token)
    except InvitationLinkError as error:
        return render(
            request,
            "signatories/workspace/invitation_problem.html",
            {"error": error, "invitation": error.invitation},
            status=410 if error.reason in {"expired", "used", "cancelled", "withdrawn"} else 404,
        )
    if not request.user.is_authenticated:
        return render(request, "signatories/workspace/invitation.html", {"invitation": invitation})
    if request.method == "POST":
        try:
            membership = invitation_accept(token=token, user=request.user)
        except InvitationLinkError as error:
            return render(
                request,
                "signatories/workspace/invitation_problem.html",
                {"error": error, "invitation": error.invitation},
                status=410,
            )
        except ServiceError as error:
            messages.error(request, str(error))
            return render(
                request,
                "signatories/workspace/invitation.html",
                {"invitation": invitation},
                status=400,
            )
        messages.success(request, f"Welcome to {membership.organisation}'s team.")
        return redirect("workspace:overview", slug=membership.organisation.slug)
    return render(request, "signatories/workspace/invitation.html", {"invitation": invitation})

"""The signatory workspace at /dashboard/: overview, profile, team, representative, withdrawal.

Every view loads the organisation through ``workspace_for`` (404 for another organisation, 403
for a missing role) and every object through ``object_in_workspace``.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from pledges.models import Practice, PracticeStatus
from pledges.selectors import commitments_for_overview
from signatories.choices import JoinRequestStatus, MemberRole
from signatories.models import Invitation, JoinRequest, Membership, Representative
from signatories.permissions import object_in_workspace, organisations_of, workspace_for
from signatories.services import ServiceError
from signatories.services.join_requests import join_request_accept, join_request_refuse
from signatories.services.organisations import (
    organisation_data_contact_update,
    organisation_profile_update,
    organisation_withdraw,
)
from signatories.services.representatives import (
    ConfirmationLinkError,
    representative_change,
    representative_confirm,
    representative_confirmation_state,
    representative_decline,
    representative_from_token,
    representative_remind,
)
from signatories.services.team import (
    InvitationLinkError,
    invitation_accept,
    invitation_cancel,
    invitation_create,
    invitation_from_token,
    membership_remove,
    membership_role_change,
)
from signatories.workspace_forms import (
    DataContactForm,
    InvitationForm,
    ProfileForm,
    RepresentativeForm,
    RoleForm,
    WithdrawForm,
)


def _render(request, template: str, workspace, context: dict, *, status: int = 200):
    return render(
        request,
        template,
        {
            "workspace": workspace,
            "organisation": workspace.organisation,
            "my_organisations": organisations_of(request.user).only("slug", "public_name"),
            **context,
        },
        status=status,
    )


@require_safe
@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The only organisation's dashboard, a choice of several, or a way in for none."""
    organisations = list(organisations_of(request.user).order_by("public_name"))
    if len(organisations) == 1:
        return redirect("workspace:overview", slug=organisations[0].slug)
    return render(request, "dashboard/index.html", {"organisations": organisations})


def _current_representative(organisation) -> Representative | None:
    return (
        Representative.objects.filter(organisation=organisation, ended_at__isnull=True)
        .select_related("named_by")
        .first()
    )


@require_safe
@login_required
def overview(request: HttpRequest, slug: str) -> HttpResponse:
    workspace = workspace_for(request.user, slug)
    organisation = workspace.organisation
    commitments = commitments_for_overview(organisation=organisation)
    representative = _current_representative(organisation)
    representative_state = representative_confirmation_state(representative)
    members = list(
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("role", "user__email")
    )
    pending_requests = (
        JoinRequest.objects.filter(
            organisation=organisation, status=JoinRequestStatus.PENDING
        ).count()
        if workspace.is_admin
        else 0
    )
    returned_practices = Practice.objects.filter(
        organisation=organisation, status=PracticeStatus.RETURNED
    ).count()
    attention = []
    if representative_state != "confirmed":
        attention.append(
            {
                "missing": "Name a senior representative.",
                "declined": "Your representative declined the role: name someone else.",
                "unconfirmed": "Your representative has not confirmed the role yet.",
                "expired": "Your representative's yearly confirmation is due.",
            }[representative_state]
        )
    if pending_requests:
        attention.append(
            f"{pending_requests} request{'s' if pending_requests > 1 else ''} to join your team."
        )
    overdue = sum(getattr(c, "overdue_actions", 0) for c in commitments)
    if overdue:
        attention.append(f"{overdue} overdue action{'s' if overdue > 1 else ''}.")
    if returned_practices:
        attention.append("Charter staff returned a practice you shared with comments.")
    if not organisation.data_contact_email:
        attention.append("Name a data contact to receive the yearly data collection emails.")
    return _render(
        request,
        "dashboard/overview.html",
        workspace,
        {
            "commitments": commitments,
            "representative": representative,
            "representative_state": representative_state,
            "members": members,
            "pending_requests": pending_requests,
            "attention": attention,
        },
    )


# --- Profile -----------------------------------------------------------------------------------


@login_required
def profile_edit(request: HttpRequest, slug: str) -> HttpResponse:
    workspace = workspace_for(request.user, slug, admin_only=True)
    organisation = workspace.organisation
    form = ProfileForm(request.POST or None, request.FILES or None, instance=organisation)
    if request.method == "POST":
        if form.is_valid():
            organisation_profile_update(
                organisation=organisation,
                by=request.user,
                data=form.cleaned_data,
                logo=form.cleaned_data["logo_upload"],
            )
            messages.success(request, "Profile saved.")
            return redirect("workspace:profile", slug=organisation.slug)
        # A ModelForm writes cleaned values onto its instance; reload so nothing half-valid
        # shows as saved (the page header uses the organisation's name).
        organisation.refresh_from_db()
        return _render(request, "dashboard/profile.html", workspace, {"form": form}, status=400)
    return _render(request, "dashboard/profile.html", workspace, {"form": form})


@login_required
def data_contact_edit(request: HttpRequest, slug: str) -> HttpResponse:
    workspace = workspace_for(request.user, slug, admin_only=True)
    organisation = workspace.organisation
    form = DataContactForm(
        request.POST or None,
        initial={"name": organisation.data_contact_name, "email": organisation.data_contact_email},
    )
    if request.method == "POST":
        if form.is_valid():
            organisation_data_contact_update(
                organisation=organisation,
                by=request.user,
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
            )
            messages.success(request, "Data contact saved.")
            return redirect("workspace:overview", slug=organisation.slug)
        return _render(
            request, "dashboard/data_contact.html", workspace, {"form": form}, status=400
        )
    return _render(request, "dashboard/data_contact.html", workspace, {"form": form})


# --- Team --------------------------------------------------------------------------------------


def _team_page(request, workspace, *, invitation_form=None, status: int = 200):
    organisation = workspace.organisation
    return _render(
        request,
        "dashboard/team.html",
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
            "dashboard/invitation_problem.html",
            {"error": error, "invitation": error.invitation},
            status=410 if error.reason in {"expired", "used", "cancelled", "withdrawn"} else 404,
        )
    if not request.user.is_authenticated:
        return render(request, "dashboard/invitation.html", {"invitation": invitation})
    if request.method == "POST":
        try:
            membership = invitation_accept(token=token, user=request.user)
        except InvitationLinkError as error:
            return render(
                request,
                "dashboard/invitation_problem.html",
                {"error": error, "invitation": error.invitation},
                status=410,
            )
        except ServiceError as error:
            messages.error(request, str(error))
            return render(
                request, "dashboard/invitation.html", {"invitation": invitation}, status=400
            )
        messages.success(request, f"Welcome to {membership.organisation}'s team.")
        return redirect("workspace:overview", slug=membership.organisation.slug)
    return render(request, "dashboard/invitation.html", {"invitation": invitation})


# --- Withdrawal --------------------------------------------------------------------------------


@login_required
def withdraw(request: HttpRequest, slug: str) -> HttpResponse:
    workspace = workspace_for(request.user, slug, admin_only=True)
    form = WithdrawForm(request.POST or None, organisation=workspace.organisation)
    if request.method == "POST":
        if form.is_valid():
            try:
                organisation = organisation_withdraw(
                    organisation=workspace.organisation,
                    by=request.user,
                    reason=form.cleaned_data["reason"],
                )
            except ServiceError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    f"{organisation} has left the charter. We have told the charter team; "
                    "its history is kept.",
                )
                return redirect("workspace:index")
        return _render(request, "dashboard/withdraw.html", workspace, {"form": form}, status=400)
    return _render(request, "dashboard/withdraw.html", workspace, {"form": form})


# --- Representative ----------------------------------------------------------------------------


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
        "dashboard/representative.html",
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
        request, "dashboard/representative_history.html", workspace, {"history": history}
    )


def _representative_problem(request, error: ConfirmationLinkError) -> HttpResponse:
    return render(
        request,
        "dashboard/representative_problem.html",
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
        "dashboard/representative_answer.html",
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
        "dashboard/representative_answered.html",
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
        "dashboard/representative_answered.html",
        {"representative": answered, "confirmed": False},
    )

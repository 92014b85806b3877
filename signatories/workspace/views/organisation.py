"""The workspace's organisation pages: the choice of organisation, the overview, the public
profile, the data contact and withdrawing from the charter."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from pledges.models import Practice, PracticeStatus
from pledges.selectors.workspace import commitments_for_overview
from signatories.choices import JoinRequestStatus
from signatories.models import JoinRequest, Membership
from signatories.permissions import organisations_of, workspace_for
from signatories.selectors import join_requests_pending_for
from signatories.services import ServiceError
from signatories.services.organisations import (
    organisation_data_contact_update,
    organisation_profile_update,
    organisation_withdraw,
)
from signatories.services.representatives import representative_confirmation_state
from signatories.workspace.forms import DataContactForm, ProfileForm, WithdrawForm
from signatories.workspace.views.base import _current_representative, _render


@require_safe
@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The only organisation's dashboard, a choice of several, or a way in for none."""
    organisations = list(organisations_of(request.user).order_by("public_name"))
    if len(organisations) == 1:
        return redirect("workspace:overview", slug=organisations[0].slug)
    return render(
        request,
        "signatories/workspace/index.html",
        {
            "organisations": organisations,
            "join_requests": list(join_requests_pending_for(user=request.user)),
        },
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
        "signatories/workspace/overview.html",
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
        return _render(
            request, "signatories/workspace/profile.html", workspace, {"form": form}, status=400
        )
    return _render(request, "signatories/workspace/profile.html", workspace, {"form": form})


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
            request,
            "signatories/workspace/data_contact.html",
            workspace,
            {"form": form},
            status=400,
        )
    return _render(request, "signatories/workspace/data_contact.html", workspace, {"form": form})


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
        return _render(
            request, "signatories/workspace/withdraw.html", workspace, {"form": form}, status=400
        )
    return _render(request, "signatories/workspace/withdraw.html", workspace, {"form": form})

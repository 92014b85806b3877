"""The emails the charter sends, seen by the people who get them.

- ``/dashboard/<slug>/emails/``: an organisation's admins see the reminders sent to their team.
  One email to a person in two organisations carries claims of both; this page shows only this
  organisation's part of it (pledges.selectors.reminders.organisation_deliveries), never the
  other organisation's name.
- ``/accounts/email-preferences/``: the signed-in person switches the optional emails on or off
  and reads why the essential ones cannot be. It is their own account, not an organisation's,
  so it needs no workspace; it lives here, with the other pages signatories' people use.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from charter.permissions import is_charter_staff
from pledges.models import OPTIONAL_KINDS, ReminderKind
from pledges.selectors.reminders import organisation_deliveries
from pledges.services.reminders.essential import ESSENTIAL, ESSENTIAL_KINDS
from pledges.services.reminders.preferences import email_preferences_set, opted_out_kinds
from pledges.workspace.forms import EmailPreferencesForm
from signatories.permissions import workspace_for

PAGE_SIZE = 50


@require_safe
@login_required
def team_emails(request: HttpRequest, slug: str) -> HttpResponse:
    workspace = workspace_for(request.user, slug, admin_only=True)
    page = Paginator(organisation_deliveries(workspace.organisation), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "pledges/workspace/emails.html",
        {
            **workspace.context(),
            "page": page,
        },
    )


def _kinds_for(user) -> list[str]:
    """The optional kinds this person can receive: the digest goes to charter staff only."""
    return [
        kind
        for kind in ReminderKind
        if kind in OPTIONAL_KINDS and (kind != ReminderKind.STAFF_DIGEST or is_charter_staff(user))
    ]


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def email_preferences(request: HttpRequest) -> HttpResponse:
    kinds = _kinds_for(request.user)
    opted_out = opted_out_kinds(request.user)
    form = EmailPreferencesForm(
        # Not ``request.POST or None``: unticking every box posts nothing but the CSRF token.
        request.POST if request.method == "POST" else None,
        kinds=kinds,
        initial={kind: kind not in opted_out for kind in kinds},
    )
    if request.method == "POST" and form.is_valid():
        email_preferences_set(
            user=request.user, wanted={kind: form.cleaned_data[kind] for kind in kinds}
        )
        messages.success(request, "Your email preferences are saved.")
        return redirect("email_preferences")
    essential = [{"label": kind.label, "why": ESSENTIAL[kind].why} for kind in ESSENTIAL_KINDS]
    return render(
        request,
        "pledges/workspace/email_preferences.html",
        {"form": form, "essential": essential},
        status=400 if form.errors else 200,
    )

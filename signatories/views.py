"""Public profile pages and the applicant's side of signing the charter."""

from __future__ import annotations

from allauth.account.decorators import verified_email_required
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from signatories.choices import OPEN_APPLICATION_STATUSES, ApplicationStatus, OrganisationStatus
from signatories.forms import ApplicationForm, JoinRequestForm
from signatories.models import Application, Organisation
from signatories.selectors import organisation_profile, possible_duplicates
from signatories.services import ServiceError
from signatories.services.applications import (
    application_get_or_start,
    application_open_for,
    application_save_draft,
    application_submit,
)
from signatories.services.join_requests import join_request_create


@require_safe
def profile(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = organisation_profile(slug=slug)
    if organisation is None:
        raise Http404("No signatory with that address.")
    return render(request, "signatories/profile.html", {"organisation": organisation})


@require_safe
def apply(request: HttpRequest) -> HttpResponse:
    """/sign/: what signing involves, then the applicant's open application or a new form."""
    if not request.user.is_authenticated:
        return render(request, "signatories/apply_intro.html")
    return _apply_for_user(request)


@verified_email_required
def _apply_for_user(request: HttpRequest) -> HttpResponse:
    application = application_open_for(applicant=request.user)
    if application is not None and not application.is_editable_by_applicant:
        return redirect("signatories:application_status", pk=application.pk)
    form = ApplicationForm(instance=application, for_submission=False)
    return _render_form(request, form, application)


def _render_form(request, form, application, *, status: int = 200) -> HttpResponse:
    duplicates = possible_duplicates(application) if application else None
    past = Application.objects.filter(applicant=request.user).exclude(
        status__in=OPEN_APPLICATION_STATUSES
    )
    changes_requested = None
    if application is not None and application.status == ApplicationStatus.CHANGES_REQUESTED:
        changes_requested = application.events.filter(kind="changes_requested").last()
    return render(
        request,
        "signatories/apply_form.html",
        {
            "form": form,
            "application": application,
            "duplicates": duplicates,
            "past_applications": past,
            "changes_requested": changes_requested,
        },
        status=status,
    )


@require_POST
@verified_email_required
def application_save(request: HttpRequest) -> HttpResponse:
    form = ApplicationForm(request.POST, for_submission=False)
    application = application_open_for(applicant=request.user)
    if not form.is_valid():
        messages.error(request, "Your draft was not saved: correct the errors below.")
        return _render_form(request, form, application, status=400)
    application = application or application_get_or_start(applicant=request.user)
    try:
        application_save_draft(application=application, data=_model_data(form))
    except ServiceError as error:
        messages.error(request, str(error))
        return redirect("signatories:application_status", pk=application.pk)
    messages.success(request, "Draft saved. You can come back and finish it at any time.")
    return redirect("signatories:apply")


@require_POST
@verified_email_required
def application_submit_view(request: HttpRequest) -> HttpResponse:
    form = ApplicationForm(request.POST, for_submission=True)
    application = application_open_for(applicant=request.user)
    if application is not None and application.status == ApplicationStatus.SUBMITTED:
        # A second click on "submit": the first already went through.
        return redirect("signatories:application_status", pk=application.pk)
    if not form.is_valid():
        messages.error(request, "Your application was not submitted: correct the errors below.")
        return _render_form(request, form, application, status=400)
    application = application or application_get_or_start(applicant=request.user)
    try:
        application = application_submit(application=application, data=_model_data(form))
    except ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Application submitted. We have emailed you a copy.")
    return redirect("signatories:application_status", pk=application.pk)


def _model_data(form: ApplicationForm) -> dict:
    return {name: form.cleaned_data[name] for name in form.Meta.fields}


@require_safe
@login_required
def application_status(request: HttpRequest, pk: int) -> HttpResponse:
    # Filtering by applicant makes anyone else's application a 404, not a 403: its existence
    # is not theirs to know.
    application = get_object_or_404(Application, pk=pk, applicant=request.user)
    return render(
        request,
        "signatories/application_status.html",
        {
            "application": application,
            "events": application.events.filter(internal=False).select_related("actor"),
            "duplicates": possible_duplicates(application) if not application.is_decided else None,
        },
    )


@login_required
def join_request_new(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug, status=OrganisationStatus.ACTIVE)
    form = JoinRequestForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                join_request_create(
                    user=request.user,
                    organisation=organisation,
                    job_title=form.cleaned_data["job_title"],
                    message=form.cleaned_data["message"],
                )
            except ServiceError as error:
                messages.error(request, str(error))
            else:
                messages.success(
                    request,
                    f"We have asked {organisation}'s admins to add you. "
                    "You will get an email when they answer.",
                )
                return redirect("signatories:apply")
        status = 400
    return render(
        request,
        "signatories/join_request_form.html",
        {"organisation": organisation, "form": form},
        status=status,
    )

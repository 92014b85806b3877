"""The applicant's side of signing the charter: the application, its status, withdrawing it,
and asking to join an organisation that has already signed."""

from __future__ import annotations

from allauth.account.decorators import verified_email_required
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from signatories.choices import OPEN_APPLICATION_STATUSES, ApplicationStatus, OrganisationStatus
from signatories.domains import website_domain
from signatories.models import Application, Organisation
from signatories.public.forms import ApplicationForm, JoinRequestForm
from signatories.selectors import (
    Duplicates,
    application_duplicates,
    possible_duplicates,
)
from signatories.services import ServiceError
from signatories.services.applications import (
    application_get_or_start,
    application_open_for,
    application_save_draft,
    application_submit,
    application_withdraw,
)
from signatories.services.join_requests import join_request_create


@require_safe
def apply(request: HttpRequest) -> HttpResponse:
    """/sign/: what signing involves, then the applicant's open application or a new form."""
    if not request.user.is_authenticated:
        return render(request, "signatories/public/apply_intro.html")
    return _apply_for_user(request)


@verified_email_required
def _apply_for_user(request: HttpRequest) -> HttpResponse:
    application = application_open_for(applicant=request.user)
    if application is not None and not application.is_editable_by_applicant:
        return redirect("signatories:application_status", pk=application.pk)
    form = ApplicationForm(instance=application, for_submission=False)
    return _render_form(request, form, application)


def _render_form(
    request, form, application, *, duplicates: Duplicates | None = None, status: int = 200
) -> HttpResponse:
    if duplicates is None and application is not None:
        duplicates = application_duplicates(application)
    past = list(
        Application.objects.filter(applicant=request.user)
        .exclude(status__in=OPEN_APPLICATION_STATUSES)
        .order_by("-pk")
    )
    changes_requested = None
    if application is not None and application.status == ApplicationStatus.CHANGES_REQUESTED:
        changes_requested = application.events.filter(kind="changes_requested").last()
    newest_known = _posted_int(request, "last_application")
    if newest_known is None and past and application is None:
        newest_known = past[0].pk
    return render(
        request,
        "signatories/public/apply_form.html",
        {
            "form": form,
            "application": application,
            "duplicates": duplicates,
            "past_applications": past,
            "changes_requested": changes_requested,
            # The page says what it was showing, so that a stale copy can be recognised.
            "page_application": application.pk if application else "",
            "page_last_application": newest_known if newest_known is not None else "",
        },
        status=status,
    )


def _posted_int(request: HttpRequest, name: str) -> int | None:
    try:
        return int(request.POST.get(name, ""))
    except ValueError:
        return None


def _page_state(request: HttpRequest) -> tuple[Application | None, Application | None]:
    """The applicant's open application, and an application of theirs that was closed
    (decided or withdrawn) after the posted page was shown, if any.

    The page says which application it showed (``application``) or, for a new one, the newest
    application the applicant had then (``last_application``). A page posted again with the
    back button after the charter team decided must not silently start a second application.
    """
    open_application = application_open_for(applicant=request.user)
    closed = Application.objects.filter(applicant=request.user).exclude(
        status__in=OPEN_APPLICATION_STATUSES
    )
    shown = _posted_int(request, "application")
    if shown is not None:
        if open_application is not None and open_application.pk == shown:
            return open_application, None
        return open_application, closed.filter(pk=shown).first()
    if open_application is None and "last_application" in request.POST:
        newest_known = _posted_int(request, "last_application") or 0
        return None, closed.filter(pk__gt=newest_known).order_by("-pk").first()
    return open_application, None


def _refuse_stale_page(request: HttpRequest, closed: Application) -> HttpResponse:
    when = closed.decided_at or closed.updated_at
    messages.error(
        request,
        f"Nothing was saved: this page was out of date. Your application “{closed}” was "
        f"{closed.get_status_display().lower()} on {timezone.localtime(when):%d %B %Y} "
        "after the page was opened. To apply again, start a new application.",
    )
    return redirect("signatories:application_status", pk=closed.pk)


@require_POST
@verified_email_required
def application_save(request: HttpRequest) -> HttpResponse:
    application, closed = _page_state(request)
    if closed is not None:
        return _refuse_stale_page(request, closed)
    form = ApplicationForm(request.POST, for_submission=False)
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
    application, closed = _page_state(request)
    if closed is not None:
        return _refuse_stale_page(request, closed)
    if application is not None and application.status == ApplicationStatus.SUBMITTED:
        # A second click on "submit": the first already went through.
        return redirect("signatories:application_status", pk=application.pk)
    form = ApplicationForm(request.POST, for_submission=True)
    if not form.is_valid():
        messages.error(request, "Your application was not submitted: correct the errors below.")
        return _render_form(request, form, application, status=400)
    data = _model_data(form)
    # Warn before the charter team sees it: the applicant may be about to apply for an
    # organisation that already signed, or that a colleague has applied for.
    duplicates = possible_duplicates(
        website_domain=website_domain(data["website"]),
        companies_house_number=data["companies_house_number"],
        applicant=request.user,
    )
    application = application or application_get_or_start(applicant=request.user)
    if duplicates and not form.cleaned_data["different_organisation"]:
        try:
            application = application_save_draft(application=application, data=data)
        except ServiceError as error:
            messages.error(request, str(error))
            return redirect("signatories:application_status", pk=application.pk)
        messages.warning(
            request,
            "Not submitted yet: your organisation may already be a signatory. We have saved "
            "what you typed as a draft. Ask to join the signatory if it is yours, or confirm "
            "below that yours is a different organisation and submit again.",
        )
        return _render_form(request, form, application, duplicates=duplicates, status=409)
    try:
        application = application_submit(
            application=application, data=data, note=_duplicates_note(duplicates)
        )
    except ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Application submitted. We have emailed you a copy.")
    return redirect("signatories:application_status", pk=application.pk)


def _duplicates_note(duplicates: Duplicates) -> str:
    """For the charter team: what the applicant confirmed is not their organisation."""
    if not duplicates:
        return ""
    names = [
        f"{organisation.public_name} (signatory {organisation.signatory_number})"
        for organisation in duplicates.organisations
    ]
    if duplicates.applications:
        count = len(duplicates.applications)
        names.append(f"{count} application{'s' if count > 1 else ''} under review")
    return "The applicant confirmed this is a different organisation from: " + "; ".join(names)


def _model_data(form: ApplicationForm) -> dict:
    return {name: form.cleaned_data[name] for name in form.Meta.fields}


@require_safe
@login_required
def application_status(request: HttpRequest, pk: int) -> HttpResponse:
    # Filtering by applicant makes anyone else's application a 404, not a 403: its existence
    # is not theirs to know.
    application = get_object_or_404(Application, pk=pk, applicant=request.user)
    is_open = application.status in OPEN_APPLICATION_STATUSES
    return render(
        request,
        "signatories/public/application_status.html",
        {
            "application": application,
            "events": application.events.filter(internal=False).select_related("actor"),
            "duplicates": application_duplicates(application) if is_open else None,
        },
    )


@require_POST
@login_required
def application_withdraw_view(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(Application, pk=pk, applicant=request.user)
    try:
        application_withdraw(application=application, by=request.user)
    except ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, "Your application is withdrawn. You can start a new one at any time."
        )
    return redirect("signatories:application_status", pk=application.pk)


@verified_email_required
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
                # The dashboard lists the user's pending requests.
                return _after_join_request(request)
        status = 400
    return render(
        request,
        "signatories/public/join_request_form.html",
        {"organisation": organisation, "form": form},
        status=status,
    )


def _after_join_request(request: HttpRequest) -> HttpResponse:
    """Someone who asks to join a signatory may not need their own application any more:
    show it, with the button to withdraw it, when they have one they can still withdraw."""
    application = application_open_for(applicant=request.user)
    if application is not None and application.is_editable_by_applicant:
        messages.info(
            request,
            "If the organisation you asked to join is yours, you no longer need your own "
            "application: you can withdraw it below.",
        )
        return redirect("signatories:application_status", pk=application.pk)
    return redirect("workspace:index")

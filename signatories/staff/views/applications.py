"""Charter staff's review of applications: the queue, the review page and the decisions."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from charter.permissions import staff_required
from signatories.choices import ApplicationStatus
from signatories.models import Application
from signatories.search import name_search
from signatories.selectors import application_duplicates
from signatories.services import ServiceError
from signatories.services.applications import (
    application_approve,
    application_comment,
    application_reject,
    application_request_changes,
)
from signatories.staff.forms import ApproveForm, CommentForm, RejectForm, RequestChangesForm

QUEUE_STATES = [
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.CHANGES_REQUESTED,
    ApplicationStatus.APPROVED,
    ApplicationStatus.REJECTED,
]
UNDER_REVIEW = (ApplicationStatus.SUBMITTED, ApplicationStatus.CHANGES_REQUESTED)
QUEUE_PAGE_SIZE = 50
MAX_QUERY_LENGTH = 200


@require_safe
@staff_required
def workspace(request: HttpRequest) -> HttpResponse:
    return redirect("staff:queue")


@require_safe
@staff_required
def queue(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", ApplicationStatus.SUBMITTED)
    if state not in QUEUE_STATES:
        messages.error(request, "Unknown state: showing submitted applications.")
        state = ApplicationStatus.SUBMITTED
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    applications = Application.objects.filter(status__in=QUEUE_STATES)
    # The directory's search: any case, with or without accents, every word of the query.
    applications = name_search(applications, query)
    counts = applications.aggregate(
        **{state_code: Count("pk", filter=Q(status=state_code)) for state_code in QUEUE_STATES}
    )
    in_state = (
        applications.filter(status=state)
        .select_related("applicant")
        .order_by("submitted_at", "pk")  # oldest first: the longest wait is reviewed first
    )
    page = Paginator(in_state, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    tabs = [
        {"code": code, "label": ApplicationStatus(code).label, "count": counts[code]}
        for code in QUEUE_STATES
    ]
    return render(
        request,
        "signatories/staff/queue.html",
        {"tabs": tabs, "state": state, "query": query, "page": page},
    )


def _review(request, application, *, forms=None, status=200) -> HttpResponse:
    forms = forms or {}
    return render(
        request,
        "signatories/staff/review.html",
        {
            "application": application,
            "events": application.events.select_related("actor"),
            "duplicates": application_duplicates(application),
            # Comments belong to the review: none before submission, none after the decision.
            "can_comment": application.status in UNDER_REVIEW,
            # Each form has its own prefix: the page shows them together, and their fields
            # (two "message", two "note") would otherwise share ids such as id_note.
            "approve_form": forms.get("approve", ApproveForm(prefix="approve")),
            "changes_form": forms.get("changes", RequestChangesForm(prefix="changes")),
            "reject_form": forms.get("reject", RejectForm(prefix="reject")),
            "comment_form": forms.get("comment", CommentForm(prefix="comment")),
        },
        status=status,
    )


def _application(pk: int) -> Application:
    # A draft that was never submitted is still the applicant's private work: staff cannot
    # see it (404), as if it did not exist.
    return get_object_or_404(
        Application.objects.select_related("applicant", "decided_by", "organisation"),
        pk=pk,
        submitted_at__isnull=False,
    )


@require_safe
@staff_required
def review(request: HttpRequest, pk: int) -> HttpResponse:
    return _review(request, _application(pk))


def _decide(request, pk, *, form_class, key, act, success) -> HttpResponse:
    application = _application(pk)
    form = form_class(request.POST, prefix=key)
    if not form.is_valid():
        messages.error(request, "Nothing was changed: correct the errors below.")
        return _review(request, application, forms={key: form}, status=400)
    try:
        act(application, form.cleaned_data)
    except ServiceError as error:
        messages.error(request, str(error))
        return _review(request, _application(pk), forms={key: form}, status=409)
    messages.success(request, success)
    return redirect("staff:review", pk=pk)


@require_POST
@staff_required
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(
        request,
        pk,
        form_class=ApproveForm,
        key="approve",
        act=lambda application, data: application_approve(
            application=application, by=request.user, note=data["note"]
        ),
        success="Approved. The organisation is now a signatory and the applicant has been told.",
    )


@require_POST
@staff_required
def request_changes(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(
        request,
        pk,
        form_class=RequestChangesForm,
        key="changes",
        act=lambda application, data: application_request_changes(
            application=application, by=request.user, message=data["message"]
        ),
        success="Changes requested. The applicant has been emailed.",
    )


@require_POST
@staff_required
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(
        request,
        pk,
        form_class=RejectForm,
        key="reject",
        act=lambda application, data: application_reject(
            application=application, by=request.user, reason=data["reason"], note=data["note"]
        ),
        success="Rejected. The applicant has been emailed the reason.",
    )


@require_POST
@staff_required
def comment(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(
        request,
        pk,
        form_class=CommentForm,
        key="comment",
        act=lambda application, data: application_comment(
            application=application, by=request.user, message=data["message"]
        ),
        success="Comment added.",
    )

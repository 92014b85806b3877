"""The reminders for charter staff: the delivery log (``/staff/data/reminders/``) with its retry
button, and one organisation's reminders (``/staff/data/organisations/<slug>/reminders/``) with
the pause and resume controls.

The log names recipients (email addresses) and organisations, never figures, so any member of
staff may read it.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.forms import Form
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from charter.permissions import staff_required
from pledges.models import ReminderDelivery
from pledges.selectors.reminders import (
    DeliveryFilters,
    deliveries_for_log,
    delivery_organisations,
    organisation_deliveries,
    reminder_pauses,
)
from pledges.services.reminders.delivery import delivery_retry
from pledges.services.reminders.pauses import (
    PauseRefused,
    reminders_pause,
    reminders_paused,
    reminders_resume,
)
from pledges.staff.reminder_forms import DeliveryLogFilterForm, PauseForm, ResumeForm
from signatories.models import Organisation

PAGE_SIZE = 50
# One organisation's page shows its latest emails and links to the log for the rest.
ORGANISATION_LIMIT = 25


def _rows(deliveries) -> list[dict]:
    return [
        {"delivery": delivery, "organisations": delivery_organisations(delivery)}
        for delivery in deliveries
    ]


@require_safe
@staff_required
def delivery_log(request: HttpRequest) -> HttpResponse:
    form = DeliveryLogFilterForm(request.GET)
    if not form.is_valid():
        # Nothing is listed under a filter that was not applied: a list that looks filtered but
        # is not would be worse than none. The typed values stay in the form.
        return render(
            request,
            "pledges/staff/data/reminders/log.html",
            {"form": form, "page": None, "rows": []},
            status=400,
        )
    page = Paginator(deliveries_for_log(form.filters()), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    filters = request.GET.copy()
    filters.pop("page", None)
    return render(
        request,
        "pledges/staff/data/reminders/log.html",
        {
            "form": form,
            "page": page,
            "rows": _rows(page.object_list),
            "filters": filters.urlencode(),
            "filtered": form.filters() != DeliveryFilters(),
        },
    )


def _back_to_log(request: HttpRequest) -> HttpResponse:
    # The retry form carries the log's filters, so staff land on the list they were reading.
    # Only the query string is taken from the form: the address is always the log's own.
    filters = QueryDict(request.POST.get("filters", ""))
    query = filters.urlencode()
    return redirect(reverse("staff_data:reminders") + (f"?{query}" if query else ""))


@require_POST
@staff_required
def reminder_retry(request: HttpRequest, pk: int) -> HttpResponse:
    delivery = get_object_or_404(ReminderDelivery, pk=pk)
    try:
        delivery_retry(delivery=delivery, by=request.user)
    except ValueError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"The email to {delivery.recipient} is queued again.")
    return _back_to_log(request)


# ---- one organisation's reminders ---------------------------------------------------------------


def _organisation_page(
    request: HttpRequest,
    organisation: Organisation,
    *,
    failed_form: Form | None = None,
    status: int = 200,
) -> HttpResponse:
    pause = reminders_paused(organisation)
    deliveries = list(organisation_deliveries(organisation)[: ORGANISATION_LIMIT + 1])
    context = {
        "organisation": organisation,
        "pause": pause,
        "pauses": reminder_pauses(organisation),
        "pause_form": failed_form if pause is None and failed_form else PauseForm(),
        "resume_form": ResumeForm(),
        "rows": _rows(deliveries[:ORGANISATION_LIMIT]),
        "more": len(deliveries) > ORGANISATION_LIMIT,
        "failed_form": failed_form,
    }
    return render(request, "pledges/staff/data/reminders/organisation.html", context, status=status)


def _organisation(slug: str) -> Organisation:
    return get_object_or_404(
        Organisation.objects.only("slug", "public_name", "legal_name", "signatory_number"),
        slug=slug,
    )


@require_safe
@staff_required
def organisation_reminders(request: HttpRequest, slug: str) -> HttpResponse:
    return _organisation_page(request, _organisation(slug))


@require_POST
@staff_required
def organisation_reminders_pause(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation(slug)
    form = PauseForm(request.POST)
    if not form.is_valid():
        return _organisation_page(request, organisation, failed_form=form, status=400)
    try:
        reminders_pause(
            organisation=organisation, by=request.user, reason=form.cleaned_data["reason"]
        )
    except PauseRefused as error:
        form.add_error(None, str(error))
        return _organisation_page(request, organisation, failed_form=form, status=409)
    messages.success(
        request, f"Reminders to {organisation.public_name} are paused until you resume them."
    )
    return redirect("staff_data:organisation_reminders", slug=organisation.slug)


@require_POST
@staff_required
def organisation_reminders_resume(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation(slug)
    try:
        reminders_resume(organisation=organisation, by=request.user)
    except PauseRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            f"Reminders to {organisation.public_name} are resumed: the next sweep sends what is "
            "due now, not what was missed.",
        )
    return redirect("staff_data:organisation_reminders", slug=organisation.slug)

"""Charter staff run the yearly data collection (``/staff/data/``): the cycles, one cycle's page
with its live progress, and one POST view per action on it.

A refused action shows the cycle page again (HTTP 400) with the posted form in its place: the
message next to the field, a summary at the top, what was typed kept. The page shows states
and counts only, never figures, so it needs no raw-data permission.
"""

from __future__ import annotations

from django.contrib import messages
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from charter.permissions import staff_required
from pledges.models import CycleExemption, CycleStatus, GraceRequest, ReportingCycle
from pledges.selectors.cycles import (
    cycle_events,
    cycle_exemptions,
    cycle_pending_grace_requests,
    cycle_progress_live,
    cycle_reopened_returns,
    cycles_for_list,
)
from pledges.services import cycles as services
from pledges.services.reminders.cycle_schedule import cycle_reminder_schedule_set
from pledges.staff import cycle_forms as forms
from pledges.staff.reminder_forms import ReminderScheduleForm
from signatories.services import ServiceError

# How many exemptions and record entries the cycle page shows before "show all".
LIST_LIMIT = 10


def _put_on_form(form: Form, error: ServiceError) -> None:
    """A refusal from the service, next to the field it is about (or at the top)."""
    problems = getattr(error, "problems", None) or {}
    placed = False
    for name, message in problems.items():
        if name in form.fields:
            form.add_error(name, message)
            placed = True
    if not placed:
        form.add_error(None, str(error))


# ---- the list and the create / edit forms -----------------------------------------------------


@require_safe
@staff_required
def cycles(request: HttpRequest) -> HttpResponse:
    return render(request, "pledges/staff/data/cycles.html", {"cycles": cycles_for_list()})


@require_http_methods(["GET", "HEAD", "POST"])
@staff_required
def cycle_new(request: HttpRequest) -> HttpResponse:
    form = forms.CycleCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            cycle = services.cycle_create(by=request.user, **form.cleaned_data)
        except ServiceError as error:
            _put_on_form(form, error)
        else:
            messages.success(request, f"The {cycle.year} cycle is created, in draft.")
            return redirect("staff_data:cycle", year=cycle.year)
    status = 400 if form.errors else 200
    return render(
        request, "pledges/staff/data/cycle_form.html", {"form": form, "cycle": None}, status=status
    )


@require_http_methods(["GET", "HEAD", "POST"])
@staff_required
def cycle_edit(request: HttpRequest, year: int) -> HttpResponse:
    cycle = get_object_or_404(ReportingCycle, year=year)
    if request.method != "POST" and cycle.status != CycleStatus.DRAFT:
        messages.info(
            request,
            f"The {year} cycle is {cycle.get_status_display().lower()}: only a draft cycle can be "
            "edited.",
        )
        return redirect("staff_data:cycle", year=year)
    initial = {name: getattr(cycle, name) for name in services.CYCLE_FIELDS}
    form = forms.CycleEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.cycle_update(cycle=cycle, by=request.user, **form.cleaned_data)
        except ServiceError as error:
            _put_on_form(form, error)
        else:
            messages.success(request, f"The {cycle.year} cycle is saved.")
            return redirect("staff_data:cycle", year=cycle.year)
    status = 400 if form.errors else 200
    return render(
        request, "pledges/staff/data/cycle_form.html", {"form": form, "cycle": cycle}, status=status
    )


# ---- the cycle page ---------------------------------------------------------------------------


def _cycle_page(
    request: HttpRequest,
    cycle: ReportingCycle,
    *,
    failed: str = "",
    failed_form: Form | None = None,
    failed_pk: int | None = None,
) -> HttpResponse:
    """The cycle page; ``failed`` names the form that was refused (shown bound, status 400)."""

    def form(name: str, form_class, pk: int | None = None, **kwargs) -> Form:
        if failed == name and failed_pk == pk:
            return failed_form
        prefix = f"{name}-{pk}" if pk is not None else name
        return form_class(prefix=prefix, **kwargs)

    # The record and the exemptions grow with the charter (hundreds of rows at 10,000
    # signatories, each exemption with its own form): the page shows the newest few and links to
    # the whole list, so it stays quick to load while the progress is watched.
    shown = request.GET.get("show", "")
    exemptions = list(cycle_exemptions(cycle)[: None if shown == "exemptions" else LIST_LIMIT + 1])
    events = list(cycle_events(cycle)[: None if shown == "record" else LIST_LIMIT + 1])
    grace_rows = [
        {
            "request": grace,
            "grant": form("grant", forms.GraceGrantForm, grace.pk),
            "refuse": form("refuse", forms.GraceRefuseForm, grace.pk),
        }
        for grace in cycle_pending_grace_requests(cycle)
    ]
    exemption_rows = [
        {
            "exemption": exemption,
            "remove": form("unexempt", forms.ExemptionRemoveForm, exemption.pk),
        }
        for exemption in exemptions[: None if shown == "exemptions" else LIST_LIMIT]
    ]
    progress = cycle_progress_live(cycle)
    context = {
        "cycle": cycle,
        "progress": progress,
        "overall_rows": [progress.overall],
        "open_form": form("open", forms.CycleOpenForm),
        "extend_form": form("extend", forms.CycleExtendForm),
        "close_form": form("close", forms.CycleCloseForm),
        "exempt_form": form("exempt", forms.ExemptForm),
        "reopen_form": form("reopen", forms.ReopenForm),
        "schedule_form": form(
            "schedule",
            ReminderScheduleForm,
            initial={
                "reminder_days_before": cycle.reminder_days_before,
                "reminder_days_after": cycle.reminder_days_after,
            },
        ),
        "grace_rows": grace_rows,
        "exemption_rows": exemption_rows,
        "reopened": cycle_reopened_returns(cycle),
        "exemptions_cut": len(exemptions) > LIST_LIMIT and shown != "exemptions",
        "events": events[: None if shown == "record" else LIST_LIMIT],
        "events_cut": len(events) > LIST_LIMIT and shown != "record",
        "failed_form": failed_form,
        "can_change": cycle.status != CycleStatus.PUBLISHED,
    }
    return render(
        request, "pledges/staff/data/cycle.html", context, status=400 if failed_form else 200
    )


@require_safe
@staff_required
def cycle(request: HttpRequest, year: int) -> HttpResponse:
    return _cycle_page(request, get_object_or_404(ReportingCycle, year=year))


def _act(
    request: HttpRequest,
    cycle: ReportingCycle,
    *,
    name: str,
    form: Form,
    action,
    success: str,
    pk: int | None = None,
) -> HttpResponse:
    """Validate ``form``, call ``action(**cleaned_data)``; redirect to the cycle page with
    ``success``, or show the page again with the form's errors."""
    if form.is_valid():
        try:
            action(**form.cleaned_data)
        except ServiceError as error:
            _put_on_form(form, error)
        else:
            messages.success(request, success)
            return redirect("staff_data:cycle", year=cycle.year)
    return _cycle_page(request, cycle, failed=name, failed_form=form, failed_pk=pk)


def _post_cycle(year: int) -> ReportingCycle:
    return get_object_or_404(ReportingCycle, year=year)


@require_POST
@staff_required
def cycle_open(request: HttpRequest, year: int) -> HttpResponse:
    cycle = _post_cycle(year)
    return _act(
        request,
        cycle,
        name="open",
        form=forms.CycleOpenForm(request.POST, prefix="open"),
        action=lambda reason: services.cycle_open(cycle=cycle, by=request.user, reason=reason),
        success=f"The {year} cycle is open.",
    )


@require_POST
@staff_required
def cycle_extend(request: HttpRequest, year: int) -> HttpResponse:
    cycle = _post_cycle(year)
    return _act(
        request,
        cycle,
        name="extend",
        form=forms.CycleExtendForm(request.POST, prefix="extend"),
        action=lambda closes_on, reason: services.cycle_extend(
            cycle=cycle, by=request.user, closes_on=closes_on, reason=reason
        ),
        success=f"The {year} cycle's closing date is extended for everyone.",
    )


@require_POST
@staff_required
def cycle_close(request: HttpRequest, year: int) -> HttpResponse:
    cycle = _post_cycle(year)
    return _act(
        request,
        cycle,
        name="close",
        form=forms.CycleCloseForm(request.POST, prefix="close"),
        action=lambda reason: services.cycle_close(cycle=cycle, by=request.user, reason=reason),
        success=f"The {year} cycle is closed.",
    )


@require_POST
@staff_required
def cycle_exempt(request: HttpRequest, year: int) -> HttpResponse:
    cycle = _post_cycle(year)
    form = forms.ExemptForm(request.POST, prefix="exempt")
    return _act(
        request,
        cycle,
        name="exempt",
        form=form,
        action=lambda organisation, reason: services.cycle_exempt(
            cycle=cycle, organisation=organisation, by=request.user, reason=reason
        ),
        success="The organisation is exempt from this cycle.",
    )


@require_POST
@staff_required
def cycle_exemption_remove(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    cycle = _post_cycle(year)
    exemption = get_object_or_404(
        CycleExemption.objects.select_related("cycle", "organisation"), pk=pk, cycle=cycle
    )
    return _act(
        request,
        cycle,
        name="unexempt",
        pk=pk,
        form=forms.ExemptionRemoveForm(request.POST, prefix=f"unexempt-{pk}"),
        action=lambda reason: services.cycle_exemption_remove(
            exemption=exemption, by=request.user, reason=reason
        ),
        success=f"{exemption.organisation.public_name} is expected to report again.",
    )


@require_POST
@staff_required
def return_reopen(request: HttpRequest, year: int) -> HttpResponse:
    cycle = _post_cycle(year)
    return _act(
        request,
        cycle,
        name="reopen",
        form=forms.ReopenForm(request.POST, prefix="reopen"),
        action=lambda organisation, until, reason: services.return_reopen(
            cycle=cycle, organisation=organisation, by=request.user, reason=reason, until=until
        ),
        success="The return is reopened.",
    )


@require_POST
@staff_required
def cycle_reminder_schedule(request: HttpRequest, year: int) -> HttpResponse:
    cycle = _post_cycle(year)
    return _act(
        request,
        cycle,
        name="schedule",
        form=ReminderScheduleForm(request.POST, prefix="schedule"),
        action=lambda reminder_days_before, reminder_days_after, reason: (
            cycle_reminder_schedule_set(
                cycle=cycle,
                by=request.user,
                reminder_days_before=reminder_days_before,
                reminder_days_after=reminder_days_after,
                reason=reason,
            )
        ),
        success=f"The {year} cycle's reminder schedule is saved.",
    )


def _grace(cycle: ReportingCycle, pk: int) -> GraceRequest:
    return get_object_or_404(
        GraceRequest.objects.select_related("data_return__organisation"),
        pk=pk,
        data_return__cycle=cycle,
    )


@require_POST
@staff_required
def grace_grant(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    cycle = _post_cycle(year)
    grace = _grace(cycle, pk)
    return _act(
        request,
        cycle,
        name="grant",
        pk=pk,
        form=forms.GraceGrantForm(request.POST, prefix=f"grant-{pk}"),
        action=lambda note: services.grace_grant(grace_request=grace, by=request.user, note=note),
        success=f"{grace.days} more days granted to {grace.data_return.organisation.public_name}.",
    )


@require_POST
@staff_required
def grace_refuse(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    cycle = _post_cycle(year)
    grace = _grace(cycle, pk)
    return _act(
        request,
        cycle,
        name="refuse",
        pk=pk,
        form=forms.GraceRefuseForm(request.POST, prefix=f"refuse-{pk}"),
        action=lambda note: services.grace_refuse(grace_request=grace, by=request.user, note=note),
        success=f"The grace request of {grace.data_return.organisation.public_name} is refused.",
    )

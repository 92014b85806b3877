"""The organisation's yearly data return (pledge 5): the overview of its years, the return form,
the receipts and their PDFs, the history of revisions, a grace request and staff queries.

Every view loads the organisation through ``workspace_for`` (any admin or editor) and every
return through the organisation: another organisation's year, revision or query is a 404.
The figures shown here are the organisation's own, so no raw-access log is written: that log is
for charter staff (pledges.services.raw_access).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from pledges import returns_rules as rules
from pledges.models import (
    CycleStatus,
    DataReturn,
    GraceRequest,
    ReportingCycle,
    ReturnQuery,
    ReturnRevision,
)
from pledges.selectors.data_returns import data_overview, open_queries
from pledges.services.grace import grace_request
from pledges.services.queries import query_answer
from pledges.services.returns import (
    LateReasonMissing,
    ReturnConflict,
    ReturnInvalid,
    WarningsUnconfirmed,
    return_deadline,
    return_editable_until,
    return_get_or_start,
    return_is_editable,
    return_save_draft,
    return_set_retention,
    return_submit,
    return_warnings,
    return_would_be_late,
)
from pledges.workspace.data_display import figure_sections
from pledges.workspace.data_forms import GraceForm, QueryAnswerForm, ReturnForm
from reports.pdf import pdf_response, render_pdf
from signatories.permissions import workspace_for
from signatories.services import ServiceError


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


def _cycle(year: int) -> ReportingCycle:
    # A draft cycle is staff's work in progress: signatories do not see it yet.
    cycle = ReportingCycle.objects.exclude(status=CycleStatus.DRAFT).filter(year=year).first()
    if cycle is None:
        raise Http404("There is no data collection for that year.")
    return cycle


def _return_of(workspace, year: int) -> DataReturn | None:
    """The organisation's return for a year signatories can see (not a draft cycle), with its
    cycle and last editor, in one query."""
    data_return = (
        DataReturn.objects.select_related("cycle", "updated_by")
        .filter(organisation=workspace.organisation, cycle__year=year)
        .exclude(cycle__status=CycleStatus.DRAFT)
        .first()
    )
    if data_return is not None:
        data_return.organisation = workspace.organisation
    return data_return


def _existing_return(workspace, year: int) -> DataReturn:
    data_return = _return_of(workspace, year)
    if data_return is None:
        raise Http404("Your organisation has no return for that year.")
    return data_return


@require_safe
@login_required
def data(request: HttpRequest, slug: str) -> HttpResponse:
    workspace = workspace_for(request.user, slug)
    rows = data_overview(organisation=workspace.organisation)
    current = next((row for row in rows if row.cycle.status == CycleStatus.OPEN), None)
    return _render(
        request,
        "pledges/workspace/data/overview.html",
        workspace,
        {
            "current": current,
            "past": [row for row in rows if row is not current],
            "queries": open_queries(organisation=workspace.organisation),
        },
    )


# --- The return form ----------------------------------------------------------------------------


def _closed_explanation(data_return: DataReturn | None, cycle: ReportingCycle, today) -> str:
    """Why the return cannot be changed now, in the organisation's terms."""
    if data_return is not None and data_return.figures_erased_at:
        return (
            f"Your detailed figures were erased on {data_return.figures_erased_at:%-d %B %Y}, as "
            "you asked. Only the fact and date of your submission are kept."
        )
    if cycle.status == CycleStatus.PUBLISHED:
        return f"The {cycle.year} report is published: returns can no longer be changed."
    if cycle.status == CycleStatus.OPEN and today < cycle.opens_on:
        return f"The {cycle.year} collection opens on {cycle.opens_on:%-d %B %Y}."
    return (
        f"The {cycle.year} collection closed on "
        f"{(return_deadline(data_return) if data_return else cycle.closes_on):%-d %B %Y}, so the "
        "return can no longer be changed. Charter staff can reopen it for your organisation "
        "with a new deadline: write to them. If you have not yet asked for a grace extension "
        "this year, you can ask for one."
    )


def _return_page(
    request,
    workspace,
    data_return: DataReturn,
    *,
    form: ReturnForm | None = None,
    conflict: ReturnConflict | None = None,
    warnings: list | None = None,
    refusal: str = "",
    status: int = 200,
):
    form = form or ReturnForm(
        initial=ReturnForm.initial_for(data_return), warning_codes=[w.code for w in warnings or []]
    )
    if warnings is None and form.is_bound and form.warning_codes:
        # The warnings the member already confirmed stay on the page (with their ticks and
        # notes) when the submission is refused for another reason, such as a late reason.
        posted = return_warnings(data_return, form.figures())
        warnings = [warning for warning in posted if warning.code in form.warning_codes]
    incomplete = rules.sections_incomplete(data_return.figures())
    return _render(
        request,
        "pledges/workspace/data/return.html",
        workspace,
        {
            "cycle": data_return.cycle,
            "data_return": data_return,
            "form": form,
            "editable": True,
            "incomplete": [rules.SECTION_LEGENDS[key] for key in incomplete],
            "deadline": return_deadline(data_return),
            "editable_until": return_editable_until(data_return),
            "late": return_would_be_late(data_return) and data_return.first_submitted_at is None,
            "conflict": conflict,
            "warnings": [
                {
                    "warning": warning,
                    "confirm": form[f"confirm_{warning.code}"],
                    "note": form[f"note_{warning.code}"],
                }
                for warning in warnings or []
            ],
            "refusal": refusal,
        },
        status=status,
    )


def _read_only_page(request, workspace, cycle: ReportingCycle, data_return: DataReturn | None):
    grace = GraceRequest.objects.filter(data_return=data_return).first() if data_return else None
    return _render(
        request,
        "pledges/workspace/data/return_closed.html",
        workspace,
        {
            "cycle": cycle,
            "data_return": data_return,
            "explanation": _closed_explanation(data_return, cycle, timezone.localdate()),
            "sections": figure_sections(data_return) if data_return else [],
            "grace": grace,
            "can_ask_grace": grace is None
            and cycle.status in (CycleStatus.OPEN, CycleStatus.CLOSED)
            and not (data_return and data_return.figures_erased_at),
        },
    )


@login_required
def data_return(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    workspace = workspace_for(request.user, slug)
    existing = _return_of(workspace, year)
    # The cycle alone only when there is no return yet.
    cycle = existing.cycle if existing is not None else _cycle(year)
    # The shared draft is started on the first visit while the cycle takes returns; a closed
    # year without one shows that nothing was submitted, and creates nothing.
    if existing is None and cycle.status == CycleStatus.OPEN:
        existing = return_get_or_start(cycle=cycle, organisation=workspace.organisation)
    if existing is None or not return_is_editable(existing):
        if request.method == "POST":
            messages.error(request, "This return can no longer be changed.")
            return redirect("pledges:data_return", slug=slug, year=year)
        return _read_only_page(request, workspace, cycle, existing)
    existing.cycle = cycle
    existing.organisation = workspace.organisation
    if request.method != "POST":
        return _return_page(request, workspace, existing)
    return _return_post(request, workspace, existing)


def _as_opened(data_return: DataReturn, opened: dict | None) -> DataReturn:
    """The return as the member opened it: the services compare it with what is saved now to
    tell the member what someone else changed meanwhile."""
    copy = DataReturn(pk=data_return.pk, cycle=data_return.cycle)
    copy.organisation = data_return.organisation
    for name, value in (opened or data_return.figures()).items():
        setattr(copy, name, value)
    return copy


def _return_post(request, workspace, data_return: DataReturn) -> HttpResponse:
    form = ReturnForm(request.POST, warning_codes=ReturnForm.warning_codes_in(request.POST))
    if not form.is_valid():
        return _return_page(request, workspace, data_return, form=form, status=400)
    submitting = "submit" in request.POST
    version = form.cleaned_data["version"]
    opened = _as_opened(data_return, form.opened_figures())
    try:
        if submitting:
            revision = return_submit(
                data_return=opened,
                by=request.user,
                figures=form.figures(),
                version=version,
                notes=form.notes(),
                late_reason=form.cleaned_data["late_reason"],
                retention=form.cleaned_data["retention"],
            )
        else:
            saved = return_save_draft(
                data_return=opened, by=request.user, figures=form.figures(), version=version
            )
            if form.cleaned_data["retention"] != saved.retention:
                return_set_retention(
                    data_return=saved, by=request.user, retention=form.cleaned_data["retention"]
                )
    except ReturnConflict as conflict:
        # Keep what this member typed, and let the form start from the current version:
        # saving again is a deliberate choice made after seeing the other changes.
        data = request.POST.copy()
        data["version"] = conflict.current.version
        data["opened"] = ReturnForm.sign_opened(conflict.current)
        form = ReturnForm(data, warning_codes=ReturnForm.warning_codes_in(data))
        form.is_valid()
        return _return_page(
            request, workspace, conflict.current, form=form, conflict=conflict, status=409
        )
    except ReturnInvalid as invalid:
        for problem in invalid.problems:
            form.add_error(problem.field, problem.message)
        return _refused(request, workspace, data_return, form, str(invalid))
    except WarningsUnconfirmed as unconfirmed:
        codes = [warning.code for warning in unconfirmed.warnings]
        form = ReturnForm(
            request.POST, warning_codes=[*ReturnForm.warning_codes_in(request.POST), *codes]
        )
        form.is_valid()
        for warning in unconfirmed.warnings:
            form.add_error(f"confirm_{warning.code}", "Confirm this figure or explain it.")
        return _return_page(
            request,
            workspace,
            data_return,
            form=form,
            refusal=str(unconfirmed),
            status=400,
        )
    except LateReasonMissing as late:
        form.add_error("late_reason", "Say why the return is late.")
        return _refused(request, workspace, data_return, form, str(late))
    except ServiceError as error:
        return _refused(request, workspace, data_return, form, str(error))
    slug, year = workspace.organisation.slug, data_return.cycle.year
    if submitting:
        messages.success(request, f"Submitted. Your receipt reference is {revision.reference}.")
        return redirect("pledges:data_receipt", slug=slug, year=year, number=revision.number)
    messages.success(request, "Draft saved. It is not submitted yet.")
    return redirect("pledges:data_return", slug=slug, year=year)


def _refused(request, workspace, data_return, form, refusal: str) -> HttpResponse:
    return _return_page(request, workspace, data_return, form=form, refusal=refusal, status=400)


# --- Receipts and history -----------------------------------------------------------------------


def _revision(workspace, year: int, number: int) -> ReturnRevision:
    revision = (
        ReturnRevision.objects.select_related(
            "data_return__cycle", "data_return__organisation", "submitted_by"
        )
        .filter(
            data_return__organisation=workspace.organisation,
            data_return__cycle__year=year,
            number=number,
        )
        .exclude(data_return__cycle__status=CycleStatus.DRAFT)
        .first()
    )
    if revision is None:
        raise Http404("Your organisation has no receipt with that number.")
    return revision


def _receipt_context(revision: ReturnRevision) -> dict:
    return {
        "revision": revision,
        "data_return": revision.data_return,
        "cycle": revision.data_return.cycle,
        "sections": [] if revision.erased_at else figure_sections(revision),
        "retention": revision.get_retention_display(),
    }


@require_safe
@login_required
def data_receipt(request: HttpRequest, slug: str, year: int, number: int) -> HttpResponse:
    workspace = workspace_for(request.user, slug)
    revision = _revision(workspace, year, number)
    return _render(
        request, "pledges/workspace/data/receipt.html", workspace, _receipt_context(revision)
    )


@require_safe
@login_required
def data_receipt_pdf(request: HttpRequest, slug: str, year: int, number: int) -> HttpResponse:
    workspace = workspace_for(request.user, slug)
    revision = _revision(workspace, year, number)
    pdf = render_pdf(
        "pledges/workspace/data/receipt_pdf.html",
        {"organisation": workspace.organisation, **_receipt_context(revision)},
        request=request,
    )
    return pdf_response(pdf, filename=f"receipt-{revision.reference}.pdf", inline=False)


@require_safe
@login_required
def data_history(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    workspace = workspace_for(request.user, slug)
    data_return = _existing_return(workspace, year)
    revisions = data_return.revisions.select_related("submitted_by").order_by("-number")
    for revision in revisions:
        revision.data_return = data_return  # its reference names the year and signatory
    return _render(
        request,
        "pledges/workspace/data/history.html",
        workspace,
        {"data_return": data_return, "cycle": data_return.cycle, "revisions": revisions},
    )


# --- Grace extension and staff queries ----------------------------------------------------------


@login_required
def data_grace(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    workspace = workspace_for(request.user, slug)
    cycle = _cycle(year)
    data_return = DataReturn.objects.filter(
        cycle=cycle, organisation=workspace.organisation
    ).first()
    grace = GraceRequest.objects.filter(data_return=data_return).first() if data_return else None
    form = GraceForm(request.POST or None)
    status = 200
    refusal = ""
    if request.method == "POST":
        if form.is_valid():
            try:
                grace_request(
                    data_return=data_return
                    or return_get_or_start(cycle=cycle, organisation=workspace.organisation),
                    by=request.user,
                    days=form.cleaned_data["days"],
                    reason=form.cleaned_data["reason"],
                )
            except ServiceError as error:
                refusal = str(error)
            else:
                messages.success(
                    request, "Grace extension requested: charter staff will decide on it."
                )
                return redirect("pledges:data_grace", slug=slug, year=year)
        status = 400
    return _render(
        request,
        "pledges/workspace/data/grace.html",
        workspace,
        {
            "cycle": cycle,
            "data_return": data_return,
            "grace": grace,
            "form": form,
            "refusal": refusal,
        },
        status=status,
    )


@login_required
def data_query_answer(request: HttpRequest, slug: str, year: int, pk: int) -> HttpResponse:
    workspace = workspace_for(request.user, slug)
    query = (
        ReturnQuery.objects.select_related("data_return__cycle", "asked_by", "answered_by")
        .filter(
            pk=pk,
            data_return__organisation=workspace.organisation,
            data_return__cycle__year=year,
        )
        .first()
    )
    if query is None:
        raise Http404("Your organisation has no query with that number.")
    form = QueryAnswerForm(request.POST or None)
    status = 200
    refusal = ""
    if request.method == "POST":
        if form.is_valid():
            try:
                query_answer(query=query, by=request.user, answer=form.cleaned_data["answer"])
            except ServiceError as error:
                refusal = str(error)
            else:
                messages.success(request, "Answer sent to charter staff.")
                return redirect("pledges:data", slug=slug)
        status = 400
    return _render(
        request,
        "pledges/workspace/data/query_answer.html",
        workspace,
        {"query": query, "cycle": query.data_return.cycle, "form": form, "refusal": refusal},
        status=status,
    )

"""Staff pages of the benchmarking report: one page per year with its state, the texts, the
previews (HTML and PDF, marked as a draft), and one POST view per action."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from charter.permissions import staff_required
from pledges.models.cycles import CycleStatus, ReportingCycle
from reports.document import TEMPLATE, report_document_context
from reports.models import BenchmarkReport, ReportState
from reports.services import generation, publication
from reports.staff.forms import PublishForm, ReportTextsForm
from signatories.services import ServiceError


def _cycle(year: int) -> ReportingCycle:
    return get_object_or_404(ReportingCycle, year=year)


@require_safe
@staff_required
def reports(request: HttpRequest) -> HttpResponse:
    cycles = (
        ReportingCycle.objects.filter(status__in=[CycleStatus.CLOSED, CycleStatus.PUBLISHED])
        .prefetch_related(
            Prefetch("reports", queryset=BenchmarkReport.objects.order_by("-version"))
        )
        .order_by("-year")
    )
    return render(request, "reports/staff/reports.html", {"cycles": cycles})


def _report_page(request, cycle, *, texts_form=None, publish_form=None, status=200):
    versions = list(cycle.reports.order_by("-version"))
    draft = next((report for report in versions if not report.is_published), None)
    if texts_form is None:
        initial = (
            {"foreword": draft.foreword, "correction_note": draft.correction_note} if draft else {}
        )
        if draft is None and versions:
            initial = {"foreword": versions[0].foreword}
        texts_form = ReportTextsForm(initial=initial)
    return render(
        request,
        "reports/staff/report.html",
        {
            "cycle": cycle,
            "draft": draft,
            "published": [report for report in versions if report.is_published],
            "texts_form": texts_form,
            "publish_form": publish_form or PublishForm(),
            "can_generate": cycle.status in (CycleStatus.CLOSED, CycleStatus.PUBLISHED),
            "in_progress": draft is not None
            and draft.state in (ReportState.QUEUED, ReportState.RUNNING),
        },
        status=status,
    )


@require_safe
@staff_required
def report(request: HttpRequest, year: int) -> HttpResponse:
    return _report_page(request, _cycle(year))


@require_POST
@staff_required
def report_generate(request: HttpRequest, year: int) -> HttpResponse:
    cycle = _cycle(year)
    try:
        generation.report_request(cycle=cycle, by=request.user)
    except ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Generation started. Refresh this page in a few seconds.")
    return redirect("reports_staff:report", year)


@require_POST
@staff_required
def report_texts(request: HttpRequest, year: int) -> HttpResponse:
    cycle = _cycle(year)
    draft = generation.report_draft(cycle)
    form = ReportTextsForm(request.POST)
    if draft is None:
        form.add_error(None, "Generate the report first: the texts belong to a draft.")
    if not form.is_valid():
        return _report_page(request, cycle, texts_form=form, status=400)
    try:
        generation.report_set_texts(report=draft, by=request.user, **form.cleaned_data)
    except ServiceError as error:
        form.add_error(None, str(error))
        return _report_page(request, cycle, texts_form=form, status=400)
    messages.success(request, "Texts saved. Regenerate the report so the preview shows them.")
    return redirect("reports_staff:report", year)


@require_POST
@staff_required
def report_publish(request: HttpRequest, year: int) -> HttpResponse:
    cycle = _cycle(year)
    draft = generation.report_draft(cycle)
    form = PublishForm(request.POST)
    if draft is None:
        form.add_error(None, "There is no generated report to publish.")
    if not form.is_valid():
        return _report_page(request, cycle, publish_form=form, status=400)
    try:
        published = publication.report_publish(report=draft, by=request.user)
    except ServiceError as error:
        form.add_error(None, str(error))
        return _report_page(request, cycle, publish_form=form, status=400)
    messages.success(request, f"Version {published.version} of the {year} report is published.")
    return redirect("reports_staff:report", year)


def _ready_draft(year: int) -> BenchmarkReport:
    draft = generation.report_draft(_cycle(year))
    if draft is None or draft.state != ReportState.READY:
        raise Http404("No generated draft to preview.")
    return draft


@require_safe
@staff_required
def report_preview(request: HttpRequest, year: int) -> HttpResponse:
    draft = _ready_draft(year)
    context = report_document_context(draft, draft=True)
    context["pdf_url"] = reverse("reports_staff:preview_pdf", args=[year])
    return render(request, TEMPLATE, context)


@require_safe
@staff_required
def report_preview_pdf(request: HttpRequest, year: int) -> HttpResponse:
    draft = _ready_draft(year)
    if not draft.preview_pdf:
        raise PermissionDenied("This draft has no preview PDF: regenerate it.")
    return FileResponse(
        draft.preview_pdf.open("rb"),
        content_type="application/pdf",
        filename=f"charter-report-{year}-draft.pdf",
    )

"""Generating a cycle's report: staff (or ``manage.py report_generate``) request it, a Celery job
computes the cells and the content and renders both PDFs, and staff preview the result.

``queued → running → ready | failed``. A cycle has one unpublished draft at a time: asking again
regenerates that draft in place (its foreword kept); once a version is published, asking again
starts the next version, a correction.
"""

from __future__ import annotations

import logging
import traceback

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from pledges.models.cycles import CycleStatus, ReportingCycle
from reports.models import BenchmarkReport, ReportState
from signatories.services import ServiceError

logger = logging.getLogger(__name__)

# How much of a failure's traceback the staff page shows: enough to tell a bug from bad data.
ERROR_TAIL_CHARACTERS = 4000


def report_draft(cycle: ReportingCycle) -> BenchmarkReport | None:
    return BenchmarkReport.objects.filter(cycle=cycle, published_at=None).first()


def report_request(*, cycle: ReportingCycle, by, run_inline: bool = False) -> BenchmarkReport:
    """Queue the generation of ``cycle``'s report (its draft, or the next version's)."""
    if cycle.status not in (CycleStatus.CLOSED, CycleStatus.PUBLISHED):
        raise ServiceError(
            f"The {cycle.year} cycle is {cycle.get_status_display().lower()}: its report can be "
            "generated once it has closed."
        )
    with transaction.atomic():
        ReportingCycle.objects.select_for_update().get(pk=cycle.pk)
        report = report_draft(cycle)
        if report is not None and report.state in (ReportState.QUEUED, ReportState.RUNNING):
            raise ServiceError(
                "This report is already being generated: wait for it to finish, then regenerate."
            )
        now = timezone.now()
        if report is None:
            last = BenchmarkReport.objects.filter(cycle=cycle).aggregate(last=Max("version"))
            report = BenchmarkReport.objects.create(
                cycle=cycle,
                version=(last["last"] or 0) + 1,
                requested_by=by,
                requested_at=now,
            )
        else:
            report.state = ReportState.QUEUED
            report.error = ""
            report.requested_by = by
            report.requested_at = now
            report.started_at = report.finished_at = None
            report.save(
                update_fields=[
                    "state",
                    "error",
                    "requested_by",
                    "requested_at",
                    "started_at",
                    "finished_at",
                ]
            )
        if not run_inline:
            from reports.tasks import report_generate_task

            report_generate_task.delay_on_commit(report.pk)
    if run_inline:
        return report_generate(report_id=report.pk)
    return report


def report_generate(*, report_id: int) -> BenchmarkReport:
    """The job: compute, render, store. Claims the run with a conditional update, so a task
    delivered twice (a worker died, the broker redelivered) generates once."""
    claimed = BenchmarkReport.objects.filter(
        pk=report_id, state=ReportState.QUEUED, published_at=None
    ).update(state=ReportState.RUNNING, started_at=timezone.now())
    report = BenchmarkReport.objects.select_related("cycle").get(pk=report_id)
    if not claimed:
        return report
    try:
        _compute_and_render(report)
    except Exception as error:  # the staff page shows why; the job itself must not retry blindly
        logger.exception("Generating the %s report failed", report.cycle.year)
        details = "".join(traceback.format_exception(error))[-ERROR_TAIL_CHARACTERS:]
        BenchmarkReport.objects.filter(pk=report.pk).update(
            state=ReportState.FAILED,
            error=f"{type(error).__name__}: {error}\n\n{details}",
            finished_at=timezone.now(),
        )
    report.refresh_from_db()
    return report


def _compute_and_render(report: BenchmarkReport) -> None:
    # Imported here: the document and content modules load WeasyPrint's templates and charts,
    # needless for a process that only queues the job.
    from reports.aggregation.benchmarks import benchmarks_compute
    from reports.content import report_content_compute
    from reports.document import report_pdf_render

    report.cells = benchmarks_compute(report.cycle)
    report.content = report_content_compute(report.cycle)
    name = f"charter-benchmarking-report-{report.cycle.year}-v{report.version}"
    final_pdf = report_pdf_render(report, draft=False)
    preview_pdf = report_pdf_render(report, draft=True)
    with transaction.atomic():
        current = BenchmarkReport.objects.select_for_update().get(pk=report.pk)
        if current.state != ReportState.RUNNING or current.published_at is not None:
            return  # regenerated or published meanwhile: this run's result is stale
        for field in (current.pdf, current.preview_pdf):
            if field:
                field.delete(save=False)
        current.cells, current.content = report.cells, report.content
        current.pdf.save(f"{name}.pdf", ContentFile(final_pdf), save=False)
        current.preview_pdf.save(f"{name}-draft.pdf", ContentFile(preview_pdf), save=False)
        current.state = ReportState.READY
        current.finished_at = timezone.now()
        current.save()


def report_set_texts(
    *, report: BenchmarkReport, by, foreword: str, correction_note: str = ""
) -> BenchmarkReport:
    """The staff-written parts of a draft. They are rendered into the PDFs by the job, so a
    change asks for a regeneration before publication."""
    if report.is_published:
        raise ServiceError("A published report cannot be changed: publish a correction instead.")
    with transaction.atomic():
        current = BenchmarkReport.objects.select_for_update().get(pk=report.pk)
        current.foreword = foreword.strip()
        current.correction_note = correction_note.strip()
        stale = current.state == ReportState.READY
        if stale:
            # What was rendered no longer matches the texts: publishing it would lose the edit.
            current.state = ReportState.FAILED
            current.error = "The texts changed after generation: regenerate before publishing."
        current.save(update_fields=["foreword", "correction_note", "state", "error"])
    return current

"""Publishing a generated report: its cells, content and PDF are frozen as they were previewed,
the cycle becomes published, the organisations that asked for it have their detailed figures
erased, and every active signatory's admins and data contact are told.

A correction is a later version of the same year published with a correction note; the earlier
versions stay as they were, downloadable from the reports page.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from pledges.services.cycles import cycle_mark_published
from reports.models import BenchmarkReport, ReportState
from signatories.services import ServiceError


def report_publish(*, report: BenchmarkReport, by) -> BenchmarkReport:
    with transaction.atomic():
        current = (
            BenchmarkReport.objects.select_for_update().select_related("cycle").get(pk=report.pk)
        )
        if current.is_published:
            raise ServiceError(f"Version {current.version} is already published.")
        if current.state != ReportState.READY:
            raise ServiceError(
                f"The report is {current.get_state_display().lower()}: only a generated report "
                "that is ready to preview can be published."
            )
        if current.is_correction and not current.correction_note:
            raise ServiceError(
                "A correction needs a correction note saying what changed and why; it is shown "
                "on the report."
            )
        cycle_mark_published(cycle=current.cycle, by=by, version=current.version)
        current.state = ReportState.PUBLISHED
        current.published_at = timezone.now()
        current.published_by = by
        current.save(update_fields=["state", "published_at", "published_by"])
        transaction.on_commit(lambda: _after_publication(current, by))
    return current


def _after_publication(report: BenchmarkReport, by) -> None:
    # After the commit: the frozen copy exists, so erasing the figures it was built from can no
    # longer change anything published.
    from pledges.services.reminders.announcements import report_published_announce
    from pledges.services.retention import erase_requested_figures

    report.cycle.refresh_from_db()
    erase_requested_figures(cycle=report.cycle, by=by)
    report_published_announce(year=report.cycle.year, version=report.version)

from __future__ import annotations

from celery import shared_task


@shared_task(acks_late=True, reject_on_worker_lost=True)
def report_generate_task(report_id: int) -> None:
    """Generate one report (``reports.services.generation.report_generate``)."""
    from reports.services.generation import report_generate

    report_generate(report_id=report_id)

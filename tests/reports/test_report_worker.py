"""The report generation job on a real Celery worker: queued through Redis by the staff button's
service, run by a ``celery worker`` subprocess against this test's database, and its PDF read
back with pdftotext."""

from __future__ import annotations

import subprocess
import time

import pytest

from reports.models import BenchmarkReport
from reports.services.generation import report_request
from tests.reports.report_data import closed_cycle_with_returns

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

GENERATION_TIMEOUT = 60


def wait_until_finished(report_id: int) -> BenchmarkReport:
    deadline = time.monotonic() + GENERATION_TIMEOUT
    while time.monotonic() < deadline:
        report = BenchmarkReport.objects.get(pk=report_id)
        if report.state in ("ready", "failed"):
            return report
        time.sleep(0.2)
    pytest.fail(f"the report was still {report.state} after {GENERATION_TIMEOUT} s")


def pdf_text(path: str) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", path, "-"], capture_output=True, text=True, check=True
    ).stdout


def test_a_real_worker_generates_the_report(start_worker, staff_user, settings, tmp_path):
    # The worker writes the PDFs under its VAR_DIR; this process reads them from the same place.
    var_dir = tmp_path / "var"
    (var_dir / "media").mkdir(parents=True)
    settings.MEDIA_ROOT = var_dir / "media"
    worker = start_worker(environment={"VAR_DIR": str(var_dir)})
    cycle = closed_cycle_with_returns()

    report = report_request(cycle=cycle, by=staff_user)  # committed: the task goes to Redis

    report = wait_until_finished(report.pk)
    assert report.state == "ready", report.error
    assert "reports.tasks.report_generate_task" in worker.log()
    final, preview = pdf_text(report.pdf.path), pdf_text(report.preview_pdf.path)
    assert "2025" in final
    assert "Contributor 01" in final  # the organisations that contributed data, by name
    assert "Draft — not published" not in final
    assert "Draft — not published" in preview

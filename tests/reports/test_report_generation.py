"""Generating, regenerating, publishing and correcting a cycle's report (the services and the
commands that call them), and what publication freezes."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from pledges.models import CycleEvent, DataReturn, ReportingCycle
from reports.models import BenchmarkReport
from reports.services.generation import report_request, report_set_texts
from reports.services.publication import report_publish
from signatories.services import ServiceError
from tests.conftest import make_cycle
from tests.reports.report_data import closed_cycle_with_returns

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return closed_cycle_with_returns()


@pytest.fixture
def generate(django_capture_on_commit_callbacks):
    """Ask for a generation as the staff button does; the queued job runs inline on commit."""

    def run(cycle, by) -> BenchmarkReport:
        with django_capture_on_commit_callbacks(execute=True):
            report = report_request(cycle=cycle, by=by)
        report.refresh_from_db()
        return report

    return run


def test_an_open_cycle_has_no_report_yet(staff_user):
    cycle = make_cycle(2026, status="open")
    with pytest.raises(ServiceError, match="once it has closed"):
        report_request(cycle=cycle, by=staff_user)
    assert not BenchmarkReport.objects.exists()


def test_generation_computes_the_cells_and_renders_both_pdfs(generate, cycle, staff_user):
    report = generate(cycle, staff_user)

    assert report.state == "ready", report.error
    assert report.version == 1
    assert report.cells["overall"]["organisations"] == 12
    assert report.content is not None
    assert report.pdf.read().startswith(b"%PDF")
    assert report.preview_pdf.read().startswith(b"%PDF")
    assert report.started_at <= report.finished_at


def test_a_failure_is_recorded_with_its_error(generate, cycle, staff_user, settings, tmp_path):
    # A real failure: the media "directory" is a file, so the PDFs cannot be stored.
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("x")
    settings.MEDIA_ROOT = blocker

    report = generate(cycle, staff_user)
    assert report.state == "failed"
    assert "Error" in report.error
    assert not report.pdf


def test_regenerating_reuses_the_draft_and_keeps_its_foreword(generate, cycle, staff_user):
    first = generate(cycle, staff_user)
    report_set_texts(report=first, by=staff_user, foreword="Welcome to our fifth report.")
    again = generate(cycle, staff_user)
    assert again.pk == first.pk
    assert again.state == "ready"
    assert again.foreword == "Welcome to our fifth report."
    assert BenchmarkReport.objects.count() == 1


def test_changing_the_texts_after_generation_asks_for_a_regeneration(generate, cycle, staff_user):
    report = generate(cycle, staff_user)
    changed = report_set_texts(report=report, by=staff_user, foreword="New words.")
    assert changed.state == "failed"
    assert "regenerate" in changed.error
    with pytest.raises(ServiceError, match="ready to preview"):
        report_publish(report=changed, by=staff_user)


def test_publishing_freezes_the_report_and_publishes_the_cycle(generate, cycle, staff_user):
    report = generate(cycle, staff_user)

    published = report_publish(report=report, by=staff_user)

    cycle.refresh_from_db()
    assert published.state == "published"
    assert published.published_by == staff_user
    assert cycle.status == "published"
    assert CycleEvent.objects.filter(cycle=cycle, kind="published").count() == 1
    with pytest.raises(ServiceError, match="already published"):
        report_publish(report=published, by=staff_user)


def test_an_erasure_after_publication_changes_nothing_published(
    generate, cycle, staff_user, django_capture_on_commit_callbacks
):
    DataReturn.objects.filter(cycle=cycle).update(retention="delete")
    report = generate(cycle, staff_user)
    frozen_cells, frozen_pdf = report.cells, report.pdf.read()

    with django_capture_on_commit_callbacks(execute=True):
        report_publish(report=report, by=staff_user)

    assert DataReturn.objects.filter(cycle=cycle, figures_erased_at__isnull=False).count() == 12
    report.refresh_from_db()
    assert report.cells == frozen_cells
    report.pdf.open("rb")
    assert report.pdf.read() == frozen_pdf


def test_a_correction_is_a_new_version_with_a_note(generate, cycle, staff_user):
    first = generate(cycle, staff_user)
    report_publish(report=first, by=staff_user)

    correction = generate(cycle, staff_user)
    assert correction.version == 2
    with pytest.raises(ServiceError, match="correction note"):
        report_publish(report=correction, by=staff_user)
    report_set_texts(
        report=correction, by=staff_user, foreword="", correction_note="One return was excluded."
    )
    correction = generate(cycle, staff_user)
    report_publish(report=correction, by=staff_user)

    versions = list(BenchmarkReport.objects.filter(cycle=cycle).order_by("version"))
    assert [(v.version, v.state) for v in versions] == [(1, "published"), (2, "published")]
    assert versions[0].pdf  # the first version stays downloadable


def test_the_commands_generate_and_publish(cycle):
    out = io.StringIO()
    call_command("report_generate", "--year", "2025", stdout=out)
    assert "ready to preview" in out.getvalue()
    call_command("report_publish", "--year", "2025", stdout=out)
    assert "published" in out.getvalue()
    assert ReportingCycle.objects.get(year=2025).status == "published"


def test_the_commands_refuse_clearly(cycle):
    with pytest.raises(CommandError, match="no 2019 reporting cycle"):
        call_command("report_generate", "--year", "2019")
    with pytest.raises(CommandError, match="run report_generate first"):
        call_command("report_publish", "--year", "2025")
    make_cycle(2026, status="open")
    with pytest.raises(CommandError, match="once it has closed"):
        call_command("report_generate", "--year", "2026")

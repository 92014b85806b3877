from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from pledges.models.cycles import ReportingCycle
from reports.services.generation import report_draft, report_set_texts
from reports.services.publication import report_publish
from signatories.services import ServiceError


class Command(BaseCommand):
    help = (
        "Publishes the generated, unpublished report of --year (the same service as the staff "
        "button): freezes its cells and PDF, marks the cycle published, erases the detailed "
        "figures of organisations that asked for it, and tells every active signatory. A "
        "correction (version 2 onwards) needs --correction-note, shown on the report; setting "
        "it here changes the rendered text, so it then asks you to run report_generate again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--correction-note", default=None)

    def handle(self, *args, year: int, correction_note: str | None, **options):
        cycle = ReportingCycle.objects.filter(year=year).first()
        if cycle is None:
            raise CommandError(f"There is no {year} reporting cycle.")
        report = report_draft(cycle)
        if report is None:
            raise CommandError(f"There is no unpublished {year} report: run report_generate first.")
        try:
            if correction_note is not None and correction_note.strip() != report.correction_note:
                report_set_texts(
                    report=report,
                    by=None,
                    foreword=report.foreword,
                    correction_note=correction_note,
                )
                raise CommandError(
                    "The correction note is saved; run report_generate again so the report "
                    "shows it, then report_publish."
                )
            report = report_publish(report=report, by=None)
        except ServiceError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{year} report, version {report.version}: published.")

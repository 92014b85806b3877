from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from pledges.models.cycles import ReportingCycle
from reports.models import ReportState
from reports.services.generation import report_request
from signatories.services import ServiceError


class Command(BaseCommand):
    help = (
        "Generates the benchmarking report of the cycle of --year, inline (the same service as "
        "the staff button, without a worker): computes the cells under disclosure control and "
        "renders the report and its draft-marked preview as PDF. Regenerates the year's "
        "unpublished draft, or starts the next version (a correction) once one is published. "
        "Exits non-zero, with the error, when generation fails. Publishes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)

    def handle(self, *args, year: int, **options):
        cycle = ReportingCycle.objects.filter(year=year).first()
        if cycle is None:
            raise CommandError(f"There is no {year} reporting cycle.")
        try:
            report = report_request(cycle=cycle, by=None, run_inline=True)
        except ServiceError as error:
            raise CommandError(str(error)) from error
        if report.state != ReportState.READY:
            raise CommandError(f"Generating the {year} report failed:\n{report.error}")
        suppressed = report.cells["methodology"]["suppressed_cells"]
        self.stdout.write(
            f"{year} report, version {report.version}: ready to preview "
            f"({report.cells['methodology']['returns_counted']} returns counted, "
            f"{suppressed} cells suppressed)."
        )

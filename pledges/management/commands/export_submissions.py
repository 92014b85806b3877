"""``manage.py export_submissions --year YEAR``: a year's submitted returns as the import's CSV."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from pledges.services.submissions_export import EXPORT_COLUMNS, submissions_export


class Command(BaseCommand):
    help = (
        "Write the latest revision of every submitted return of YEAR whose figures were not "
        f"erased, as CSV with the columns {', '.join(EXPORT_COLUMNS)} (the columns "
        "import_submissions reads), to standard output or to --output FILE. The figures are "
        "raw diversity data: keep the file as safely as the database."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--year", type=int, required=True, help="The cycle's year.")
        parser.add_argument("--output", type=Path, help="Write to this file instead of stdout.")

    def handle(self, *args, year: int, output: Path | None = None, **options) -> None:
        if output is None:
            count = submissions_export(year=year, out=self.stdout)
        else:
            try:
                with output.open("w", encoding="utf-8", newline="") as out:
                    count = submissions_export(year=year, out=out)
            except OSError as error:
                raise CommandError(f"Cannot write {output}: {error.strerror}.") from None
        self.stderr.write(f"{count} returns of {year} exported.")

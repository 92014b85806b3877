"""``manage.py import_submissions FILE.csv``: past data returns, on time, all or nothing."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from charter.csv_import import ImportFileError
from pledges.services.submissions_import import (
    COLUMNS,
    OPTIONAL_COLUMNS,
    ImportRefused,
    submissions_import_apply,
)


class Command(BaseCommand):
    help = (
        "Import submitted data returns from a CSV file with the columns "
        f"{', '.join(COLUMNS)}, and optionally {', '.join(OPTIONAL_COLUMNS)} (empty: not "
        "collected; an empty ethnicity triple: ethnicity not collected). Each row is one "
        "organisation's return for one year, counted as submitted on time; a year without a "
        "cycle gets a closed one with the default dates; a row whose figures differ from the "
        "return's latest revision adds a revision, an identical row changes nothing; warnings "
        "send the return to the outlier queue. Any bad row writes nothing and exits non-zero."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path, help="The CSV file (UTF-8).")

    def handle(self, *args, file: Path, **options) -> None:
        try:
            content = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
        try:
            plan = submissions_import_apply(content)
        except ImportFileError as error:
            raise CommandError(f"{file}: {error} Nothing was imported.") from None
        except ImportRefused as refused:
            for row_error in refused.errors:
                self.stderr.write(str(row_error))
            raise CommandError(f"{file}: {refused}") from None
        self.stdout.write(f"{file}: {plan.summary()}.")

"""``manage.py import_signatories FILE.csv``: create and update signatories, all or nothing."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from charter.csv_import import ImportFileError
from signatories.imports import COLUMNS, ImportRefused, signatories_import_apply


class Command(BaseCommand):
    help = (
        "Import signatories from a CSV file with the columns "
        f"{', '.join(COLUMNS)}. Any bad row writes nothing."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path, help="The CSV file (UTF-8).")

    def handle(self, *args, file: Path, **options) -> None:
        try:
            content = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
        try:
            plan = signatories_import_apply(content)
        except ImportFileError as error:
            raise CommandError(f"{file}: {error} Nothing was imported.") from None
        except ImportRefused as refused:
            for row_error in refused.errors:
                self.stderr.write(str(row_error))
            raise CommandError(f"{file}: {refused}") from None
        self.stdout.write(f"{file}: {plan.summary()}.")

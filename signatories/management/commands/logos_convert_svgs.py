"""``python manage.py logos_convert_svgs``: turn stored SVG logos into PNGs."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from signatories.services.logos import logos_convert_stored_svgs


class Command(BaseCommand):
    help = (
        "Rasterises every organisation logo still stored as SVG (uploaded before SVGs were "
        "converted on upload) into a PNG at most 400 pixels wide or high, and deletes the SVG. "
        "SVGs that refer to other files or cannot be read are left as they are, never served, "
        "and listed. Safe to run again."
    )

    def handle(self, *args, **options) -> None:
        converted, refused = logos_convert_stored_svgs()
        self.stdout.write(f"Converted {len(converted)} SVG logo(s) to PNG.")
        for slug in refused:
            self.stdout.write(f"Left unconverted (ask its admins for a new logo): {slug}")

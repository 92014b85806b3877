"""Exporting a year's submitted returns as the CSV the import reads.

One row per submitted return: the figures of its latest revision (what was submitted, not a
draft amendment in progress), in the import's columns plus the optional lenses, so exporting
and importing into an empty database gives the same returns. Returns whose figures were erased
at the organisation's request are left out: there is nothing left to export.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import TextIO

from django.db.models import F

from pledges import returns_rules as rules
from pledges.models import ReturnRevision, ReturnStatus

EXPORT_COLUMNS = (*rules.CSV_COLUMNS, *rules.LENSES)
# The figures read from a revision, after the signatory number and the year.
_FIGURES = (
    *rules.CSV_COLUMNS[2:],
    "ethnicity_collected",
    *(f"{lens}_collected" for lens in rules.LENSES),
    *rules.LENSES,
)


def submissions_export_rows(*, year: int) -> Iterator[list[str]]:
    """The header, then one row per exported return, ordered by signatory number."""
    yield list(EXPORT_COLUMNS)
    revisions = (
        ReturnRevision.objects.filter(
            data_return__cycle__year=year,
            data_return__status=ReturnStatus.SUBMITTED,
            data_return__figures_erased_at__isnull=True,
            number=F("data_return__revision_count"),
            erased_at__isnull=True,
        )
        .order_by("data_return__organisation__signatory_number")
        .values_list("data_return__organisation__signatory_number", *_FIGURES)
    )
    for number, *values in revisions.iterator(chunk_size=5000):
        figures = dict(zip(_FIGURES, values, strict=True))
        row = [str(number), str(year), figures["snapshot_date"].isoformat()]
        for name in rules.CSV_COLUMNS[3:]:
            # An ethnicity triple left empty says "not collected", as the import reads it.
            row.append("" if figures[name] is None else str(figures[name]))
        for lens in rules.LENSES:
            collected = figures[f"{lens}_collected"] and figures[lens] is not None
            row.append(str(figures[lens]) if collected else "")
        yield row


def submissions_export(*, year: int, out: TextIO) -> int:
    """Write the CSV to ``out``; the number of returns written."""
    writer = csv.writer(out, lineterminator="\n")
    count = -1
    for row in submissions_export_rows(year=year):
        writer.writerow(row)
        count += 1
    return count

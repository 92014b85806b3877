"""Submitted returns for the review, compliance and retention tests, made through the one path
a revision is made (pledges.services.returns.revision_record)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from pledges.models import DataReturn
from pledges.services.returns import revision_record
from tests.conftest import valid_figures

JUMP_WARNING = {
    "field": "tech_total",
    "code": "tech_total_jump",
    "message": "Tech employees went from 40 to 95 since last year.",
    "note": "We merged with Initrode: 95 is right.",
}


def submitted_return(
    organisation,
    cycle,
    *,
    by=None,
    warnings: list[dict] | None = None,
    is_late: bool = False,
    retention: str = "keep",
    submitted_at: dt.datetime | None = None,
    **figures,
) -> DataReturn:
    data_return, _ = DataReturn.objects.get_or_create(cycle=cycle, organisation=organisation)
    with transaction.atomic():
        locked = DataReturn.objects.select_for_update().get(pk=data_return.pk)
        revision_record(
            data_return=locked,
            by=by,
            figures=valid_figures(cycle.year, **figures),
            warnings=warnings or [],
            is_late=is_late,
            late_reason="Our HR system moved." if is_late else "",
            retention=retention,
            submitted_at=submitted_at or dt.datetime(cycle.year, 10, 10, 12, tzinfo=dt.UTC),
        )
    return DataReturn.objects.select_related("cycle", "organisation").get(pk=data_return.pk)

"""Carrying out the keep-or-delete choice once the benchmarking report is published.

An organisation that chose "delete our detailed figures" keeps only the fact and the dates of
its submissions: every figure of its return and of each revision is emptied. The revisions'
PostgreSQL trigger (migration 0005) refuses any change to a revision unless the transaction
declared ``charter.erasing_figures`` and the row is marked erased, so this is the one way in.
The published aggregates were computed before and are not touched.
"""

from __future__ import annotations

from django.db import connection, transaction
from django.utils import timezone

from pledges.models import (
    CycleEvent,
    CycleEventKind,
    CycleStatus,
    DataReturn,
    ReportingCycle,
    Retention,
    ReturnRevision,
)
from pledges.models.returns import FIGURE_FIELDS
from signatories.services import ServiceError


def empty_figures() -> dict:
    """Every figure at its empty default: counts and answers None, "collected" flags off."""
    return {name: (False if name.endswith("_collected") else None) for name in FIGURE_FIELDS}


def erase_requested_figures(*, cycle: ReportingCycle, by) -> int:
    """Erase the figures of every return of ``cycle`` whose organisation chose "delete", once
    the cycle is published. Returns how many returns were erased; running it again erases
    nothing more (already erased returns are skipped)."""
    if cycle.status != CycleStatus.PUBLISHED:
        raise ServiceError("Figures are erased only once the report is published.")
    now = timezone.now()
    emptied = empty_figures()
    with transaction.atomic():
        if connection.vendor == "postgresql":  # the trigger guarding revisions is PostgreSQL's
            with connection.cursor() as cursor:
                # LOCAL: the permission ends with this transaction, whatever happens.
                cursor.execute("SET LOCAL charter.erasing_figures = 'on'")
        to_erase = list(
            DataReturn.objects.select_for_update()
            .filter(cycle=cycle, retention=Retention.DELETE, figures_erased_at__isnull=True)
            .values_list("pk", "organisation_id")
        )
        return_ids = [pk for pk, _ in to_erase]
        if not return_ids:
            return 0
        ReturnRevision.objects.filter(data_return_id__in=return_ids).update(
            # The warnings and changes quote figures too.
            **emptied,
            warnings=[],
            changes=[],
            erased_at=now,
        )
        DataReturn.objects.filter(pk__in=return_ids).update(
            **emptied, warnings=[], figures_erased_at=now, updated_at=now
        )
        CycleEvent.objects.bulk_create(
            CycleEvent(
                cycle=cycle,
                organisation_id=organisation_id,
                kind=CycleEventKind.ERASED,
                by=by,
                reason="The organisation asked for its detailed figures to be deleted.",
            )
            for _, organisation_id in to_erase
        )
    return len(return_ids)

"""Reads for the outlier queue and the staff return page.

Warning messages quote figures ("tech employees went from 40 to 95"), so pages shown to staff
without ``pledges.view_raw_figures`` use the titles below, which never contain a number.
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from pledges.models import (
    CycleEvent,
    CycleEventKind,
    DataReturn,
    OutlierStatus,
    ReturnQuery,
    ReturnRevision,
    ReturnStatus,
)
from pledges.models.returns import FIGURE_FIELDS
from pledges.services.returns import figure_label

# pledges.returns_rules.figures_warnings codes: a title without any figure.
WARNING_TITLES = {
    "tech_total_jump": "Tech employees changed a lot since last year",
    "women_share_jump": "Women's share of tech changed a lot since last year",
    "identical_to_last_year": "Every figure is identical to last year",
    "outside_size_band": "Total employees outside the profile's size band",
}

QUEUE_STATES = (OutlierStatus.WAITING, OutlierStatus.QUERIED, OutlierStatus.ANSWERED)

REVIEW_EVENT_KINDS = (
    CycleEventKind.ACCEPTED,
    CycleEventKind.QUERIED,
    CycleEventKind.EXCLUDED,
    CycleEventKind.INCLUDED,
    CycleEventKind.REOPENED,
    CycleEventKind.ERASED,
)


def warning_title(code: str) -> str:
    return WARNING_TITLES.get(code, "Unusual figure")


def outlier_queue(*, year: int | None = None, state: str = "") -> QuerySet[DataReturn]:
    """Submitted returns whose warnings wait for staff, were queried or answered, oldest
    submission first, each with its query thread (one prefetch for the whole page)."""
    states = [state] if state else QUEUE_STATES
    returns = (
        DataReturn.objects.filter(status=ReturnStatus.SUBMITTED, outlier_status__in=states)
        .select_related("cycle", "organisation")
        .defer(*FIGURE_FIELDS)
        .prefetch_related(
            Prefetch(
                "queries",
                queryset=ReturnQuery.objects.select_related("asked_by", "answered_by").order_by(
                    "asked_at", "id"
                ),
                to_attr="thread",
            )
        )
        .order_by("submitted_at", "id")
    )
    if year is not None:
        returns = returns.filter(cycle__year=year)
    return returns


def staff_return(pk: int) -> DataReturn | None:
    """A return for the staff page with its revisions (newest first) and query thread."""
    return (
        DataReturn.objects.filter(pk=pk)
        .select_related("cycle", "organisation", "submitted_by")
        .prefetch_related(
            Prefetch(
                "revisions",
                queryset=ReturnRevision.objects.select_related("submitted_by").order_by("-number"),
                to_attr="revision_list",
            ),
            Prefetch(
                "queries",
                queryset=ReturnQuery.objects.select_related("asked_by", "answered_by").order_by(
                    "asked_at", "id"
                ),
                to_attr="thread",
            ),
        )
        .first()
    )


def review_events(data_return: DataReturn) -> list[CycleEvent]:
    """The staff decisions about this organisation's return in its cycle, newest first."""
    return list(
        CycleEvent.objects.filter(
            cycle_id=data_return.cycle_id,
            organisation_id=data_return.organisation_id,
            kind__in=REVIEW_EVENT_KINDS,
        ).select_related("by")
    )


def figures_table(data_return: DataReturn) -> list[tuple[str, object]]:
    """(label, value) for every figure of the return, in form order."""
    return [(figure_label(name), getattr(data_return, name)) for name in FIGURE_FIELDS]

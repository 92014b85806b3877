"""Reads of the reminders' delivery log: for staff (every email, filtered), for one
organisation's staff page, and for an organisation's own admins (their part of each email only).

One delivery is one email, and may carry claims of several organisations (a person who is admin
of two gets one email listing both). Whoever looks at one organisation sees the deliveries that
carry at least one of its claims, with only its own claims attached: an organisation's admins
must never learn, from the log, which other organisations a colleague also looks after.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils import timezone

from pledges.models import ReminderClaim, ReminderDelivery, ReminderPause
from signatories.models import Organisation
from signatories.search import name_search


@dataclass(frozen=True)
class DeliveryFilters:
    kind: str = ""
    state: str = ""
    # A signatory number, or words of the organisation's public or legal name.
    organisation: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def _local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _claims(queryset: QuerySet[ReminderClaim]) -> QuerySet[ReminderClaim]:
    return queryset.select_related("organisation").only(
        "delivery_id",
        "organisation__public_name",
        "organisation__signatory_number",
        "organisation__slug",
    )


def _organisations_matching(text: str) -> QuerySet[Organisation]:
    text = text.strip()
    if text.isdigit():
        return Organisation.objects.filter(signatory_number=int(text))
    return name_search(Organisation.objects.all(), text)


def deliveries_for_log(filters: DeliveryFilters) -> QuerySet[ReminderDelivery]:
    """Every delivery matching ``filters``, newest first, each with ``claim_list`` (its claims
    with their organisations) and who retried it: three queries for a page of any length (the
    count, the page, the claims), never one per row."""
    deliveries = ReminderDelivery.objects.select_related("retried_by").order_by(
        "-claimed_at", "-id"
    )
    if filters.kind:
        deliveries = deliveries.filter(kind=filters.kind)
    if filters.state:
        deliveries = deliveries.filter(state=filters.state)
    # Days in the charter's time zone (Europe/London), the one staff read the log in, as a
    # range of moments rather than claimed_at__date, so the claimed_at index still serves.
    if filters.date_from:
        deliveries = deliveries.filter(claimed_at__gte=_local_midnight(filters.date_from))
    if filters.date_to:
        deliveries = deliveries.filter(
            claimed_at__lt=_local_midnight(filters.date_to + dt.timedelta(days=1))
        )
    if filters.organisation.strip():
        # EXISTS rather than a join: a delivery with two matching claims is still one row.
        deliveries = deliveries.filter(
            Exists(
                ReminderClaim.objects.filter(
                    delivery=OuterRef("pk"),
                    organisation__in=_organisations_matching(filters.organisation),
                )
            )
        )
    return deliveries.prefetch_related(
        Prefetch("claims", queryset=_claims(ReminderClaim.objects.all()), to_attr="claim_list")
    )


def organisation_deliveries(organisation: Organisation) -> QuerySet[ReminderDelivery]:
    """The deliveries that carry a claim of ``organisation``, newest first, each with
    ``claim_list`` holding that organisation's claims only (the rest of the email is about
    other organisations)."""
    return (
        ReminderDelivery.objects.filter(
            Exists(ReminderClaim.objects.filter(delivery=OuterRef("pk"), organisation=organisation))
        )
        .select_related("retried_by")
        .order_by("-claimed_at", "-id")
        .prefetch_related(
            Prefetch(
                "claims",
                queryset=_claims(ReminderClaim.objects.filter(organisation=organisation)),
                to_attr="claim_list",
            )
        )
    )


def delivery_organisations(delivery: ReminderDelivery) -> list[Organisation]:
    """The organisations of a delivery's prefetched claims, each once, by name."""
    seen: dict[int, Organisation] = {}
    for claim in delivery.claim_list:
        if claim.organisation_id is not None:
            seen.setdefault(claim.organisation_id, claim.organisation)
    return sorted(seen.values(), key=lambda organisation: organisation.public_name.casefold())


def reminder_pauses(organisation: Organisation) -> list[ReminderPause]:
    """Every pause of the organisation's reminders, newest first, with who paused and resumed."""
    return list(
        ReminderPause.objects.filter(organisation=organisation)
        .select_related("paused_by", "resumed_by")
        .order_by("-paused_at")
    )

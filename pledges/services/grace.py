"""An organisation's request for more time to submit its return (issue 11: once per cycle, up
to 28 days, with a reason). Staff grant or refuse it on the cycle pages; a granted request sets
the return's ``grace_until``, which pledges.services.returns reads as the new deadline."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from pledges.models import CycleStatus, DataReturn, GraceRequest
from signatories.services import ServiceError


def grace_request(*, data_return: DataReturn, by, days: int, reason: str) -> GraceRequest:
    """Ask once for ``days`` (1–28) more days, with a reason. Refused when a request was made
    already (the one-to-one row decides, so two members asking at once get one request)."""
    reason = reason.strip()
    if not 1 <= days <= GraceRequest.MAX_DAYS:
        raise ServiceError(f"Ask for between 1 and {GraceRequest.MAX_DAYS} days.")
    if not reason:
        raise ServiceError("Say why you need more time.")
    if data_return.cycle.status not in (CycleStatus.OPEN, CycleStatus.CLOSED):
        raise ServiceError("This year's collection is not running: there is no deadline to move.")
    if data_return.figures_erased_at is not None:
        raise ServiceError("This return's figures were erased: it can no longer be changed.")
    try:
        with transaction.atomic():
            return GraceRequest.objects.create(
                data_return=data_return, days=days, reason=reason, requested_by=by
            )
    except IntegrityError:
        raise ServiceError(
            "Your organisation already asked for a grace extension this year: only one is allowed."
        ) from None

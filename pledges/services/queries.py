"""The organisation's side of a staff query about its return's warnings. Staff ask (the review
room); the organisation answers here, or amends the return, which answers every open query
(pledges.services.returns.revision_record)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from pledges.models import DataReturn, OutlierStatus, ReturnQuery
from signatories.services import ServiceError

ANSWER_MAX_LENGTH = 4000


def query_answer(*, query: ReturnQuery, by, answer: str) -> ReturnQuery:
    """Answer an open query; the return goes back to staff as "answered".

    The conditional update claims the query, so of two members answering at once only the
    first answer is kept and the second is told so.
    """
    answer = answer.strip()
    if not answer:
        raise ServiceError("Write your answer.")
    if len(answer) > ANSWER_MAX_LENGTH:
        raise ServiceError(f"Keep the answer under {ANSWER_MAX_LENGTH} characters.")
    now = timezone.now()
    with transaction.atomic():
        claimed = ReturnQuery.objects.filter(pk=query.pk, answered_at__isnull=True).update(
            answer=answer, answered_by=by, answered_at=now
        )
        if not claimed:
            raise ServiceError("This query was already answered.")
        DataReturn.objects.filter(pk=query.data_return_id).update(
            outlier_status=OutlierStatus.ANSWERED, updated_at=now
        )
    query.refresh_from_db()
    return query

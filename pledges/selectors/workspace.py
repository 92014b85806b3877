"""Reads for the workspace: commitments with their actions, the practice library."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from pledges.models import PledgeAction, PledgeCommitment, Practice, PracticeStatus
from pledges.selectors.data_returns import data_next_step
from signatories.choices import OrganisationStatus
from signatories.models import Organisation

REVIEW_DUE_AFTER = dt.timedelta(days=365)


def commitments_for_overview(*, organisation: Organisation) -> list[PledgeCommitment]:
    """The five commitments with action counts, each given ``next_step`` (text, or "") and
    its next open action: ``next_action_description``, ``next_action_due_on`` (both None when
    no action is open) and ``next_action_overdue``."""
    today = timezone.localdate()
    # The next open action: the earliest due, undated ones after dated ones, then the oldest.
    # Read in the same query as the counts (two correlated subqueries), so the overview costs
    # one query for its five pledges however many actions each has.
    next_open_action = PledgeAction.objects.filter(
        commitment=OuterRef("pk"), done_at__isnull=True
    ).order_by(F("due_on").asc(nulls_last=True), "created_at", "id")[:1]
    commitments = list(
        PledgeCommitment.objects.filter(organisation=organisation)
        .select_related("pledge", "reviewed_by")
        .annotate(
            open_actions=Count("actions", filter=Q(actions__done_at__isnull=True)),
            overdue_actions=Count(
                "actions", filter=Q(actions__done_at__isnull=True, actions__due_on__lt=today)
            ),
            all_actions=Count("actions"),
            next_action_description=Subquery(next_open_action.values("description")),
            next_action_due_on=Subquery(next_open_action.values("due_on")),
        )
        .order_by("pledge__position")
    )
    # Read once, and only when the data pledge is there: three queries whatever the history.
    data_step = (
        data_next_step(organisation=organisation)
        if any(commitment.pledge.code == "data" for commitment in commitments)
        else ""
    )
    for commitment in commitments:
        commitment.next_step = (
            data_step if commitment.pledge.code == "data" else _next_step(commitment)
        )
        commitment.next_action_overdue = (
            commitment.next_action_due_on is not None and commitment.next_action_due_on < today
        )
    return commitments


def _next_step(commitment: PledgeCommitment) -> str:
    code = commitment.pledge.code
    if code == "people":
        return ""  # the representative card says what to do
    if not commitment.public_statement:
        return "Write your public commitment statement."
    if commitment.overdue_actions:
        count = commitment.overdue_actions
        return f"{count} action{'s are' if count > 1 else ' is'} overdue."
    if not commitment.all_actions:
        return "Plan your first action."
    if commitment.progress_status == "not_started":
        return "Update your progress status."
    if commitment.reviewed_at is None or commitment.reviewed_at < timezone.now() - REVIEW_DUE_AFTER:
        return "Review this pledge: it has not been reviewed this year."
    return ""


def practices_published() -> QuerySet[Practice]:
    """Published practices of organisations still on the charter. A practice of a withdrawn
    or suspended organisation disappears with it from the library and the public pages (its
    row stays: withdrawing deletes nothing, and reinstating brings it back)."""
    return Practice.objects.filter(
        status=PracticeStatus.PUBLISHED, organisation__status=OrganisationStatus.ACTIVE
    ).select_related("organisation")


def practices_public() -> QuerySet[Practice]:
    """The published practices charter staff made public, for /practices/."""
    return practices_published().filter(is_public=True)


def practice_library(*, q: str = "", topic: str = "") -> QuerySet[Practice]:
    """Published practices, newest first, matching the words in ``q`` and the topic."""
    practices = practices_published()
    for word in q.split()[:10]:
        practices = practices.filter(
            Q(title__icontains=word) | Q(summary__icontains=word) | Q(body__icontains=word)
        )
    if topic:
        # A JSON list of codes: match the quoted code, which works on SQLite and PostgreSQL.
        practices = practices.filter(topics__icontains=f'"{topic}"')
    return practices.order_by("-published_at", "-id")

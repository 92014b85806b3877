"""Writes for an organisation's pledge commitments, their actions, and shared practices."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from pledges.models import (
    CommitmentChange,
    CommitmentChangeKind,
    PledgeAction,
    PledgeCommitment,
    Practice,
    PracticeStatus,
    PracticeTopic,
    ProgressStatus,
)
from signatories.services import ServiceError

# The pledges whose commitment a signatory edits here. "people" is the representative and
# "data" the yearly submission: each has its own pages.
EDITABLE_PLEDGES = ("plan", "policies", "practice")

COMMITMENT_FIELDS = {
    "public_statement": "Public commitment statement",
    "progress_status": "Progress status",
    "progress_summary": "Public progress summary",
    "evidence_notes": "Evidence notes (private)",
    "evidence_links": "Evidence links (private)",
}


class CommitmentConflict(ServiceError):
    """Someone saved the commitment after the editor opened it. ``changes`` lists their edits
    (newest first), so the editor can see what changed before deciding what to keep."""

    def __init__(self, message: str, *, current: PledgeCommitment, changes: list):
        super().__init__(message)
        self.current = current
        self.changes = changes


def _display(field: str, value):
    if field == "progress_status":
        return ProgressStatus(value).label if value in ProgressStatus.values else value
    return value


def commitment_update(
    *, commitment: PledgeCommitment, by, data: dict, version: int
) -> PledgeCommitment:
    """Save the commitment if nobody else saved it since ``version``; keep the old values.

    Optimistic locking: the UPDATE only matches while the row still has ``version``, so of
    two editors who opened version 3, the first save makes it 4 and the second save matches no
    row and is refused with what the first one changed. Nothing is overwritten silently.
    """
    if commitment.pledge.code not in EDITABLE_PLEDGES:
        raise ServiceError("This pledge is not edited here.")
    unknown = set(data) - set(COMMITMENT_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    with transaction.atomic():
        before = PledgeCommitment.objects.select_for_update().get(pk=commitment.pk)
        changes = [
            {
                "field": name,
                "label": COMMITMENT_FIELDS[name],
                "before": _display(name, getattr(before, name)),
                "after": _display(name, value),
            }
            for name, value in data.items()
            if getattr(before, name) != value
        ]
        if not changes:
            # Nothing to save: no new version and no history entry. A bump without an entry
            # would refuse the next editor with an empty list of "their changes".
            commitment.refresh_from_db()
            return commitment
        updated = PledgeCommitment.objects.filter(pk=commitment.pk, version=version).update(
            **data, version=F("version") + 1, updated_at=timezone.now()
        )
        if not updated:
            raise CommitmentConflict(
                "Someone else saved this pledge after you opened it, so your changes were not "
                "saved. Their changes are shown below; your text is still in the form: check "
                "it against theirs and save again.",
                current=before,
                changes=list(
                    CommitmentChange.objects.filter(
                        commitment=commitment, version__gt=version
                    ).select_related("changed_by")
                ),
            )
        CommitmentChange.objects.create(
            commitment=before,
            kind=CommitmentChangeKind.EDITED,
            version=version + 1,
            changed_by=by,
            changes=changes,
        )
    commitment.refresh_from_db()
    return commitment


def commitment_review(*, commitment: PledgeCommitment, by) -> PledgeCommitment:
    """Record that someone read the commitment through and found it current."""
    now = timezone.now()
    with transaction.atomic():
        PledgeCommitment.objects.filter(pk=commitment.pk).update(reviewed_at=now, reviewed_by=by)
        commitment.refresh_from_db()
        CommitmentChange.objects.create(
            commitment=commitment,
            kind=CommitmentChangeKind.REVIEWED,
            version=commitment.version,
            changed_by=by,
            changes=[],
        )
    return commitment


ACTION_FIELDS = {"description": "What", "owner": "Owner", "due_on": "Due date", "done": "Done"}


def _action_values(action: PledgeAction) -> dict:
    return {
        "description": action.description,
        "owner": action.owner,
        "due_on": action.due_on.isoformat() if action.due_on else "",
        "done": "yes" if action.is_done else "no",
    }


def action_add(
    *,
    commitment: PledgeCommitment,
    by,
    description: str,
    owner: str = "",
    due_on: dt.date | None = None,
) -> PledgeAction:
    if not description.strip():
        raise ServiceError("Say what the action is.")
    with transaction.atomic():
        action = PledgeAction.objects.create(
            commitment=commitment,
            description=description.strip(),
            owner=owner.strip(),
            due_on=due_on,
            created_by=by,
        )
        CommitmentChange.objects.create(
            commitment=commitment,
            kind=CommitmentChangeKind.ACTION_ADDED,
            version=commitment.version,
            action=action,
            changed_by=by,
            changes=[
                {"field": name, "label": ACTION_FIELDS[name], "before": "", "after": value}
                for name, value in _action_values(action).items()
                if name != "done"
            ],
        )
    return action


class ActionConflict(ServiceError):
    """Someone saved the action after the editor opened it. ``changes`` lists the history
    entries saved to it since (newest first), so the editor sees who changed what."""

    def __init__(self, message: str, *, current: PledgeAction, changes: list):
        super().__init__(message)
        self.current = current
        self.changes = changes


def action_update(
    *,
    action: PledgeAction,
    by,
    description: str,
    owner: str,
    due_on: dt.date | None,
    done: bool,
    version: int,
) -> PledgeAction:
    """Save the action if nobody else saved it since ``version``; keep the old values.

    As for the commitment: the UPDATE only matches while the row still has ``version``, so
    the second of two editors who opened the same version is refused with what the first one
    changed. A save that changes nothing writes nothing and keeps the version, so every
    version after the first has exactly one history entry.
    """
    if not description.strip():
        raise ServiceError("Say what the action is.")
    with transaction.atomic():
        locked = PledgeAction.objects.select_for_update().get(pk=action.pk)
        before = _action_values(locked)
        if done and locked.done_at is None:
            done_at = timezone.now()
        elif done:
            done_at = locked.done_at
        else:
            done_at = None
        proposed = PledgeAction(
            description=description.strip(), owner=owner.strip(), due_on=due_on, done_at=done_at
        )
        after = _action_values(proposed)
        changes = [
            {"field": name, "label": ACTION_FIELDS[name], "before": before[name], "after": value}
            for name, value in after.items()
            if before[name] != value
        ]
        if not changes:
            return locked
        updated = PledgeAction.objects.filter(pk=action.pk, version=version).update(
            description=proposed.description,
            owner=proposed.owner,
            due_on=due_on,
            done_at=done_at,
            version=F("version") + 1,
            updated_at=timezone.now(),
        )
        if not updated:
            raise ActionConflict(
                "Someone else saved this action after you opened it, so your changes were not "
                "saved. Their changes are shown below; your text is still in the form: check "
                "it against theirs and save again.",
                current=locked,
                # One entry per version since the editor's (see the docstring).
                changes=list(
                    CommitmentChange.objects.filter(
                        action=locked, kind=CommitmentChangeKind.ACTION_CHANGED
                    ).select_related("changed_by")[: max(locked.version - version, 0)]
                ),
            )
        CommitmentChange.objects.create(
            commitment_id=locked.commitment_id,
            kind=CommitmentChangeKind.ACTION_CHANGED,
            version=locked.commitment.version,
            action=locked,
            changed_by=by,
            changes=[{"action": after["description"], **change} for change in changes],
        )
    locked.refresh_from_db()
    return locked


# --- Shared practices --------------------------------------------------------------------------


@dataclass(frozen=True)
class PracticeData:
    title: str
    summary: str
    body: str
    topics: list[str]
    anonymous: bool


def _check_practice(data: PracticeData) -> None:
    if not data.topics:
        raise ServiceError("Choose at least one topic.")
    unknown = set(data.topics) - set(PracticeTopic.values)
    if unknown:
        raise ServiceError(f"Unknown topics: {', '.join(sorted(unknown))}.")


def practice_create(*, organisation, by, data: PracticeData) -> Practice:
    _check_practice(data)
    return Practice.objects.create(
        organisation=organisation,
        title=data.title.strip(),
        summary=data.summary.strip(),
        body=data.body,
        topics=sorted(set(data.topics), key=PracticeTopic.values.index),
        anonymous=data.anonymous,
        created_by=by,
    )


def practice_update(*, practice: Practice, by, data: PracticeData) -> Practice:
    """Edit a practice. A published one goes back to review: staff see what is published."""
    _check_practice(data)
    with transaction.atomic():
        locked = Practice.objects.select_for_update().get(pk=practice.pk)
        locked.title = data.title.strip()
        locked.summary = data.summary.strip()
        locked.body = data.body
        locked.topics = sorted(set(data.topics), key=PracticeTopic.values.index)
        locked.anonymous = data.anonymous
        if locked.status in (PracticeStatus.PUBLISHED, PracticeStatus.SUBMITTED):
            locked.status = PracticeStatus.SUBMITTED
            locked.submitted_at = timezone.now()
            locked.is_public = False
            locked.published_at = None
        locked.save()
    return locked


def practice_submit(*, practice: Practice, by) -> Practice:
    updated = Practice.objects.filter(
        pk=practice.pk, status__in=[PracticeStatus.DRAFT, PracticeStatus.RETURNED]
    ).update(status=PracticeStatus.SUBMITTED, submitted_at=timezone.now())
    if not updated:
        raise ServiceError("This practice is already waiting for review or published.")
    practice.refresh_from_db()
    return practice


def practice_approve(*, practice: Practice, by) -> Practice:
    now = timezone.now()
    updated = Practice.objects.filter(pk=practice.pk, status=PracticeStatus.SUBMITTED).update(
        status=PracticeStatus.PUBLISHED,
        published_at=now,
        reviewed_at=now,
        reviewed_by=by,
        review_comment="",
    )
    if not updated:
        raise ServiceError("Only a practice waiting for review can be approved.")
    practice.refresh_from_db()
    return practice


def practice_return(*, practice: Practice, by, comment: str) -> Practice:
    comment = comment.strip()
    if not comment:
        raise ServiceError("Say what the signatory should change.")
    now = timezone.now()
    updated = Practice.objects.filter(pk=practice.pk, status=PracticeStatus.SUBMITTED).update(
        status=PracticeStatus.RETURNED, reviewed_at=now, reviewed_by=by, review_comment=comment
    )
    if not updated:
        raise ServiceError("Only a practice waiting for review can be returned.")
    practice.refresh_from_db()
    return practice


def practice_set_public(*, practice: Practice, by, public: bool) -> Practice:
    updated = Practice.objects.filter(pk=practice.pk, status=PracticeStatus.PUBLISHED).update(
        is_public=public
    )
    if not updated:
        raise ServiceError("Only a published practice can be made public.")
    practice.refresh_from_db()
    return practice

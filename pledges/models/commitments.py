from __future__ import annotations

from django.conf import settings
from django.db import models

from charter.models import Pledge
from signatories.models import Organisation


class ProgressStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    EMBEDDED = "embedded", "Embedded"


class PledgeCommitment(models.Model):
    """An organisation's commitment to one of the five pledges, created when it signs."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="commitments"
    )
    pledge = models.ForeignKey(Pledge, on_delete=models.PROTECT, related_name="commitments")
    public_statement = models.TextField(max_length=2000, blank=True)
    progress_status = models.CharField(
        max_length=20, choices=ProgressStatus.choices, default=ProgressStatus.NOT_STARTED
    )
    progress_summary = models.TextField(max_length=1000, blank=True)
    accepted_at = models.DateTimeField()
    updated_at = models.DateTimeField(auto_now=True)
    # Private to the organisation's team.
    evidence_notes = models.TextField(max_length=5000, blank=True)
    evidence_links = models.TextField(
        max_length=5000, blank=True, help_text="One web address a line."
    )
    # Optimistic locking: a save names the version it started from and is refused if another
    # save got there first (pledges.services.commitments.commitment_update).
    version = models.PositiveIntegerField(default=1)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["organisation", "pledge__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "pledge"], name="one_commitment_per_pledge"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.pledge}"


class CommitmentChangeKind(models.TextChoices):
    EDITED = "edited", "Edited"
    REVIEWED = "reviewed", "Reviewed"
    ACTION_ADDED = "action_added", "Action added"
    ACTION_CHANGED = "action_changed", "Action changed"


class CommitmentChange(models.Model):
    """One entry in a commitment's history. Only ever added.

    ``changes`` lists ``{"field", "label", "before", "after"}``: the previous values are kept,
    so every earlier version of the commitment can be read back from its history.
    """

    commitment = models.ForeignKey(
        PledgeCommitment, on_delete=models.CASCADE, related_name="changes"
    )
    kind = models.CharField(max_length=20, choices=CommitmentChangeKind.choices)
    # The commitment's version after this change (edits only bump it).
    version = models.PositiveIntegerField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)
    changes = models.JSONField(default=list)
    # For action entries: the action added or changed, so a refused stale save of an action can
    # list what was saved to it since (pledges.services.commitments.action_update).
    action = models.ForeignKey(
        "PledgeAction", null=True, blank=True, on_delete=models.SET_NULL, related_name="changes"
    )

    class Meta:
        ordering = ["-changed_at", "-id"]
        indexes = [models.Index(fields=["commitment", "version"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.commitment} (version {self.version})"


class PledgeAction(models.Model):
    """A private action an organisation plans towards a pledge."""

    commitment = models.ForeignKey(
        PledgeCommitment, on_delete=models.CASCADE, related_name="actions"
    )
    description = models.CharField("What", max_length=300)
    owner = models.CharField(max_length=200, blank=True)
    due_on = models.DateField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Optimistic locking, as for the commitment: a save names the version it started from and
    # is refused if another save got there first (pledges.services.commitments.action_update).
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["done_at", "due_on", "id"]

    def __str__(self) -> str:
        return self.description

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    @property
    def is_overdue(self) -> bool:
        from django.utils import timezone

        return not self.is_done and self.due_on is not None and self.due_on < timezone.localdate()


class PracticeTopic(models.TextChoices):
    RECRUITMENT = "recruitment", "Attraction and recruitment"
    RETENTION = "retention", "Retention and progression"
    CULTURE = "culture", "Culture"
    DATA = "data", "Data"
    EDUCATION = "education", "Education and outreach"
    OTHER = "other", "Other"


class PracticeStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Waiting for review"
    RETURNED = "returned", "Returned with comments"
    PUBLISHED = "published", "Published"


class Practice(models.Model):
    """A practice one signatory shares with the others (pledge ``practice``).

    Staff review it before it reaches the library; staff may also make it public.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="practices"
    )
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=500)
    body = models.TextField(max_length=20000, help_text="Markdown")
    # Codes from PracticeTopic; a JSON list so it works on SQLite and PostgreSQL alike.
    topics = models.JSONField(default=list)
    anonymous = models.BooleanField(default=False)
    status = models.CharField(
        max_length=10, choices=PracticeStatus.choices, default=PracticeStatus.DRAFT
    )
    is_public = models.BooleanField(default=False)
    review_comment = models.TextField(max_length=2000, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-published_at", "-created_at"]
        indexes = [models.Index(fields=["status", "published_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(is_public=False) | models.Q(status="published"),
                name="practice_public_only_when_published",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def shared_by(self) -> str:
        return "An anonymous signatory" if self.anonymous else self.organisation.public_name

    def topic_labels(self) -> list[str]:
        return [PracticeTopic(code).label for code in self.topics if code in PracticeTopic.values]

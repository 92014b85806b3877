from __future__ import annotations

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

    class Meta:
        ordering = ["organisation", "pledge__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "pledge"], name="one_commitment_per_pledge"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.pledge}"

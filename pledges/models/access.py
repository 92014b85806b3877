"""The log of every staff look at raw diversity figures (UK GDPR special-category data)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from pledges.models.cycles import ReportingCycle
from signatories.models import Organisation


class RawDataAccessKind(models.TextChoices):
    VIEW_RETURN = "view_return", "Viewed a return"
    VIEW_QUEUE = "view_queue", "Viewed the outlier queue"
    DOWNLOAD_EXPORT = "download_export", "Downloaded the cycle's returns"
    DOWNLOAD_RECEIPT = "download_receipt", "Downloaded a receipt"


class RawDataAccess(models.Model):
    """One staff view or download of raw figures: who, when, which organisation or cycle.

    Only ever added (a PostgreSQL trigger refuses UPDATE and DELETE, migration 0004); written by
    pledges.raw_access.record_raw_access in the same request that shows the figures.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    kind = models.CharField(max_length=20, choices=RawDataAccessKind.choices)
    cycle = models.ForeignKey(
        ReportingCycle, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    path = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "raw data accesses"

    def __str__(self) -> str:
        return f"{self.user} {self.get_kind_display()} at {self.at:%Y-%m-%d %H:%M}"

"""The yearly reporting cycle (pledge 5), its staff record, exemptions and compliance decisions."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from signatories.models import Organisation


class CycleStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"
    PUBLISHED = "published", "Published"


def default_days_before_close() -> list[int]:
    return [28, 14, 7, 2, 0]


def default_days_after_close() -> list[int]:
    return [1, 14]


def default_window(year: int) -> tuple[dt.date, dt.date]:
    """The snapshot window a cycle gets unless staff choose another: 1 March – 30 September."""
    return dt.date(year, 3, 1), dt.date(year, 9, 30)


class ReportingCycle(models.Model):
    """One year's data collection: ``draft → open → closed → published``.

    Returns are accepted while it is open, until ``closes_on`` (inclusive) or an organisation's
    own later deadline (a grace extension or a staff reopen, on its DataReturn).
    """

    year = models.PositiveSmallIntegerField(unique=True)
    status = models.CharField(max_length=10, choices=CycleStatus.choices, default="draft")
    # The staff headcount date of every return must fall inside the window.
    window_starts_on = models.DateField()
    window_ends_on = models.DateField()
    opens_on = models.DateField()
    closes_on = models.DateField()
    introduction = models.TextField(max_length=5000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # The reminder schedule, in days before and after the closing date (0 = on the day). Staff
    # may change it until the cycle opens; each organisation counts from its own deadline.
    reminder_days_before = models.JSONField(default=default_days_before_close)
    reminder_days_after = models.JSONField(default=default_days_after_close)

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(window_starts_on__lte=F("window_ends_on")),
                name="cycle_window_in_order",
            ),
            models.CheckConstraint(
                condition=Q(opens_on__lte=F("closes_on")), name="cycle_opens_before_closing"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} data collection"

    @property
    def accepts_returns(self) -> bool:
        return self.status == CycleStatus.OPEN


class CycleEventKind(models.TextChoices):
    CREATED = "created", "Created"
    EDITED = "edited", "Edited"
    OPENED = "opened", "Opened"
    EXTENDED = "extended", "Closing date extended"
    CLOSED = "closed", "Closed"
    PUBLISHED = "published", "Published"
    EXEMPTED = "exempted", "Organisation exempted"
    EXEMPTION_REMOVED = "exemption_removed", "Exemption removed"
    REOPENED = "reopened", "Return reopened"
    GRACE_GRANTED = "grace_granted", "Grace extension granted"
    GRACE_REFUSED = "grace_refused", "Grace extension refused"
    ACCEPTED = "accepted", "Warnings accepted"
    QUERIED = "queried", "Return queried"
    EXCLUDED = "excluded", "Excluded from the report"
    INCLUDED = "included", "Included in the report again"
    IMPORTED = "imported", "Returns imported"
    EXPORTED = "exported", "Returns exported"
    ERASED = "erased", "Detailed figures erased"
    REMINDERS_SCHEDULED = "reminders_scheduled", "Reminder schedule changed"


class CycleEvent(models.Model):
    """One staff action on a cycle or on one organisation's part of it: who, when, what, why.

    Only ever added: a PostgreSQL trigger refuses UPDATE and DELETE (migration 0004).
    """

    cycle = models.ForeignKey(ReportingCycle, on_delete=models.PROTECT, related_name="events")
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=CycleEventKind.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField(max_length=2000, blank=True)
    # What changed, e.g. {"closes_on": {"before": "2026-10-31", "after": "2026-11-14"}}.
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["cycle", "-at"])]

    def __str__(self) -> str:
        return f"{self.cycle}: {self.get_kind_display()}"


class CycleExemption(models.Model):
    """An organisation staff excused from one cycle, with the reason."""

    cycle = models.ForeignKey(ReportingCycle, on_delete=models.PROTECT, related_name="exemptions")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="cycle_exemptions"
    )
    reason = models.TextField(max_length=2000)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "organisation"], name="one_exemption_per_cycle"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} exempt from {self.cycle.year}"


class ComplianceDecisionKind(models.TextChoices):
    SUSPEND = "suspend", "Suspended"
    ANOTHER_CHANCE = "another_chance", "Given another chance"


class ComplianceDecision(models.Model):
    """Staff's decision on an organisation proposed for delisting after ``cycle`` (the second
    missed cycle in a row). "Another chance" stops the proposal until it misses again."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="compliance_decisions"
    )
    cycle = models.ForeignKey(ReportingCycle, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=ComplianceDecisionKind.choices)
    reason = models.TextField(max_length=2000)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.get_kind_display()} after {self.cycle.year}"

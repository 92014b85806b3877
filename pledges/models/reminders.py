"""Reminders: what the scheduled sweep claimed, the emails it sent, and who asked for fewer.

A *claim* is one fact: "this reminder (kind), for this subject, at this step, goes to this
person". Its unique constraint is the whole exactly-once guarantee: a sweep inserts claims with
``ON CONFLICT DO NOTHING``, so a claim that exists, whoever wrote it and whenever, is never sent
again, even when two sweeps run at the same moment.

A *delivery* is one email. A person who is admin or data contact of several organisations gets
one email per step listing all of them, so one delivery carries several claims. The delivery
holds the sending state: ``queued → sending → sent | failed`` (or ``skipped`` when, at send
time, the reason to send has gone: the return was submitted in the meantime).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from pledges.models.cycles import ReportingCycle
from signatories.models import Organisation


class ReminderKind(models.TextChoices):
    DATA_INVITATION = "data_invitation", "Data collection open"
    DATA_DUE = "data_due", "Data return due soon"
    DATA_OVERDUE = "data_overdue", "Data return overdue"
    DATA_DELISTING = "data_delisting", "Delisting proposed"
    REPRESENTATIVE_RECONFIRM = "representative_reconfirm", "Representative yearly confirmation"
    REPRESENTATIVE_UNCONFIRMED = "representative_unconfirmed", "Representative did not confirm"
    INVITATION_EXPIRING = "invitation_expiring", "Team invitation about to expire"
    JOIN_REQUEST_WAITING = "join_request_waiting", "Join request waiting"
    PLEDGE_REVIEW = "pledge_review", "Pledge not reviewed for a year"
    STAFF_DIGEST = "staff_digest", "Staff daily digest"
    REPORT_PUBLISHED = "report_published", "Benchmarking report published"


# Optional emails can be switched off (account settings, one-click unsubscribe). Everything
# else carries a deadline or a link someone must act on, so it cannot be, and says so.
OPTIONAL_KINDS = frozenset({ReminderKind.PLEDGE_REVIEW, ReminderKind.STAFF_DIGEST})


def kind_is_optional(kind: str) -> bool:
    return kind in OPTIONAL_KINDS


class DeliveryState(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    SKIPPED = "skipped", "Not needed any more"


class ReminderDelivery(models.Model):
    """One email to one person, carrying one or more claims of the same kind and step."""

    kind = models.CharField(max_length=30, choices=ReminderKind.choices)
    step = models.CharField(max_length=60)
    recipient = models.EmailField()
    state = models.CharField(
        max_length=10, choices=DeliveryState.choices, default=DeliveryState.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField()
    # Set when a worker starts an attempt: a delivery "sending" for more than 15 minutes
    # belongs to a worker that died, and the sweep queues it again.
    sending_since = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    subject_line = models.CharField(max_length=300, blank=True)
    last_error = models.TextField(blank=True)
    skipped_reason = models.CharField(max_length=200, blank=True)
    # Staff may retry a failed delivery once from the delivery log.
    retried_at = models.DateTimeField(null=True, blank=True)
    retried_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-claimed_at", "-id"]
        indexes = [
            models.Index(fields=["state", "sending_since"], name="delivery_state_since"),
            models.Index(fields=["-claimed_at", "-id"], name="delivery_log_order"),
            models.Index(fields=["kind", "-claimed_at"], name="delivery_kind_log"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.step}) to {self.recipient}: {self.state}"

    @property
    def is_optional(self) -> bool:
        return kind_is_optional(self.kind)

    @property
    def can_be_retried(self) -> bool:
        return self.state == DeliveryState.FAILED and self.retried_at is None


class ReminderClaim(models.Model):
    """What was claimed, exactly once: (kind, subject, step, recipient) is unique.

    ``subject`` names the thing the reminder is about in a stable text form, e.g.
    ``cycle:12:organisation:45``, ``representative:7``, ``invitation:9``; ``step`` names the
    point of its schedule, including the date it is counted from where that can move (a grace
    extension moves an organisation's deadline, and the steps before the new one are new facts).
    """

    delivery = models.ForeignKey(
        ReminderDelivery, on_delete=models.PROTECT, related_name="claims", null=True
    )
    kind = models.CharField(max_length=30, choices=ReminderKind.choices)
    subject = models.CharField(max_length=100)
    step = models.CharField(max_length=60)
    recipient = models.EmailField()
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cycle = models.ForeignKey(
        ReportingCycle, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    claimed_at = models.DateTimeField()

    class Meta:
        ordering = ["-claimed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "subject", "step", "recipient"], name="reminder_claimed_once"
            )
        ]
        indexes = [
            models.Index(fields=["organisation", "-claimed_at"], name="claim_by_organisation"),
            models.Index(fields=["subject"], name="claim_by_subject"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.subject} {self.step} → {self.recipient}"


class ReminderPause(models.Model):
    """Staff paused every reminder to one organisation (with why); ended when they resume."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="reminder_pauses"
    )
    reason = models.TextField(max_length=2000)
    paused_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    paused_at = models.DateTimeField()
    resumed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resumed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-paused_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(resumed_at__isnull=True),
                name="one_open_reminder_pause",
            )
        ]

    def __str__(self) -> str:
        return f"Reminders paused for {self.organisation}"


class EmailOptOut(models.Model):
    """A person switched off one optional kind of email (account settings or unsubscribe link)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_opt_outs"
    )
    kind = models.CharField(max_length=30, choices=ReminderKind.choices)
    at = models.DateTimeField()
    via_link = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_opt_out_per_kind"),
            models.CheckConstraint(
                # Sorted: a frozenset's order changes from one process to the next (string hashing
                # is randomised), and makemigrations would see a new constraint every time.
                condition=Q(kind__in=sorted(kind.value for kind in OPTIONAL_KINDS)),
                name="opt_out_only_optional_kinds",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} opted out of {self.kind}"

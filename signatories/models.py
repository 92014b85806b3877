from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from signatories.choices import (
    MemberRole,
    OrganisationStatus,
    OrganisationType,
    Region,
    Sector,
    SizeBand,
)


class Organisation(models.Model):
    """A signatory of the charter. Never deleted: organisations that leave are withdrawn."""

    legal_name = models.CharField(max_length=200)
    public_name = models.CharField(max_length=200, help_text="The name used publicly.")
    slug = models.SlugField(max_length=220, unique=True)
    website = models.URLField(max_length=300)
    # The website's registrable host (no "www."), kept for duplicate detection.
    website_domain = models.CharField(max_length=253, db_index=True, editable=False)
    companies_house_number = models.CharField(max_length=8, blank=True, db_index=True)
    organisation_type = models.CharField(max_length=20, choices=OrganisationType.choices)
    sector = models.CharField(max_length=20, choices=Sector.choices)
    size_band = models.CharField(max_length=10, choices=SizeBand.choices)
    region = models.CharField(max_length=20, choices=Region.choices)
    description = models.TextField(max_length=1000, blank=True)
    logo = models.ImageField(upload_to="logos/", blank=True)
    status = models.CharField(
        max_length=10, choices=OrganisationStatus.choices, default=OrganisationStatus.ACTIVE
    )
    signatory_number = models.PositiveIntegerField(unique=True)
    signed_on = models.DateField()
    withdrawn_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["public_name"]
        indexes = [
            models.Index(fields=["status", "public_name"]),
            models.Index(fields=["status", "signed_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=OrganisationStatus.WITHDRAWN) | Q(withdrawn_on__isnull=True),
                name="organisation_withdrawn_on_only_when_withdrawn",
            ),
        ]

    def __str__(self) -> str:
        return self.public_name

    def get_absolute_url(self) -> str:
        return reverse("signatories:profile", kwargs={"slug": self.slug})


class SignatoryNumberSequence(models.Model):
    """A single row holding the last signatory number given out.

    Approval locks this row (SELECT ... FOR UPDATE) and increments it inside the approval's
    transaction: two approvals at the same moment queue on the lock, and a rolled-back approval
    rolls back its number too, so numbers have no gaps and no duplicates.
    """

    last_number = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"last signatory number {self.last_number}"


class Representative(models.Model):
    """The senior representative (pledge ``people``). Each change adds a row; the current one
    has no ``ended_at``. Rows are never edited after they end, so the history is complete."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="representatives"
    )
    full_name = models.CharField(max_length=200)
    job_title = models.CharField(max_length=200)
    email = models.EmailField()
    consent_to_be_named = models.BooleanField(
        default=False, help_text="The representative agrees to be named publicly."
    )
    named_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    named_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    declined_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-named_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(ended_at__isnull=True),
                name="one_current_representative_per_organisation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name}, {self.job_title}"


class Membership(models.Model):
    """A user's place in an organisation's team."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=MemberRole.choices, default=MemberRole.EDITOR)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation", "user"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"], name="one_membership_per_user_and_organisation"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.role}) at {self.organisation}"

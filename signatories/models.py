from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from signatories.choices import (
    APPLICANT_EDITABLE_STATUSES,
    OPEN_APPLICATION_STATUSES,
    ApplicationEventKind,
    ApplicationStatus,
    JoinRequestStatus,
    MemberRole,
    OrganisationStatus,
    OrganisationType,
    Region,
    RejectionReason,
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
    withdrawal_reason = models.TextField(max_length=2000, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Why staff suspended it (shown to the organisation; the record is OrganisationStatusChange).
    suspension_reason = models.TextField(max_length=2000, blank=True)
    suspended_on = models.DateField(null=True, blank=True)
    # The person who will receive the yearly data collection emails (pledge "data").
    data_contact_name = models.CharField(max_length=200, blank=True)
    data_contact_email = models.EmailField(blank=True)
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


class OrganisationStatusChange(models.Model):
    """A staff suspension or reinstatement of an organisation: who, when, why. Only ever added
    (a PostgreSQL trigger refuses UPDATE and DELETE)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="status_changes"
    )
    from_status = models.CharField(max_length=10, choices=OrganisationStatus.choices)
    to_status = models.CharField(max_length=10, choices=OrganisationStatus.choices)
    reason = models.TextField(max_length=2000)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.from_status} → {self.to_status}"


class SignatoryNumberSequence(models.Model):
    """A single row holding the last signatory number given out.

    Approval locks this row (SELECT ... FOR UPDATE) and increments it inside the approval's
    transaction: two approvals at the same moment queue on the lock, and a rolled-back approval
    rolls back its number too, so numbers have no gaps and no duplicates.
    """

    last_number = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"last signatory number {self.last_number}"


class DirectoryCounter(models.Model):
    """A single row counting changes to the organisation table: the public directory's version.

    Database triggers (migration 0005_directory_counter) add one to ``changes`` in the same
    transaction as every INSERT, UPDATE or DELETE on organisations, whoever makes it (a
    service, the admin, ``seed_demo``'s bulk inserts, raw SQL). The new value becomes visible
    exactly when the change does, at commit, which no timestamp can promise: a slow transaction
    stamps ``updated_at`` when it writes, not when it commits. Writers queue on this row's lock
    from their first organisation change to their commit; they are rare (staff approvals,
    profile edits), so the queue is short. Nothing in Python writes it.
    """

    changes = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.changes} changes to the directory"


class DirectoryFacetCount(models.Model):
    """How many active signatories have each filter value (``dimension`` is a directory
    parameter, ``sector``, ``size``, ``region``, ``type`` or ``year``; ``code`` its value), and
    their total (dimension ``total``, code ``""``).

    On PostgreSQL, statement triggers keep it in the same transaction as every change to
    organisations (signatories/directory/facet_counts.py), so it is exact at every commit: the
    unfiltered directory reads its facet counts and total here, in one small query, instead of
    counting every signatory on each first visit after a change. SQLite has no statement
    triggers with transition tables; there the directory counts the rows, as it always did.
    Nothing in Python writes it.
    """

    dimension = models.CharField(max_length=10)
    code = models.CharField(max_length=20)
    count = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["dimension", "code"], name="directory_facet_count_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dimension}={self.code}: {self.count}"


class DirectoryFacetCell(models.Model):
    """How many active signatories share one combination of the five filter values (a cell of
    the directory's data cube): sector, size band, region, type and the year they signed.

    A filtered directory's facet counts are sums over these cells (signatories/directory/
    pages.py), so a filtered page without a search reads a few thousand cells instead of every
    matching signatory: the number of cells is bounded by the code lists and the years, not by
    the number of signatories (about 4,400 cells at 10,000 seeded signatories, 10,700 at
    100,000). On PostgreSQL, statement triggers keep it exact in the same transaction as every
    change to organisations (signatories/directory/facet_counts.py); a cell whose signatories
    all left keeps a count of 0. Nothing in Python writes it; SQLite has none of it and counts
    the rows.
    """

    sector = models.CharField(max_length=20)
    size_band = models.CharField(max_length=10)
    region = models.CharField(max_length=20)
    organisation_type = models.CharField(max_length=20)
    year = models.PositiveSmallIntegerField()
    count = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["sector", "size_band", "region", "organisation_type", "year"],
                name="directory_facet_cell_unique",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.sector}/{self.size_band}/{self.region}/{self.organisation_type}/"
            f"{self.year}: {self.count}"
        )


class DirectorySearchEntry(models.Model):
    """One row per active signatory: its folded search text (``charter_fold(public_name || ' '
    || legal_name)``, what a directory search looks in) and its five filter values.

    A searched page's facet counts read each signatory the search finds; from the organisation
    table that is a heap page per match and charter_fold() computed again on each, from these
    narrow rows (a seventh of the table's size) one LIKE on stored text. Kept by statement
    triggers on PostgreSQL in the same transaction as every change to organisations
    (signatories/directory/facet_counts.py), with a trigram index, so a writer cannot forget
    it, as the search's design requires (signatories/search.py). Changing charter_fold() means
    recounting it, as it means rebuilding the indexes built on the function. Nothing in Python
    writes it; SQLite has none of it.
    """

    organisation_id = models.BigIntegerField(primary_key=True)
    search_text = models.TextField()
    sector = models.CharField(max_length=20)
    size_band = models.CharField(max_length=10)
    region = models.CharField(max_length=20)
    organisation_type = models.CharField(max_length=20)
    year = models.PositiveSmallIntegerField()

    def __str__(self) -> str:
        return self.search_text


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


class Application(models.Model):
    """An organisation's application to sign the charter, from draft to decision."""

    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="applications"
    )
    status = models.CharField(
        max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT
    )
    # The organisation
    legal_name = models.CharField(max_length=200, blank=True)
    public_name = models.CharField(max_length=200, blank=True)
    website = models.URLField(max_length=300, blank=True)
    website_domain = models.CharField(max_length=253, blank=True, db_index=True, editable=False)
    companies_house_number = models.CharField(max_length=8, blank=True, db_index=True)
    organisation_type = models.CharField(
        max_length=20, choices=OrganisationType.choices, blank=True
    )
    sector = models.CharField(max_length=20, choices=Sector.choices, blank=True)
    size_band = models.CharField(max_length=10, choices=SizeBand.choices, blank=True)
    region = models.CharField(max_length=20, choices=Region.choices, blank=True)
    description = models.TextField(max_length=1000, blank=True)
    # The senior representative (pledge "people")
    representative_name = models.CharField(max_length=200, blank=True)
    representative_job_title = models.CharField(max_length=200, blank=True)
    representative_email = models.EmailField(blank=True)
    representative_consents_to_be_named = models.BooleanField(default=False)
    # The data contact, when not the applicant
    data_contact_name = models.CharField(max_length=200, blank=True)
    data_contact_email = models.EmailField(blank=True)
    # The pledges: every one must be accepted before submission
    accepts_people = models.BooleanField(default=False)
    accepts_plan = models.BooleanField(default=False)
    accepts_policies = models.BooleanField(default=False)
    accepts_practice = models.BooleanField(default=False)
    accepts_data = models.BooleanField(default=False)
    plan_statement = models.TextField(max_length=2000, blank=True)
    policies_statement = models.TextField(max_length=2000, blank=True)
    practice_statement = models.TextField(max_length=2000, blank=True)
    applicant_job_title = models.CharField(max_length=200, blank=True)
    # The decision
    organisation = models.OneToOneField(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="application"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["submitted_at", "created_at"]
        indexes = [models.Index(fields=["status", "submitted_at"])]
        constraints = [
            # One open application per applicant: a double click, a refresh or the back button
            # can never create a second one (the database refuses it, whatever the timing).
            models.UniqueConstraint(
                fields=["applicant"],
                condition=Q(status__in=OPEN_APPLICATION_STATUSES),
                name="one_open_application_per_applicant",
            ),
        ]

    def __str__(self) -> str:
        return self.public_name or self.legal_name or f"Application {self.pk}"

    @property
    def is_editable_by_applicant(self) -> bool:
        return self.status in APPLICANT_EDITABLE_STATUSES

    @property
    def is_decided(self) -> bool:
        return self.status in (ApplicationStatus.APPROVED, ApplicationStatus.REJECTED)

    @property
    def age_in_days(self) -> int:
        from django.utils import timezone

        start = self.submitted_at or self.created_at
        return (timezone.now() - start).days


class ApplicationEvent(models.Model):
    """Something that happened to an application. Only ever added, never edited or deleted."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=20, choices=ApplicationEventKind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    message = models.TextField(blank=True)
    rejection_reason = models.CharField(max_length=20, choices=RejectionReason.choices, blank=True)
    # Internal comments are for charter staff only; applicants never see them.
    internal = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} by {self.actor} on {self.created_at:%Y-%m-%d}"


class JoinRequest(models.Model):
    """A user asking to join an organisation that is already a signatory."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="join_requests"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="join_requests"
    )
    job_title = models.CharField(max_length=200)
    message = models.TextField(max_length=1000, blank=True)
    status = models.CharField(
        max_length=10, choices=JoinRequestStatus.choices, default=JoinRequestStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"],
                condition=Q(status="pending"),
                name="one_pending_join_request_per_user_and_organisation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} asks to join {self.organisation}"


class Invitation(models.Model):
    """An admin's invitation for a colleague to join the team, sent as a signed link.

    The link expires (``signatories.services.team.INVITATION_MAX_AGE``) and works once: accepting
    claims the row with a conditional update on ``accepted_at``.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField()
    role = models.CharField(max_length=10, choices=MemberRole.choices, default=MemberRole.EDITOR)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} invited to {self.organisation}"

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.cancelled_at is None

"""An organisation's data return for one cycle, its submitted revisions, grace requests and
staff queries.

The figures are special-category personal data: only the organisation's own members and staff
with ``pledges.view_raw_figures`` may read them, and staff reads are logged (RawDataAccess).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from pledges import returns_rules as rules
from pledges.models.cycles import ReportingCycle
from signatories.models import Organisation


def _count(label: str) -> models.PositiveIntegerField:
    return models.PositiveIntegerField(label, null=True, blank=True)


def _practice(label: str) -> models.BooleanField:
    # None: not answered yet.
    return models.BooleanField(label, null=True, blank=True)


class Figures(models.Model):
    """The figures of a return, shared by the live draft and every immutable revision.

    Field names are those of pledges.returns_rules (COUNT_FIELDS, LENSES, PRACTICES), which
    holds every rule about them. Empty (None) means not given yet, or "not collected" where the
    matching ``*_collected`` flag is off.
    """

    snapshot_date = models.DateField("Snapshot date", null=True, blank=True)
    total_employees = _count("Total employees")
    tech_total = _count("Tech employees")
    tech_women = _count("Women")
    tech_men = _count("Men")
    tech_non_binary = _count("Non-binary or another identity")
    tech_gender_undisclosed = _count("Gender not disclosed")
    ethnicity_collected = models.BooleanField("We collected ethnicity", default=True)
    tech_ethnic_minority = _count("Ethnic minority")
    tech_white = _count("White")
    tech_ethnicity_undisclosed = _count("Ethnicity not disclosed")
    senior_total = _count("Senior tech roles")
    senior_women = _count("Of whom women")
    senior_ethnic_minority = _count("Of whom ethnic minority")
    disabled_collected = models.BooleanField(default=False)
    disabled = _count("Disabled")
    neurodivergent_collected = models.BooleanField(default=False)
    neurodivergent = _count("Neurodivergent")
    low_socioeconomic_collected = models.BooleanField(default=False)
    low_socioeconomic = _count("From a lower socio-economic background")
    trans_collected = models.BooleanField(default=False)
    trans = _count("Trans")
    family_software_total = _count("Software engineering")
    family_software_women = _count("Software engineering: women")
    family_data_total = _count("Data")
    family_data_women = _count("Data: women")
    family_infrastructure_total = _count("Infrastructure and operations")
    family_infrastructure_women = _count("Infrastructure and operations: women")
    family_security_total = _count("Security")
    family_security_women = _count("Security: women")
    family_product_design_total = _count("Product and design")
    family_product_design_women = _count("Product and design: women")
    family_it_support_total = _count("IT support")
    family_it_support_women = _count("IT support: women")
    family_other_total = _count("Other tech roles")
    family_other_women = _count("Other tech roles: women")
    women_on_shortlists = _practice("Women on every shortlist")
    gender_neutral_adverts = _practice("Gender-neutral job adverts")
    structured_interviews = _practice("Structured interviews")
    anonymised_cv_screening = _practice("Anonymised CV screening")
    flexible_working_day_one = _practice("Flexible working from day one")
    returner_programme = _practice("Returner programme")
    schools_outreach = _practice("Outreach to schools and colleges")
    published_pay_gap = _practice("Published pay gap")

    class Meta:
        abstract = True

    def figures(self) -> dict:
        """The figures as the dict pledges.returns_rules reads."""
        return {name: getattr(self, name) for name in FIGURE_FIELDS}


# Every column of Figures, in form order: what a revision copies and an erasure empties.
FIGURE_FIELDS = (
    "snapshot_date",
    *rules.COUNT_FIELDS[:6],
    "ethnicity_collected",
    *rules.ETHNICITY_FIELDS,
    "senior_total",
    *rules.SENIOR_PARTS,
    *(name for lens in rules.LENSES for name in (f"{lens}_collected", lens)),
    *rules.FAMILY_FIELDS,
    *rules.PRACTICES,
)


class ReturnStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"


class Retention(models.TextChoices):
    KEEP = "keep", "Keep our detailed figures for next year's comparisons"
    DELETE = "delete", "Delete our detailed figures once the report is published"


class OutlierStatus(models.TextChoices):
    NONE = "", "No warnings"
    WAITING = "waiting", "Waiting for review"
    QUERIED = "queried", "Queried"
    ANSWERED = "answered", "Answered"
    ACCEPTED = "accepted", "Accepted"


class DataReturn(Figures):
    """The one shared return of an organisation for a cycle.

    Its figures are the live draft; each submission copies them into a new ReturnRevision,
    which is never changed. ``version`` is the optimistic lock of the draft (as for
    commitments): of two members who opened version 3, the later save is refused.
    """

    cycle = models.ForeignKey(ReportingCycle, on_delete=models.PROTECT, related_name="returns")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="data_returns"
    )
    status = models.CharField(max_length=10, choices=ReturnStatus.choices, default="draft")
    version = models.PositiveIntegerField(default=1)
    # The organisation's own deadline when later than the cycle's closing date: a granted grace
    # extension. Returns submitted after their deadline are late.
    grace_until = models.DateField(null=True, blank=True)
    # A staff reopen after the deadline: the return may be changed until this date, but a
    # submission then is late.
    reopened_until = models.DateField(null=True, blank=True)
    reopen_reason = models.TextField(max_length=2000, blank=True)
    first_submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revision_count = models.PositiveIntegerField(default=0)
    # Late: the first submission came after the organisation's deadline (the reason is asked).
    is_late = models.BooleanField(default=False)
    late_reason = models.TextField(max_length=2000, blank=True)
    retention = models.CharField(max_length=10, choices=Retention.choices, default="keep")
    # Warnings of the latest revision, with the submitter's notes: [{field, code, message,
    # note}]. The outlier queue lists submitted returns whose outlier_status is not "".
    warnings = models.JSONField(default=list, blank=True)
    outlier_status = models.CharField(
        max_length=10, choices=OutlierStatus.choices, default="", blank=True
    )
    excluded_from_report = models.BooleanField(default=False)
    exclusion_reason = models.TextField(max_length=2000, blank=True)
    # Set when the figures were erased at the organisation's request (retention "delete").
    figures_erased_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["cycle", "organisation"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "organisation"], name="one_return_per_cycle"),
        ]
        indexes = [
            models.Index(fields=["cycle", "status"]),
            models.Index(fields=["cycle", "outlier_status"]),
            # The latest change to a cycle's returns, read by the cycle page's progress cache.
            models.Index(fields=["cycle", "updated_at"], name="datareturn_cycle_changed"),
            # The outlier queue, oldest submission first: a few hundred rows of tens of
            # thousands, read and counted without scanning the (wide) returns table.
            models.Index(
                fields=["submitted_at", "id"],
                condition=models.Q(
                    status="submitted", outlier_status__in=["waiting", "queried", "answered"]
                ),
                name="datareturn_outlier_queue",
            ),
            # The cycle page's list of returns staff reopened: a handful among thousands.
            models.Index(
                fields=["cycle"],
                condition=models.Q(reopened_until__isnull=False),
                name="datareturn_reopened",
            ),
        ]
        permissions = [("view_raw_figures", "View raw diversity data")]

    def __str__(self) -> str:
        return f"{self.organisation} {self.cycle.year} return"

    @property
    def is_submitted(self) -> bool:
        return self.status == ReturnStatus.SUBMITTED

    @property
    def reference(self) -> str:
        """The latest receipt reference, e.g. ``2026-123-r2``."""
        return revision_reference(
            self.cycle.year, self.organisation.signatory_number, self.revision_count
        )


def revision_reference(year: int, signatory_number: int, number: int) -> str:
    return f"{year}-{signatory_number}-r{number}"


class RevisionSource(models.TextChoices):
    FORM = "form", "Submitted online"
    IMPORT = "import", "Imported"


class ReturnRevision(Figures):
    """Exactly what was submitted, once. Never edited or deleted: a PostgreSQL trigger refuses
    both, except the erasure an organisation asked for (pledges.retention), which empties the
    figures and sets ``erased_at`` inside a transaction that declares it."""

    data_return = models.ForeignKey(DataReturn, on_delete=models.PROTECT, related_name="revisions")
    number = models.PositiveIntegerField()
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField()
    source = models.CharField(max_length=10, choices=RevisionSource.choices, default="form")
    is_late = models.BooleanField(default=False)
    late_reason = models.TextField(max_length=2000, blank=True)
    retention = models.CharField(max_length=10, choices=Retention.choices, default="keep")
    # [{field, code, message, note}] as shown when it was submitted.
    warnings = models.JSONField(default=list, blank=True)
    # [{field, label, before, after}] against the previous revision (empty for the first).
    changes = models.JSONField(default=list, blank=True)
    erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["data_return", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["data_return", "number"], name="one_revision_number_per_return"
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return revision_reference(
            self.data_return.cycle.year,
            self.data_return.organisation.signatory_number,
            self.number,
        )


class GraceStatus(models.TextChoices):
    PENDING = "pending", "Waiting for a decision"
    GRANTED = "granted", "Granted"
    REFUSED = "refused", "Refused"


class GraceRequest(models.Model):
    """An organisation's request for more time: once per cycle, up to 28 days."""

    MAX_DAYS = 28

    data_return = models.OneToOneField(
        DataReturn, on_delete=models.PROTECT, related_name="grace_request"
    )
    days = models.PositiveSmallIntegerField()
    reason = models.TextField(max_length=2000)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=GraceStatus.choices, default="pending")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(max_length=2000, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(days__gte=1, days__lte=28), name="grace_days_1_to_28"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.data_return}: {self.days} days ({self.get_status_display()})"


class ReturnQuery(models.Model):
    """A staff question about a submitted return's warnings, and the organisation's answer."""

    data_return = models.ForeignKey(DataReturn, on_delete=models.PROTECT, related_name="queries")
    message = models.TextField(max_length=4000)
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    asked_at = models.DateTimeField(auto_now_add=True)
    answer = models.TextField(max_length=4000, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    # Set when the organisation amended the return instead of (or as well as) answering.
    answered_by_revision = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-asked_at", "-id"]

    def __str__(self) -> str:
        return f"Query on {self.data_return}"

    @property
    def is_open(self) -> bool:
        return self.answered_at is None

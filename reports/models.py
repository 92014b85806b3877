"""The annual benchmarking report: one row per generated version of a cycle's report.

A cycle has at most one unpublished draft at a time (regenerated in place as often as staff
like) and any number of published versions: publishing freezes the draft's cells, content and
PDF, and a correction is a new version generated and published with a visible correction note.
Earlier versions stay downloadable. Everything public is served from these frozen rows, never
recomputed, so an erasure or a late amendment afterwards changes nothing published.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from pledges.models.cycles import ReportingCycle


class ReportState(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    READY = "ready", "Ready to preview"
    FAILED = "failed", "Failed"
    PUBLISHED = "published", "Published"


class BenchmarkReport(models.Model):
    cycle = models.ForeignKey(ReportingCycle, on_delete=models.PROTECT, related_name="reports")
    version = models.PositiveSmallIntegerField(default=1)
    state = models.CharField(max_length=10, choices=ReportState.choices, default="queued")
    error = models.TextField(blank=True)
    foreword = models.TextField(max_length=10000, blank=True)
    # Shown on every page of a corrected version (version 2 onwards), and in the versions list.
    correction_note = models.TextField(max_length=2000, blank=True)
    # The open-data cells (reports.aggregation.benchmarks.benchmarks_compute) and everything
    # else the report shows (previous year, signatory base, same organisations year on year,
    # contributors' names), both JSON, frozen at publication.
    cells = models.JSONField(null=True, blank=True)
    content = models.JSONField(null=True, blank=True)
    # The generation job renders both: the draft-marked PDF staff preview, and the final one
    # that publication freezes (so publishing is instant and serves exactly what was previewed).
    pdf = models.FileField(upload_to="reports/", blank=True)
    preview_pdf = models.FileField(upload_to="reports/previews/", blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-cycle__year", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "version"], name="report_version_once"),
            models.UniqueConstraint(
                fields=["cycle"],
                condition=Q(published_at__isnull=True),
                name="one_draft_report_per_cycle",
            ),
            models.CheckConstraint(
                condition=Q(published_at__isnull=True) | Q(state="published"),
                name="published_report_has_published_state",
            ),
        ]
        indexes = [
            models.Index(
                fields=["cycle", "-version"],
                condition=Q(published_at__isnull=False),
                name="published_report_versions",
            )
        ]

    def __str__(self) -> str:
        return f"{self.cycle.year} benchmarking report, version {self.version} ({self.state})"

    @property
    def year(self) -> int:
        return self.cycle.year

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def is_correction(self) -> bool:
        return self.version > 1

"""Emails sent because something happened rather than because a date came: a benchmarking report
published. They go through the reminders' claims and deliveries (``sweep.claims_send``), so each
person gets one email listing their organisations, exactly once, with the same delivery log,
retries and failure handling as every reminder. They are essential: no opt-out."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from pledges.models import ReminderKind
from pledges.services.reminders.candidates import Candidates, admin_emails
from pledges.services.reminders.sweep import SweepResult, claims_send
from signatories.choices import OrganisationStatus
from signatories.models import Organisation


def report_subject(*, year: int, organisation_id: int) -> str:
    return f"report:{year}:organisation:{organisation_id}"


def report_published_announce(
    *, year: int, version: int, at: dt.datetime | None = None
) -> SweepResult:
    """Tell every active signatory's admins and data contact that the ``year`` report (this
    ``version``: 2 onwards is a correction) is out, with a link to their own benchmark."""
    found = Candidates()
    admins = admin_emails()
    active = Organisation.objects.filter(status=OrganisationStatus.ACTIVE)
    for organisation_id, name, data_contact in active.values_list(
        "id", "public_name", "data_contact_email"
    ):
        found.names[organisation_id] = name
        found.add(
            kind=ReminderKind.REPORT_PUBLISHED,
            subject=report_subject(year=year, organisation_id=organisation_id),
            step=f"published:v{version}",
            recipients={data_contact, *admins.get(organisation_id, ())},
            organisation_id=organisation_id,
        )
    return claims_send(found, at=at or timezone.now())

"""An organisation's own settings (its public profile, its data contact, withdrawing it) and
staff suspension and reinstatement."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from charter.emails import email_queue_from_templates
from charter.permissions import CHARTER_STAFF_GROUP
from signatories.choices import OrganisationStatus
from signatories.domains import website_domain
from signatories.models import Organisation, OrganisationStatusChange
from signatories.services import ServiceError
from signatories.services.logos import PreparedLogo

PROFILE_FIELDS = ("public_name", "description", "website", "sector", "size_band", "region")


def organisation_profile_update(
    *, organisation: Organisation, by, data: dict, logo: PreparedLogo | None = None
) -> Organisation:
    with transaction.atomic():
        locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
        for name in PROFILE_FIELDS:
            setattr(locked, name, data[name])
        locked.website_domain = website_domain(locked.website)
        update_fields = [*PROFILE_FIELDS, "website_domain", "updated_at"]
        if logo is not None:
            old_name = locked.logo.name
            # The storage picks a free name; the slug keeps it recognisable.
            locked.logo.save(f"{locked.slug}.{logo.extension}", logo.content, save=False)
            update_fields.append("logo")
            if old_name:
                storage = locked.logo.storage
                transaction.on_commit(lambda: storage.delete(old_name))
        locked.save(update_fields=update_fields)
    return locked


def organisation_data_contact_update(
    *, organisation: Organisation, by, name: str, email: str
) -> Organisation:
    updated = Organisation.objects.filter(pk=organisation.pk)
    updated.update(
        data_contact_name=name.strip(),
        data_contact_email=email.strip().lower(),
        updated_at=timezone.now(),
    )
    organisation.refresh_from_db()
    return organisation


def organisation_withdraw(*, organisation: Organisation, by, reason: str) -> Organisation:
    """Take the organisation off the charter. Nothing is deleted; charter staff are told."""
    reason = reason.strip()
    if not reason:
        raise ServiceError("Tell us why the organisation is leaving the charter.")
    with transaction.atomic():
        locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
        if locked.status == OrganisationStatus.WITHDRAWN:
            raise ServiceError(f"{locked} has already left the charter.")
        locked.status = OrganisationStatus.WITHDRAWN
        locked.withdrawn_on = timezone.localdate()
        locked.withdrawal_reason = reason
        locked.withdrawn_by = by
        locked.save(
            update_fields=[
                "status",
                "withdrawn_on",
                "withdrawal_reason",
                "withdrawn_by",
                "updated_at",
            ]
        )
        staff_emails = list(
            get_user_model()
            .objects.filter(groups__name=CHARTER_STAFF_GROUP, is_active=True)
            .values_list("email", flat=True)
        )
        if staff_emails:
            email_queue_from_templates(
                to=staff_emails,
                template="organisation_withdrawn",
                context={
                    "organisation": locked,
                    "by": by,
                    "reason": reason,
                    "profile_url": settings.SITE_URL + locked.get_absolute_url(),
                },
            )
    return locked


def organisation_suspend(*, organisation: Organisation, by, reason: str) -> Organisation:
    """Suspend an active organisation: it leaves the public directory and its profile (the
    directory's counts follow by trigger, signatories/directory/facet_counts.py), and its team
    sees ``reason`` on the dashboard. Recorded as an OrganisationStatusChange."""
    return _organisation_status_change(
        organisation=organisation,
        by=by,
        reason=reason,
        from_status=OrganisationStatus.ACTIVE,
        to_status=OrganisationStatus.SUSPENDED,
        refused="Only an active organisation can be suspended.",
    )


def organisation_reinstate(*, organisation: Organisation, by, reason: str) -> Organisation:
    """Lift a suspension: the organisation is listed again and the reason leaves its dashboard
    (the record keeps it)."""
    return _organisation_status_change(
        organisation=organisation,
        by=by,
        reason=reason,
        from_status=OrganisationStatus.SUSPENDED,
        to_status=OrganisationStatus.ACTIVE,
        refused="Only a suspended organisation can be reinstated.",
    )


def _organisation_status_change(
    *, organisation: Organisation, by, reason: str, from_status: str, to_status: str, refused: str
) -> Organisation:
    reason = reason.strip()
    if not reason:
        raise ServiceError("Give the reason: it is recorded, and the organisation sees it.")
    with transaction.atomic():
        locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
        if locked.status != from_status:
            raise ServiceError(refused)
        suspending = to_status == OrganisationStatus.SUSPENDED
        locked.status = to_status
        locked.suspension_reason = reason if suspending else ""
        locked.suspended_on = timezone.localdate() if suspending else None
        locked.save(update_fields=["status", "suspension_reason", "suspended_on", "updated_at"])
        OrganisationStatusChange.objects.create(
            organisation=locked, from_status=from_status, to_status=to_status, reason=reason, by=by
        )
    return locked

"""An organisation's own settings: its public profile, its data contact, withdrawing it."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from charter.emails import email_queue_from_templates
from charter.permissions import CHARTER_STAFF_GROUP
from signatories.choices import OrganisationStatus
from signatories.domains import website_domain
from signatories.models import Organisation
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

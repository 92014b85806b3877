"""The senior representative (pledge ``people``): naming a new one, and their answer.

A change never edits a row: the current representative's row is ended and a new one added, so
the history of who named whom, when, and when they confirmed stays complete. The named person
answers from a signed link, without an account.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from charter.emails import email_queue_from_templates
from signatories.choices import MemberRole
from signatories.models import Membership, Organisation, Representative
from signatories.services import ServiceError

CONFIRMATION_SALT = "charter.representative"
CONFIRMATION_MAX_AGE = 30 * 24 * 60 * 60  # seconds: 30 days
# The pledge asks for a representative confirmed every year.
CONFIRMATION_VALID_FOR = dt.timedelta(days=365)


class ConfirmationLinkError(ServiceError):
    def __init__(self, message: str, *, reason: str, representative=None):
        super().__init__(message)
        self.reason = reason
        self.representative = representative


def representative_confirmation_state(representative: Representative | None) -> str:
    """One of: missing, declined, unconfirmed, expired (confirmed over a year ago), confirmed."""
    if representative is None:
        return "missing"
    if representative.declined_at:
        return "declined"
    if not representative.confirmed_at:
        return "unconfirmed"
    if representative.confirmed_at < timezone.now() - CONFIRMATION_VALID_FOR:
        return "expired"
    return "confirmed"


def confirmation_token(representative: Representative) -> str:
    return signing.dumps({"representative": representative.pk}, salt=CONFIRMATION_SALT)


def confirmation_url(representative: Representative) -> str:
    return settings.SITE_URL + reverse(
        "workspace:representative_answer",
        kwargs={"token": confirmation_token(representative)},
    )


def _email_confirmation_request(representative: Representative, *, named_by) -> None:
    email_queue_from_templates(
        to=[representative.email],
        template="representative_confirm",
        context={
            "representative": representative,
            "organisation": representative.organisation,
            "named_by": named_by,
            "confirm_url": confirmation_url(representative),
            "days": CONFIRMATION_MAX_AGE // (24 * 60 * 60),
        },
    )


def representative_change(
    *,
    organisation: Organisation,
    by,
    full_name: str,
    job_title: str,
    email: str,
    consent_to_be_named: bool,
) -> Representative:
    """End the current representative and name a new one, who is emailed a link to confirm."""
    with transaction.atomic():
        # Lock the organisation so two admins naming someone at once cannot both end "the
        # current" row; the unique constraint would refuse the second anyway, less politely.
        Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
        now = timezone.now()
        Representative.objects.filter(organisation=organisation, ended_at__isnull=True).update(
            ended_at=now
        )
        representative = Representative.objects.create(
            organisation=organisation,
            full_name=full_name.strip(),
            job_title=job_title.strip(),
            email=email.strip().lower(),
            consent_to_be_named=consent_to_be_named,
            named_by=by,
            named_at=now,
        )
        _email_confirmation_request(representative, named_by=by)
    return representative


def representative_remind(*, representative: Representative, by) -> None:
    """Send the confirmation link again (to the current, unanswered or yearly-due one)."""
    if representative.ended_at is not None:
        raise ServiceError("This person is no longer the representative.")
    if representative_confirmation_state(representative) == "confirmed":
        raise ServiceError(f"{representative.full_name} has already confirmed this year.")
    _email_confirmation_request(representative, named_by=by)


def representative_from_token(token: str) -> Representative:
    try:
        payload = signing.loads(token, salt=CONFIRMATION_SALT, max_age=CONFIRMATION_MAX_AGE)
    except signing.SignatureExpired:
        raise ConfirmationLinkError(
            "This link has expired: links work for 30 days. Ask your organisation's admins "
            "to send a new one from their dashboard.",
            reason="expired",
        ) from None
    except signing.BadSignature:
        raise ConfirmationLinkError(
            "This link is not valid. Check that you copied the whole link.", reason="invalid"
        ) from None
    representative = (
        Representative.objects.select_related("organisation", "named_by")
        .filter(pk=payload.get("representative"))
        .first()
    )
    if representative is None:
        raise ConfirmationLinkError("This link is not valid.", reason="invalid")
    if representative.ended_at is not None:
        raise ConfirmationLinkError(
            f"Someone else has since been named as {representative.organisation}'s "
            "representative, so there is nothing to confirm.",
            reason="ended",
            representative=representative,
        )
    return representative


def _answer(*, token: str, confirm: bool) -> Representative:
    representative = representative_from_token(token)
    now = timezone.now()
    with transaction.atomic():
        queryset = Representative.objects.filter(pk=representative.pk, ended_at__isnull=True)
        if confirm:
            # A yearly re-confirmation uses a fresh link on a confirmed row: allow it unless
            # this very answer was already recorded less than a year ago.
            updated = (
                queryset.filter(declined_at__isnull=True)
                .exclude(confirmed_at__gte=now - CONFIRMATION_VALID_FOR)
                .update(confirmed_at=now)
            )
        else:
            updated = queryset.filter(declined_at__isnull=True, confirmed_at__isnull=True).update(
                declined_at=now
            )
        if not updated:
            representative.refresh_from_db()
            if representative.declined_at:
                message = "You have already declined this role; this link cannot be used again."
            elif representative.confirmed_at:
                confirmed_on = timezone.localtime(representative.confirmed_at)
                message = (
                    f"You confirmed this role on {confirmed_on:%d %B %Y}; "
                    "there is nothing more to do."
                )
            else:
                message = "This link can no longer be used."
            raise ConfirmationLinkError(message, reason="used", representative=representative)
        representative.refresh_from_db()
        admins = list(
            Membership.objects.filter(
                organisation=representative.organisation, role=MemberRole.ADMIN
            ).values_list("user__email", flat=True)
        )
        if admins:
            email_queue_from_templates(
                to=admins,
                template="representative_confirmed" if confirm else "representative_declined",
                context={
                    "representative": representative,
                    "organisation": representative.organisation,
                    "dashboard_url": settings.SITE_URL
                    + reverse(
                        "workspace:representative",
                        kwargs={"slug": representative.organisation.slug},
                    ),
                },
            )
    return representative


def representative_confirm(*, token: str) -> Representative:
    return _answer(token=token, confirm=True)


def representative_decline(*, token: str) -> Representative:
    return _answer(token=token, confirm=False)

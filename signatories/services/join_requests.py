"""Asking to join an organisation that already signed, and its admins' answer."""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from charter.emails import email_queue_from_templates
from signatories.choices import JoinRequestStatus, MemberRole, OrganisationStatus
from signatories.models import JoinRequest, Membership, Organisation
from signatories.services import ServiceError


def join_request_create(
    *, user, organisation: Organisation, job_title: str, message: str = ""
) -> JoinRequest:
    if organisation.status != OrganisationStatus.ACTIVE:
        raise ServiceError(f"{organisation} is not an active signatory, so it cannot be joined.")
    if Membership.objects.filter(organisation=organisation, user=user).exists():
        raise ServiceError(f"You are already a member of {organisation}.")
    try:
        with transaction.atomic():
            join_request = JoinRequest.objects.create(
                organisation=organisation,
                user=user,
                job_title=job_title.strip(),
                message=message.strip(),
            )
    except IntegrityError:
        raise ServiceError(
            f"You have already asked to join {organisation}; its admins will answer soon."
        ) from None
    admin_emails = list(
        Membership.objects.filter(organisation=organisation, role=MemberRole.ADMIN).values_list(
            "user__email", flat=True
        )
    )
    if admin_emails:
        email_queue_from_templates(
            to=admin_emails,
            template="join_request_received",
            context={
                "join_request": join_request,
                "requests_url": settings.SITE_URL
                + reverse("workspace:team", kwargs={"slug": organisation.slug}),
            },
        )
    return join_request


def _decide(*, join_request: JoinRequest, by, status: str) -> JoinRequest:
    with transaction.atomic():
        locked = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
        if not Membership.objects.filter(
            organisation=locked.organisation, user=by, role=MemberRole.ADMIN
        ).exists():
            raise ServiceError("Only the organisation's admins can answer requests to join it.")
        if locked.status != JoinRequestStatus.PENDING:
            raise ServiceError(f"This request was already {locked.get_status_display().lower()}.")
        locked.status = status
        locked.decided_by = by
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "decided_by", "decided_at"])
        if status == JoinRequestStatus.ACCEPTED:
            Membership.objects.get_or_create(
                organisation=locked.organisation,
                user=locked.user,
                defaults={"role": MemberRole.EDITOR},
            )
        email_queue_from_templates(
            to=[locked.user.email],
            template=f"join_request_{status}",
            context={"join_request": locked},
        )
    return locked


def join_request_accept(*, join_request: JoinRequest, by) -> JoinRequest:
    """Accepted colleagues join as editors; an admin can promote them later."""
    return _decide(join_request=join_request, by=by, status=JoinRequestStatus.ACCEPTED)


def join_request_refuse(*, join_request: JoinRequest, by) -> JoinRequest:
    return _decide(join_request=join_request, by=by, status=JoinRequestStatus.REFUSED)

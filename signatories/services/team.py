"""An organisation's team: invitations, roles, removals.

Every change that could take away an admin locks the organisation row first, so two admins
demoting each other at the same moment queue one behind the other and the second sees that it
would leave no admin: the organisation can never be left without one.
"""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from charter.emails import email_queue_from_templates
from signatories.choices import MemberRole
from signatories.models import Invitation, Membership, Organisation
from signatories.services import ServiceError

INVITATION_SALT = "charter.invitation"
INVITATION_MAX_AGE = 7 * 24 * 60 * 60  # seconds: a week


class InvitationLinkError(ServiceError):
    """The link is expired, used, cancelled or not one of ours. ``reason`` says which."""

    def __init__(self, message: str, *, reason: str, invitation: Invitation | None = None):
        super().__init__(message)
        self.reason = reason
        self.invitation = invitation


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps({"invitation": invitation.pk}, salt=INVITATION_SALT)


def invitation_url(invitation: Invitation) -> str:
    return settings.SITE_URL + reverse(
        "workspace:invitation", kwargs={"token": invitation_token(invitation)}
    )


def invitation_create(
    *, organisation: Organisation, by, email: str, role: str = MemberRole.EDITOR
) -> Invitation:
    email = email.strip().lower()
    if role not in MemberRole.values:
        raise ServiceError("Choose a role: admin or editor.")
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise ServiceError(f"{email} is already a member of {organisation}.")
    with transaction.atomic():
        # A new invitation replaces any open one to the same address: only the latest link works.
        Invitation.objects.filter(
            organisation=organisation,
            email__iexact=email,
            accepted_at__isnull=True,
            cancelled_at__isnull=True,
        ).update(cancelled_at=timezone.now())
        invitation = Invitation.objects.create(
            organisation=organisation, email=email, role=role, invited_by=by
        )
        email_queue_from_templates(
            to=[email],
            template="team_invitation",
            context={
                "invitation": invitation,
                "organisation": organisation,
                "invited_by": by,
                "accept_url": invitation_url(invitation),
                "days": INVITATION_MAX_AGE // (24 * 60 * 60),
            },
        )
    return invitation


def invitation_from_token(token: str) -> Invitation:
    """The invitation a link names, if it can still be accepted; InvitationLinkError otherwise."""
    try:
        payload = signing.loads(token, salt=INVITATION_SALT, max_age=INVITATION_MAX_AGE)
    except signing.SignatureExpired:
        invitation = _invitation_in_expired_token(token)
        raise InvitationLinkError(
            "This invitation has expired: invitations work for a week.",
            reason="expired",
            invitation=invitation,
        ) from None
    except signing.BadSignature:
        raise InvitationLinkError(
            "This invitation link is not valid. Check that you copied the whole link.",
            reason="invalid",
        ) from None
    invitation = (
        Invitation.objects.select_related("organisation", "invited_by")
        .filter(pk=payload.get("invitation"))
        .first()
    )
    if invitation is None:
        raise InvitationLinkError("This invitation link is not valid.", reason="invalid")
    _check_open(invitation)
    return invitation


def _invitation_in_expired_token(token: str) -> Invitation | None:
    # The signature is genuine, only too old: reading it tells us whom to ask for a new one.
    try:
        payload = signing.loads(token, salt=INVITATION_SALT)
    except signing.BadSignature:
        return None
    return (
        Invitation.objects.select_related("organisation", "invited_by")
        .filter(pk=payload.get("invitation"))
        .first()
    )


def _check_open(invitation: Invitation) -> None:
    if invitation.accepted_at is not None:
        raise InvitationLinkError(
            "This invitation has already been used: each link works once.",
            reason="used",
            invitation=invitation,
        )
    if invitation.cancelled_at is not None:
        raise InvitationLinkError(
            "This invitation was cancelled or replaced by a newer one.",
            reason="cancelled",
            invitation=invitation,
        )
    if invitation.organisation.status == "withdrawn":
        raise InvitationLinkError(
            f"{invitation.organisation} has left the charter.", reason="withdrawn"
        )


def invitation_accept(*, token: str, user) -> Membership:
    """Join the organisation as the invited role. The link works once, for the invited address."""
    invitation = invitation_from_token(token)
    if not EmailAddress.objects.filter(
        user=user, email__iexact=invitation.email, verified=True
    ).exists():
        raise ServiceError(
            f"This invitation was sent to {invitation.email}. Log in with that address "
            "(or add and verify it in your account) to accept it."
        )
    with transaction.atomic():
        # Claim the invitation: of two clicks, only one updates the row.
        claimed = Invitation.objects.filter(
            pk=invitation.pk, accepted_at__isnull=True, cancelled_at__isnull=True
        ).update(accepted_at=timezone.now(), accepted_by=user)
        if not claimed:
            raise InvitationLinkError(
                "This invitation has already been used: each link works once.",
                reason="used",
                invitation=invitation,
            )
        membership, created = Membership.objects.get_or_create(
            organisation=invitation.organisation, user=user, defaults={"role": invitation.role}
        )
        if not created:
            raise ServiceError(f"You are already a member of {invitation.organisation}.")
    return membership


def invitation_cancel(*, invitation: Invitation, by) -> Invitation:
    updated = Invitation.objects.filter(
        pk=invitation.pk, accepted_at__isnull=True, cancelled_at__isnull=True
    ).update(cancelled_at=timezone.now())
    if not updated:
        raise ServiceError("This invitation was already accepted or cancelled.")
    invitation.refresh_from_db()
    return invitation


def _lock_team(organisation: Organisation, *, by) -> None:
    """Serialise every team change of one organisation, then check, under the lock, that the
    person acting is still one of its admins (another admin may have demoted them meanwhile)."""
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    if not Membership.objects.filter(
        organisation=organisation, user=by, role=MemberRole.ADMIN
    ).exists():
        raise ServiceError("Only the organisation's admins can change its team.")


def _other_admins(membership: Membership) -> int:
    return (
        Membership.objects.filter(organisation_id=membership.organisation_id, role=MemberRole.ADMIN)
        .exclude(pk=membership.pk)
        .count()
    )


def membership_role_change(*, membership: Membership, by, role: str) -> Membership:
    if role not in MemberRole.values:
        raise ServiceError("Choose a role: admin or editor.")
    with transaction.atomic():
        _lock_team(membership.organisation, by=by)
        locked = Membership.objects.select_related("user").get(pk=membership.pk)
        if locked.role == role:
            return locked
        if locked.role == MemberRole.ADMIN and not _other_admins(locked):
            raise ServiceError(
                f"{locked.user.get_full_name()} is the only admin. Make someone else an admin "
                "first: the organisation must always have one."
            )
        locked.role = role
        locked.save(update_fields=["role"])
    return locked


def membership_remove(*, membership: Membership, by) -> None:
    with transaction.atomic():
        _lock_team(membership.organisation, by=by)
        locked = Membership.objects.select_related("user").get(pk=membership.pk)
        if locked.role == MemberRole.ADMIN and not _other_admins(locked):
            raise ServiceError(
                f"{locked.user.get_full_name()} is the only admin and cannot be removed. Make "
                "someone else an admin first."
            )
        locked.delete()

"""Who asked for fewer emails: opt-outs of the optional kinds, and the one-click unsubscribe link.

The link carries a signed (user, kind) pair and never expires: an unsubscribe link in an old email
must still work (RFC 8058 asks for it to work without logging in, by a POST with no other data).
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from charter.models import User
from pledges.models import EmailOptOut, ReminderKind, kind_is_optional

UNSUBSCRIBE_SALT = "charter.email-unsubscribe"


class NotOptional(ValueError):
    """Essential emails (deadlines, confirmations, invitations) cannot be switched off."""


def opted_out_kinds(user: User) -> set[str]:
    return set(EmailOptOut.objects.filter(user=user).values_list("kind", flat=True))


def email_opt_out(*, user: User, kind: str, via_link: bool = False) -> None:
    if not kind_is_optional(kind):
        raise NotOptional(f"{ReminderKind(kind).label} emails cannot be switched off.")
    try:
        with transaction.atomic():
            EmailOptOut.objects.create(user=user, kind=kind, at=timezone.now(), via_link=via_link)
    except IntegrityError:
        pass  # already opted out: the second click changes nothing


def email_opt_in(*, user: User, kind: str) -> None:
    EmailOptOut.objects.filter(user=user, kind=kind).delete()


def email_preferences_set(*, user: User, wanted: dict[str, bool]) -> None:
    """``wanted`` maps each optional kind to whether the person wants it."""
    for kind, wants in wanted.items():
        if wants:
            email_opt_in(user=user, kind=kind)
        else:
            email_opt_out(user=user, kind=kind)


def unsubscribe_token(*, user_id: int, kind: str) -> str:
    return signing.dumps({"u": user_id, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_url(*, user_id: int, kind: str) -> str:
    """The absolute link for the email body and the ``List-Unsubscribe`` header."""
    token = unsubscribe_token(user_id=user_id, kind=kind)
    return settings.SITE_URL.rstrip("/") + reverse("email_unsubscribe", args=[token])


def unsubscribe_from_token(token: str) -> tuple[User, str]:
    """The (user, kind) a link names; ``signing.BadSignature`` or ``User.DoesNotExist`` if none."""
    payload = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    kind = payload["k"]
    if not kind_is_optional(kind):
        raise signing.BadSignature("not an optional kind")
    return User.objects.get(pk=payload["u"], is_active=True), kind

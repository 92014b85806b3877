"""What charter staff accounts must do before they reach staff pages, and how long they stay in.

Staff accounts will see every signatory's diversity figures (special-category personal data), so
a stolen staff password alone must not be enough: a staff account needs an authenticator app
before any staff page or the Django admin opens, and a staff session ends after a working day
without a request. Signatories keep Django's default session lifetime.
"""

from __future__ import annotations

from collections.abc import Callable

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone

from charter.permissions import is_charter_staff

# The URL namespaces whose pages only charter staff open: /staff/, /staff/practices/, /staff/data/,
# /admin/.
# A new staff page inside one of them is covered without further work.
STAFF_NAMESPACES = frozenset({"staff", "staff_practices", "staff_data", "reports_staff", "admin"})

# The authenticators that count as a second factor. Recovery codes alone do not: they are the
# fallback for a lost authenticator, and allauth deletes them when the last one goes.
SECOND_FACTOR_TYPES = [Authenticator.Type.TOTP]

SETUP_MESSAGE = (
    "Charter staff pages and the admin need two-factor authentication, because staff can see "
    "signatories' personal data. Add an authenticator app to your account to continue."
)


def is_staff_account(user) -> bool:
    """Charter staff (the group or a superuser) and anyone Django lets into the admin."""
    return user.is_authenticated and user.is_active and (user.is_staff or is_charter_staff(user))


def needs_second_factor_setup(user) -> bool:
    return (
        settings.STAFF_TWO_FACTOR_REQUIRED
        and is_staff_account(user)
        and not is_mfa_enabled(user, SECOND_FACTOR_TYPES)
    )


class StaffTwoFactorMiddleware:
    """Send a staff account without an authenticator from any staff page to set one up."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or not STAFF_NAMESPACES.intersection(match.namespaces):
            return None
        if not needs_second_factor_setup(request.user):
            return None
        # allauth asks for the password again first; the message explains why on that page, and
        # templates/mfa/totp/activate_form.html explains it again on the set-up page itself.
        messages.warning(request, SETUP_MESSAGE)
        return HttpResponseRedirect(reverse("mfa_activate_totp"))


# Saving the session on every staff request would cost a write each time; once a minute is
# enough, so a staff session ends between a working day less a minute and a working day after the
# last request.
SESSION_REFRESH_SECONDS = 60
SESSION_REFRESHED_AT_KEY = "charter_staff_session_refreshed_at"


def staff_session_refresh(session) -> None:
    """Give a staff session STAFF_SESSION_IDLE_SECONDS from now, unless it got them recently."""
    now = int(timezone.now().timestamp())
    if (
        session.get("_session_expiry") != settings.STAFF_SESSION_IDLE_SECONDS
        or now - session.get(SESSION_REFRESHED_AT_KEY, 0) >= SESSION_REFRESH_SECONDS
    ):
        session.set_expiry(settings.STAFF_SESSION_IDLE_SECONDS)
        session[SESSION_REFRESHED_AT_KEY] = now


@receiver(user_logged_in)
def staff_session_starts_short(sender, request, user, **kwargs) -> None:
    # At log-in already, so the session is written with the short lifetime from the start.
    if request is not None and hasattr(request, "session") and is_staff_account(user):
        staff_session_refresh(request.session)


class StaffSessionMiddleware:
    """End a staff session after STAFF_SESSION_IDLE_SECONDS without a request (sliding): each
    staff request moves the expiry on. Other people keep SESSION_COOKIE_AGE (two weeks)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # Read after the view, so that a staff member who was made staff mid-session is caught at
        # the next request. An anonymous visitor without a session cookie costs no query here.
        user = getattr(request, "user", None)
        if user is not None and is_staff_account(user):
            staff_session_refresh(request.session)
        return response

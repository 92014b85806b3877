"""Django's and allauth's authentication backends, with one change: the user of a logged-in
request is read together with the two questions every page asks of them (are they charter
staff, do they belong to a signatory), so a logged-in request costs one query for its user
instead of two.

``settings.AUTHENTICATION_BACKENDS`` names these; a session remembers the backend that logged it
in, which is why both are here and not only allauth's.
"""

from __future__ import annotations

from allauth.account import auth_backends as allauth_backends
from django.contrib.auth import backends as django_backends

from charter.permissions import users_with_navigation_flags


class _UserWithNavigationFlags:
    def get_user(self, user_id):
        # As Django's ModelBackend.get_user, with the flags.
        users = users_with_navigation_flags()
        try:
            user = users.get(pk=user_id)
        except users.model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


class ModelBackend(_UserWithNavigationFlags, django_backends.ModelBackend):
    """Email and password, for the Django admin's log-in form."""


class AuthenticationBackend(_UserWithNavigationFlags, allauth_backends.AuthenticationBackend):
    """allauth's log-in, sign-up and password reset."""

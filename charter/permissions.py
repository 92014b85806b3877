"""Who may reach which page. Every staff view and every organisation view goes through here."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

CHARTER_STAFF_GROUP = "Charter staff"


def is_charter_staff(user) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    # Cached on the user object for the request: the nav and the view both ask.
    if not hasattr(user, "_is_charter_staff"):
        user._is_charter_staff = user.groups.filter(name=CHARTER_STAFF_GROUP).exists()
    return user._is_charter_staff


def staff_required(view):
    """Anonymous visitors are sent to log in; everyone who is not charter staff gets 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_charter_staff(request.user):
            raise PermissionDenied("Only charter staff can see this page.")
        return view(request, *args, **kwargs)

    return wrapper

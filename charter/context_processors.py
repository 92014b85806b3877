from django.utils.functional import SimpleLazyObject

from charter.permissions import is_charter_staff, users_with_navigation_flags


def _navigation_flags(user) -> None:
    """For a user not read through charter.auth_backends (which reads both flags with the user
    itself): both flags in one query, cached on the user object."""
    staff, member = (
        users_with_navigation_flags()
        .filter(pk=user.pk)
        .values_list("_is_charter_staff", "_has_workspace")
        .get()
    )
    if not hasattr(user, "_is_charter_staff"):
        user._is_charter_staff = staff
    user._has_workspace = member


def _has_workspace(user) -> bool:
    if not user.is_authenticated:
        return False
    if not hasattr(user, "_has_workspace"):
        _navigation_flags(user)
    return user._has_workspace


def navigation(request) -> dict:
    user = request.user
    if user.is_authenticated and not user.is_superuser and not hasattr(user, "_is_charter_staff"):
        _navigation_flags(user)
    return {
        "is_charter_staff": is_charter_staff(user),
        # Lazy: pages that already know the user is staff do not pay for this question.
        "has_workspace": SimpleLazyObject(lambda: _has_workspace(user)),
    }

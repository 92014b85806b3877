from django.db.models import Exists, OuterRef
from django.utils.functional import SimpleLazyObject

from charter.permissions import CHARTER_STAFF_GROUP, is_charter_staff


def _navigation_flags(user) -> None:
    """Whether the user is charter staff and whether they belong to a signatory, in one query,
    cached on the user object (is_charter_staff reads the same cache)."""
    from django.contrib.auth import get_user_model

    from signatories.models import Membership

    User = get_user_model()
    staff, member = (
        User.objects.filter(pk=user.pk)
        .values_list(
            Exists(
                User.groups.through.objects.filter(
                    user=OuterRef("pk"), group__name=CHARTER_STAFF_GROUP
                )
            ),
            Exists(Membership.objects.filter(user=OuterRef("pk"))),
        )
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

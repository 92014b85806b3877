"""The one way workspace views load an organisation's objects.

- an anonymous visitor is sent to log in (``login_required`` on the view);
- another organisation's object is a 404: its existence is not the visitor's to know;
- a member without the needed role gets a 403.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404

from signatories.choices import MemberRole, OrganisationStatus
from signatories.models import Membership, Organisation


@dataclass(frozen=True)
class Workspace:
    """The organisation a request acts on, and the requesting user's place in it."""

    organisation: Organisation
    membership: Membership

    @property
    def is_admin(self) -> bool:
        return self.membership.role == MemberRole.ADMIN


def workspace_for(user, slug: str, *, admin_only: bool = False) -> Workspace:
    membership = (
        Membership.objects.select_related("organisation")
        .filter(user=user, organisation__slug=slug)
        .exclude(organisation__status=OrganisationStatus.WITHDRAWN)
        .first()
    )
    if membership is None:
        raise Http404("No organisation of yours has that address.")
    if admin_only and membership.role != MemberRole.ADMIN:
        raise PermissionDenied("Only your organisation's admins can do this.")
    return Workspace(organisation=membership.organisation, membership=membership)


def object_in_workspace(
    workspace: Workspace,
    queryset: QuerySet,
    *,
    organisation_path: str = "organisation",
    **lookup,
) -> Model:
    """Fetch one object that belongs to the workspace's organisation, or 404.

    ``organisation_path`` is the lookup from the object to its organisation, for objects that
    hang off another (``"commitment__organisation"``).
    """
    try:
        return queryset.get(**{organisation_path: workspace.organisation}, **lookup)
    except queryset.model.DoesNotExist:
        raise Http404("Nothing of your organisation's has that address.") from None


def organisations_of(user) -> QuerySet[Organisation]:
    return Organisation.objects.filter(memberships__user=user).exclude(
        status=OrganisationStatus.WITHDRAWN
    )

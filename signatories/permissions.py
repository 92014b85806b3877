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
    # Every organisation the user belongs to, for the workspace's organisation switcher.
    my_organisations: tuple[Organisation, ...] = ()

    @property
    def is_admin(self) -> bool:
        return self.membership.role == MemberRole.ADMIN

    def context(self) -> dict:
        """What every workspace template reads (templates/layouts/workspace.html)."""
        return {
            "workspace": self,
            "organisation": self.organisation,
            "my_organisations": self.my_organisations,
        }


def workspace_for(user, slug: str, *, admin_only: bool = False) -> Workspace:
    # All of the user's memberships in one query, rather than this one and then the others for
    # the switcher: people belong to a handful of organisations, not hundreds.
    memberships = list(
        Membership.objects.select_related("organisation")
        .filter(user=user)
        .exclude(organisation__status=OrganisationStatus.WITHDRAWN)
        .order_by("organisation__public_name", "organisation_id")
    )
    membership = next((m for m in memberships if m.organisation.slug == slug), None)
    if membership is None:
        raise Http404("No organisation of yours has that address.")
    if admin_only and membership.role != MemberRole.ADMIN:
        raise PermissionDenied("Only your organisation's admins can do this.")
    return Workspace(
        organisation=membership.organisation,
        membership=membership,
        my_organisations=tuple(m.organisation for m in memberships),
    )


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

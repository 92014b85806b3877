from __future__ import annotations

from django.db.models import QuerySet

from signatories.choices import OrganisationStatus
from signatories.models import Organisation


def public_signatories() -> QuerySet[Organisation]:
    """Organisations the public may see in the directory: active ones only."""
    return Organisation.objects.filter(status=OrganisationStatus.ACTIVE)


def signatory_count() -> int:
    return public_signatories().count()


def possible_duplicates(application) -> dict:
    """Signatories and open applications that look like the same organisation.

    A match on the website's domain or on the Companies House number. Returns
    ``{"organisations": [...], "applications": [...]}``, each at most 10 long.
    """
    from django.db.models import Q

    from signatories.choices import ApplicationStatus
    from signatories.models import Application

    match = Q()
    if application.website_domain:
        match |= Q(website_domain=application.website_domain)
    if application.companies_house_number:
        match |= Q(companies_house_number=application.companies_house_number)
    if not match:
        return {"organisations": [], "applications": []}
    organisations = list(
        Organisation.objects.filter(match)
        .exclude(status=OrganisationStatus.WITHDRAWN)
        .exclude(pk=application.organisation_id)
        .order_by("public_name")[:10]
    )
    applications = list(
        Application.objects.filter(match)
        .filter(status__in=[ApplicationStatus.SUBMITTED, ApplicationStatus.CHANGES_REQUESTED])
        .exclude(pk=application.pk)
        .order_by("submitted_at")[:10]
    )
    return {"organisations": organisations, "applications": applications}


def organisation_profile(*, slug: str) -> Organisation | None:
    """A public profile: active and withdrawn signatories (the latter marked as such), with
    the current representative and the pledge commitments, in a fixed number of queries."""
    from django.db.models import Prefetch

    from pledges.models import PledgeCommitment
    from signatories.models import Representative

    return (
        Organisation.objects.filter(
            slug=slug, status__in=[OrganisationStatus.ACTIVE, OrganisationStatus.WITHDRAWN]
        )
        .prefetch_related(
            Prefetch(
                "representatives",
                queryset=Representative.objects.filter(ended_at__isnull=True),
                to_attr="current_representatives",
            ),
            Prefetch(
                "commitments",
                queryset=PledgeCommitment.objects.select_related("pledge").order_by(
                    "pledge__position"
                ),
            ),
        )
        .first()
    )

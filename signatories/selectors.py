from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from signatories.choices import ApplicationStatus, OrganisationStatus
from signatories.domains import registrable_domain
from signatories.models import Organisation


def public_signatories() -> QuerySet[Organisation]:
    """Organisations the public may see in the directory: active ones only."""
    return Organisation.objects.filter(status=OrganisationStatus.ACTIVE)


def signatory_count() -> int:
    return public_signatories().count()


@dataclass(frozen=True)
class Duplicates:
    """Signatories and applications under review that look like the same organisation."""

    organisations: list[Organisation] = field(default_factory=list)
    applications: list = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.organisations or self.applications)


def possible_duplicates(
    *,
    website_domain: str = "",
    companies_house_number: str = "",
    applicant=None,
    organisation_id: int | None = None,
) -> Duplicates:
    """Signatories and applications under review that may be the same organisation.

    A match is the same Companies House number, or a website on the same registrable domain:
    ``jobs.acme.co.uk``, ``acme.co.uk`` and ``careers.acme.co.uk`` are one organisation's sites.
    Withdrawn signatories have left and are not matched; nor are the applicant's own
    application (``applicant``), the signatory an approved application created
    (``organisation_id``), or anyone's unsubmitted draft, which is private until submitted.
    At most 10 of each, in two queries.
    """
    from signatories.models import Application

    match = Q()
    if website_domain:
        match |= Q(website_domain=website_domain)
        registrable = registrable_domain(website_domain)
        if registrable:
            match |= Q(website_domain=registrable) | Q(website_domain__endswith=f".{registrable}")
    if companies_house_number:
        match |= Q(companies_house_number=companies_house_number)
    if not match:
        return Duplicates()
    organisations = list(
        Organisation.objects.filter(match)
        .exclude(status=OrganisationStatus.WITHDRAWN)
        .exclude(pk=organisation_id)
        .order_by("public_name", "pk")[:10]
    )
    applications = Application.objects.filter(match).filter(
        status__in=[ApplicationStatus.SUBMITTED, ApplicationStatus.CHANGES_REQUESTED]
    )
    if applicant is not None:
        applications = applications.exclude(applicant=applicant)
    return Duplicates(
        organisations=organisations,
        applications=list(applications.order_by("submitted_at", "pk")[:10]),
    )


def application_duplicates(application) -> Duplicates:
    """What an application may duplicate, leaving out the application itself and, once
    approved, the signatory it became."""
    return possible_duplicates(
        website_domain=application.website_domain,
        companies_house_number=application.companies_house_number,
        applicant=application.applicant_id,
        organisation_id=application.organisation_id,
    )


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
                # The evidence is private to the team: never even load it for a public page.
                queryset=PledgeCommitment.objects.select_related("pledge")
                .defer("evidence_notes", "evidence_links")
                .order_by("pledge__position"),
            ),
        )
        .first()
    )


def profile_join_state(*, organisation: Organisation, user) -> str:
    """How a visitor of a public profile stands towards joining its team, in one query:
    ``"anonymous"``, ``"member"``, ``"pending"`` (they already asked), ``"closed"`` (the
    organisation is not active, so it cannot be joined) or ``"can_ask"``."""
    from django.db.models import Exists, OuterRef

    from signatories.choices import JoinRequestStatus
    from signatories.models import JoinRequest, Membership

    if not user.is_authenticated:
        return "anonymous"
    is_member, has_pending = (
        Organisation.objects.filter(pk=organisation.pk)
        .annotate(
            is_member=Exists(Membership.objects.filter(organisation=OuterRef("pk"), user=user)),
            has_pending=Exists(
                JoinRequest.objects.filter(
                    organisation=OuterRef("pk"), user=user, status=JoinRequestStatus.PENDING
                )
            ),
        )
        .values_list("is_member", "has_pending")
        .get()
    )
    if is_member:
        return "member"
    if organisation.status != OrganisationStatus.ACTIVE:
        return "closed"
    return "pending" if has_pending else "can_ask"


def join_requests_pending_for(*, user) -> QuerySet:
    """The requests to join a signatory that ``user`` made and its admins have not answered."""
    from signatories.choices import JoinRequestStatus
    from signatories.models import JoinRequest

    return (
        JoinRequest.objects.filter(
            user=user,
            status=JoinRequestStatus.PENDING,
            organisation__status=OrganisationStatus.ACTIVE,
        )
        .select_related("organisation")
        .order_by("created_at")
    )

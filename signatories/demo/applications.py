"""seed_demo steps for the signing workflow: applications in every state, and the five pledge
commitments every demo signatory made when it signed.

Applications do not scale with --organisations: staff need a realistic queue, not thousands.
Both steps write in bulk, so their query count does not depend on the number of organisations.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import TYPE_CHECKING

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from charter.models import Pledge
from pledges.models import PledgeCommitment
from signatories.choices import ApplicationEventKind, ApplicationStatus, RejectionReason
from signatories.demo import organisations as demo
from signatories.models import Application, ApplicationEvent, Organisation

if TYPE_CHECKING:
    from signatories.demo.seeding import Seeding

APPLICANT_EMAIL_PREFIX = "applicant@apply."
# (status, days since submission, days since the decision or the change request)
QUEUE = [
    (ApplicationStatus.DRAFT, None, None),
    (ApplicationStatus.DRAFT, None, None),
    (ApplicationStatus.SUBMITTED, 1, None),
    (ApplicationStatus.SUBMITTED, 4, None),
    (ApplicationStatus.SUBMITTED, 9, None),
    (ApplicationStatus.SUBMITTED, 16, None),
    (ApplicationStatus.SUBMITTED, 33, None),
    (ApplicationStatus.CHANGES_REQUESTED, 21, 12),
    (ApplicationStatus.CHANGES_REQUESTED, 14, 3),
    (ApplicationStatus.REJECTED, 60, 50),
    (ApplicationStatus.REJECTED, 40, 31),
    # Sent back for changes, then withdrawn by the applicant (days since the withdrawal).
    (ApplicationStatus.WITHDRAWN, 30, 5),
]
# Drafts: days since the applicant started them.
DRAFT_STARTED_DAYS = (6, 1)
# An application is started this long before it is submitted; an applicant signs up this
# long before the longest application the demo tells (named 21 days before approval).
STARTING_TIME = dt.timedelta(days=2, hours=3)
APPLYING_TIME = dt.timedelta(days=30)
CHANGE_REQUESTS = [
    "Please add your Companies House number so we can confirm the organisation.",
    "Your representative's email is a personal address: please give their work email.",
]
STATEMENTS = {
    "plan": "Every interview shortlist for a technical role includes at least one woman.",
    "policies": "Flexible working from day one, and a returners' programme after career breaks.",
    "practice": "We run a quarterly meet-up with other signatories in our region.",
}


def seed_applications(seeding: Seeding) -> None:
    """A review queue in every state, plus the approved applications behind the demo admins'
    organisations. Skipped when no organisation is seeded."""
    User = get_user_model()
    staff = User.objects.filter(email=demo.STAFF_EMAIL).first()
    if staff is None or not seeding.organisations:
        seeding.record("applications", 0)
        return
    now = timezone.now()
    rng = random.Random(f"applications-{seeding.seed}")
    candidates = demo.organisations(rng, count=len(QUEUE), today=timezone.localdate())
    emails = [APPLICANT_EMAIL_PREFIX + candidate.website_domain for candidate in candidates]
    existing = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    missing = [
        (plan, candidate, email)
        for plan, candidate, email in zip(QUEUE, candidates, emails, strict=True)
        if email not in existing
    ]
    password = make_password(None)  # unusable: applicants are for show, nobody logs in as them
    started = [
        _started_at(now, plan, drafts_before=sum(1 for p, _, _ in missing[:index] if not p[1]))
        for index, (plan, _, _) in enumerate(missing)
    ]
    users = User.objects.bulk_create(
        [
            User(
                email=email,
                full_name=demo.person_name(rng),
                password=password,
                date_joined=started_at - dt.timedelta(hours=1),  # signed up, then applied
            )
            for (_, _, email), started_at in zip(missing, started, strict=True)
        ]
    )
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users]
    )
    applications = Application.objects.bulk_create(
        [
            _queued_application(candidate, user, status, now, submitted, decided, staff)
            for ((status, submitted, decided), candidate, _), user in zip(
                missing, users, strict=True
            )
        ]
    )
    events = []
    for index, (application, ((status, submitted, decided), _, _), started_at) in enumerate(
        zip(applications, missing, started, strict=True)
    ):
        queued = _queue_events(application, staff, status, now, submitted, decided, index)
        events += queued
        # created_at and updated_at are auto_now(_add): the INSERT wrote now. The story: started
        # before it was submitted, last changed by its latest event.
        application.created_at = started_at
        application.updated_at = max([started_at] + [event.created_at for event in queued])
    approved, approved_events = _approved_applications(seeding, staff)
    approved = Application.objects.bulk_create(approved)
    for application, (started_at, submitted_at, decided_at) in zip(
        approved, approved_events, strict=True
    ):
        application.created_at, application.updated_at = started_at, decided_at
        events += [
            ApplicationEvent(
                application=application,
                kind=ApplicationEventKind.SUBMITTED,
                actor_id=application.applicant_id,
                created_at=submitted_at,
            ),
            ApplicationEvent(
                application=application,
                kind=ApplicationEventKind.APPROVED,
                actor=staff,
                created_at=decided_at,
            ),
        ]
    ApplicationEvent.objects.bulk_create(events)
    Application.objects.bulk_update(
        [application for application in applications + approved if application.pk],
        ["created_at", "updated_at"],
    )
    seeding.record("applications", len(applications) + len(approved), found=len(existing))


def _started_at(now, plan, *, drafts_before: int) -> dt.datetime:
    """When the applicant started the application: before submitting it, or, for a draft,
    some days ago."""
    _, submitted_days, _ = plan
    if submitted_days is None:
        days = DRAFT_STARTED_DAYS[drafts_before % len(DRAFT_STARTED_DAYS)]
        return now - dt.timedelta(days=days)
    return now - dt.timedelta(days=submitted_days) - STARTING_TIME


def _queued_application(candidate, user, status, now, submitted_days, decided_days, staff):
    rep = candidate.representative
    rejected = status == ApplicationStatus.REJECTED
    return Application(
        applicant=user,
        status=status,
        legal_name=candidate.legal_name,
        public_name=candidate.public_name,
        website=candidate.website,
        website_domain=candidate.website_domain,
        companies_house_number=candidate.companies_house_number,
        organisation_type=candidate.organisation_type,
        sector=candidate.sector,
        size_band=candidate.size_band,
        region=candidate.region,
        description=candidate.description,
        representative_name=rep.full_name,
        representative_job_title=rep.job_title,
        representative_email=rep.email,
        representative_consents_to_be_named=rep.consent_to_be_named,
        accepts_people=True,
        accepts_plan=True,
        accepts_policies=True,
        accepts_practice=True,
        accepts_data=status != ApplicationStatus.DRAFT,
        plan_statement=STATEMENTS["plan"],
        applicant_job_title="Head of People",
        submitted_at=now - dt.timedelta(days=submitted_days) if submitted_days else None,
        decided_at=now - dt.timedelta(days=decided_days) if rejected else None,
        decided_by=staff if rejected else None,
    )


def _queue_events(application, staff, status, now, submitted_days, decided_days, index):
    if submitted_days is None:
        return []
    events = [
        ApplicationEvent(
            application=application,
            kind=ApplicationEventKind.SUBMITTED,
            actor_id=application.applicant_id,
            created_at=now - dt.timedelta(days=submitted_days),
        )
    ]
    if status == ApplicationStatus.CHANGES_REQUESTED:
        events.append(
            ApplicationEvent(
                application=application,
                kind=ApplicationEventKind.CHANGES_REQUESTED,
                actor=staff,
                message=CHANGE_REQUESTS[index % len(CHANGE_REQUESTS)],
                created_at=now - dt.timedelta(days=decided_days),
            )
        )
    if status == ApplicationStatus.WITHDRAWN:
        events += [
            ApplicationEvent(
                application=application,
                kind=ApplicationEventKind.CHANGES_REQUESTED,
                actor=staff,
                message=CHANGE_REQUESTS[index % len(CHANGE_REQUESTS)],
                created_at=now - dt.timedelta(days=(submitted_days + decided_days) // 2),
            ),
            ApplicationEvent(
                application=application,
                kind=ApplicationEventKind.WITHDRAWN,
                actor_id=application.applicant_id,
                created_at=now - dt.timedelta(days=decided_days),
            ),
        ]
    if status == ApplicationStatus.REJECTED:
        events.append(
            ApplicationEvent(
                application=application,
                kind=ApplicationEventKind.REJECTED,
                actor=staff,
                rejection_reason=RejectionReason.NOT_ELIGIBLE,
                created_at=now - dt.timedelta(days=decided_days),
            )
        )
    return events


def _approved_applications(seeding: Seeding, staff):
    """The demo admins created by this run signed their organisations through an application."""
    User = get_user_model()
    admin_slugs = {
        account.email: account.organisation_slug
        for account in seeding.accounts
        if account.organisation_slug and account.email in seeding.created_user_emails
    }
    organisations = Organisation.objects.in_bulk(list(admin_slugs.values()), field_name="slug")
    users = User.objects.in_bulk(list(admin_slugs), field_name="email")
    named_at = {
        organisation.slug: organisation.representative.named_at
        for organisation in seeding.organisations
    }
    applications, moments = [], []
    for email, slug in admin_slugs.items():
        organisation = organisations[slug]
        # Approved when the organisation was created (seed_organisations), having been
        # submitted with the representative it names, and started shortly before.
        decided_at = organisation.created_at
        submitted_at = min(named_at[slug], decided_at)
        started_at = submitted_at - dt.timedelta(hours=1)
        applications.append(
            Application(
                applicant=users[email],
                status=ApplicationStatus.APPROVED,
                legal_name=organisation.legal_name,
                public_name=organisation.public_name,
                website=organisation.website,
                website_domain=organisation.website_domain,
                organisation_type=organisation.organisation_type,
                sector=organisation.sector,
                size_band=organisation.size_band,
                region=organisation.region,
                accepts_people=True,
                accepts_plan=True,
                accepts_policies=True,
                accepts_practice=True,
                accepts_data=True,
                submitted_at=submitted_at,
                decided_at=decided_at,
                decided_by=staff,
                organisation=organisation,
            )
        )
        moments.append((started_at, submitted_at, decided_at))
    return applications, moments


def seed_commitments(seeding: Seeding) -> None:
    """The five pledge commitments each organisation created by this run made when it signed."""
    pledges = list(Pledge.objects.all())
    ids = [seeding.organisation_ids[slug] for slug in sorted(seeding.created_organisation_slugs)]
    rows = [
        PledgeCommitment(
            organisation_id=organisation_id,
            pledge=pledge,
            public_statement=STATEMENTS.get(pledge.code, "") if organisation_id % 3 else "",
            # Accepted when staff approved the organisation, as approval records it.
            accepted_at=seeding.timeline[organisation_id][0],
        )
        for organisation_id in ids
        for pledge in pledges
    ]
    PledgeCommitment.objects.bulk_create(rows, batch_size=1000)
    seeding.record("pledge commitments", len(rows))

"""Approval: one atomic service call that makes an organisation a signatory."""

from __future__ import annotations

import pytest
from django.core import mail
from django.utils import timezone

from pledges.models import PledgeCommitment
from signatories.choices import (
    ApplicationEventKind,
    ApplicationStatus,
    MemberRole,
    OrganisationStatus,
)
from signatories.models import (
    Application,
    Membership,
    Organisation,
    Representative,
    SignatoryNumberSequence,
)
from signatories.services import ServiceError
from signatories.services.applications import application_approve
from tests.concurrency import run_concurrently
from tests.signatories.conftest import submit_application_for


def test_approval_creates_the_signatory_with_everything_it_needs(
    submitted_application, staff_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        organisation = application_approve(
            application=submitted_application, by=staff_user, note="All checked."
        )

    organisation.refresh_from_db()
    assert organisation.status == OrganisationStatus.ACTIVE
    assert organisation.slug == "initech"
    assert organisation.signatory_number == 1
    assert organisation.signed_on == timezone.localdate()
    assert organisation.website_domain == "initech.example"
    assert organisation.companies_house_number == "01234567"

    commitments = PledgeCommitment.objects.filter(organisation=organisation)
    assert [c.pledge.code for c in commitments] == [
        "people",
        "plan",
        "policies",
        "practice",
        "data",
    ]
    assert commitments.get(pledge__code="plan").public_statement == (
        "Every shortlist has at least one woman."
    )

    representative = Representative.objects.get(organisation=organisation)
    assert representative.full_name == "Rosa Reyes"
    assert representative.email == "rosa@initech.example"
    assert representative.named_by == submitted_application.applicant
    assert representative.ended_at is None
    assert representative.confirmed_at is None

    membership = Membership.objects.get(organisation=organisation)
    assert membership.user == submitted_application.applicant
    assert membership.role == MemberRole.ADMIN

    submitted_application.refresh_from_db()
    assert submitted_application.status == ApplicationStatus.APPROVED
    assert submitted_application.organisation == organisation
    assert submitted_application.decided_by == staff_user
    event = submitted_application.events.get(kind=ApplicationEventKind.APPROVED)
    assert (event.actor, event.message) == (staff_user, "All checked.")

    recipients = sorted(tuple(message.to) for message in mail.outbox)
    assert ("peter@initech.example",) in recipients
    assert ("rosa@initech.example",) in recipients
    to_representative = next(m for m in mail.outbox if m.to == ["rosa@initech.example"])
    assert "senior representative" in to_representative.subject
    assert "What the role involves" in to_representative.body


def test_it_numbers_signatories_without_gaps(db, staff_user):
    applications = [
        submit_application_for(f"applicant{i}@example.org", public_name=f"Org {i}")
        for i in range(3)
    ]

    numbers = [
        application_approve(application=application, by=staff_user).signatory_number
        for application in applications
    ]

    assert numbers == [1, 2, 3]
    assert SignatoryNumberSequence.objects.get(pk=1).last_number == 3


def test_it_continues_after_existing_signatories(acme, submitted_application, staff_user):
    SignatoryNumberSequence.objects.filter(pk=1).update(last_number=41)

    organisation = application_approve(application=submitted_application, by=staff_user)

    assert organisation.signatory_number == 42


def test_it_gives_a_unique_slug_when_the_name_is_taken(db, staff_user):
    first = submit_application_for("one@example.org", public_name="Same Name")
    second = submit_application_for("two@example.org", public_name="Same Name")

    slugs = [application_approve(application=a, by=staff_user).slug for a in (first, second)]

    assert slugs == ["same-name", "same-name-2"]


def test_approving_twice_fails_with_a_clear_message(submitted_application, staff_user):
    application_approve(application=submitted_application, by=staff_user)

    with pytest.raises(ServiceError, match="already approved"):
        application_approve(application=submitted_application, by=staff_user)

    assert Organisation.objects.count() == 1
    assert submitted_application.events.filter(kind=ApplicationEventKind.APPROVED).count() == 1


def test_a_failed_approval_changes_nothing(submitted_application, staff_user, monkeypatch):
    import signatories.services.applications as applications

    def broken_membership(**kwargs):
        raise RuntimeError("database fell over")

    monkeypatch.setattr(applications.Membership.objects, "create", broken_membership)

    with pytest.raises(RuntimeError):
        application_approve(application=submitted_application, by=staff_user)

    submitted_application.refresh_from_db()
    assert submitted_application.status == ApplicationStatus.SUBMITTED
    assert Organisation.objects.count() == 0
    assert Representative.objects.count() == 0
    assert PledgeCommitment.objects.count() == 0
    assert SignatoryNumberSequence.objects.get(pk=1).last_number == 0


@pytest.mark.django_db(transaction=True)
def test_concurrent_approvals_get_distinct_consecutive_numbers(require_postgres, staff_user):
    applications = [
        submit_application_for(f"racer{i}@example.org", public_name=f"Racer {i}") for i in range(6)
    ]
    other_staff = [staff_user] * len(applications)

    results, errors = run_concurrently(
        [
            lambda application=application, by=by: application_approve(
                application=application, by=by
            )
            for application, by in zip(applications, other_staff, strict=True)
        ]
    )

    assert errors == [None] * len(applications)
    numbers = sorted(organisation.signatory_number for organisation in results)
    assert numbers == [1, 2, 3, 4, 5, 6]
    assert SignatoryNumberSequence.objects.get(pk=1).last_number == 6


@pytest.mark.django_db(transaction=True)
def test_two_staff_approving_the_same_application_at_once_make_one_signatory(
    require_postgres, staff_user
):
    application = submit_application_for("once@example.org", public_name="Once Only")

    results, errors = run_concurrently(
        [lambda: application_approve(application=application, by=staff_user)] * 2
    )

    assert sum(result is not None for result in results) == 1, errors
    failures = [error for error in errors if error is not None]
    assert len(failures) == 1
    assert isinstance(failures[0], ServiceError)
    assert "already approved" in str(failures[0])
    assert Organisation.objects.count() == 1
    assert Application.objects.get().status == ApplicationStatus.APPROVED
    assert SignatoryNumberSequence.objects.get(pk=1).last_number == 1


def test_emails_are_plain_text_without_html_escaping(
    db, staff_user, django_capture_on_commit_callbacks
):
    application = submit_application_for("obrien@example.org", public_name="O'Brien & Sons")

    with django_capture_on_commit_callbacks(execute=True):
        application_approve(application=application, by=staff_user)

    approved = next(m for m in mail.outbox if m.to == ["obrien@example.org"])
    assert approved.subject == "O'Brien & Sons is now a signatory of the charter"
    assert "&amp;" not in approved.body and "&#x27;" not in approved.body


def test_approval_makes_the_applicant_the_data_contact_unless_one_was_named(db, staff_user):
    named = submit_application_for(
        "named@example.org",
        public_name="Named Contact",
        data_contact_name="Dee Data",
        data_contact_email="dee@example.org",
    )
    unnamed = submit_application_for("self@example.org", public_name="Self Contact")

    first = application_approve(application=named, by=staff_user)
    second = application_approve(application=unnamed, by=staff_user)

    assert (first.data_contact_name, first.data_contact_email) == ("Dee Data", "dee@example.org")
    assert second.data_contact_email == "self@example.org"

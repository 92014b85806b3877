"""The application life cycle through its services: draft, submit, request changes, reject."""

from __future__ import annotations

import pytest
from django.core import mail

from signatories.choices import ApplicationEventKind, ApplicationStatus, RejectionReason
from signatories.models import Application, ApplicationEvent
from signatories.services import ServiceError
from signatories.services.applications import (
    application_approve,
    application_comment,
    application_get_or_start,
    application_reject,
    application_request_changes,
    application_save_draft,
    application_submit,
    application_withdraw,
)
from tests.signatories.conftest import application_data


def test_it_starts_one_open_application_per_applicant(applicant):
    first = application_get_or_start(applicant=applicant)
    second = application_get_or_start(applicant=applicant)

    assert first.pk == second.pk
    assert first.status == ApplicationStatus.DRAFT
    assert Application.objects.filter(applicant=applicant).count() == 1


def test_it_saves_a_draft_without_submitting_it(applicant):
    application = application_get_or_start(applicant=applicant)

    application_save_draft(
        application=application,
        data={"public_name": "Initech", "website": "https://initech.example"},
    )

    application.refresh_from_db()
    assert application.public_name == "Initech"
    assert application.website_domain == "initech.example"
    assert application.status == ApplicationStatus.DRAFT
    assert application.submitted_at is None
    assert not application.events.exists()


def test_it_submits_records_an_event_and_emails_the_applicant(
    applicant, django_capture_on_commit_callbacks
):
    application = application_get_or_start(applicant=applicant)

    with django_capture_on_commit_callbacks(execute=True):
        application_submit(application=application, data=application_data())

    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.submitted_at is not None
    assert list(application.events.values_list("kind", "actor")) == [
        (ApplicationEventKind.SUBMITTED, applicant.pk)
    ]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["peter@initech.example"]
    assert "received your application" in mail.outbox[0].subject
    assert f"/sign/applications/{application.pk}/" in mail.outbox[0].body


def test_submitting_twice_records_one_submission(applicant, django_capture_on_commit_callbacks):
    application = application_get_or_start(applicant=applicant)

    with django_capture_on_commit_callbacks(execute=True):
        application_submit(application=application, data=application_data())
        application_submit(application=application, data=application_data(public_name="Changed"))

    application.refresh_from_db()
    assert application.public_name == "Initech"
    assert application.events.count() == 1
    assert len(mail.outbox) == 1


def test_a_submitted_application_cannot_be_edited_as_a_draft(submitted_application):
    with pytest.raises(ServiceError, match="can no longer be edited"):
        application_save_draft(application=submitted_application, data={"public_name": "Sneaky"})

    submitted_application.refresh_from_db()
    assert submitted_application.public_name == "Initech"


def test_requesting_changes_needs_a_message(submitted_application, staff_user):
    with pytest.raises(ServiceError, match="what the applicant needs to change"):
        application_request_changes(application=submitted_application, by=staff_user, message="  ")

    submitted_application.refresh_from_db()
    assert submitted_application.status == ApplicationStatus.SUBMITTED


def test_it_requests_changes_and_the_applicant_resubmits(
    submitted_application, staff_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        application_request_changes(
            application=submitted_application, by=staff_user, message="Add your company number."
        )

    submitted_application.refresh_from_db()
    assert submitted_application.status == ApplicationStatus.CHANGES_REQUESTED
    assert submitted_application.decided_at is None
    assert mail.outbox[-1].to == ["peter@initech.example"]
    assert "Add your company number." in mail.outbox[-1].body

    application_save_draft(application=submitted_application, data={"description": "Updated."})
    application_submit(
        application=submitted_application, data=application_data(description="Updated again.")
    )

    submitted_application.refresh_from_db()
    assert submitted_application.status == ApplicationStatus.SUBMITTED
    assert submitted_application.description == "Updated again."
    assert list(submitted_application.events.values_list("kind", flat=True)) == [
        ApplicationEventKind.SUBMITTED,
        ApplicationEventKind.CHANGES_REQUESTED,
        ApplicationEventKind.RESUBMITTED,
    ]


def test_it_rejects_with_a_reason_and_emails_it(
    submitted_application, staff_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        application_reject(
            application=submitted_application,
            by=staff_user,
            reason=RejectionReason.NOT_ELIGIBLE,
            note="We only accept organisations in the UK tech sector.",
        )

    submitted_application.refresh_from_db()
    assert submitted_application.status == ApplicationStatus.REJECTED
    assert submitted_application.decided_by == staff_user
    event = submitted_application.events.get(kind=ApplicationEventKind.REJECTED)
    assert event.rejection_reason == RejectionReason.NOT_ELIGIBLE
    assert event.actor == staff_user
    assert "Not eligible" in mail.outbox[-1].body
    assert "UK tech sector" in mail.outbox[-1].body


def test_rejecting_for_another_reason_needs_a_note(submitted_application, staff_user):
    with pytest.raises(ServiceError, match="Explain the reason"):
        application_reject(
            application=submitted_application, by=staff_user, reason=RejectionReason.OTHER
        )
    with pytest.raises(ServiceError, match="Choose a reason"):
        application_reject(application=submitted_application, by=staff_user, reason="made-up")

    submitted_application.refresh_from_db()
    assert submitted_application.status == ApplicationStatus.SUBMITTED


def test_an_application_is_decided_only_once(submitted_application, staff_user):
    application_reject(
        application=submitted_application, by=staff_user, reason=RejectionReason.UNVERIFIABLE
    )

    with pytest.raises(ServiceError, match="already rejected"):
        application_reject(
            application=submitted_application, by=staff_user, reason=RejectionReason.INCOMPLETE
        )
    with pytest.raises(ServiceError, match="cannot be made twice"):
        application_request_changes(
            application=submitted_application, by=staff_user, message="Too late"
        )
    assert submitted_application.events.filter(kind=ApplicationEventKind.REJECTED).count() == 1


def test_a_draft_cannot_be_decided(applicant, staff_user):
    draft = application_get_or_start(applicant=applicant)

    with pytest.raises(ServiceError, match="only once the applicant has submitted it"):
        application_request_changes(application=draft, by=staff_user, message="Hm")


def test_internal_comments_are_recorded_as_internal(submitted_application, staff_user):
    event = application_comment(
        application=submitted_application, by=staff_user, message="Checked their website."
    )

    assert event.internal is True
    assert event.kind == ApplicationEventKind.COMMENT
    with pytest.raises(ServiceError):
        application_comment(application=submitted_application, by=staff_user, message="")
    assert ApplicationEvent.objects.filter(kind=ApplicationEventKind.COMMENT).count() == 1


def test_a_rejected_applicant_can_start_a_new_application(submitted_application, staff_user):
    application_reject(
        application=submitted_application, by=staff_user, reason=RejectionReason.INCOMPLETE
    )

    fresh = application_get_or_start(applicant=submitted_application.applicant)

    assert fresh.pk != submitted_application.pk
    assert fresh.status == ApplicationStatus.DRAFT


def test_comments_are_refused_on_drafts(applicant, staff_user):
    draft = application_get_or_start(applicant=applicant)

    with pytest.raises(ServiceError, match="draft: comments can be added only while"):
        application_comment(application=draft, by=staff_user, message="Who is this?")

    assert not ApplicationEvent.objects.exists()


@pytest.mark.parametrize("decision", ["approve", "reject"])
def test_comments_are_refused_once_the_application_is_decided(
    submitted_application, staff_user, decision
):
    if decision == "approve":
        application_approve(application=submitted_application, by=staff_user)
    else:
        application_reject(
            application=submitted_application, by=staff_user, reason=RejectionReason.INCOMPLETE
        )

    with pytest.raises(ServiceError, match="comments can be added only until it is decided"):
        application_comment(application=submitted_application, by=staff_user, message="Late")

    assert not ApplicationEvent.objects.filter(kind=ApplicationEventKind.COMMENT).exists()


def test_comments_are_allowed_while_changes_are_requested(submitted_application, staff_user):
    application_request_changes(application=submitted_application, by=staff_user, message="Fix")

    event = application_comment(
        application=submitted_application, by=staff_user, message="Chased them by phone."
    )

    assert event.application_id == submitted_application.pk


@pytest.mark.parametrize("status", ["draft", "changes_requested"])
def test_the_applicant_withdraws_an_editable_application(applicant, staff_user, status):
    application = application_get_or_start(applicant=applicant)
    if status == "changes_requested":
        application_submit(application=application, data=application_data())
        application = application_request_changes(
            application=application, by=staff_user, message="Fix"
        )

    withdrawn = application_withdraw(application=application, by=applicant)

    assert withdrawn.status == ApplicationStatus.WITHDRAWN
    event = withdrawn.events.get(kind=ApplicationEventKind.WITHDRAWN)
    assert event.actor == applicant
    # Withdrawing frees the applicant to start again.
    assert application_get_or_start(applicant=applicant).pk != application.pk


def test_only_the_applicant_can_withdraw(applicant, staff_user, charlie):
    draft = application_get_or_start(applicant=applicant)

    for someone_else in (staff_user, charlie):
        with pytest.raises(ServiceError, match="Only the person who applied"):
            application_withdraw(application=draft, by=someone_else)

    draft.refresh_from_db()
    assert draft.status == ApplicationStatus.DRAFT
    assert not draft.events.exists()


def test_submitted_and_decided_applications_cannot_be_withdrawn(
    submitted_application, applicant, staff_user
):
    with pytest.raises(ServiceError, match="submitted, so it can no longer be withdrawn"):
        application_withdraw(application=submitted_application, by=applicant)
    application_approve(application=submitted_application, by=staff_user)
    with pytest.raises(ServiceError, match="approved, so it can no longer be withdrawn"):
        application_withdraw(application=submitted_application, by=applicant)

    assert not submitted_application.events.filter(kind=ApplicationEventKind.WITHDRAWN).exists()


def test_a_withdrawn_application_cannot_be_decided(applicant, staff_user):
    draft = application_get_or_start(applicant=applicant)
    application_withdraw(application=draft, by=applicant)

    with pytest.raises(ServiceError, match="withdrew this application"):
        application_reject(application=draft, by=staff_user, reason=RejectionReason.INCOMPLETE)


def test_the_submitted_event_keeps_the_applicants_note(applicant):
    application = application_get_or_start(applicant=applicant)

    application_submit(application=application, data=application_data(), note="  Not Acme.  ")

    assert application.events.get().message == "Not Acme."

"""The life of an application: draft → submitted → approved | rejected | changes_requested → …

Only charter staff decide. Every step is recorded as an ApplicationEvent (who, when, why) and
every decision emails the applicant after the transaction commits.
"""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from charter.emails import email_queue_from_templates
from charter.models import Pledge
from pledges.models import PledgeCommitment
from signatories.choices import (
    APPLICANT_EDITABLE_STATUSES,
    OPEN_APPLICATION_STATUSES,
    ApplicationEventKind,
    ApplicationStatus,
    MemberRole,
    RejectionReason,
)
from signatories.domains import website_domain
from signatories.models import (
    Application,
    ApplicationEvent,
    Membership,
    Organisation,
    Representative,
)
from signatories.services import ServiceError
from signatories.services.numbering import signatory_number_next
from signatories.slugs import unique_slug

STATEMENT_FIELDS = {
    "plan": "plan_statement",
    "policies": "policies_statement",
    "practice": "practice_statement",
}


def application_open_for(*, applicant) -> Application | None:
    return Application.objects.filter(
        applicant=applicant, status__in=OPEN_APPLICATION_STATUSES
    ).first()


def application_get_or_start(*, applicant) -> Application:
    """The applicant's open application, or a new draft.

    Two requests racing here (a double click) both try to insert; the partial unique constraint
    lets one win and the other picks up the winner's row.
    """
    existing = application_open_for(applicant=applicant)
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return Application.objects.create(applicant=applicant)
    except IntegrityError:
        return Application.objects.get(applicant=applicant, status__in=OPEN_APPLICATION_STATUSES)


def _apply_fields(application: Application, data: dict) -> None:
    for name, value in data.items():
        setattr(application, name, value)
    application.website_domain = website_domain(application.website) if application.website else ""


def application_save_draft(*, application: Application, data: dict) -> Application:
    """Keep what the applicant has typed so far, without submitting it."""
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if locked.status not in APPLICANT_EDITABLE_STATUSES:
            raise ServiceError(
                "This application has been submitted and can no longer be edited. "
                "You can edit it again if the charter team asks for changes."
            )
        _apply_fields(locked, data)
        locked.save()
    return locked


def application_submit(*, application: Application, data: dict, note: str = "") -> Application:
    """Submit (or resubmit after changes were requested) for review by charter staff.

    Submitting an application that is already submitted does nothing, so a double click or a
    refreshed form records one submission, one event and one email. ``note`` is kept on the
    event, for example the applicant's confirmation that a possible duplicate is not theirs.
    """
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if locked.status == ApplicationStatus.SUBMITTED:
            return locked
        if locked.status not in APPLICANT_EDITABLE_STATUSES:
            raise ServiceError("This application has already been decided.")
        resubmission = locked.status == ApplicationStatus.CHANGES_REQUESTED
        _apply_fields(locked, data)
        locked.status = ApplicationStatus.SUBMITTED
        if locked.submitted_at is None:
            locked.submitted_at = timezone.now()
        locked.save()
        ApplicationEvent.objects.create(
            application=locked,
            kind=(
                ApplicationEventKind.RESUBMITTED if resubmission else ApplicationEventKind.SUBMITTED
            ),
            actor=locked.applicant,
            message=note.strip(),
        )
        email_queue_from_templates(
            to=[locked.applicant.email],
            template="application_received",
            context={"application": locked, "status_url": _status_url(locked)},
        )
    return locked


def _lock_for_decision(application: Application, *, allowed: tuple[str, ...]) -> Application:
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.is_decided:
        raise ServiceError(
            f"This application was already {locked.get_status_display().lower()} "
            f"on {timezone.localtime(locked.decided_at):%d %B %Y at %H:%M}; "
            "a decision cannot be made twice."
        )
    if locked.status == ApplicationStatus.WITHDRAWN:
        raise ServiceError("The applicant withdrew this application, so it cannot be decided.")
    if locked.status not in allowed:
        raise ServiceError(
            f"This application is {locked.get_status_display().lower()}: "
            "it can be decided only once the applicant has submitted it."
        )
    return locked


def application_request_changes(*, application: Application, by, message: str) -> Application:
    message = message.strip()
    if not message:
        raise ServiceError("Say what the applicant needs to change.")
    with transaction.atomic():
        locked = _lock_for_decision(application, allowed=(ApplicationStatus.SUBMITTED,))
        locked.status = ApplicationStatus.CHANGES_REQUESTED
        locked.save(update_fields=["status", "updated_at"])
        ApplicationEvent.objects.create(
            application=locked,
            kind=ApplicationEventKind.CHANGES_REQUESTED,
            actor=by,
            message=message,
        )
        email_queue_from_templates(
            to=[locked.applicant.email],
            template="application_changes_requested",
            context={
                "application": locked,
                "message": message,
                "status_url": _status_url(locked),
            },
        )
    return locked


def application_reject(*, application: Application, by, reason: str, note: str = "") -> Application:
    if reason not in RejectionReason.values:
        raise ServiceError("Choose a reason for rejecting the application.")
    note = note.strip()
    if reason == RejectionReason.OTHER and not note:
        raise ServiceError("Explain the reason in the note when you choose 'another reason'.")
    with transaction.atomic():
        locked = _lock_for_decision(
            application,
            allowed=(ApplicationStatus.SUBMITTED, ApplicationStatus.CHANGES_REQUESTED),
        )
        locked.status = ApplicationStatus.REJECTED
        locked.decided_at = timezone.now()
        locked.decided_by = by
        locked.save(update_fields=["status", "decided_at", "decided_by", "updated_at"])
        ApplicationEvent.objects.create(
            application=locked,
            kind=ApplicationEventKind.REJECTED,
            actor=by,
            rejection_reason=reason,
            message=note,
        )
        email_queue_from_templates(
            to=[locked.applicant.email],
            template="application_rejected",
            context={
                "application": locked,
                "reason": RejectionReason(reason).label,
                "note": note,
                "status_url": _status_url(locked),
            },
        )
    return locked


def application_comment(*, application: Application, by, message: str) -> ApplicationEvent:
    """An internal note between charter staff. Applicants never see it.

    Comments belong to the review, so they are taken only while it is under way: not on a
    draft the applicant has not submitted (it is still private to them), and not once the
    application is decided, when the record of the decision must stay as it was. The row is
    locked so a comment cannot slip in beside a decision being made at the same moment.
    """
    message = message.strip()
    if not message:
        raise ServiceError("Write a comment before saving it.")
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if locked.status in (ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN):
            raise ServiceError(
                f"This application is {locked.get_status_display().lower()}: "
                "comments can be added only while it is being reviewed."
            )
        if locked.is_decided:
            raise ServiceError(
                f"This application was already {locked.get_status_display().lower()}; "
                "comments can be added only until it is decided."
            )
        return ApplicationEvent.objects.create(
            application=locked,
            kind=ApplicationEventKind.COMMENT,
            actor=by,
            message=message,
            internal=True,
        )


def application_withdraw(*, application: Application, by) -> Application:
    """The applicant closes their own draft or application sent back for changes, for example
    to join their organisation, which has already signed. Submitted applications are with the
    charter team and decided ones are final, so neither can be withdrawn. Closing it frees the
    applicant to start a new application later."""
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if locked.applicant_id != by.pk:
            raise ServiceError("Only the person who applied can withdraw an application.")
        if locked.status not in APPLICANT_EDITABLE_STATUSES:
            raise ServiceError(
                f"This application is {locked.get_status_display().lower()}, so it can no "
                "longer be withdrawn."
            )
        locked.status = ApplicationStatus.WITHDRAWN
        locked.save(update_fields=["status", "updated_at"])
        ApplicationEvent.objects.create(
            application=locked, kind=ApplicationEventKind.WITHDRAWN, actor=by
        )
    return locked


def _unique_slug(name: str) -> str:
    # Called while the numbering lock is held, so no other approval can take the same slug
    # between this check and the insert.
    return unique_slug(name, taken=lambda slug: Organisation.objects.filter(slug=slug).exists())


def application_approve(*, application: Application, by, note: str = "") -> Organisation:
    """Make the applicant's organisation a signatory, all or nothing.

    Creates the organisation with the next signatory number and today's signing date, its five
    pledge commitments, its senior representative (the first entry of their history) and the
    applicant as its first admin; records the decision; emails applicant and representative.
    """
    with transaction.atomic():
        locked = _lock_for_decision(application, allowed=(ApplicationStatus.SUBMITTED,))
        now = timezone.now()
        number = signatory_number_next()
        organisation = Organisation.objects.create(
            legal_name=locked.legal_name,
            public_name=locked.public_name,
            slug=_unique_slug(locked.public_name),
            website=locked.website,
            website_domain=locked.website_domain,
            companies_house_number=locked.companies_house_number,
            organisation_type=locked.organisation_type,
            sector=locked.sector,
            size_band=locked.size_band,
            region=locked.region,
            description=locked.description,
            # The data contact receives the yearly data request; the applicant when none given.
            data_contact_name=locked.data_contact_name or locked.applicant.get_full_name(),
            data_contact_email=locked.data_contact_email or locked.applicant.email,
            signatory_number=number,
            signed_on=timezone.localdate(now),
        )
        PledgeCommitment.objects.bulk_create(
            PledgeCommitment(
                organisation=organisation,
                pledge=pledge,
                public_statement=(
                    getattr(locked, STATEMENT_FIELDS[pledge.code])
                    if pledge.code in STATEMENT_FIELDS
                    else ""
                ),
                accepted_at=now,
            )
            for pledge in Pledge.objects.all()
        )
        representative = Representative.objects.create(
            organisation=organisation,
            full_name=locked.representative_name,
            job_title=locked.representative_job_title,
            email=locked.representative_email,
            consent_to_be_named=locked.representative_consents_to_be_named,
            named_by=locked.applicant,
            named_at=now,
        )
        Membership.objects.create(
            organisation=organisation, user=locked.applicant, role=MemberRole.ADMIN
        )
        locked.status = ApplicationStatus.APPROVED
        locked.decided_at = now
        locked.decided_by = by
        locked.organisation = organisation
        locked.save(
            update_fields=["status", "decided_at", "decided_by", "organisation", "updated_at"]
        )
        ApplicationEvent.objects.create(
            application=locked, kind=ApplicationEventKind.APPROVED, actor=by, message=note.strip()
        )
        profile_url = settings.SITE_URL + organisation.get_absolute_url()
        email_queue_from_templates(
            to=[locked.applicant.email],
            template="application_approved",
            context={
                "application": locked,
                "organisation": organisation,
                "profile_url": profile_url,
            },
        )
        email_queue_from_templates(
            to=[representative.email],
            template="representative_named",
            context={
                "organisation": organisation,
                "representative": representative,
                "named_by": locked.applicant,
                "charter_url": settings.SITE_URL + reverse("charter"),
            },
        )
    return organisation


def _status_url(application: Application) -> str:
    return settings.SITE_URL + reverse(
        "signatories:application_status", kwargs={"pk": application.pk}
    )

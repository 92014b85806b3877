"""Staff review of submitted returns that raised plausibility warnings (the outlier queue).

Staff accept a return's warnings, query them with a message the organisation answers on its
dashboard, or keep a return out of the benchmarking report. Each decision is a CycleEvent, so
the queue's history says who decided what and why. The organisation's answer is written by
pledges.services.queries; an amendment (revision_record) answers open queries itself.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.urls import NoReverseMatch, reverse

from charter.emails import email_queue_from_templates
from pledges.models import (
    CycleEvent,
    CycleEventKind,
    DataReturn,
    OutlierStatus,
    ReturnQuery,
)
from signatories.choices import MemberRole
from signatories.models import Membership
from signatories.services import ServiceError

# A return can be accepted or queried while its warnings wait for staff, or after the
# organisation answered; accepting a queried one closes the matter without waiting.
_UNDER_REVIEW = (OutlierStatus.WAITING, OutlierStatus.QUERIED, OutlierStatus.ANSWERED)


def _locked(data_return: DataReturn) -> DataReturn:
    return (
        DataReturn.objects.select_for_update(of=("self",))
        .select_related("cycle", "organisation")
        .get(pk=data_return.pk)
    )


def _event(current: DataReturn, *, kind: str, by, reason: str = "", details=None) -> CycleEvent:
    return CycleEvent.objects.create(
        cycle=current.cycle,
        organisation=current.organisation,
        kind=kind,
        by=by,
        reason=reason,
        details=details or {},
    )


def return_accept(*, data_return: DataReturn, by, note: str = "") -> DataReturn:
    """Staff accept the return's warnings: the figures stand as submitted."""
    with transaction.atomic():
        current = _locked(data_return)
        if not current.is_submitted or current.outlier_status not in _UNDER_REVIEW:
            raise ServiceError("This return has no warnings waiting for review.")
        current.outlier_status = OutlierStatus.ACCEPTED
        current.save(update_fields=["outlier_status", "updated_at"])
        _event(
            current,
            kind=CycleEventKind.ACCEPTED,
            by=by,
            reason=note.strip(),
            details={"revision": current.revision_count},
        )
    return current


def return_query(*, data_return: DataReturn, by, message: str) -> ReturnQuery:
    """Ask the organisation about its warnings. The email only says a question waits on the
    dashboard: figures never travel by email."""
    message = message.strip()
    if not message:
        raise ServiceError("Write the question the organisation should answer.")
    with transaction.atomic():
        current = _locked(data_return)
        if not current.is_submitted or current.outlier_status not in _UNDER_REVIEW:
            raise ServiceError("This return has no warnings waiting for review.")
        query = ReturnQuery.objects.create(data_return=current, message=message, asked_by=by)
        current.outlier_status = OutlierStatus.QUERIED
        current.save(update_fields=["outlier_status", "updated_at"])
        _event(
            current,
            kind=CycleEventKind.QUERIED,
            by=by,
            reason=message,
            details={"query": query.pk, "revision": current.revision_count},
        )
        recipients = query_recipients(current)
        if recipients:
            organisation = current.organisation
            path = return_page_path(organisation.slug, current.cycle.year)
            email_queue_from_templates(
                to=recipients,
                template="return_queried",
                context={
                    "organisation": organisation,
                    "year": current.cycle.year,
                    "return_url": settings.SITE_URL + path,
                },
            )
    return query


def return_page_path(slug: str, year: int) -> str:
    """The workspace return form (``pledges:data_return``, a URL every room shares). It is built
    by another room; until its URL is mounted the fixed address it will have is used."""
    try:
        return reverse("pledges:data_return", kwargs={"slug": slug, "year": year})
    except NoReverseMatch:
        return f"/dashboard/{slug}/data/{year}/"


def query_recipients(data_return: DataReturn) -> list[str]:
    """The organisation's admins and its data contact, once each."""
    organisation = data_return.organisation
    emails = list(
        Membership.objects.filter(
            organisation=organisation, role=MemberRole.ADMIN, user__is_active=True
        )
        .order_by("user__email")
        .values_list("user__email", flat=True)
    )
    if organisation.data_contact_email:
        emails.append(organisation.data_contact_email)
    return list(dict.fromkeys(email.lower() for email in emails))


def return_exclude(*, data_return: DataReturn, by, reason: str) -> DataReturn:
    """Keep the return out of the benchmarking report (its figures stay stored)."""
    reason = reason.strip()
    if not reason:
        raise ServiceError("Say why this return is left out of the report.")
    with transaction.atomic():
        current = _locked(data_return)
        if not current.is_submitted:
            raise ServiceError("Only a submitted return can be left out of the report.")
        if current.excluded_from_report:
            raise ServiceError("This return is already left out of the report.")
        current.excluded_from_report = True
        current.exclusion_reason = reason
        current.save(update_fields=["excluded_from_report", "exclusion_reason", "updated_at"])
        _event(current, kind=CycleEventKind.EXCLUDED, by=by, reason=reason)
    return current


def return_include(*, data_return: DataReturn, by, reason: str) -> DataReturn:
    """Put an excluded return back into the report."""
    reason = reason.strip()
    if not reason:
        raise ServiceError("Say why this return goes back into the report.")
    with transaction.atomic():
        current = _locked(data_return)
        if not current.excluded_from_report:
            raise ServiceError("This return is already in the report.")
        current.excluded_from_report = False
        current.exclusion_reason = ""
        current.save(update_fields=["excluded_from_report", "exclusion_reason", "updated_at"])
        _event(current, kind=CycleEventKind.INCLUDED, by=by, reason=reason)
    return current

"""The receipt of a submitted return: who is told, and what the email says.

The email carries the reference and a link, never the figures: they are special-category data
and an email is copied to mailboxes and servers we do not control. The figures stay behind the
workspace's login (the receipt page and its PDF).
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from charter.emails import email_queue_from_templates
from pledges.models import ReturnRevision
from signatories.choices import MemberRole
from signatories.models import Membership


def receipt_recipients(revision: ReturnRevision) -> list[str]:
    """The submitter, the organisation's admins and its data contact, each once."""
    organisation = revision.data_return.organisation
    emails = [revision.submitted_by.email] if revision.submitted_by else []
    emails += Membership.objects.filter(
        organisation=organisation, role=MemberRole.ADMIN
    ).values_list("user__email", flat=True)
    if organisation.data_contact_email:
        emails.append(organisation.data_contact_email)
    unique: dict[str, str] = {}
    for email in emails:
        unique.setdefault(email.lower(), email)
    return sorted(unique.values(), key=str.lower)


def receipt_url(revision: ReturnRevision) -> str:
    data_return = revision.data_return
    return settings.SITE_URL + reverse(
        "pledges:data_receipt",
        args=[data_return.organisation.slug, data_return.cycle.year, revision.number],
    )


def receipt_email_queue(revision: ReturnRevision) -> None:
    """Queue the receipt email; it leaves after the submission's transaction commits
    (charter.emails uses delay_on_commit), so a refused submission sends nothing."""
    email_queue_from_templates(
        to=receipt_recipients(revision),
        template="data_return_receipt",
        context={
            "revision": revision,
            "data_return": revision.data_return,
            "organisation": revision.data_return.organisation,
            "receipt_url": receipt_url(revision),
        },
    )

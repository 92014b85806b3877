"""At send time, is each claim of a delivery still worth sending?

The sweep decided from the data at claim time; minutes or hours may pass before a worker sends
(a queue, a retry, an SMTP outage). Each stop condition is checked again here, per claim: an
organisation whose return was submitted meanwhile is dropped from the email, and an email with
no organisation left is ``skipped`` with the reason instead of sent.
"""

from __future__ import annotations

from pledges.models import (
    ComplianceDecision,
    CycleExemption,
    CycleStatus,
    DataReturn,
    EmailOptOut,
    PledgeCommitment,
    ReminderClaim,
    ReminderDelivery,
    ReminderKind,
    ReminderPause,
    ReturnStatus,
)
from pledges.services.reminders import schedule
from pledges.services.reminders.candidates import (
    DATA_KINDS,
    digest_counts,
    organisation_deadline,
    staff_recipients,
    subject_id,
)
from signatories.choices import OrganisationStatus
from signatories.models import Invitation, JoinRequest, Representative


def claims_still_due(delivery: ReminderDelivery) -> tuple[list[ReminderClaim], str]:
    """The delivery's claims that still stand, and why none does when the list is empty."""
    if (
        delivery.is_optional
        and EmailOptOut.objects.filter(
            user__email__iexact=delivery.recipient, kind=delivery.kind
        ).exists()
    ):
        return [], "The recipient switched these emails off."
    claims = list(
        delivery.claims.select_related("organisation", "cycle").order_by(
            "organisation__public_name", "id"
        )
    )
    reasons = []
    kept = []
    for claim in claims:
        reason = claim_stop_reason(claim)
        if reason:
            reasons.append(reason)
        else:
            kept.append(claim)
    return kept, "; ".join(sorted(set(reasons))) or "Nothing left to send."


def claim_stop_reason(claim: ReminderClaim) -> str:
    """Why this claim should not be sent any more ("" when it should)."""
    organisation = claim.organisation
    if organisation is not None:
        if organisation.status != OrganisationStatus.ACTIVE:
            return f"{organisation.public_name} is {organisation.get_status_display().lower()}."
        if ReminderPause.objects.filter(organisation=organisation, resumed_at=None).exists():
            return f"Reminders to {organisation.public_name} are paused."
    kind = claim.kind
    if kind in DATA_KINDS:
        return _data_stop_reason(claim)
    if kind == ReminderKind.DATA_DELISTING:
        if ComplianceDecision.objects.filter(organisation=organisation, cycle=claim.cycle).exists():
            return "Staff decided on the delisting proposal."
        return ""
    if kind in (ReminderKind.REPRESENTATIVE_RECONFIRM, ReminderKind.REPRESENTATIVE_UNCONFIRMED):
        return _representative_stop_reason(claim)
    if kind == ReminderKind.INVITATION_EXPIRING:
        invitation = Invitation.objects.filter(pk=subject_id(claim.subject)).first()
        if invitation is None or not invitation.is_open:
            return "The invitation was accepted or cancelled."
        return ""
    if kind == ReminderKind.JOIN_REQUEST_WAITING:
        if not JoinRequest.objects.filter(pk=subject_id(claim.subject), status="pending").exists():
            return "The join request was decided."
        return ""
    if kind == ReminderKind.PLEDGE_REVIEW:
        anchor = claim.step.split(":", 1)[1]
        for reviewed_at, accepted_at in PledgeCommitment.objects.filter(
            organisation=organisation
        ).values_list("reviewed_at", "accepted_at"):
            due = schedule.pledge_review_anchor(reviewed_at=reviewed_at, accepted_at=accepted_at)
            if due.isoformat() == anchor:
                return ""
        return "The pledges were reviewed."
    if kind == ReminderKind.STAFF_DIGEST:
        return _digest_stop_reason(claim)
    # REPORT_PUBLISHED: nothing to stop once the organisation is still active (checked above).
    return ""


def _digest_stop_reason(claim: ReminderClaim) -> str:
    # Counted at the moment the digest was claimed for, as messages.py counts when it renders
    # the email, so a digest is skipped exactly when its email would say nothing waits.
    if claim.recipient not in staff_recipients():
        return "The recipient is no longer charter staff."
    if not digest_counts(at=claim.claimed_at).anything_waiting:
        return "Nothing waits on staff any more."
    return ""


def _data_stop_reason(claim: ReminderClaim) -> str:
    cycle = claim.cycle
    name = claim.organisation.public_name
    if CycleExemption.objects.filter(cycle=cycle, organisation=claim.organisation).exists():
        return f"{name} is exempt from the {cycle.year} collection."
    data_return = DataReturn.objects.filter(cycle=cycle, organisation=claim.organisation).first()
    if data_return is not None and data_return.status == ReturnStatus.SUBMITTED:
        return f"{name} submitted its {cycle.year} return."
    if claim.kind == ReminderKind.DATA_INVITATION:
        return "" if cycle.status == CycleStatus.OPEN else f"The {cycle.year} collection closed."
    deadline = organisation_deadline(
        cycle,
        data_return.grace_until if data_return else None,
        data_return.reopened_until if data_return else None,
    )
    # A grace extension or a reopen since the claim moved the deadline: the steps counted from
    # the old one are void (the sweep claims those of the new deadline).
    if claim.step.rsplit(":", 1)[1] != deadline.isoformat():
        return f"{name}'s deadline moved to {deadline:%-d %B %Y}."
    return ""


def _representative_stop_reason(claim: ReminderClaim) -> str:
    representative = Representative.objects.filter(pk=subject_id(claim.subject)).first()
    if representative is None or representative.ended_at is not None:
        return "The representative changed."
    if representative.declined_at is not None:
        return "The representative declined."
    anchor = schedule.reconfirm_anchor(
        confirmed_at=representative.confirmed_at, named_at=representative.named_at
    )
    if claim.step.rsplit(":", 1)[1] != anchor.isoformat():
        return "The representative confirmed again."
    return ""

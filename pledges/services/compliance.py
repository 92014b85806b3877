"""Staff decisions on an organisation proposed for delisting (two missed cycles in a row)."""

from __future__ import annotations

from django.db import transaction

from pledges.models import ComplianceDecision, ComplianceDecisionKind
from pledges.selectors.compliance import Standing, organisation_compliance
from signatories.models import Organisation
from signatories.services import ServiceError
from signatories.services.organisations import organisation_suspend


def _proposed_cycle(organisation: Organisation):
    """The latest missed cycle of an organisation proposed for delisting, or refuse."""
    compliance = organisation_compliance(organisation)
    if compliance is None or compliance.standing != Standing.DELISTING_PROPOSED:
        raise ServiceError(f"{organisation} is not proposed for delisting.")
    return compliance.latest_missed_cycle


def compliance_suspend(*, organisation: Organisation, by, reason: str) -> ComplianceDecision:
    """Suspend an organisation proposed for delisting: the decision and the suspension (which
    hides it from the directory and shows ``reason`` on its dashboard) in one transaction."""
    reason = reason.strip()
    if not reason:
        raise ServiceError("Give the reason: it is recorded, and the organisation sees it.")
    with transaction.atomic():
        # Locks the row first so two staff deciding at once cannot both decide.
        Organisation.objects.select_for_update().get(pk=organisation.pk)
        cycle = _proposed_cycle(organisation)
        decision = ComplianceDecision.objects.create(
            organisation=organisation,
            cycle=cycle,
            kind=ComplianceDecisionKind.SUSPEND,
            reason=reason,
            by=by,
        )
        organisation_suspend(organisation=organisation, by=by, reason=reason)
    organisation.refresh_from_db()
    return decision


def compliance_another_chance(*, organisation: Organisation, by, reason: str) -> ComplianceDecision:
    """Keep an organisation proposed for delisting on the charter: it is "not reporting" until
    it reports, and proposed again only if it misses the next cycle too."""
    reason = reason.strip()
    if not reason:
        raise ServiceError("Give the reason for another chance: it is recorded.")
    with transaction.atomic():
        Organisation.objects.select_for_update().get(pk=organisation.pk)
        cycle = _proposed_cycle(organisation)
        return ComplianceDecision.objects.create(
            organisation=organisation,
            cycle=cycle,
            kind=ComplianceDecisionKind.ANOTHER_CHANCE,
            reason=reason,
            by=by,
        )

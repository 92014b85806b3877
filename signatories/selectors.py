from __future__ import annotations

from django.db.models import QuerySet

from signatories.choices import OrganisationStatus
from signatories.models import Organisation


def public_signatories() -> QuerySet[Organisation]:
    """Organisations the public may see in the directory: active ones only."""
    return Organisation.objects.filter(status=OrganisationStatus.ACTIVE)


def signatory_count() -> int:
    return public_signatories().count()

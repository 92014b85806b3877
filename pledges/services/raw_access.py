"""Who may see raw diversity figures, and the record of every staff look at them.

Diversity figures are special-category personal data (UK GDPR art. 9). An organisation's own
members see their own figures; charter staff see them only with ``pledges.view_raw_figures``,
and every view or download a staff member makes is written to RawDataAccess in the same
request, before the figures are sent.
"""

from __future__ import annotations

from pledges.models import RawDataAccess, ReportingCycle
from signatories.models import Organisation

RAW_FIGURES_PERMISSION = "pledges.view_raw_figures"


def can_view_raw_figures(user) -> bool:
    """Staff holding the permission (superusers hold every permission)."""
    return bool(user.is_authenticated and user.has_perm(RAW_FIGURES_PERMISSION))


def record_raw_access(
    *,
    user,
    kind: str,
    cycle: ReportingCycle | None = None,
    organisation: Organisation | None = None,
    path: str = "",
) -> RawDataAccess:
    """Log one staff view or download of raw figures (kind: RawDataAccessKind)."""
    return RawDataAccess.objects.create(
        user=user, kind=kind, cycle=cycle, organisation=organisation, path=path[:500]
    )

"""One organisation's own figures, year by year, for its own benchmark page.

The only other module of ``reports`` that reads raw returns (DESIGN §2): it reads the returns of
ONE organisation, the one whose members are asking, and only the figures its benchmark compares.
Its return counts as the report counts it: submitted, not excluded by staff, figures not erased.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from pledges.models import DataReturn, ReturnStatus
from signatories.models import Organisation


def _percent(numerator: int | None, denominator: int | None) -> float | None:
    """An organisation's own share to 1 decimal place, halves away from zero (exact arithmetic).

    No small-number rule: these are the organisation's own figures, shown to its own members.
    """
    if numerator is None or not denominator:
        return None
    tenths = Fraction(1000 * numerator, denominator)
    return int(tenths + Fraction(1, 2)) / 10


@dataclass(frozen=True)
class OwnFigures:
    year: int
    tech_total: int
    women_pct: float | None
    ethnic_minority_pct: float | None
    senior_total: int | None
    senior_women_pct: float | None
    senior_ethnic_minority_pct: float | None
    # The exact women share in percent, to place against the quartiles without rounding twice.
    women_share_pct: Fraction | None

    def value(self, measure: str) -> float | None:
        return getattr(self, measure)


def own_figures(*, organisation: Organisation) -> dict[int, OwnFigures]:
    """The organisation's counted returns by year, in one query."""
    rows = (
        DataReturn.objects.filter(
            organisation=organisation,
            status=ReturnStatus.SUBMITTED,
            excluded_from_report=False,
            tech_total__isnull=False,
            figures_erased_at__isnull=True,
        )
        .order_by("cycle__year")
        .values(
            "cycle__year",
            "tech_total",
            "tech_women",
            "ethnicity_collected",
            "tech_ethnic_minority",
            "senior_total",
            "senior_women",
            "senior_ethnic_minority",
        )
    )
    found: dict[int, OwnFigures] = {}
    for row in rows:
        tech, senior = row["tech_total"], row["senior_total"]
        ethnicity = row["ethnicity_collected"]
        women_share = (
            Fraction(100 * row["tech_women"], tech)
            if tech and row["tech_women"] is not None
            else None
        )
        found[row["cycle__year"]] = OwnFigures(
            year=row["cycle__year"],
            tech_total=tech,
            women_pct=_percent(row["tech_women"], tech),
            ethnic_minority_pct=_percent(row["tech_ethnic_minority"], tech) if ethnicity else None,
            senior_total=senior,
            senior_women_pct=_percent(row["senior_women"], senior),
            senior_ethnic_minority_pct=(
                _percent(row["senior_ethnic_minority"], senior) if ethnicity else None
            ),
            women_share_pct=women_share,
        )
    return found

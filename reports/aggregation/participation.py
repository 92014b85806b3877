"""Who took part in a cycle: the response rate and the organisations that contributed data.

Both are counts and public names, never figures. The response rate's denominator is the cycle
progress's own definition of who was expected to report (``expected_organisations``: active and
signed by the closing date), less those staff exempted; its numerator, those of them whose
return counts in the report (submitted, not excluded, with figures).
"""

from __future__ import annotations

from fractions import Fraction

from django.db.models import Count, Q
from django.db.models.functions import Lower

from pledges.models import CycleExemption, ReportingCycle
from pledges.selectors.cycles import expected_organisations
from reports.aggregation.sums import _counted
from signatories.models import Organisation


def response_rate_compute(cycle: ReportingCycle) -> dict:
    """``{"expected", "counted", "rate_pct"}`` in one query."""
    exempt = CycleExemption.objects.filter(cycle=cycle).values("organisation_id")
    counted = _counted(cycle).values("organisation_id")
    totals = (
        expected_organisations(cycle)
        .exclude(pk__in=exempt)
        .aggregate(expected=Count("pk"), counted=Count("pk", filter=Q(pk__in=counted)))
    )
    return {
        "expected": totals["expected"],
        "counted": totals["counted"],
        # A share of organisations, whose counts are public and exact (rule 2): rule 3's rounding
        # applies, its small-numerator rule does not (it protects counts of people).
        "rate_pct": (
            int(Fraction(1000 * totals["counted"], totals["expected"]) + Fraction(1, 2)) / 10
            if totals["expected"]
            else None
        ),
    }


def contributors_compute(cycle: ReportingCycle) -> list[str]:
    """The public names of the organisations whose returns count, alphabetically."""
    return list(
        Organisation.objects.filter(pk__in=_counted(cycle).values("organisation_id"))
        .order_by(Lower("public_name"), "public_name")
        .values_list("public_name", flat=True)
    )

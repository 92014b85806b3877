"""A cycle's submitted returns as per-group sums, computed by the database.

One grouped query per breakdown gives every sum (``Sum``/``Count``/``Max`` with filters), and on
PostgreSQL one window query per breakdown gives the quartiles of the organisations' own women
shares, in exact ``numeric`` arithmetic. Nothing here loops over returns in Python, except the
quartiles on the embedded SQLite database (development only), which has no exact numeric type.

Returns count when submitted and not excluded by staff; a return whose figures were erased (its
retention choice, after publication) has no figures left and drops out on its own. Groups follow
the organisation's profile at the moment of aggregation.
"""

from __future__ import annotations

from fractions import Fraction

from django.db import connection
from django.db.models import Count, Max, Q, Sum

from pledges import returns_rules as rules
from pledges.models import DataReturn, ReportingCycle, ReturnStatus
from reports.aggregation.disclosure import (
    MIN_ORGANISATIONS_FOR_QUARTILES,
    GroupSums,
    Sample,
    quartiles,
)

# The four breakdowns the report and the open data publish, by Organisation column.
BREAKDOWNS = ("sector", "size_band", "region", "organisation_type")
OVERALL = ""


def _counted(cycle: ReportingCycle):
    return DataReturn.objects.filter(
        cycle=cycle,
        status=ReturnStatus.SUBMITTED,
        excluded_from_report=False,
        tech_total__isnull=False,
    )


def _sample_aggregates(prefix: str, condition: Q) -> dict:
    return {
        f"{prefix}_organisations": Count("id", filter=condition),
        f"{prefix}_tech_total": Sum("tech_total", filter=condition, default=0),
        f"{prefix}_largest": Max("tech_total", filter=condition, default=0),
    }


def _aggregates() -> dict:
    ethnicity = Q(ethnicity_collected=True)
    aggregates = {
        "organisations": Count("id"),
        "tech_total_sum": Sum("tech_total", default=0),
        "largest": Max("tech_total", default=0),
        "women": Sum("tech_women", default=0),
        "non_binary": Sum("tech_non_binary", default=0),
        "gender_undisclosed": Sum("tech_gender_undisclosed", default=0),
        "senior": Sum("senior_total", default=0),
        "senior_women_sum": Sum("senior_women", default=0),
        **_sample_aggregates("ethnicity", ethnicity),
        "ethnic_minority": Sum("tech_ethnic_minority", filter=ethnicity, default=0),
        "senior_ethnicity": Sum("senior_total", filter=ethnicity, default=0),
        "senior_ethnic_minority_sum": Sum("senior_ethnic_minority", filter=ethnicity, default=0),
    }
    for lens in rules.LENSES:
        collected = Q(**{f"{lens}_collected": True, f"{lens}__isnull": False})
        aggregates.update(_sample_aggregates(f"lens_{lens}", collected))
        aggregates[f"lens_{lens}_count"] = Sum(lens, filter=collected, default=0)
    for family in rules.FAMILIES:
        given = Q(**{f"family_{family}_total__gt": 0})
        aggregates.update(_sample_aggregates(f"family_{family}", given))
        aggregates[f"family_{family}_staff"] = Sum(
            f"family_{family}_total", filter=given, default=0
        )
        aggregates[f"family_{family}_women"] = Sum(
            f"family_{family}_women", filter=given, default=0
        )
    for practice in rules.PRACTICES:
        aggregates[f"practice_{practice}"] = Count("id", filter=Q(**{practice: True}))
    return aggregates


def _sample(row: dict, prefix: str) -> Sample:
    return Sample(
        row[f"{prefix}_organisations"], row[f"{prefix}_tech_total"], row[f"{prefix}_largest"]
    )


def _group(row: dict, code: str, women_quartiles) -> GroupSums:
    everyone = Sample(row["organisations"], row["tech_total_sum"], row["largest"])
    extra: dict[str, tuple[int, int, Sample]] = {}
    for lens in rules.LENSES:
        sample = _sample(row, f"lens_{lens}")
        extra[f"{lens}_pct"] = (row[f"lens_{lens}_count"], sample.tech_total, sample)
    for family in rules.FAMILIES:
        sample = _sample(row, f"family_{family}")
        extra[f"family_{family}_women_pct"] = (
            row[f"family_{family}_women"],
            row[f"family_{family}_staff"],
            sample,
        )
    for practice in rules.PRACTICES:
        # Adoption is a share of organisations, not of people: its sample is the whole group.
        extra[f"practice_{practice}_pct"] = (
            row[f"practice_{practice}"],
            row["organisations"],
            everyone,
        )
    return GroupSums(
        code=code,
        organisations=row["organisations"],
        tech_total=row["tech_total_sum"],
        largest_tech_total=row["largest"],
        tech_women=row["women"],
        tech_non_binary=row["non_binary"],
        tech_gender_undisclosed=row["gender_undisclosed"],
        senior_total=row["senior"],
        senior_women=row["senior_women_sum"],
        ethnicity=_sample(row, "ethnicity"),
        tech_ethnic_minority=row["ethnic_minority"],
        senior_total_ethnicity_collected=row["senior_ethnicity"],
        senior_ethnic_minority=row["senior_ethnic_minority_sum"],
        women_share_quartiles=women_quartiles,
        extra_shares=extra,
    )


def group_sums(cycle: ReportingCycle, breakdown: str | None = None) -> list[GroupSums]:
    """Sums of every group of one breakdown (``None``: the single overall group)."""
    if breakdown is not None and breakdown not in BREAKDOWNS:
        raise ValueError(f"unknown breakdown {breakdown!r}")
    returns = _counted(cycle)
    if breakdown is None:
        rows = [{"code": OVERALL, **returns.aggregate(**_aggregates())}]
    else:
        column = f"organisation__{breakdown}"
        rows = [
            {"code": row[column], **row}
            for row in returns.values(column).annotate(**_aggregates()).order_by(column)
        ]
    rows = [row for row in rows if row["organisations"]]
    women_quartiles = _women_share_quartiles(cycle, breakdown)
    return [_group(row, row["code"], women_quartiles.get(row["code"])) for row in rows]


# On PostgreSQL: the organisations' own shares as exact numerics, ranked within each group, and
# the three quartiles interpolated between the closest ranks (the "inclusive" method).
_QUARTILES_SQL = """
WITH shares AS (
    SELECT {group_column} AS code,
           r.tech_women::numeric / r.tech_total AS share,
           row_number() OVER (
               PARTITION BY {group_column} ORDER BY r.tech_women::numeric / r.tech_total
           ) AS rank,
           count(*) OVER (PARTITION BY {group_column}) AS n
      FROM pledges_datareturn r
      JOIN signatories_organisation o ON o.id = r.organisation_id
     WHERE r.cycle_id = %s AND r.status = %s AND NOT r.excluded_from_report
       AND r.tech_total > 0 AND r.tech_women IS NOT NULL
), positions AS (
    SELECT code, share, rank, n, p, (n - 1) * p AS position
      FROM shares CROSS JOIN (VALUES (0.25::numeric), (0.5), (0.75)) AS quartile(p)
)
SELECT code, p, n,
       max(share) FILTER (WHERE rank = floor(position) + 1)
       + (position - floor(position)) * coalesce(
           max(share) FILTER (WHERE rank = floor(position) + 2)
           - max(share) FILTER (WHERE rank = floor(position) + 1), 0)
  FROM positions
 GROUP BY code, p, n, position
 ORDER BY code, p
"""


def _women_share_quartiles(
    cycle: ReportingCycle, breakdown: str | None
) -> dict[str, tuple[Fraction, Fraction, Fraction] | None]:
    if connection.vendor != "postgresql":
        return _women_share_quartiles_in_python(cycle, breakdown)
    group_column = f"o.{breakdown}" if breakdown else "''"
    with connection.cursor() as cursor:
        cursor.execute(
            _QUARTILES_SQL.format(group_column=group_column),
            [cycle.pk, ReturnStatus.SUBMITTED],
        )
        found: dict[str, list[Fraction]] = {}
        counts: dict[str, int] = {}
        for code, _p, n, value in cursor.fetchall():
            found.setdefault(code, []).append(Fraction(value))
            counts[code] = n
    return {
        code: tuple(values) if counts[code] >= MIN_ORGANISATIONS_FOR_QUARTILES else None
        for code, values in found.items()
    }


def _women_share_quartiles_in_python(cycle, breakdown):
    column = f"organisation__{breakdown}" if breakdown else None
    shares: dict[str, list[Fraction]] = {}
    rows = _counted(cycle).filter(tech_total__gt=0, tech_women__isnull=False)
    fields = ["tech_women", "tech_total", *([column] if column else [])]
    for row in rows.values(*fields):
        code = row[column] if column else OVERALL
        shares.setdefault(code, []).append(Fraction(row["tech_women"], row["tech_total"]))
    return {code: quartiles(values, organisations=len(values)) for code, values in shares.items()}

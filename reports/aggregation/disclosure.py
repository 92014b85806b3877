"""The disclosure-control rules, exactly as the methodology states them (version 1).

Pure functions over per-group sums (``GroupSums``): no database, so every rule is tested on
hand-computed numbers. The rules, in order:

1. A group is published only with at least 3 organisations, at least 10 tech staff, and its
   largest organisation holding at most 80% of the group's tech staff; otherwise the cell is
   ``None`` (null in the open data).
2. Counts of people are rounded to the nearest 5 (halves up); a count below 10 is ``"<10"``.
   Organisation counts are exact.
3. Percentages come from the unrounded sums, rounded to 1 decimal place, halves away from zero;
   a percentage whose numerator is below 10 is ``None``.
4. Quartiles only where the group has at least 10 organisations, each rounded to a whole percent
   (halves up).
5. Secondary suppression: when exactly one group of a breakdown fails rule 1, the next smallest
   group (fewest organisations, then fewest tech staff, then code) is suppressed too, so the
   hidden one cannot be derived from the overall figure minus the others.

All arithmetic is exact (integers and Fractions): a share such as 57/200 is 28.5%, and rounds to
29, where a float would give 28.499999999999996.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

RULES_VERSION = 1
MIN_ORGANISATIONS = 3
MIN_TECH_STAFF = 10
MAX_LARGEST_SHARE = Fraction(80, 100)
MIN_NUMERATOR = 10
MIN_ORGANISATIONS_FOR_QUARTILES = 10
SMALL_COUNT = "<10"


@dataclass(frozen=True)
class Sample:
    """The part of a group a measure is computed over (e.g. those that collected ethnicity)."""

    organisations: int
    tech_total: int
    largest_tech_total: int

    def is_publishable(self) -> bool:
        return (
            self.organisations >= MIN_ORGANISATIONS
            and self.tech_total >= MIN_TECH_STAFF
            and self.largest_tech_total <= MAX_LARGEST_SHARE * self.tech_total
        )


@dataclass(frozen=True)
class GroupSums:
    """The unrounded sums of one group (all returns, or one value of one breakdown)."""

    code: str
    organisations: int
    tech_total: int
    largest_tech_total: int
    tech_women: int
    tech_non_binary: int
    tech_gender_undisclosed: int
    senior_total: int
    senior_women: int
    # Ethnicity over the organisations that collected it only.
    ethnicity: Sample
    tech_ethnic_minority: int
    senior_total_ethnicity_collected: int
    senior_ethnic_minority: int
    # Quartiles of the organisations' own women shares (exact), or None with under 10.
    women_share_quartiles: tuple[Fraction, Fraction, Fraction] | None = None
    # Extra measures: name -> (numerator, denominator, Sample) under the same rules.
    extra_shares: dict[str, tuple[int, int, Sample]] = field(default_factory=dict)

    @property
    def sample(self) -> Sample:
        return Sample(self.organisations, self.tech_total, self.largest_tech_total)


def round_people(count: int) -> int | str:
    """Rule 2: nearest 5, halves up; under 10 is "<10"."""
    if count < MIN_TECH_STAFF:
        return SMALL_COUNT
    return (2 * count + 5) // 10 * 5


def percentage(numerator: int, denominator: int) -> float | None:
    """Rule 3: from unrounded sums, 1 decimal place, halves away from zero (all ≥ 0 here)."""
    if numerator < MIN_NUMERATOR or denominator <= 0:
        return None
    tenths = Fraction(1000 * numerator, denominator)
    return int(tenths + Fraction(1, 2)) / 10


def whole_percent(share: Fraction) -> int:
    """Rule 4's rounding: a share (0–1) as a whole percent, halves up."""
    return int(share * 100 + Fraction(1, 2))


def quartiles(
    values: list[Fraction], *, organisations: int
) -> tuple[Fraction, Fraction, Fraction] | None:
    """Lower quartile, median, upper quartile by linear interpolation between closest ranks
    (``statistics.quantiles(method="inclusive")``, numpy's default, PostgreSQL's
    ``percentile_cont``), exactly. None under rule 4's minimum."""
    if organisations < MIN_ORGANISATIONS_FOR_QUARTILES or len(values) < 2:
        return None
    ordered = sorted(values)
    last = len(ordered) - 1

    def at(p: Fraction) -> Fraction:
        position = last * p
        below = int(position)
        fraction = position - below
        if below >= last:
            return ordered[last]
        return ordered[below] + fraction * (ordered[below + 1] - ordered[below])

    return at(Fraction(1, 4)), at(Fraction(1, 2)), at(Fraction(3, 4))


def _share(numerator: int, denominator: int, sample: Sample) -> float | None:
    return percentage(numerator, denominator) if sample.is_publishable() else None


def cell(group: GroupSums) -> dict | None:
    """The published cell of one group, or None when rule 1 suppresses it."""
    if not group.sample.is_publishable():
        return None
    published = {
        "organisations": group.organisations,
        "tech_total": round_people(group.tech_total),
        "women_pct": percentage(group.tech_women, group.tech_total),
        "ethnic_minority_pct": _share(
            group.tech_ethnic_minority, group.ethnicity.tech_total, group.ethnicity
        ),
        "senior_women_pct": percentage(group.senior_women, group.senior_total),
        "senior_ethnic_minority_pct": _share(
            group.senior_ethnic_minority, group.senior_total_ethnicity_collected, group.ethnicity
        ),
        "women_pct_quartiles": (
            [whole_percent(value) for value in group.women_share_quartiles]
            if group.women_share_quartiles is not None
            and group.organisations >= MIN_ORGANISATIONS_FOR_QUARTILES
            else None
        ),
        "ethnicity_sample": {
            "organisations": group.ethnicity.organisations,
            "tech_total": round_people(group.ethnicity.tech_total),
        },
        "women_and_non_binary_pct": percentage(
            group.tech_women + group.tech_non_binary, group.tech_total
        ),
        "gender_undisclosed_pct": percentage(group.tech_gender_undisclosed, group.tech_total),
        "senior_total": round_people(group.senior_total),
    }
    for name, (numerator, denominator, sample) in group.extra_shares.items():
        published[name] = _share(numerator, denominator, sample)
    return published


def _size_order(group: GroupSums) -> tuple[int, int, str]:
    return group.organisations, group.tech_total, group.code


def breakdown_cells(groups: list[GroupSums]) -> tuple[dict[str, dict | None], int]:
    """Every value of one breakdown → its cell (None if suppressed), and how many were
    suppressed (primary and secondary). Rule 5 is applied here."""
    failing = [group for group in groups if not group.sample.is_publishable()]
    secondary: set[str] = set()
    if len(failing) == 1:
        passing = sorted(
            (group for group in groups if group.sample.is_publishable()), key=_size_order
        )
        if passing:
            secondary.add(passing[0].code)
    cells = {
        group.code: None if group.code in secondary else cell(group)
        for group in sorted(groups, key=lambda group: group.code)
    }
    return cells, sum(1 for value in cells.values() if value is None)

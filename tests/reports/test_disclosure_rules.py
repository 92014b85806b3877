"""The disclosure-control rules one by one, on hand-computed numbers (no database)."""

from __future__ import annotations

import statistics
from fractions import Fraction

import pytest

from reports.aggregation.disclosure import (
    GroupSums,
    Sample,
    breakdown_cells,
    cell,
    percentage,
    quartiles,
    round_people,
    whole_percent,
)


def group(code="software", *, organisations=3, tech_total=100, largest=40, women=27, **fields):
    values = {
        "code": code,
        "organisations": organisations,
        "tech_total": tech_total,
        "largest_tech_total": largest,
        "tech_women": women,
        "tech_non_binary": 2,
        "tech_gender_undisclosed": 3,
        "senior_total": 20,
        "senior_women": 10,
        "ethnicity": Sample(organisations, tech_total, largest),
        "tech_ethnic_minority": 25,
        "senior_total_ethnicity_collected": 20,
        "senior_ethnic_minority": 4,
    }
    values.update(fields)
    return GroupSums(**values)


# ---- rule 1: at least 3 organisations, 10 tech staff, largest at most 80% -------------------


def test_two_organisations_are_never_published():
    assert cell(group(organisations=2)) is None
    assert cell(group(organisations=3)) is not None


def test_fewer_than_ten_tech_staff_are_never_published():
    assert cell(group(tech_total=9, largest=3, women=2)) is None
    assert cell(group(tech_total=10, largest=4, women=2)) is not None


def test_a_dominant_organisation_suppresses_its_group():
    assert cell(group(tech_total=100, largest=81)) is None
    assert cell(group(tech_total=100, largest=80)) is not None  # exactly 80% is allowed


# ---- rule 2: people to the nearest 5, under 10 shown as "<10" --------------------------------


@pytest.mark.parametrize(
    ("count", "shown"),
    [(0, "<10"), (9, "<10"), (10, 10), (12, 10), (13, 15), (17, 15), (18, 20), (1002, 1000)],
)
def test_counts_of_people_round_to_the_nearest_five(count, shown):
    assert round_people(count) == shown


def test_organisation_counts_are_exact():
    assert cell(group(organisations=7))["organisations"] == 7


# ---- rule 3: percentages from unrounded sums, 1 dp halves away from zero, numerator ≥ 10 ------


def test_a_numerator_of_nine_gives_no_percentage():
    assert percentage(9, 100) is None
    assert percentage(10, 100) == 10.0
    published = cell(group(women=9))
    assert published["women_pct"] is None
    assert published["organisations"] == 3  # the rest of the cell stands


def test_halves_round_away_from_zero():
    assert percentage(49, 400) == 12.3  # 12.25% exactly → 12.3
    assert percentage(201, 2000) == 10.1  # 10.05% exactly → 10.1 (a float gives 10.049…)
    assert percentage(57, 200) == 28.5
    assert percentage(17, 160) == 10.6  # 10.625% is not a half at one decimal place
    assert percentage(1001, 8000) == 12.5  # 12.5125%


def test_percentages_use_unrounded_sums():
    # 27 of 103: 26.21…%; rounded counts (25 of 105) would say 23.8%.
    assert cell(group(tech_total=103, women=27))["women_pct"] == 26.2


def test_ethnicity_is_over_the_organisations_that_collected_it():
    published = cell(
        group(ethnicity=Sample(3, 60, 20), tech_ethnic_minority=15)  # 15 of 60
    )
    assert published["ethnic_minority_pct"] == 25.0
    assert published["ethnicity_sample"] == {"organisations": 3, "tech_total": 60}
    # Too few organisations collected it: no ethnicity figure, the cell still stands.
    assert cell(group(ethnicity=Sample(2, 60, 30)))["ethnic_minority_pct"] is None


# ---- rule 4: quartiles with at least 10 organisations, whole percent halves up ----------------


def shares(*values):
    return [Fraction(value) for value in values]


def test_quartiles_match_the_inclusive_method():
    values = shares("0.1", "0.2", "0.25", "0.3", "0.35", "0.4", "0.45", "0.5", "0.6", "0.7")
    expected = statistics.quantiles([float(v) for v in values], n=4, method="inclusive")
    assert [float(q) for q in quartiles(values, organisations=10)] == pytest.approx(expected)


def test_nine_organisations_give_no_quartiles_and_ten_do():
    values = shares(*[f"0.{n}" for n in range(1, 11)])
    assert quartiles(values[:9], organisations=9) is None
    assert quartiles(values, organisations=10) is not None
    nine = group(organisations=9, women_share_quartiles=(Fraction(1, 5),) * 3)
    assert cell(nine)["women_pct_quartiles"] is None


def test_quartiles_round_halves_up_to_whole_percent():
    assert whole_percent(Fraction(57, 200)) == 29  # 28.5 → 29 (a float would give 28)
    assert whole_percent(Fraction(1, 8)) == 13  # 12.5 → 13
    assert whole_percent(Fraction(249, 1000)) == 25
    ten = group(
        organisations=10,
        women_share_quartiles=(Fraction(1, 8), Fraction(57, 200), Fraction(3, 8)),
    )
    assert cell(ten)["women_pct_quartiles"] == [13, 29, 38]


# ---- rule 5: exactly one failing group takes the next smallest with it ------------------------


def test_exactly_one_suppressed_group_takes_the_next_smallest_with_it():
    groups = [
        group("london", organisations=6, tech_total=300, largest=60),
        group("scotland", organisations=3, tech_total=90, largest=30),
        group("wales", organisations=3, tech_total=80, largest=30),  # smallest by staff
        group("north-west", organisations=2, tech_total=50, largest=30),  # fails rule 1
    ]
    cells, suppressed = breakdown_cells(groups)
    assert cells["north-west"] is None
    assert cells["wales"] is None  # same organisations as scotland, fewer staff
    assert cells["scotland"] is not None and cells["london"] is not None
    assert suppressed == 2


def test_ties_in_size_fall_to_the_code():
    groups = [
        group("b", organisations=3, tech_total=90, largest=30),
        group("a", organisations=3, tech_total=90, largest=30),
        group("z", organisations=1, tech_total=40, largest=40),
    ]
    cells, _ = breakdown_cells(groups)
    assert cells["a"] is None and cells["b"] is not None


def test_two_failing_groups_need_no_secondary_suppression():
    groups = [
        group("london", organisations=6, tech_total=300, largest=60),
        group("scotland", organisations=3, tech_total=90, largest=30),
        group("wales", organisations=2, tech_total=80, largest=40),
        group("north-west", organisations=1, tech_total=50, largest=50),
    ]
    cells, suppressed = breakdown_cells(groups)
    assert cells["scotland"] is not None
    assert suppressed == 2

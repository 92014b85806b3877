"""The data return's rules, one by one (pledges.returns_rules: pure, no database)."""

from __future__ import annotations

import datetime as dt

from pledges.returns_rules import figures_errors, figures_warnings, sections_incomplete

WINDOW = {"window_starts_on": dt.date(2026, 3, 1), "window_ends_on": dt.date(2026, 9, 30)}
GOOD = {
    "snapshot_date": dt.date(2026, 5, 1),
    "total_employees": 100,
    "tech_total": 40,
    "tech_women": 10,
    "tech_men": 28,
    "tech_non_binary": 1,
    "tech_gender_undisclosed": 1,
    "ethnicity_collected": True,
    "tech_ethnic_minority": 8,
    "tech_white": 30,
    "tech_ethnicity_undisclosed": 2,
    "senior_total": 5,
    "senior_women": 1,
    "senior_ethnic_minority": 1,
}


def codes(figures):
    return [problem.code for problem in figures_errors(figures, **WINDOW)]


def test_good_figures_have_no_error():
    assert codes(GOOD) == []


def test_each_rule():
    assert codes({**GOOD, "tech_men": -1}) == ["whole_number"]
    assert codes({**GOOD, "tech_women": 11}) == ["gender_sum"]
    assert codes({**GOOD, "tech_white": 31}) == ["ethnicity_sum"]
    assert codes({**GOOD, "ethnicity_collected": False}) == ["ethnicity_not_collected"]
    empty = dict.fromkeys(("tech_ethnic_minority", "tech_white", "tech_ethnicity_undisclosed"))
    assert codes({**GOOD, "ethnicity_collected": False, **empty}) == []
    assert codes({**GOOD, "senior_women": 6}) == ["over_senior"]
    assert codes({**GOOD, "total_employees": 39}) == ["tech_over_total"]
    assert codes({**GOOD, "snapshot_date": dt.date(2026, 10, 1)}) == ["outside_window"]
    assert codes({**GOOD, "disabled_collected": True, "disabled": 41}) == ["lens_over_tech"]
    assert codes({**GOOD, "family_data_total": 3, "family_data_women": 4}) == [
        "family_women_over_total"
    ]
    assert codes({**GOOD, "family_data_total": 41}) == ["families_over_tech"]


def test_warnings_and_sections():
    warned = figures_warnings(GOOD, previous=GOOD, size_band="10-49")
    assert [w.code for w in warned] == ["identical_to_last_year", "outside_size_band"]
    jump = figures_warnings({**GOOD, "tech_total": 90}, previous=GOOD, size_band="50-249")
    assert "tech_total_jump" in [w.code for w in jump]
    assert sections_incomplete(GOOD) == []
    assert sections_incomplete({}) == ["headcount", "gender", "ethnicity", "senior"]

"""The data return's rules as pure functions over a dict of figures.

Forms, services and the CSV import all call these, so a rule lives in one place. Nothing here
touches the database: the caller passes the cycle's snapshot window, the previous submitted
return's figures and the organisation's size band.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

GENDER_FIELDS = ("tech_women", "tech_men", "tech_non_binary", "tech_gender_undisclosed")
ETHNICITY_FIELDS = ("tech_ethnic_minority", "tech_white", "tech_ethnicity_undisclosed")
SENIOR_PARTS = ("senior_women", "senior_ethnic_minority")
LENSES = ("disabled", "neurodivergent", "low_socioeconomic", "trans")
FAMILIES = (
    "software",
    "data",
    "infrastructure",
    "security",
    "product_design",
    "it_support",
    "other",
)
PRACTICES = (
    "women_on_shortlists",
    "gender_neutral_adverts",
    "structured_interviews",
    "anonymised_cv_screening",
    "flexible_working_day_one",
    "returner_programme",
    "schools_outreach",
    "published_pay_gap",
)
FAMILY_FIELDS = tuple(f"family_{code}_{part}" for code in FAMILIES for part in ("total", "women"))
# Every whole-number figure, in the order the form and the CSV show them.
COUNT_FIELDS = (
    "total_employees",
    "tech_total",
    *GENDER_FIELDS,
    *ETHNICITY_FIELDS,
    "senior_total",
    *SENIOR_PARTS,
    *LENSES,
    *FAMILY_FIELDS,
)
# The columns the CSV import and export use, in order (issue 11).
CSV_COLUMNS = (
    "signatory_number",
    "year",
    "snapshot_date",
    "total_employees",
    "tech_total",
    *GENDER_FIELDS,
    *ETHNICITY_FIELDS,
    "senior_total",
    *SENIOR_PARTS,
)
# Size band codes (signatories.choices.SizeBand) as inclusive ranges; None = no upper bound.
SIZE_BAND_RANGES = {
    "1-9": (1, 9),
    "10-49": (10, 49),
    "50-249": (50, 249),
    "250-999": (250, 999),
    "1000-4999": (1000, 4999),
    "5000+": (5000, None),
}
SECTIONS = {
    "headcount": ("snapshot_date", "total_employees", "tech_total"),
    "gender": GENDER_FIELDS,
    "ethnicity": ETHNICITY_FIELDS,
    "senior": ("senior_total", *SENIOR_PARTS),
}


@dataclass(frozen=True)
class Problem:
    """One error or warning: the field it is about, a code, and what to do about it."""

    field: str
    code: str
    message: str


def _n(figures: dict, name: str) -> int:
    value = figures.get(name)
    return value if isinstance(value, int) else 0


def figures_errors(
    figures: dict, *, window_starts_on: dt.date, window_ends_on: dt.date
) -> list[Problem]:
    """Every rule the figures break (empty when they may be submitted)."""
    errors: list[Problem] = []
    for name in COUNT_FIELDS:
        value = figures.get(name)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            errors.append(Problem(name, "whole_number", "Enter a whole number, 0 or more."))
    if errors:
        return errors
    snapshot = figures.get("snapshot_date")
    if snapshot is None:
        errors.append(Problem("snapshot_date", "required", "Enter the snapshot date."))
    elif not window_starts_on <= snapshot <= window_ends_on:
        errors.append(
            Problem(
                "snapshot_date",
                "outside_window",
                f"The snapshot date must be between {window_starts_on:%-d %B %Y} and "
                f"{window_ends_on:%-d %B %Y}.",
            )
        )
    for name in ("total_employees", "tech_total", *GENDER_FIELDS, "senior_total", *SENIOR_PARTS):
        if figures.get(name) is None:
            errors.append(Problem(name, "required", "Enter a number (0 if none)."))
    tech = _n(figures, "tech_total")
    if tech > _n(figures, "total_employees"):
        errors.append(
            Problem(
                "tech_total",
                "tech_over_total",
                "Tech employees cannot be more than total employees.",
            )
        )
    gender = sum(_n(figures, name) for name in GENDER_FIELDS)
    if gender != tech:
        errors.append(
            Problem(
                "tech_women",
                "gender_sum",
                f"Women, men, non-binary and not disclosed add up to {gender}; they must add "
                f"up to the {tech} tech employees.",
            )
        )
    if figures.get("ethnicity_collected", True):
        ethnicity = sum(_n(figures, name) for name in ETHNICITY_FIELDS)
        if any(figures.get(name) is None for name in ETHNICITY_FIELDS):
            errors.append(
                Problem(
                    "tech_ethnic_minority",
                    "required",
                    "Enter the three ethnicity figures, or say you did not collect ethnicity.",
                )
            )
        elif ethnicity != tech:
            errors.append(
                Problem(
                    "tech_ethnic_minority",
                    "ethnicity_sum",
                    f"The ethnicity figures add up to {ethnicity}; they must add up to the "
                    f"{tech} tech employees.",
                )
            )
    elif any(figures.get(name) is not None for name in ETHNICITY_FIELDS):
        errors.append(
            Problem(
                "tech_ethnic_minority",
                "ethnicity_not_collected",
                "Leave the ethnicity figures empty when you did not collect ethnicity.",
            )
        )
    senior = _n(figures, "senior_total")
    for name in SENIOR_PARTS:
        if _n(figures, name) > senior:
            errors.append(
                Problem(name, "over_senior", "This cannot be more than the senior total.")
            )
    if senior > tech:
        errors.append(
            Problem(
                "senior_total",
                "senior_over_tech",
                "Senior tech roles cannot be more than tech employees.",
            )
        )
    for lens in LENSES:
        if figures.get(f"{lens}_collected") and figures.get(lens) is None:
            errors.append(Problem(lens, "required", "Enter a number, or choose not collected."))
        if _n(figures, lens) > tech:
            errors.append(
                Problem(lens, "lens_over_tech", "This cannot be more than tech employees.")
            )
    families = 0
    for code in FAMILIES:
        total, women = _n(figures, f"family_{code}_total"), _n(figures, f"family_{code}_women")
        families += total
        if women > total:
            errors.append(
                Problem(
                    f"family_{code}_women",
                    "family_women_over_total",
                    "Women in this job family cannot be more than its total.",
                )
            )
    if families > tech:
        errors.append(
            Problem(
                "family_software_total",
                "families_over_tech",
                f"The job families add up to {families}, more than the {tech} tech employees.",
            )
        )
    return errors


# The sections' names, as the return page and the reminder emails list them.
SECTION_LEGENDS = {
    "headcount": "Headcount",
    "gender": "Tech employees by gender",
    "ethnicity": "Tech employees by ethnicity",
    "senior": "Senior tech roles",
    "lenses": "Other characteristics (optional)",
    "families": "Job families (optional)",
    "practices": "Practices in place",
    "retention": "After the report is published",
}


def sections_incomplete(figures: dict) -> list[str]:
    """The names of the required sections (SECTIONS) with a figure still empty."""
    incomplete = []
    for section, names in SECTIONS.items():
        if section == "ethnicity" and not figures.get("ethnicity_collected", True):
            continue
        if any(figures.get(name) is None for name in names):
            incomplete.append(section)
    return incomplete


def _women_share(figures: dict) -> float | None:
    tech = _n(figures, "tech_total")
    return 100 * _n(figures, "tech_women") / tech if tech else None


def figures_warnings(
    figures: dict, *, previous: dict | None, size_band: str | None
) -> list[Problem]:
    """Plausibility warnings: the submitter confirms or explains each; they never refuse."""
    warnings: list[Problem] = []
    tech = _n(figures, "tech_total")
    if previous:
        before = _n(previous, "tech_total")
        change = abs(tech - before)
        if change > 20 and (before == 0 or change > before / 2):
            warnings.append(
                Problem(
                    "tech_total",
                    "tech_total_jump",
                    f"Tech employees went from {before} last year to {tech}.",
                )
            )
        now, then = _women_share(figures), _women_share(previous)
        if tech >= 20 and now is not None and then is not None and abs(now - then) > 10:
            warnings.append(
                Problem(
                    "tech_women",
                    "women_share_jump",
                    f"Women's share of tech went from {then:.0f}% last year to {now:.0f}%.",
                )
            )
        if all(figures.get(name) == previous.get(name) for name in COUNT_FIELDS):
            warnings.append(
                Problem(
                    "total_employees",
                    "identical_to_last_year",
                    "Every figure is the same as last year.",
                )
            )
    if size_band in SIZE_BAND_RANGES and figures.get("total_employees") is not None:
        low, high = SIZE_BAND_RANGES[size_band]
        total = figures["total_employees"]
        if total < low or (high is not None and total > high):
            warnings.append(
                Problem(
                    "total_employees",
                    "outside_size_band",
                    f"{total} employees is outside your profile's size band ({size_band}).",
                )
            )
    return warnings

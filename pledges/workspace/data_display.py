"""The figures of a return or revision as the read-only tables of the receipt, its PDF and the
closed return show them: one row a figure, grouped by section, "Not collected" spelt out."""

from __future__ import annotations

from pledges import returns_rules as rules
from pledges.models.returns import Figures
from pledges.returns_rules import SECTION_LEGENDS
from pledges.services.returns import figure_label as _label


def _count(value) -> str:
    return "Not given" if value is None else f"{value:,}"


def _practice(value) -> str:
    return {True: "Yes", False: "No"}.get(value, "Not answered")


def figure_sections(figures: Figures) -> list[tuple[str, list[tuple[str, str]]]]:
    """[(legend, [(label, shown value)])] for every section of the return."""
    get = figures.figures()
    date = get["snapshot_date"]
    headcount = [
        ("Snapshot date", f"{date:%-d %B %Y}" if date else "Not given"),
        (_label("total_employees"), _count(get["total_employees"])),
        (_label("tech_total"), _count(get["tech_total"])),
    ]
    gender = [(_label(name), _count(get[name])) for name in rules.GENDER_FIELDS]
    if get["ethnicity_collected"]:
        ethnicity = [(_label(name), _count(get[name])) for name in rules.ETHNICITY_FIELDS]
    else:
        ethnicity = [("Ethnicity", "Not collected")]
    senior = [(_label(name), _count(get[name])) for name in ("senior_total", *rules.SENIOR_PARTS)]
    lenses = [
        (_label(lens), _count(get[lens]) if get[f"{lens}_collected"] else "Not collected")
        for lens in rules.LENSES
    ]
    families = [
        (
            _label(f"family_{code}_total"),
            f"{_count(get[f'family_{code}_total'])} (women: {_count(get[f'family_{code}_women'])})",
        )
        for code in rules.FAMILIES
        if get[f"family_{code}_total"] is not None or get[f"family_{code}_women"] is not None
    ] or [("Job families", "Not given")]
    practices = [(_label(name), _practice(get[name])) for name in rules.PRACTICES]
    return [
        (SECTION_LEGENDS["headcount"], headcount),
        (SECTION_LEGENDS["gender"], gender),
        (SECTION_LEGENDS["ethnicity"], ethnicity),
        (SECTION_LEGENDS["senior"], senior),
        (SECTION_LEGENDS["lenses"], lenses),
        (SECTION_LEGENDS["families"], families),
        (SECTION_LEGENDS["practices"], practices),
    ]

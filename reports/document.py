"""The report document: one context, one template, two outputs.

``report_document_context`` turns a report's frozen ``cells`` and ``content`` into what
``templates/reports/public/report.html`` shows; the public page renders it in the site's layout
and ``report_pdf_render`` prints it through WeasyPrint (tagged PDF/UA-1). Nothing here reads the
database beyond the report row itself: a published report is drawn from what was frozen.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from reports.aggregation.labels import FAMILY_LABELS, LENS_LABELS, PRACTICE_LABELS
from reports.charts import Chart, Series, bar_chart
from reports.models import BenchmarkReport
from reports.pdf import render_pdf
from signatories.choices import OrganisationType, Region, Sector, SizeBand

TEMPLATE = "reports/public/report.html"
PAGE_BASE = "base.html"
PDF_BASE = "reports/public/document_pdf.html"

BREAKDOWN_NAMES = {
    "sector": ("sector", Sector),
    "size_band": ("size of organisation", SizeBand),
    "region": ("region", Region),
    "organisation_type": ("type of organisation", OrganisationType),
}

# The key figures, in the order the report shows them: (cell key, the sentence after the figure,
# the figure's name when it is suppressed, unit).
KEY_FIGURES = (
    ("organisations", "organisations reported", "Organisations reported", "organisations"),
    ("tech_total", "tech staff covered", "Tech staff covered", "people"),
    ("women_pct", "of tech roles are held by women", "Women's share of tech roles", "%"),
    (
        "women_and_non_binary_pct",
        "of tech roles are held by women and non-binary people",
        "Women's and non-binary people's share of tech roles",
        "%",
    ),
    (
        "ethnic_minority_pct",
        "of tech roles are held by ethnic minority people",
        "Ethnic minority share of tech roles",
        "%",
    ),
    (
        "senior_women_pct",
        "of senior tech roles are held by women",
        "Women's share of senior tech roles",
        "%",
    ),
    (
        "senior_ethnic_minority_pct",
        "of senior tech roles are held by ethnic minority people",
        "Ethnic minority share of senior tech roles",
        "%",
    ),
)


@dataclass(frozen=True)
class KeyFigure:
    key: str
    label: str
    name: str
    unit: str
    value: float | int | str | None
    previous: float | int | str | None
    previous_year: int | None
    # Signed change (percentage points for shares), or None when it cannot be stated.
    change: Decimal | int | None

    @property
    def is_shown(self) -> bool:
        return isinstance(self.value, int | float) or self.value == "<10"

    @property
    def direction(self) -> str:
        if self.change is None:
            return ""
        return "up" if self.change > 0 else "down" if self.change < 0 else "unchanged"

    @property
    def change_size(self) -> Decimal | int | None:
        return abs(self.change) if self.change is not None else None


def _change(value, previous, unit: str) -> Decimal | int | None:
    numeric = (int, float)
    if not isinstance(value, numeric) or not isinstance(previous, numeric):
        return None  # suppressed, "<10" or missing in either year
    if unit == "%":
        # Both are published 1-decimal figures: Decimal keeps 28.1 - 27.3 at exactly 0.8.
        return Decimal(str(value)) - Decimal(str(previous))
    return value - previous


def key_figures(overall: dict | None, previous: dict | None) -> list[KeyFigure]:
    previous_cell = (previous or {}).get("overall") or {}
    figures = []
    for key, label, name, unit in KEY_FIGURES:
        value = overall.get(key) if overall else None
        before = previous_cell.get(key)
        figures.append(
            KeyFigure(
                key=key,
                label=label,
                name=name,
                unit=unit,
                value=value,
                previous=before,
                previous_year=previous["year"] if previous else None,
                change=_change(value, before, unit) if previous else None,
            )
        )
    return figures


def _label(choices, code: str) -> str:
    try:
        return str(choices(code).label)
    except ValueError:
        return code


def _measure(cell: dict | None, key: str):
    return cell.get(key) if cell else None


def breakdown_chart(
    cells: dict, *, breakdown: str, measures: list[tuple[str, str]], title: str
) -> Chart:
    """One bar per value of a breakdown (and per measure, when there are several)."""
    name, choices = BREAKDOWN_NAMES[breakdown]
    groups = cells["breakdowns"].get(breakdown, {})
    codes = list(groups)
    return bar_chart(
        chart_id=f"chart-{measures[0][0].replace('_', '-')}-{breakdown.replace('_', '-')}",
        title=f"{title} by {name}, {cells['year']}",
        categories=[_label(choices, code) for code in codes],
        category_name=name.capitalize(),
        series=[
            Series(series_name, [_measure(groups[code], key) for code in codes])
            for key, series_name in measures
        ],
    )


def _overall_chart(
    cells: dict, *, chart_id: str, title: str, labels: dict, key: str, category_name: str
) -> Chart:
    """One bar per lens, family or practice, over all respondents; ``key`` formats the code
    into the cell's key ("family_{}_women_pct")."""
    overall = cells["overall"]
    return bar_chart(
        chart_id=chart_id,
        title=f"{title}, {cells['year']}",
        categories=list(labels.values()),
        category_name=category_name,
        series=[
            Series(str(cells["year"]), [_measure(overall, key.format(code)) for code in labels])
        ],
    )


# The lenses charted across breakdowns: (section id, heading, breakdowns, measures, chart title).
BREAKDOWN_LENSES = (
    (
        "gender",
        "Gender",
        tuple(BREAKDOWN_NAMES),
        [("women_pct", "Women")],
        "Women's share of tech roles",
    ),
    (
        "ethnicity",
        "Ethnicity",
        tuple(BREAKDOWN_NAMES),
        [("ethnic_minority_pct", "Ethnic minority")],
        "Ethnic minority share of tech roles",
    ),
    (
        "seniority",
        "Seniority",
        ("sector", "size_band"),
        [("senior_women_pct", "Women"), ("senior_ethnic_minority_pct", "Ethnic minority")],
        "Shares of senior tech roles",
    ),
)


# The measures charted over all respondents: (section id, heading, chart id, chart title,
# labels by code, what the categories are, the cell key's format).
OVERALL_LENSES = (
    (
        "optional-lenses",
        "Disability, neurodivergence, background and trans people",
        "chart-lenses",
        "Share of tech staff, among the organisations that collected each",
        LENS_LABELS,
        "Group of people",
        "{}_pct",
    ),
    (
        "job-families",
        "Job families",
        "chart-families",
        "Women's share of each job family",
        FAMILY_LABELS,
        "Job family",
        "family_{}_women_pct",
    ),
    (
        "practices",
        "Practices adopted",
        "chart-practices",
        "Share of organisations that adopted each practice",
        PRACTICE_LABELS,
        "Practice",
        "practice_{}_pct",
    ),
)


def _overall_section(cells: dict, entry: tuple) -> dict:
    section_id, heading, chart_id, title, labels, category_name, key = entry
    chart = _overall_chart(
        cells,
        chart_id=chart_id,
        title=title,
        labels=labels,
        key=key,
        category_name=category_name,
    )
    return {"id": section_id, "title": heading, "charts": [chart]}


def lens_sections(cells: dict) -> list[dict]:
    """One section per lens: its headline figures and its charts."""
    sections = [
        {
            "id": section_id,
            "title": heading,
            "charts": [
                breakdown_chart(cells, breakdown=breakdown, measures=measures, title=title)
                for breakdown in breakdowns
            ],
        }
        for section_id, heading, breakdowns, measures, title in BREAKDOWN_LENSES
    ]
    sections[1]["sample"] = _measure(cells["overall"], "ethnicity_sample")
    return [*sections, *(_overall_section(cells, entry) for entry in OVERALL_LENSES[:2])]


def practices_chart(cells: dict) -> Chart:
    return _overall_section(cells, OVERALL_LENSES[2])["charts"][0]


def signatory_base_charts(base: dict) -> list[Chart]:
    growth = base["growth"]
    charts = [
        bar_chart(
            chart_id="chart-signatories-growth",
            title="Active signatories by the year they signed, cumulative",
            categories=[str(point["year"]) for point in growth],
            series=[Series("Signatories", [point["cumulative"] for point in growth])],
            unit="organisations",
            category_name="Year",
        )
    ]
    for key, name in (("by_region", "region"), ("by_sector", "sector"), ("by_size_band", "size")):
        rows = base[key]
        charts.append(
            bar_chart(
                chart_id=f"chart-signatories-{key.replace('_', '-')}",
                title=f"Active signatories by {name}",
                categories=[row["label"] for row in rows],
                series=[Series("Signatories", [row["count"] for row in rows])],
                unit="organisations",
                category_name=name.capitalize(),
            )
        )
    return charts


YEAR_ON_YEAR_MEASURES = (
    ("women_pct", "Women in tech roles"),
    ("ethnic_minority_pct", "Ethnic minority people in tech roles"),
    ("senior_women_pct", "Women in senior tech roles"),
)


def year_on_year_context(cells: dict, comparison: dict | None) -> dict | None:
    if comparison is None:
        return None
    year, previous_year = cells["year"], comparison["previous_year"]
    rows = []
    for key, label in YEAR_ON_YEAR_MEASURES:
        matched_now = _measure(comparison["this_year"], key)
        matched_before = _measure(comparison["previous"], key)
        everyone_now = _measure(cells["overall"], key)
        everyone_before = _measure(comparison.get("all_previous"), key)
        rows.append(
            {
                "label": label,
                "matched_previous": matched_before,
                "matched": matched_now,
                "matched_change": _change(matched_now, matched_before, "%"),
                "all_previous": everyone_before,
                "all": everyone_now,
                "all_change": _change(everyone_now, everyone_before, "%"),
            }
        )
    chart = bar_chart(
        chart_id="chart-year-on-year",
        title=f"The same organisations in {previous_year} and {year}",
        categories=[row["label"] for row in rows],
        category_name="Measure",
        series=[
            Series(str(previous_year), [row["matched_previous"] for row in rows]),
            Series(str(year), [row["matched"] for row in rows]),
        ],
    )
    return {
        "previous_year": previous_year,
        "organisations": comparison["organisations"],
        "rows": rows,
        "chart": chart if comparison["this_year"] is not None else None,
    }


def contributor_groups(names: list[str]) -> list[tuple[str, list[str]]]:
    """The names (already sorted) by initial, each initial one paragraph of names. Not a list
    item per name: WeasyPrint took 16–27 s to lay out 9,000 list items (in columns or inline),
    and about 4 s for the same names as paragraphs, well inside the report's 10 s budget."""
    groups: dict[str, list[str]] = {}
    for name in names:
        initial = name[:1].upper()
        groups.setdefault(initial if initial.isalpha() else "#", []).append(name)
    return list(groups.items())


def report_document_context(report: BenchmarkReport, *, draft: bool) -> dict:
    """What the report template needs, from the report's frozen cells and content."""
    cells, content = report.cells, report.content
    overall = cells["overall"]
    methodology = cells["methodology"]
    return {
        "base_template": PAGE_BASE,
        "report": report,
        "year": cells["year"],
        "draft": draft,
        "foreword": report.foreword,
        "correction_note": report.correction_note if report.is_correction else "",
        "overall": overall,
        "key_figures": key_figures(overall, content.get("previous")),
        "previous": content.get("previous"),
        "signatory_base": content["signatory_base"],
        "signatory_base_charts": signatory_base_charts(content["signatory_base"]),
        "lens_sections": lens_sections(cells),
        "practices_chart": practices_chart(cells),
        "year_on_year": year_on_year_context(cells, content.get("year_on_year")),
        "response_rate": content["response_rate"],
        "contributors": content["contributors"],
        "contributor_groups": contributor_groups(content["contributors"]),
        "national": content["national_context"],
        "methodology": methodology,
    }


def report_pdf_render(report: BenchmarkReport, *, draft: bool) -> bytes:
    """The report as a tagged PDF (PDF/UA-1): title, language, bookmarks from the headings."""
    context = {**report_document_context(report, draft=draft), "base_template": PDF_BASE}
    return render_pdf(TEMPLATE, context, pdf_variant="pdf/ua-1")

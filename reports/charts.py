"""Server-side SVG bar charts for the report: the same markup in the HTML page and the PDF.

No JavaScript: a chart is geometry computed here and drawn by ``reports/public/_chart.html``,
which puts beside every chart a real table of the same figures and a sentence that says what
the chart shows (its text alternative). Colours are the Okabe–Ito palette, which stays apart
for the common colour-vision deficiencies; colour is never the only cue: every bar carries its
value as text, and a second series is hatched as well as coloured, with a legend.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Okabe & Ito (2008), "Color Universal Design": blue, orange, bluish green, reddish purple.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7")
SUPPRESSED = "suppressed"

WIDTH = 640
LABEL_WIDTH = 250  # category names, right-aligned against the plot
VALUE_WIDTH = 80  # room for the value printed after the longest bar
BAR_HEIGHT = 14
BAR_GAP = 2
ROW_GAP = 10
TOP = 8
LEGEND_HEIGHT = 24


@dataclass(frozen=True)
class Series:
    name: str
    values: list[float | int | None]


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    fill: str
    # The id of the hatching pattern (second and later series), "" for a plain fill.
    pattern: str
    value_label: str
    label_x: float
    label_y: float


@dataclass(frozen=True)
class Category:
    label: str
    label_y: float
    # The table row: the category's value in each series, as shown.
    cells: list[str]


@dataclass(frozen=True)
class LegendEntry:
    name: str
    x: float
    fill: str
    pattern: str

    @property
    def text_x(self) -> float:
        return self.x + 20


@dataclass(frozen=True)
class Chart:
    chart_id: str
    title: str
    summary: str
    unit: str
    width: int
    height: int
    plot_x: float
    plot_bottom: float
    series_names: list[str]
    categories: list[Category]
    bars: list[Bar]
    legend: list[LegendEntry] = field(default_factory=list)
    legend_y: float = 0
    patterns: list[tuple[str, str]] = field(default_factory=list)  # (id, colour)
    # The heading of the table's first column: what the categories are.
    category_name: str = "Group"

    @property
    def label_x(self) -> float:
        return self.plot_x - 6

    @property
    def legend_swatch_y(self) -> float:
        return self.legend_y - 10

    @property
    def axis_top(self) -> float:
        return float(TOP + (LEGEND_HEIGHT if self.legend else 0) - 4)

    @property
    def has_suppressed(self) -> bool:
        return any(SUPPRESSED in category.cells for category in self.categories)


def shown(value: float | int | None, unit: str) -> str:
    if value is None:
        return SUPPRESSED
    if unit == "%":
        return f"{value:.1f}%"
    return f"{value:,}"


def _summary(categories: list[str], series: list[Series], unit: str) -> str:
    """One sentence per series: its highest and lowest published values, and what is hidden."""
    sentences = []
    for one in series:
        known = [(value, label) for label, value in zip(categories, one.values, strict=True)]
        published = [(value, label) for value, label in known if value is not None]
        prefix = f"{one.name}: " if len(series) > 1 else ""
        if not published:
            sentences.append(f"{prefix}every figure is suppressed.")
            continue
        highest = max(published, key=lambda pair: pair[0])
        lowest = min(published, key=lambda pair: pair[0])
        if len(published) == 1:
            sentence = f"{prefix}{highest[1]}, {shown(highest[0], unit)}"
        else:
            sentence = (
                f"{prefix}highest {highest[1]}, {shown(highest[0], unit)}; "
                f"lowest {lowest[1]}, {shown(lowest[0], unit)}"
            )
        hidden = len(known) - len(published)
        if hidden:
            sentence += f"; {hidden} suppressed"
        sentences.append(sentence + ".")
    return " ".join(sentences)


def bar_chart(
    *,
    chart_id: str,
    title: str,
    categories: list[str],
    series: list[Series],
    unit: str = "%",
    category_name: str = "Group",
) -> Chart:
    """Horizontal bars, one group per category and one bar per series. ``unit`` "%" scales the
    plot to 0–100; any other unit to the largest value."""
    plot_x = float(LABEL_WIDTH)
    plot_width = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    values = [value for one in series for value in one.values if value is not None]
    maximum = 100.0 if unit == "%" else float(max(values, default=0) or 1)
    group_height = len(series) * (BAR_HEIGHT + BAR_GAP) - BAR_GAP
    legend_height = LEGEND_HEIGHT if len(series) > 1 else 0
    patterns = [
        (f"{chart_id}-hatch-{index}", PALETTE[index % len(PALETTE)])
        for index in range(1, len(series))
    ]
    bars: list[Bar] = []
    rows: list[Category] = []
    y = float(TOP + legend_height)
    for position, label in enumerate(categories):
        for index, one in enumerate(series):
            value = one.values[position]
            bar_y = y + index * (BAR_HEIGHT + BAR_GAP)
            width = 0.0 if value is None else round(plot_width * float(value) / maximum, 1)
            bars.append(
                Bar(
                    x=plot_x,
                    y=round(bar_y, 1),
                    width=width,
                    height=BAR_HEIGHT,
                    fill=PALETTE[index % len(PALETTE)],
                    pattern=f"{chart_id}-hatch-{index}" if index else "",
                    value_label=shown(value, unit),
                    label_x=round(plot_x + width + 4, 1),
                    label_y=round(bar_y + BAR_HEIGHT - 3, 1),
                )
            )
        rows.append(
            Category(
                label=label,
                label_y=round(y + group_height / 2 + 4, 1),
                cells=[shown(one.values[position], unit) for one in series],
            )
        )
        y += group_height + ROW_GAP
    legend = [
        LegendEntry(
            name=one.name,
            x=float(LABEL_WIDTH + index * 170),
            fill=PALETTE[index % len(PALETTE)],
            pattern=f"{chart_id}-hatch-{index}" if index else "",
        )
        for index, one in enumerate(series)
    ]
    height = int(y - ROW_GAP + TOP)
    return Chart(
        chart_id=chart_id,
        title=title,
        summary=_summary(categories, series, unit),
        unit=unit,
        width=WIDTH,
        height=max(height, TOP * 2 + BAR_HEIGHT),
        plot_x=plot_x,
        plot_bottom=float(height - TOP + 4),
        series_names=[one.name for one in series],
        categories=rows,
        bars=bars,
        legend=legend if len(series) > 1 else [],
        legend_y=float(TOP + 12),
        patterns=patterns,
        category_name=category_name,
    )

"""The report's server-side SVG charts: valid SVG, named for assistive technology, a real data
table beside each, and a colour-blind-safe palette that is never the only cue."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree

from django.template.loader import render_to_string

from reports.charts import PALETTE, Series, bar_chart

SVG = "{http://www.w3.org/2000/svg}"


def rendered(chart) -> str:
    return render_to_string("reports/public/_chart.html", {"chart": chart})


def svg_of(html: str) -> ElementTree.Element:
    start, end = html.index("<svg"), html.index("</svg>") + len("</svg>")
    # Parsing as XML proves it is well-formed; the namespace makes it SVG to the parser.
    markup = html[start:end].replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1)
    return ElementTree.fromstring(markup)


def sector_chart():
    return bar_chart(
        chart_id="chart-women-sector",
        title="Women's share of tech roles by sector, 2025",
        categories=["Software and IT services", "Financial services", "Retail and e-commerce"],
        series=[Series("Women", [31.2, None, 22.0])],
    )


def test_it_draws_one_bar_per_published_value_and_says_suppressed_for_the_others():
    chart = sector_chart()

    widths = [bar.width for bar in chart.bars]
    # 0–100% over the 310 units between the labels and the value column.
    assert widths == [96.7, 0.0, 68.2]
    assert [bar.value_label for bar in chart.bars] == ["31.2%", "suppressed", "22.0%"]
    assert chart.summary == (
        "highest Software and IT services, 31.2%; lowest Retail and e-commerce, 22.0%; "
        "1 suppressed."
    )


def test_it_renders_valid_svg_labelled_by_its_title_and_description():
    html = rendered(sector_chart())
    svg = svg_of(html)

    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "chart-women-sector-title chart-women-sector-desc"
    assert svg.find(f"{SVG}title").get("id") == "chart-women-sector-title"
    assert svg.find(f"{SVG}title").text == "Women's share of tech roles by sector, 2025"
    assert svg.find(f"{SVG}desc").text.startswith("highest Software and IT services, 31.2%")
    # Two bars drawn (the suppressed one has none); every value written as text on the chart.
    assert len(svg.findall(f"{SVG}rect")) == 2
    texts = [text.text for text in svg.iter(f"{SVG}text")]
    assert {"31.2%", "suppressed", "22.0%", "Financial services"} <= set(texts)
    # The text alternative is also visible, under the chart.
    assert "1 suppressed." in html[html.index("<figcaption") :]


def test_it_puts_a_table_of_the_same_figures_beside_the_chart():
    html = rendered(sector_chart())
    table = ElementTree.fromstring(html[html.index("<table") : html.index("</table>") + 8])

    assert table.find("caption").text == "Women's share of tech roles by sector, 2025: the figures"
    assert [th.get("scope") for th in table.iter("th")] == ["col", "col", "row", "row", "row"]
    rows = [[cell.text for cell in row] for row in table.find("tbody")]
    assert rows == [
        ["Software and IT services", "31.2%"],
        ["Financial services", "suppressed"],
        ["Retail and e-commerce", "22.0%"],
    ]


def test_it_tells_two_series_apart_by_pattern_and_legend_not_colour_alone():
    chart = bar_chart(
        chart_id="chart-yoy",
        title="The same organisations",
        categories=["Women in tech roles", "Women in senior tech roles"],
        series=[Series("2024", [25.0, 33.3]), Series("2025", [30.0, 50.0])],
    )
    svg = svg_of(rendered(chart))

    assert [bar.fill for bar in chart.bars] == [PALETTE[0], PALETTE[1]] * 2
    assert [bar.pattern for bar in chart.bars] == ["", "chart-yoy-hatch-1"] * 2
    patterns = svg.findall(f"{SVG}defs/{SVG}pattern")
    assert [pattern.get("id") for pattern in patterns] == ["chart-yoy-hatch-1"]
    fills = [rect.get("fill") for rect in svg.findall(f"{SVG}rect")]
    assert fills.count("url(#chart-yoy-hatch-1)") == 3  # two bars and the legend's swatch
    texts = [text.text for text in svg.iter(f"{SVG}text")]
    assert "2024" in texts and "2025" in texts  # the legend names both
    assert chart.summary == (
        "2024: highest Women in senior tech roles, 33.3%; lowest Women in tech roles, 25.0%. "
        "2025: highest Women in senior tech roles, 50.0%; lowest Women in tech roles, 30.0%."
    )


def test_it_uses_the_okabe_ito_palette():
    assert PALETTE == ("#0072B2", "#E69F00", "#009E73", "#CC79A7")


def test_it_scales_counts_to_the_largest_value():
    chart = bar_chart(
        chart_id="chart-growth",
        title="Signatories",
        categories=["2023", "2024"],
        series=[Series("Signatories", [145, 290])],
        unit="organisations",
    )

    assert [bar.width for bar in chart.bars] == [155.0, 310.0]
    assert [bar.value_label for bar in chart.bars] == ["145", "290"]


def test_it_says_so_when_every_figure_is_suppressed():
    chart = bar_chart(
        chart_id="chart-empty",
        title="Job families",
        categories=["Data", "Security"],
        series=[Series("2025", [None, None])],
    )

    assert chart.summary == "every figure is suppressed."
    assert chart.has_suppressed

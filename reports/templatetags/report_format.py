"""How the report writes its figures: suppressed cells, small counts and changes in words."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.safestring import SafeString

from pledges.markdown import markdown_to_safe_html
from reports.aggregation.disclosure import SMALL_COUNT
from reports.charts import SUPPRESSED

register = template.Library()


def _missing(value) -> bool:
    # None in the cells; "" is what a template reads from a suppressed (null) cell's key.
    return value is None or value == ""


@register.filter
def pct(value) -> str:
    """27.3 → "27.3%"; a null share → "suppressed" (the methodology says why)."""
    if _missing(value):
        return SUPPRESSED
    return f"{value:.1f}%"


@register.filter
def people(value) -> str:
    """A rounded count of people: "<10" → "fewer than 10", null → "suppressed"."""
    if _missing(value):
        return SUPPRESSED
    if value == SMALL_COUNT:
        return "fewer than 10"
    return intcomma(value)


@register.filter
def whole_pct(value) -> str:
    return SUPPRESSED if _missing(value) else f"{value}%"


@register.filter
def points(change) -> str:
    """A change of a share, in percentage points: Decimal("-1.2") → "1.2 percentage points"."""
    size = abs(Decimal(str(change)))
    unit = "percentage point" if size == 1 else "percentage points"
    return f"{size:.1f} {unit}"


@register.filter
def signed_points(change) -> str:
    if change is None:
        return "–"
    value = Decimal(str(change))
    sign = "+" if value > 0 else "−" if value < 0 else ""
    return f"{sign}{abs(value):.1f}"


@register.filter
def foreword_html(text: str) -> SafeString:
    """The staff-written foreword, through the practices' Markdown and its sanitiser."""
    return markdown_to_safe_html(text)

"""How the benchmark pages write a figure: a share, a change in points, a missing value."""

from __future__ import annotations

from django import template

register = template.Library()

NOT_PUBLISHED = "not published"


@register.filter
def percent(value) -> str:
    """27.5 → "27.5%"; None (suppressed, under 10, not collected) → "not published"."""
    if value is None:
        return NOT_PUBLISHED
    return f"{value:g}%" if isinstance(value, int) else f"{value:.1f}%"


def _with_sign(value, text: str) -> str:
    if value is None:
        return "–"
    if value == 0:
        return "no change"
    return f"{'+' if value > 0 else '−'}{text}"


@register.filter
def points(value) -> str:
    """A change in percentage points with its sign: +1.5 points, −0.3 points, no change."""
    return _with_sign(value, f"{abs(value or 0):.1f} points")


@register.filter
def signed(value) -> str:
    """A change in a count with its sign: +12, −3, no change."""
    return _with_sign(value, f"{abs(value or 0)}")

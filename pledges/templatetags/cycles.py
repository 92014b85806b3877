"""Showing a CycleEvent's details: what changed, before and after."""

from __future__ import annotations

from django import template

register = template.Library()

LABELS = {
    "window_starts_on": "Snapshot window starts",
    "window_ends_on": "Snapshot window ends",
    "opens_on": "Opens on",
    "closes_on": "Closes on",
    "introduction": "Introduction",
    "status": "State",
    "exempt": "Exempt",
    "exemption_reason": "Reason it was exempt",
    "reopened_until": "Can be changed until",
    "grace_until": "Deadline",
    "days": "Days asked for",
    "request_reason": "Reason given by the organisation",
    "reminder_days_before": "Reminders, days before closing",
    "reminder_days_after": "Reminders, days after closing",
}


def _shown(value) -> str:
    if value is None or value == "":
        return "(none)"
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value) or "(none)"
    return str(value)


@register.filter
def event_changes(details: dict) -> list[dict]:
    """[{label, before, after}] for a change, [{label, value}] for a plain fact."""
    rows = []
    for name, value in (details or {}).items():
        label = LABELS.get(name, name.replace("_", " ").capitalize())
        if isinstance(value, dict) and set(value) == {"before", "after"}:
            rows.append(
                {"label": label, "before": _shown(value["before"]), "after": _shown(value["after"])}
            )
        else:
            rows.append({"label": label, "value": _shown(value)})
    return rows

"""Showing reminders: a step's stored name ("before:7:2026-10-31") as people read it."""

from __future__ import annotations

from django import template

from pledges.services.reminders.schedule import step_label as label_of_step

register = template.Library()


@register.filter
def step_label(step: str) -> str:
    return label_of_step(step)

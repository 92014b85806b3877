"""The names of the optional lenses, job families and practices, as the data return form
shows them (the DataReturn fields' verbose names), for the report's charts and tables. Here
because only reports.aggregation may import the returns model; no figures are read."""

from __future__ import annotations

from pledges import returns_rules as rules
from pledges.models import DataReturn


def _label(field_name: str) -> str:
    return str(DataReturn._meta.get_field(field_name).verbose_name)


LENS_LABELS = {lens: _label(lens) for lens in rules.LENSES}
FAMILY_LABELS = {family: _label(f"family_{family}_total") for family in rules.FAMILIES}
PRACTICE_LABELS = {practice: _label(practice) for practice in rules.PRACTICES}

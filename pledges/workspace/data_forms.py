"""The data return's forms. They turn what was typed into the figures dict of
pledges.returns_rules and check only that each entry is a whole number or a date; every rule
about the figures themselves is applied by the services (returns_rules), so it lives once."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core import signing

from pledges import returns_rules as rules
from pledges.models import DataReturn, GraceRequest, Retention
from pledges.models.returns import FIGURE_FIELDS
from pledges.services.queries import ANSWER_MAX_LENGTH
from pledges.services.returns import figure_label as _label

COUNT_ERRORS = {
    "invalid": "Enter a whole number, like 12.",
    "min_value": "Enter 0 or more.",
    "max_value": "Enter a number under 10,000,000.",
}
COLLECTED_CHOICES = [("no", "Not collected"), ("yes", "Collected")]
YES_NO = [("yes", "Yes"), ("no", "No")]
NOTE_MAX_LENGTH = 500
OPENED_SALT = "pledges.data_return.opened"
CONFIRMED_NOTE = "Confirmed: the figure is right."
LENS_HELP = {
    "disabled": "People who consider themselves disabled.",
    "neurodivergent": "People who told you they are neurodivergent.",
    "low_socioeconomic": "For example, whose parents did routine or manual work.",
    "trans": "People whose gender differs from the one they were given at birth.",
}
# What each section of the form holds, in order, with its legend.


def _count(name: str, **kwargs) -> forms.IntegerField:
    kwargs.setdefault("label", _label(name))
    return forms.IntegerField(
        required=False,
        min_value=0,
        max_value=9_999_999,
        error_messages=COUNT_ERRORS,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "input--number"}),
        **kwargs,
    )


def _yes_no(value) -> bool | None:
    return {"yes": True, "no": False}.get(value)


class ReturnForm(forms.Form):
    """Every figure of the return, the keep-or-delete choice, and what a submission may need:
    a note for each plausibility warning and the reason a late return is late."""

    # The version of the draft the member opened; a save from an older one is refused.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    # The figures the member opened, signed: if someone else saves first, the page can say
    # exactly what they changed (the draft keeps no history of its own).
    opened = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, warning_codes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["snapshot_date"] = forms.DateField(
            label="Snapshot date",
            required=False,
            help_text="The day your figures describe, inside the snapshot window.",
            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            error_messages={"invalid": "Enter a real date, like 2026-04-05."},
        )
        self.fields["total_employees"] = _count(
            "total_employees", help_text="Everyone you employ, tech or not."
        )
        self.fields["tech_total"] = _count(
            "tech_total", help_text="People in technology roles, whatever their department."
        )
        for name in rules.GENDER_FIELDS:
            self.fields[name] = _count(name)
        self.fields["ethnicity_not_collected"] = forms.BooleanField(
            label="We did not collect ethnicity", required=False
        )
        for name in rules.ETHNICITY_FIELDS:
            self.fields[name] = _count(name)
        self.fields["senior_total"] = _count(
            "senior_total", help_text="Heads of, directors and above, in technology."
        )
        for name in rules.SENIOR_PARTS:
            self.fields[name] = _count(name)
        for lens in rules.LENSES:
            self.fields[f"{lens}_collected"] = forms.ChoiceField(
                label=_label(lens),
                choices=COLLECTED_CHOICES,
                initial="no",
                widget=forms.RadioSelect,
                help_text=LENS_HELP[lens],
            )
            self.fields[lens] = _count(lens, label=f"{_label(lens)}: number of tech employees")
        for code in rules.FAMILIES:
            self.fields[f"family_{code}_total"] = _count(f"family_{code}_total", label="Total")
            self.fields[f"family_{code}_women"] = _count(f"family_{code}_women", label="Women")
        for name in rules.PRACTICES:
            self.fields[name] = forms.ChoiceField(
                label=_label(name), choices=YES_NO, required=False, widget=forms.RadioSelect
            )
        self.fields["retention"] = forms.ChoiceField(
            label="Your detailed figures once the report is published",
            choices=Retention.choices,
            initial=Retention.KEEP,
            widget=forms.RadioSelect,
            help_text="If you choose delete, only the fact and date of your submission are kept. "
            "The published report does not change.",
        )
        self.fields["late_reason"] = forms.CharField(
            label="Why is the return late?",
            required=False,
            max_length=2000,
            widget=forms.Textarea(attrs={"rows": 3}),
        )
        self.warning_codes = list(dict.fromkeys(warning_codes))
        for code in self.warning_codes:
            self.add_warning_fields(code)

    def add_warning_fields(self, code: str) -> None:
        if f"note_{code}" in self.fields:
            return
        self.fields[f"confirm_{code}"] = forms.BooleanField(
            label="The figure is right", required=False
        )
        self.fields[f"note_{code}"] = forms.CharField(
            label="Or explain it in a short note",
            required=False,
            max_length=NOTE_MAX_LENGTH,
        )

    @staticmethod
    def warning_codes_in(data) -> list[str]:
        """The warnings the page showed, from the note fields it posted back."""
        return [key.removeprefix("note_") for key in data if key.startswith("note_")]

    @staticmethod
    def sign_opened(data_return: DataReturn) -> str:
        figures = data_return.figures()
        if figures["snapshot_date"] is not None:
            figures["snapshot_date"] = figures["snapshot_date"].isoformat()
        return signing.dumps(figures, salt=OPENED_SALT, compress=True)

    def opened_figures(self) -> dict | None:
        """The figures the member opened, or None when the signed copy is missing or altered."""
        try:
            figures = signing.loads(self.cleaned_data.get("opened") or "", salt=OPENED_SALT)
        except signing.BadSignature:
            return None
        if set(figures) != set(FIGURE_FIELDS):
            return None
        if figures["snapshot_date"]:
            figures["snapshot_date"] = dt.date.fromisoformat(figures["snapshot_date"])
        return figures

    @staticmethod
    def initial_for(data_return: DataReturn) -> dict:
        initial = {name: getattr(data_return, name) for name in rules.COUNT_FIELDS}
        initial.update(
            snapshot_date=data_return.snapshot_date,
            ethnicity_not_collected=not data_return.ethnicity_collected,
            retention=data_return.retention,
            version=data_return.version,
            opened=ReturnForm.sign_opened(data_return),
        )
        for lens in rules.LENSES:
            initial[f"{lens}_collected"] = (
                "yes" if getattr(data_return, f"{lens}_collected") else "no"
            )
        for name in rules.PRACTICES:
            value = getattr(data_return, name)
            initial[name] = "" if value is None else ("yes" if value else "no")
        return initial

    def clean(self):
        cleaned = super().clean()
        for lens in rules.LENSES:
            if cleaned.get(f"{lens}_collected") == "no" and cleaned.get(lens) is not None:
                self.add_error(lens, 'Choose "Collected" to give this number, or leave it empty.')
        return cleaned

    def figures(self) -> dict:
        """The figures dict of pledges.returns_rules (FIGURE_FIELDS)."""
        data = self.cleaned_data
        figures = {name: data.get(name) for name in rules.COUNT_FIELDS}
        figures["snapshot_date"] = data.get("snapshot_date")
        figures["ethnicity_collected"] = not data.get("ethnicity_not_collected")
        for lens in rules.LENSES:
            figures[f"{lens}_collected"] = data.get(f"{lens}_collected") == "yes"
        for name in rules.PRACTICES:
            figures[name] = _yes_no(data.get(name))
        return figures

    def notes(self) -> dict[str, str]:
        """Each warning's note: what was written, or the confirmation ticked."""
        notes = {}
        for code in self.warning_codes:
            note = (self.cleaned_data.get(f"note_{code}") or "").strip()
            if not note and self.cleaned_data.get(f"confirm_{code}"):
                note = CONFIRMED_NOTE
            if note:
                notes[code] = note
        return notes

    def section(self, key: str) -> list:
        return [self[name] for name in SECTION_FIELDS[key]]

    # The template's sections, as bound fields (templates cannot index by a computed name).
    @property
    def headcount_fields(self) -> list:
        return self.section("headcount")

    @property
    def gender_fields(self) -> list:
        return self.section("gender")

    @property
    def ethnicity_fields(self) -> list:
        return self.section("ethnicity")

    @property
    def senior_fields(self) -> list:
        return self.section("senior")

    @property
    def practice_fields(self) -> list:
        return self.section("practices")

    @property
    def lens_rows(self) -> list[tuple]:
        return [(self[f"{lens}_collected"], self[lens]) for lens in rules.LENSES]

    @property
    def family_rows(self) -> list[tuple]:
        return [
            (
                _label(f"family_{code}_total"),
                self[f"family_{code}_total"],
                self[f"family_{code}_women"],
            )
            for code in rules.FAMILIES
        ]


SECTION_FIELDS = {
    "headcount": ("snapshot_date", "total_employees", "tech_total"),
    "gender": rules.GENDER_FIELDS,
    "ethnicity": ("ethnicity_not_collected", *rules.ETHNICITY_FIELDS),
    "senior": ("senior_total", *rules.SENIOR_PARTS),
    "practices": rules.PRACTICES,
}


class GraceForm(forms.Form):
    days = forms.IntegerField(
        label="How many more days do you need?",
        min_value=1,
        max_value=GraceRequest.MAX_DAYS,
        help_text=f"Up to {GraceRequest.MAX_DAYS} days after the closing date.",
        error_messages={
            "required": "Enter the number of days.",
            "invalid": "Enter a whole number of days, like 14.",
            "min_value": "Ask for at least 1 day.",
            "max_value": f"Ask for {GraceRequest.MAX_DAYS} days or fewer.",
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "input--number"}),
    )
    reason = forms.CharField(
        label="Why do you need more time?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say why you need more time."},
    )


class QueryAnswerForm(forms.Form):
    answer = forms.CharField(
        label="Your answer",
        max_length=ANSWER_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Write your answer."},
    )

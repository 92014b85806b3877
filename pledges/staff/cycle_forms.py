"""Charter staff's forms for running a reporting cycle. They only clean input: the rules about
dates, states and deadlines are pledges.services.cycles', whose CycleInvalid problems the views
put next to the fields named here."""

from __future__ import annotations

import datetime as dt

from django import forms

from pledges.selectors.cycles import organisation_by_signatory_number


class DateInput(forms.DateInput):
    """A date picker. A refused value that is not a date is not put back: an ``<input
    type="date">`` can only hold an ISO date (the browser would show it empty anyway, and HTML
    forbids any other value), so the field comes back empty with its error next to it."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")

    def format_value(self, value):
        if isinstance(value, str):
            try:
                dt.date.fromisoformat(value)
            except ValueError:
                return None
        return super().format_value(value)


def _date(label: str, *, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DateInput(), help_text=help_text)


def _reason(label: str, *, required: bool, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=2000,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CycleForm(forms.Form):
    """The dates and introduction of a draft cycle (the create form adds the year)."""

    window_starts_on = _date(
        "Snapshot window starts",
        required=False,
        help_text="Each return's headcount date must fall inside the window. "
        "Leave empty for 1 March.",
    )
    window_ends_on = _date(
        "Snapshot window ends", required=False, help_text="Leave empty for 30 September."
    )
    opens_on = _date("Opens on", help_text="Signatories can fill in their return from this day.")
    closes_on = _date("Closes on", help_text="The last day to submit without being late.")
    introduction = forms.CharField(
        label="Introduction",
        required=False,
        max_length=5000,
        help_text="Shown to signatories at the top of the return.",
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class CycleCreateForm(CycleForm):
    year = forms.IntegerField(label="Year", min_value=2000, max_value=2100)
    field_order = ["year"]


class CycleEditForm(CycleForm):
    # An edit needs its dates: the defaults apply only when a cycle is created.
    window_starts_on = _date("Snapshot window starts")
    window_ends_on = _date("Snapshot window ends")
    reason = _reason("Why the change (optional)", required=False)


class CycleOpenForm(forms.Form):
    reason = _reason("Note (optional)", required=False)


class CycleCloseForm(forms.Form):
    reason = _reason("Note (optional)", required=False)


class CycleExtendForm(forms.Form):
    closes_on = _date("New closing date")
    reason = _reason("Why the extension", required=True, help_text="Recorded on the cycle.")


class OrganisationNumberField(forms.IntegerField):
    """A signatory number, cleaned to its Organisation."""

    def __init__(self, **kwargs):
        super().__init__(label="Signatory number", min_value=1, **kwargs)

    def clean(self, value):
        number = super().clean(value)
        organisation = organisation_by_signatory_number(number)
        if organisation is None:
            raise forms.ValidationError(f"No signatory has the number {number}.")
        return organisation


class ExemptForm(forms.Form):
    organisation = OrganisationNumberField()
    reason = _reason(
        "Why this organisation is exempt",
        required=True,
        help_text="For example: no tech staff on the snapshot date.",
    )


class ExemptionRemoveForm(forms.Form):
    reason = _reason("Why the exemption is removed", required=True)


class ReopenForm(forms.Form):
    organisation = OrganisationNumberField()
    until = _date("New deadline", help_text="The return can be changed until this day.")
    reason = _reason("Why the return is reopened", required=True)


class GraceGrantForm(forms.Form):
    note = _reason("Note to the organisation (optional)", required=False)


class GraceRefuseForm(forms.Form):
    note = _reason("Why the extension is refused", required=True)


class AccessLogFilterForm(forms.Form):
    cycle = forms.TypedChoiceField(label="Cycle", required=False, coerce=int, empty_value=None)

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cycle"].choices = [("", "Every cycle")] + [(y, str(y)) for y in years]

"""Charter staff's forms for the reminders: the delivery log's filter, pausing an organisation's
reminders, and a draft cycle's schedule. They only clean input; the rules are the services'."""

from __future__ import annotations

from django import forms

from pledges.models import DeliveryState, ReminderKind
from pledges.selectors.reminders import DeliveryFilters
from pledges.staff.cycle_forms import DateInput


class DeliveryLogFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind",
        required=False,
        choices=[("", "Every kind"), *ReminderKind.choices],
        error_messages={"invalid_choice": "Choose a kind from the list: %(value)s is not one."},
    )
    state = forms.ChoiceField(
        label="State",
        required=False,
        choices=[("", "Every state"), *DeliveryState.choices],
        error_messages={"invalid_choice": "Choose a state from the list: %(value)s is not one."},
    )
    organisation = forms.CharField(
        label="Organisation",
        required=False,
        max_length=200,
        help_text="A signatory number or words of its name.",
    )
    date_from = forms.DateField(
        label="From",
        required=False,
        widget=DateInput(),
        error_messages={"invalid": "Enter a date, for example 2026-10-01."},
    )
    date_to = forms.DateField(
        label="To",
        required=False,
        widget=DateInput(),
        error_messages={"invalid": "Enter a date, for example 2026-10-31."},
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The end date must be on or after the start date.")
        return data

    def filters(self) -> DeliveryFilters:
        data = self.cleaned_data
        return DeliveryFilters(
            kind=data["kind"],
            state=data["state"],
            organisation=data["organisation"].strip(),
            date_from=data["date_from"],
            date_to=data["date_to"],
        )


class PauseForm(forms.Form):
    reason = forms.CharField(
        label="Why reminders are paused",
        max_length=2000,
        help_text="Shown on this page to every member of staff, for example: a merger under way.",
        error_messages={"required": "Say why reminders are paused."},
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ResumeForm(forms.Form):
    """Resuming needs no input: the form only carries the CSRF token."""


class DaysField(forms.CharField):
    """Comma-separated whole numbers of days ("28, 14, 7, 2, 0"), cleaned to a list of ints.
    Ranges and repeats are the service's rules (pledges.services.reminders.cycle_schedule)."""

    default_error_messages = {"required": "Give at least one day."}

    def to_python(self, value) -> list[int]:
        text = super().to_python(value)
        days = []
        for part in text.replace(";", ",").split(","):
            part = part.strip()
            if not part:
                continue
            if not part.isdigit():
                raise forms.ValidationError(
                    f"Write whole numbers of days separated by commas: “{part}” is not one."
                )
            days.append(int(part))
        return days

    def prepare_value(self, value):
        if isinstance(value, list):
            return ", ".join(str(day) for day in value)
        return value


class ReminderScheduleForm(forms.Form):
    reminder_days_before = DaysField(
        label="Days before the closing date",
        help_text="For example 28, 14, 7, 2, 0 (0 is the closing day itself).",
    )
    reminder_days_after = DaysField(
        label="Days after the closing date",
        help_text="For example 1, 14: overdue, then the senior representative is copied in.",
    )
    reason = forms.CharField(
        label="Why the change (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

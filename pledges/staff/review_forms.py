"""Charter staff's forms for the outlier queue, the return page and compliance decisions."""

from __future__ import annotations

from django import forms

from pledges.models import OutlierStatus
from pledges.selectors.compliance import Standing
from pledges.selectors.outliers import QUEUE_STATES


class QueueFilterForm(forms.Form):
    year = forms.TypedChoiceField(label="Cycle", required=False, coerce=int, empty_value=None)
    state = forms.ChoiceField(
        label="State",
        required=False,
        choices=[("", "Every state")]
        + [(state.value, state.label) for state in OutlierStatus if state in QUEUE_STATES],
    )

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", "Every cycle")] + [(y, str(y)) for y in years]


class AcceptForm(forms.Form):
    note = forms.CharField(
        label="Note for the record (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class QueryForm(forms.Form):
    message = forms.CharField(
        label="Your question to the organisation",
        help_text="They are emailed that a question waits on their dashboard; the email holds "
        "no figures.",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Reason", max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ComplianceFilterForm(forms.Form):
    standing = forms.ChoiceField(
        label="Standing", required=False, choices=[("", "Every standing"), *Standing.choices]
    )

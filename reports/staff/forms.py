from __future__ import annotations

from django import forms


class ReportTextsForm(forms.Form):
    foreword = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=10000,
        required=False,
        help_text="Opens the report. Plain paragraphs; a blank line starts a new one.",
    )
    correction_note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
        help_text="Only for a correction (version 2 onwards): what changed and why. Shown at "
        "the top of the corrected report.",
    )


class PublishForm(forms.Form):
    confirm = forms.BooleanField(
        label="I have checked the preview: publish it to everyone",
        error_messages={"required": "Tick the box to confirm you checked the preview."},
    )

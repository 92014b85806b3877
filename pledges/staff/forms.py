"""Charter staff's forms: returning a shared practice, uploading past data returns."""

from __future__ import annotations

from django import forms


class PracticeReturnForm(forms.Form):
    comment = forms.CharField(
        label="What should the signatory change?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ImportSubmissionsForm(forms.Form):
    file = forms.FileField(
        label="CSV file of data returns",
        help_text=(
            "Columns: signatory_number, year, snapshot_date, total_employees, tech_total, "
            "tech_women, tech_men, tech_non_binary, tech_gender_undisclosed, "
            "tech_ethnic_minority, tech_white, tech_ethnicity_undisclosed, senior_total, "
            "senior_women, senior_ethnic_minority; optionally disabled, neurodivergent, "
            "low_socioeconomic, trans. UTF-8, up to 5 MB."
        ),
        error_messages={"required": "Choose a CSV file to upload."},
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

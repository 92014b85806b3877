"""Charter staff's forms for deciding an application: approve, request changes, reject, comment."""

from __future__ import annotations

from django import forms

from signatories.choices import RejectionReason


class RequestChangesForm(forms.Form):
    message = forms.CharField(
        label="What should the applicant change?",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        error_messages={"required": "Say what the applicant needs to change."},
    )


class RejectForm(forms.Form):
    reason = forms.ChoiceField(
        label="Reason",
        choices=[("", "Choose a reason"), *RejectionReason.choices],
        error_messages={"required": "Choose a reason for rejecting the application."},
    )
    note = forms.CharField(
        label="Note to the applicant (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("reason") == RejectionReason.OTHER and not cleaned.get("note", "").strip():
            self.add_error("note", "Explain the reason when you choose 'another reason'.")
        return cleaned


class ApproveForm(forms.Form):
    note = forms.CharField(
        label="Note for the record (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
    )


class CommentForm(forms.Form):
    message = forms.CharField(
        label="Internal comment (never shown to the applicant)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        error_messages={"required": "Write a comment before saving it."},
    )


class ImportSignatoriesForm(forms.Form):
    file = forms.FileField(
        label="CSV file of signatories",
        help_text=(
            "Columns: signatory_number, name, website, companies_house_number, "
            "organisation_type, sector, size_band, region, signed_on. UTF-8, up to 5 MB."
        ),
        error_messages={"required": "Choose a CSV file to upload."},
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

from __future__ import annotations

from django import forms

from charter.models import Pledge
from signatories.companies_house import companies_house_number_normalise
from signatories.models import Application

ORGANISATION_FIELDS = [
    "legal_name",
    "public_name",
    "website",
    "companies_house_number",
    "organisation_type",
    "sector",
    "size_band",
    "region",
    "description",
]
REPRESENTATIVE_FIELDS = [
    "representative_name",
    "representative_job_title",
    "representative_email",
    "representative_consents_to_be_named",
]
DATA_CONTACT_FIELDS = ["data_contact_name", "data_contact_email"]
PLEDGE_FIELDS = [
    "accepts_people",
    "accepts_plan",
    "accepts_policies",
    "accepts_practice",
    "accepts_data",
]
STATEMENT_FIELDS = ["plan_statement", "policies_statement", "practice_statement"]
REQUIRED_MESSAGES = {
    "legal_name": "Enter the organisation's legal name.",
    "public_name": "Enter the name the organisation uses publicly.",
    "website": "Enter the organisation's website.",
    "organisation_type": "Choose the type of organisation.",
    "sector": "Choose the organisation's sector.",
    "size_band": "Choose the number of employees.",
    "region": "Choose where the organisation has its headquarters.",
    "description": "Write a short public description of the organisation.",
    "representative_name": "Enter the senior representative's full name.",
    "representative_job_title": "Enter the senior representative's job title.",
    "representative_email": "Enter the senior representative's work email.",
    "applicant_job_title": "Enter your job title.",
}
# Filled in by the applicant but not required even on submission.
OPTIONAL_FIELDS = {
    "different_organisation",
    "companies_house_number",
    "representative_consents_to_be_named",
    *DATA_CONTACT_FIELDS,
    *STATEMENT_FIELDS,
}


class ApplicationForm(forms.ModelForm):
    """The application, in the steps the template shows as fieldsets.

    ``for_submission=False`` (saving a draft) checks the format of what was typed but requires
    nothing, so an applicant can stop half way and come back.
    """

    website = forms.URLField(
        label="Website",
        help_text="For example https://www.example.com",
        max_length=300,
        assume_scheme="https",
    )

    # Longer than the stored 8 characters so "SC 123 456" can be typed and normalised; the
    # cleaning says what is wrong with a longer one.
    companies_house_number = forms.CharField(
        label="Companies House number (if you have one)",
        help_text="8 characters: 8 digits, or 2 letters and 6 digits (for example SC123456).",
        max_length=30,
        required=False,
    )
    different_organisation = forms.BooleanField(
        label=(
            "None of these is my organisation: we are a different organisation and are not "
            "already a signatory"
        ),
        required=False,
    )

    class Meta:
        model = Application
        fields = [
            *ORGANISATION_FIELDS,
            *REPRESENTATIVE_FIELDS,
            *DATA_CONTACT_FIELDS,
            *PLEDGE_FIELDS,
            *STATEMENT_FIELDS,
            "applicant_job_title",
        ]
        labels = {
            "legal_name": "Legal name",
            "public_name": "Name used publicly",
            "website": "Website",
            "companies_house_number": "Companies House number (if you have one)",
            "organisation_type": "Type of organisation",
            "size_band": "Number of employees",
            "region": "Headquarters",
            "description": "Short public description",
            "representative_name": "Full name",
            "representative_job_title": "Job title",
            "representative_email": "Work email",
            "representative_consents_to_be_named": (
                "The representative agrees to be named publicly as our senior representative"
            ),
            "data_contact_name": "Data contact's name",
            "data_contact_email": "Data contact's email",
            "plan_statement": "Your public commitment: inclusive attraction and recruitment",
            "policies_statement": "Your public commitment: policies",
            "practice_statement": "Your public commitment: sharing best practice",
            "applicant_job_title": "Your job title",
        }
        help_texts = {
            "legal_name": "As registered, for example “Acme Analytics Limited”.",
            "public_name": "Shown in the public list of signatories.",
            "website": "For example https://www.example.com",
            "companies_house_number": (
                "8 characters: 8 digits, or 2 letters and 6 digits (for example SC123456)."
            ),
            "description": "Up to 1,000 characters, shown on your public profile.",
            "representative_email": (
                "We email the representative to tell them they have been named."
            ),
            "data_contact_name": (
                "Who should receive the yearly diversity data request, if not you."
            ),
            "plan_statement": "Optional. Shown on your public profile.",
            "policies_statement": "Optional. Shown on your public profile.",
            "practice_statement": "Optional. Shown on your public profile.",
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "plan_statement": forms.Textarea(attrs={"rows": 3}),
            "policies_statement": forms.Textarea(attrs={"rows": 3}),
            "practice_statement": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, for_submission: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.for_submission = for_submission
        pledges = {pledge.code: pledge for pledge in Pledge.objects.all()}
        for code in ("people", "plan", "policies", "practice", "data"):
            field = self.fields[f"accepts_{code}"]
            pledge = pledges.get(code)
            if pledge is not None:
                field.label = f"We commit to pledge {pledge.position}: {pledge.title}"
                field.help_text = pledge.body
        for name, field in self.fields.items():
            field.required = for_submission and name not in OPTIONAL_FIELDS
            if isinstance(field, forms.TypedChoiceField | forms.ChoiceField):
                field.choices = [("", "Choose one")] + [
                    choice for choice in field.choices if choice[0] != ""
                ]
        for name in PLEDGE_FIELDS:
            self.fields[name].error_messages["required"] = (
                "Accept this pledge: every signatory commits to all five."
            )
        self.fields["website"].error_messages["invalid"] = (
            "Enter the website as a full address, for example https://www.example.com"
        )
        self.fields["representative_email"].error_messages["invalid"] = (
            "Enter the representative's work email, for example name@example.com"
        )
        for name, message in REQUIRED_MESSAGES.items():
            self.fields[name].error_messages["required"] = message

    def clean_companies_house_number(self) -> str:
        return companies_house_number_normalise(self.cleaned_data.get("companies_house_number", ""))

    def clean(self) -> dict:
        cleaned = super().clean()
        name = cleaned.get("data_contact_name")
        email = cleaned.get("data_contact_email")
        if name and not email:
            self.add_error("data_contact_email", "Enter the data contact's email.")
        if email and not name:
            self.add_error("data_contact_name", "Enter the data contact's name.")
        return cleaned

    def fieldsets(self) -> list[tuple[str, str, list]]:
        """The steps of the form, for the template."""
        return [
            ("organisation", "Your organisation", [self[n] for n in ORGANISATION_FIELDS]),
            (
                "representative",
                "Your senior representative",
                [self[n] for n in REPRESENTATIVE_FIELDS],
            ),
            ("data-contact", "Data contact", [self[n] for n in DATA_CONTACT_FIELDS]),
            ("pledges", "The five pledges", [self[n] for n in PLEDGE_FIELDS]),
            (
                "statements",
                "Public commitment statements",
                [self[n] for n in STATEMENT_FIELDS],
            ),
            ("you", "About you", [self["applicant_job_title"]]),
        ]


class JoinRequestForm(forms.Form):
    job_title = forms.CharField(
        label="Your job title",
        max_length=200,
        error_messages={"required": "Enter your job title."},
    )
    message = forms.CharField(
        label="Message to the organisation's admins (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
    )

"""Forms of the signatory workspace. They clean and validate; services do the rest."""

from __future__ import annotations

from django import forms

from signatories.choices import MemberRole
from signatories.models import Organisation
from signatories.services.logos import LOGO_MAX_BYTES, logo_prepare


class ProfileForm(forms.ModelForm):
    logo_upload = forms.FileField(
        label="Logo",
        required=False,
        help_text="PNG, JPEG, SVG or WebP, at most 2 MB. We show it as a PNG at most 400 pixels "
        "wide (SVGs are converted).",
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/png,image/jpeg,image/svg+xml,image/webp"}
        ),
    )

    website = forms.URLField(
        label="Website",
        help_text="For example https://www.example.com",
        max_length=300,
        assume_scheme="https",
    )

    class Meta:
        model = Organisation
        fields = ["public_name", "description", "website", "sector", "size_band", "region"]
        labels = {
            "public_name": "Name used publicly",
            "size_band": "Size",
            "region": "Headquarters",
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}

    def clean_logo_upload(self):
        upload = self.cleaned_data.get("logo_upload")
        if not upload:
            return None
        if upload.size > LOGO_MAX_BYTES:
            raise forms.ValidationError(
                f"The logo is {upload.size / 1024 / 1024:.1f} MB; the most we accept is 2 MB."
            )
        # Checked by content: the prepared (re-encoded or checked) file is what gets stored.
        return logo_prepare(upload)


class InvitationForm(forms.Form):
    email = forms.EmailField(label="Their work email address")
    role = forms.ChoiceField(
        choices=MemberRole.choices,
        initial=MemberRole.EDITOR,
        widget=forms.RadioSelect,
        help_text="Editors edit the pledges and data. Admins also manage the team, the profile "
        "and the representative.",
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=MemberRole.choices)


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Why is the organisation leaving the charter?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    understood = forms.BooleanField(
        label="I understand that the organisation will leave the charter and its public list.",
    )
    confirm_name = forms.CharField(label="Type the organisation's name to confirm", max_length=200)

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.fields["confirm_name"].help_text = f"Type {organisation.public_name} exactly."

    def clean_confirm_name(self):
        typed = self.cleaned_data["confirm_name"].strip()
        if typed.casefold() != self.organisation.public_name.strip().casefold():
            raise forms.ValidationError(
                f"Type the organisation's name, {self.organisation.public_name}, to confirm."
            )
        return typed


class RepresentativeForm(forms.Form):
    full_name = forms.CharField(label="Full name", max_length=200)
    job_title = forms.CharField(label="Job title", max_length=200)
    email = forms.EmailField(
        label="Email address", help_text="We email them a link to confirm or decline the role."
    )
    consent_to_be_named = forms.BooleanField(
        label="They agree to be named publicly as our representative", required=False
    )


class DataContactForm(forms.Form):
    name = forms.CharField(label="Name", max_length=200)
    email = forms.EmailField(
        label="Email address", help_text="They will receive the yearly data collection emails."
    )

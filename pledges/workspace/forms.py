"""A signatory team's forms for pledges, actions and practices. They clean and validate;
services do the rest."""

from __future__ import annotations

from django import forms
from django.core.validators import URLValidator
from django.utils import timezone

from pledges.models import PledgeCommitment, PracticeTopic, ReminderKind
from pledges.services.commitments import COMMITMENT_FIELDS


class CommitmentForm(forms.ModelForm):
    # The version the editor started from; a save from an older version is refused.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    class Meta:
        model = PledgeCommitment
        fields = list(COMMITMENT_FIELDS)
        labels = {
            "public_statement": "Public commitment statement",
            "progress_status": "Progress",
            "progress_summary": "Public summary of progress",
            "evidence_notes": "Evidence notes (private to your team)",
            "evidence_links": "Evidence links (private to your team)",
        }
        help_texts = {
            "public_statement": "What you commit to. Shown on your public profile.",
            "progress_summary": "A few sentences, shown publicly.",
            "evidence_links": "One web address a line.",
        }
        widgets = {
            "progress_status": forms.RadioSelect,
            "public_statement": forms.Textarea(attrs={"rows": 5}),
            "progress_summary": forms.Textarea(attrs={"rows": 4}),
            "evidence_notes": forms.Textarea(attrs={"rows": 4}),
            "evidence_links": forms.Textarea(attrs={"rows": 3}),
        }

    def clean_evidence_links(self):
        lines = [line.strip() for line in self.cleaned_data["evidence_links"].splitlines()]
        links = [line for line in lines if line]
        validate = URLValidator(schemes=["http", "https"])
        bad = []
        for link in links:
            try:
                validate(link)
            except forms.ValidationError:
                bad.append(link)
        if bad:
            raise forms.ValidationError(
                "These are not web addresses starting with https:// or http://: " + ", ".join(bad)
            )
        return "\n".join(links)

    def commitment_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in COMMITMENT_FIELDS}


class ActionForm(forms.Form):
    description = forms.CharField(label="What", max_length=300)
    owner = forms.CharField(label="Owner", max_length=200, required=False)
    due_on = forms.DateField(
        label="Due date",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="A date in the past is allowed: the action will be flagged as overdue.",
    )

    @property
    def due_date_in_past(self) -> bool:
        due_on = self.cleaned_data.get("due_on") if hasattr(self, "cleaned_data") else None
        return bool(due_on and due_on < timezone.localdate())


class ActionEditForm(ActionForm):
    done = forms.BooleanField(label="Done", required=False)
    # The version the editor started from; a save from an older version is refused.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    @staticmethod
    def initial_for(action) -> dict:
        return {
            "description": action.description,
            "owner": action.owner,
            "due_on": action.due_on,
            "done": action.is_done,
            "version": action.version,
        }


class PracticeForm(forms.Form):
    title = forms.CharField(max_length=200)
    summary = forms.CharField(
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One or two sentences, shown in the library's list.",
    )
    body = forms.CharField(
        label="The practice",
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text="What you did, what worked, what you would do differently. Markdown: "
        "**bold**, *italic*, lists with - and links as [text](https://…).",
    )
    topics = forms.MultipleChoiceField(
        choices=PracticeTopic.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one topic."},
    )
    anonymous = forms.BooleanField(
        label="Share anonymously (other signatories will not see our name)", required=False
    )


class LibrarySearchForm(forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=200)
    topic = forms.ChoiceField(choices=[("", "All topics"), *PracticeTopic.choices], required=False)


OPTIONAL_EMAIL_HELP = {
    ReminderKind.PLEDGE_REVIEW: "A nudge to your organisation's admins when a pledge has not "
    "been reviewed for 12 months.",
    ReminderKind.STAFF_DIGEST: "Charter staff: one email each morning listing what waits on "
    "you, sent only when something does.",
}


class EmailPreferencesForm(forms.Form):
    """One checkbox per optional kind the person can receive; ticked means "send it"."""

    def __init__(self, *args, kinds: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        for kind in kinds:
            self.fields[kind] = forms.BooleanField(
                label=ReminderKind(kind).label,
                required=False,
                help_text=OPTIONAL_EMAIL_HELP.get(kind, ""),
            )

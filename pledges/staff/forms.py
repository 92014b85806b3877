"""Charter staff's form for returning a shared practice to its organisation."""

from __future__ import annotations

from django import forms


class PracticeReturnForm(forms.Form):
    comment = forms.CharField(
        label="What should the signatory change?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

"""Forms of the screening stage; the services hold the rules, the forms only parse input."""

from __future__ import annotations

from django import forms

from reviewapp.models import ExclusionReason, Review
from screening.models import Verdict
from screening.selectors import ORDER_RANDOM, ORDER_RANKED


class DecisionForm(forms.Form):
    item = forms.IntegerField(widget=forms.HiddenInput)
    verdict = forms.ChoiceField(choices=Verdict.choices)
    reason = forms.ModelChoiceField(
        queryset=ExclusionReason.objects.none(), required=False, label="Exclusion reason"
    )
    note = forms.CharField(
        required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, review: Review, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].queryset = ExclusionReason.objects.filter(review=review)


class ResolveForm(DecisionForm):
    verdict = forms.ChoiceField(
        choices=[(Verdict.INCLUDE, "Include"), (Verdict.EXCLUDE, "Exclude")]
    )
    item = None


class FullTextForm(forms.Form):
    item = forms.IntegerField(widget=forms.HiddenInput)
    pdf = forms.FileField(required=False, label="PDF of the full text")
    link = forms.URLField(
        required=False, max_length=2000, label="…or a link to it", assume_scheme="https"
    )


def _lines(value: str) -> list[str]:
    return [line.strip() for line in value.replace(",", "\n").splitlines() if line.strip()]


class SettingsForm(forms.Form):
    include_keywords = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="One per line; * matches any ending (random* → randomised).",
    )
    exclude_keywords = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), required=False, label="Exclusion hints"
    )
    order = forms.ChoiceField(
        choices=[
            (ORDER_RANKED, "Most likely relevant first (relevance ranking)"),
            (ORDER_RANDOM, "Random order (stable for each reviewer)"),
        ]
    )
    retrain_every = forms.IntegerField(
        min_value=1, max_value=10000, label="Retrain the ranking after this many resolved records"
    )

    def cleaned_lists(self) -> tuple[list[str], list[str]]:
        return (
            _lines(self.cleaned_data["include_keywords"]),
            _lines(self.cleaned_data["exclude_keywords"]),
        )

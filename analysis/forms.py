"""Forms of the analysis stage (the lead's options and GRADE decisions)."""

from __future__ import annotations

from django import forms

from analysis.models import Analysis, Comparison
from analysis.services.options import OPTION_FIELDS


class AnalysisOptionsForm(forms.ModelForm):
    """The lead's options; the choice lists come from the review's tool and extraction form."""

    def __init__(
        self,
        *args,
        rob_domains: list[tuple[str, str]] = (),
        characteristics: list[tuple[str, str]] = (),
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        for name, choices in (
            ("sensitivity_rob_domain", rob_domains),
            ("extra_subgroup", characteristics),
        ):
            model_field = Analysis._meta.get_field(name)
            self.fields[name] = forms.ChoiceField(
                choices=[("", "None"), *choices],
                required=False,
                label=model_field.verbose_name.capitalize(),
                help_text=model_field.help_text,
            )

    class Meta:
        model = Analysis
        fields = OPTION_FIELDS
        labels = {"tau2_method": "τ² estimator", "sof_comment": "Comment in the SoF table"}
        widgets = {"sof_comment": forms.Textarea(attrs={"rows": 2})}


class ExclusionForm(forms.Form):
    """One reason field per study; a non-empty reason excludes the study."""

    def __init__(
        self, *args, studies: list[tuple[str, str]], initial_reasons: dict[str, str], **kwargs
    ):
        super().__init__(*args, **kwargs)
        for study_id, label in studies:
            self.fields[f"exclude_{study_id}"] = forms.CharField(
                label=f"Reason to exclude {label}",
                required=False,
                max_length=300,
                initial=initial_reasons.get(study_id, ""),
            )

    def reasons(self) -> dict[str, str]:
        return {
            name.removeprefix("exclude_"): value.strip()
            for name, value in self.cleaned_data.items()
            if value and value.strip()
        }


class ComparisonForm(forms.ModelForm):
    class Meta:
        model = Comparison
        fields = ["name", "intervention_label", "comparator_label", "comparator_types"]
        widgets = {"comparator_types": forms.CheckboxSelectMultiple}


class GradeDecisionForm(forms.Form):
    domain = forms.CharField(widget=forms.HiddenInput)
    suggested = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2)
    accepted = forms.TypedChoiceField(
        choices=[(0, "No downgrade"), (1, "Down 1 level"), (2, "Down 2 levels")], coerce=int
    )
    footnote = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=1000
    )

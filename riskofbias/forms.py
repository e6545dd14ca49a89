"""Forms of the risk-of-bias stage; they parse input, the services enforce the rules."""

from __future__ import annotations

from django import forms

from riskofbias import errors, rules
from riskofbias.models import Level
from riskofbias.selectors import Cell
from riskofbias.services import JudgementInput

LEVEL_LABELS = dict(Level.choices)


def _level_choices(levels: list[str]) -> list[tuple[str, str]]:
    return [(level, LEVEL_LABELS.get(level, level)) for level in levels]


def _support_fields(prefix: str = "") -> dict[str, forms.Field]:
    return {
        f"{prefix}quote": forms.CharField(
            label="Quote from the report",
            required=False,
            widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
        ),
        f"{prefix}page": forms.CharField(
            label="Page",
            required=False,
            max_length=40,
            widget=forms.TextInput(attrs={"class": "form-control"}),
        ),
        f"{prefix}nothing_reported": forms.BooleanField(
            label="Not reported in the study",
            required=False,
            widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
        ),
        f"{prefix}justification": forms.CharField(
            label="Justification",
            required=False,
            widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
        ),
    }


def _entry(cleaned: dict, domain_id: int, group_id: int | None, prefix: str = "") -> JudgementInput:
    return JudgementInput(
        domain_id=domain_id,
        outcome_group_id=group_id,
        level=cleaned.get(f"{prefix}level") or "",
        quote=cleaned.get(f"{prefix}quote") or "",
        page=cleaned.get(f"{prefix}page") or "",
        justification=cleaned.get(f"{prefix}justification") or "",
        nothing_reported=bool(cleaned.get(f"{prefix}nothing_reported")),
    )


class AssessmentForm(forms.Form):
    """One assessor's judgements of one study: a level and its support for every cell."""

    def __init__(self, *args, cells: list[Cell], levels: list[str], study_label: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.cells = cells
        self.study_label = study_label
        for cell in cells:
            p = f"{cell.field_prefix}-"
            self.fields[f"{p}level"] = forms.ChoiceField(
                label="Judgement",
                choices=[("", "— not judged yet —"), *_level_choices(levels)],
                required=False,
                widget=forms.Select(attrs={"class": "form-select"}),
            )
            self.fields.update(_support_fields(p))

    @staticmethod
    def initial_from(cells: list[Cell], judgements: dict) -> dict:
        initial = {}
        for cell in cells:
            j = judgements.get(cell.key)
            if j is None:
                continue
            p = f"{cell.field_prefix}-"
            for name in ("level", "quote", "page", "nothing_reported", "justification"):
                initial[f"{p}{name}"] = getattr(j, name)
        return initial

    def clean(self) -> dict:
        cleaned = super().clean()
        for cell in self.cells:
            p = f"{cell.field_prefix}-"
            entry = _entry(cleaned, *cell.key, prefix=p)
            if entry.level and not entry.supported:
                self.add_error(
                    f"{p}justification",
                    errors.SUPPORT_MISSING.format(study=self.study_label, cell=cell.name),
                )
            elif not entry.level and entry.has_text:
                self.add_error(
                    f"{p}level",
                    errors.SUPPORT_WITHOUT_LEVEL.format(study=self.study_label, cell=cell.name),
                )
        return cleaned

    def rows(self) -> list[tuple[Cell, list[forms.BoundField]]]:
        """Return each cell with its bound fields, for the template."""
        names = ("level", "quote", "page", "nothing_reported", "justification")
        return [
            (cell, [self[f"{cell.field_prefix}-{name}"] for name in names]) for cell in self.cells
        ]

    def entries(self) -> list[JudgementInput]:
        return [
            _entry(self.cleaned_data, *cell.key, prefix=f"{cell.field_prefix}-")
            for cell in self.cells
        ]


class ResolveForm(forms.Form):
    """The adjudicator's consensus for one cell."""

    domain_id = forms.IntegerField(widget=forms.HiddenInput)
    outcome_group_id = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, levels: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"] = forms.ChoiceField(
            label="Consensus judgement",
            choices=_level_choices(levels),
            widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        )
        self.fields.update(_support_fields())

    def entry(self) -> JudgementInput:
        d = self.cleaned_data
        return _entry(d, d["domain_id"], d.get("outcome_group_id"))


class AssessorsForm(forms.Form):
    assessors = forms.ModelMultipleChoiceField(
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text="Choose exactly two assessors.",
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessors"].queryset = members


class RobSettingsForm(forms.Form):
    rule = forms.ChoiceField(
        label="Overall risk of bias",
        choices=[(r.code, f"{r.name}: {r.description}") for r in rules.RULES.values()],
        widget=forms.RadioSelect,
    )
    key_domains = forms.MultipleChoiceField(
        label="Key domains", widget=forms.CheckboxSelectMultiple
    )
    outcome_groups = forms.CharField(
        label="Outcome groups (one per line)",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The per-outcome domains are judged once for each group.",
    )

    def __init__(self, *args, domains, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key_domains"].choices = [(d.key, d.name) for d in domains]


class ContactForm(forms.Form):
    contacted = forms.CharField(label="Investigator asked (name, e-mail)", max_length=200)
    question = forms.CharField(label="What was asked", widget=forms.Textarea(attrs={"rows": 3}))
    asked_on = forms.DateField(label="Asked on", widget=forms.DateInput(attrs={"type": "date"}))

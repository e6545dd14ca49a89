"""Forms of the extraction pages; the characteristics form is built from the review's form data."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms

from extraction.models import Arm, AuthorContact, FormField, FormSection
from extraction.models.extractions import NUMBER_FIELDS, ChangeOrFinal, DataType
from extraction.models.forms import ChoiceSource, FieldKind
from extraction.selectors.cells import NUMBER_LABELS
from extraction.services.consensus import RESOLVER_ADJUDICATOR, RESOLVER_ANY
from extraction.services.extractions import YES_NO_UNCLEAR
from extraction.values import NOT_REPORTED, is_not_reported, parse_number

NR_SUFFIX = "__nr"


def _answer_field(field: FormField) -> forms.Field:
    common = {"label": field.label, "help_text": field.help_text, "required": False}
    kind = field.kind
    if kind == FieldKind.LONG_TEXT:
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), **common)
    if kind == FieldKind.NUMBER:
        return forms.FloatField(widget=forms.TextInput(attrs={"inputmode": "decimal"}), **common)
    if kind == FieldKind.INTEGER:
        return forms.IntegerField(widget=forms.TextInput(attrs={"inputmode": "numeric"}), **common)
    if kind == FieldKind.DATE:
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    if kind == FieldKind.MULTI_CHOICE:
        return forms.MultipleChoiceField(
            choices=[(c, c) for c in field.choice_list()],
            widget=forms.CheckboxSelectMultiple,
            **common,
        )
    if kind in (FieldKind.CHOICE, FieldKind.YES_NO_UNCLEAR):
        options = YES_NO_UNCLEAR if kind == FieldKind.YES_NO_UNCLEAR else field.choice_list()
        return forms.ChoiceField(choices=[("", "—")] + [(c, c) for c in options], **common)
    return forms.CharField(**common)


def _style(django_field: forms.Field, key: str) -> None:
    widget = django_field.widget
    if isinstance(widget, forms.CheckboxSelectMultiple):
        widget.attrs["class"] = "form-check-input"
    elif isinstance(widget, forms.Select):
        widget.attrs["class"] = "form-select"
    else:
        widget.attrs["class"] = "form-control"
    widget.attrs["aria-describedby"] = f"err-{key}"


class CharacteristicsForm(forms.Form):
    """One input per form field plus a 'not reported' box, none required while drafting."""

    def __init__(self, *args: Any, form_fields: list[FormField], answers: dict, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.form_fields = form_fields
        for field in form_fields:
            value = answers.get(field.key)
            django_field = _answer_field(field)
            if field.unit:
                django_field.label = f"{field.label} ({field.unit})"
            if field.required:
                django_field.label = f"{django_field.label} *"
            _style(django_field, field.key)
            self.fields[field.key] = django_field
            self.fields[field.key + NR_SUFFIX] = forms.BooleanField(
                label="Not reported",
                required=False,
                widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
            )
            if is_not_reported(value):
                self.initial[field.key + NR_SUFFIX] = True
            elif value is not None:
                self.initial[field.key] = value

    def sections(self) -> list[tuple[FormSection, list[tuple[forms.BoundField, forms.BoundField]]]]:
        grouped: dict[int, tuple[FormSection, list]] = {}
        for field in self.form_fields:
            entry = grouped.setdefault(field.section_id, (field.section, []))
            entry[1].append((self[field.key], self[field.key + NR_SUFFIX], field))
        return list(grouped.values())

    def valid_answers(self) -> dict[str, Any]:
        """Return the answers that passed, leaving out fields with errors (the draft keeps them)."""
        self.is_valid()
        answers = {}
        for field in self.form_fields:
            if field.key in self.errors:
                continue
            if self.cleaned_data.get(field.key + NR_SUFFIX):
                answers[field.key] = dict(NOT_REPORTED)
                continue
            value = self.cleaned_data.get(field.key)
            if isinstance(value, datetime.date):
                value = value.isoformat()
            answers[field.key] = value if value not in ("", []) else None
        return answers


class ArmForm(forms.Form):
    label = forms.CharField(max_length=120, help_text="As the report names it.")
    description = forms.CharField(max_length=500, required=False)
    n_randomised = forms.IntegerField(min_value=1, required=False, label="N randomised")
    n_analysed = forms.IntegerField(min_value=1, required=False, label="N analysed")


class ComparisonForm(forms.Form):
    label = forms.CharField(max_length=120, initial="Intervention vs control")
    intervention = forms.ModelMultipleChoiceField(
        queryset=Arm.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick several to combine them.",
    )
    control = forms.ModelMultipleChoiceField(
        queryset=Arm.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, arms: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["intervention"].queryset = arms
        self.fields["control"].queryset = arms


class ResultForm(forms.Form):
    """Numbers are typed as text so that 'NR' can say 'not reported'."""

    arm = forms.ModelChoiceField(queryset=Arm.objects.none())
    measure = forms.ModelChoiceField(queryset=None)
    time_point = forms.ModelChoiceField(queryset=None)
    data_type = forms.ChoiceField(choices=DataType.choices, initial=DataType.CONTINUOUS)
    change_or_final = forms.ChoiceField(choices=ChangeOrFinal.choices, initial=ChangeOrFinal.FINAL)
    higher_is_better = forms.TypedChoiceField(
        choices=[("", "As the measure says"), ("yes", "Yes"), ("no", "No")],
        required=False,
        coerce=lambda v: {"yes": True, "no": False}.get(v),
        empty_value=None,
        label="Higher scores better?",
    )

    def __init__(self, *args: Any, arms: Any, review: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["arm"].queryset = arms
        self.fields["measure"].queryset = review.measures.select_related("domain")
        self.fields["measure"].label_from_instance = lambda m: (
            f"{m.abbreviation or m.name} — {m.domain.name}"
        )
        self.fields["time_point"].queryset = review.time_points.all()
        for name in NUMBER_FIELDS:
            self.fields[name] = forms.CharField(
                required=False,
                label=NUMBER_LABELS[name],
                widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 6}),
            )
            self.fields["src_" + name] = forms.CharField(
                required=False,
                max_length=120,
                label=f"Source of {NUMBER_LABELS[name]}",
                widget=forms.TextInput(attrs={"placeholder": "page, table", "size": 8}),
            )

    def number_pairs(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[name], self["src_" + name]) for name in NUMBER_FIELDS]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for name in NUMBER_FIELDS:
            kind = name if name in ("n", "events") else "float"
            try:
                parse_number(data.get(name), kind=kind)
            except ValueError as error:
                self.add_error(name, str(error))
        return data

    def numbers(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in NUMBER_FIELDS}

    def sources(self) -> dict[str, str]:
        return {name: self.cleaned_data.get("src_" + name) or "" for name in NUMBER_FIELDS}


class SectionForm(forms.Form):
    title = forms.CharField(max_length=120, label="New section")


class FieldForm(forms.Form):
    section = forms.ModelChoiceField(queryset=FormSection.objects.none())
    label = forms.CharField(max_length=200)
    key = forms.SlugField(max_length=60, help_text="Short name for exports, e.g. duration_weeks.")
    kind = forms.ChoiceField(choices=FieldKind.choices)
    unit = forms.CharField(max_length=40, required=False)
    help_text = forms.CharField(max_length=500, required=False)
    required = forms.BooleanField(required=False)
    choices = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="For choice fields: one choice per line.",
    )
    choice_source = forms.ChoiceField(choices=ChoiceSource.choices, required=False)
    order = forms.IntegerField(
        min_value=0, required=False, help_text="Position in its section; empty puts it last."
    )

    def __init__(self, *args: Any, review: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = FormSection.objects.filter(review=review)

    def choice_list(self) -> list[str]:
        return [c.strip() for c in self.cleaned_data.get("choices", "").splitlines() if c.strip()]


class ResolverForm(forms.Form):
    resolver = forms.ChoiceField(
        choices=[
            (RESOLVER_ADJUDICATOR, "The adjudicator (and the lead)"),
            (RESOLVER_ANY, "The adjudicator, the lead, or either extractor of the study"),
        ],
        label="Who resolves differences between extractions",
    )


class GroupForm(forms.Form):
    records = forms.ModelMultipleChoiceField(
        queryset=None, widget=forms.CheckboxSelectMultiple, label="Included reports"
    )
    label = forms.CharField(
        max_length=120,
        required=False,
        help_text="For a merged study; empty uses the first report's citation.",
    )

    def __init__(self, *args: Any, records: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["records"].queryset = records
        self.fields["records"].label_from_instance = lambda r: f"{r.citation}: {r.title}"


class AssignForm(forms.Form):
    extractors = forms.ModelMultipleChoiceField(
        queryset=None, widget=forms.CheckboxSelectMultiple, help_text="Choose two reviewers."
    )

    def __init__(self, *args: Any, reviewers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["extractors"].queryset = reviewers


class ResolveForm(forms.Form):
    key = forms.CharField(widget=forms.HiddenInput)
    choice = forms.ChoiceField(choices=[("a", "A"), ("b", "B"), ("edit", "Edited")])
    value = forms.CharField(required=False, max_length=2000)


class AuthorContactForm(forms.ModelForm):
    class Meta:
        model = AuthorContact
        fields = ["contacted", "question", "asked_on", "reply", "replied_on", "data_received"]
        widgets = {
            "asked_on": forms.DateInput(attrs={"type": "date"}),
            "replied_on": forms.DateInput(attrs={"type": "date"}),
            "question": forms.Textarea(attrs={"rows": 2}),
            "reply": forms.Textarea(attrs={"rows": 2}),
            "data_received": forms.Textarea(attrs={"rows": 2}),
        }

from django import forms

from reviewapp.models import ComparatorType, ExclusionReason, Measure, OutcomeDomain, TimePoint

VOCABULARY_FIELDS: dict[type, list[str]] = {
    OutcomeDomain: ["name", "importance", "group", "order"],
    Measure: [
        "name",
        "abbreviation",
        "domain",
        "higher_is_better",
        "scale_min",
        "scale_max",
        "order",
    ],
    TimePoint: ["name", "months_after_intervention", "order"],
    ExclusionReason: ["name", "order"],
    ComparatorType: ["name", "is_active_treatment", "order"],
}

# URL word -> model, for the vocabulary editor's one page per kind.
VOCABULARY_KINDS: dict[str, type] = {
    "outcome-domains": OutcomeDomain,
    "measures": Measure,
    "time-points": TimePoint,
    "exclusion-reasons": ExclusionReason,
    "comparator-types": ComparatorType,
}


def vocabulary_formset_class(model: type) -> type[forms.BaseModelFormSet]:
    return forms.modelformset_factory(
        model, fields=VOCABULARY_FIELDS[model], extra=2, can_delete=True
    )

"""What the analyses read from the other stages, in the analysis app's own typed rows.

The one place that knows the extraction and risk-of-bias apps' published selectors
(``extraction.selectors.consensus_outcome_data`` and ``consensus_study_characteristics``;
``riskofbias.selectors.overall_risk_by_study`` and ``overall_rule``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from reviewapp.models import Review

INTERVENTION, CONTROL = "intervention", "control"
QUASI_DESIGNS = {"quasi-rct", "quasi-randomised", "quasi-randomized", "quasi"}


@dataclass(frozen=True)
class OutcomeRow:
    """One arm's consensus numbers for one measure and time point, in one comparison."""

    study_id: int
    study: str
    comparison: str
    role: str
    domain_id: int
    measure_id: int
    time_point_id: int
    data_type: str
    n: int | None
    mean: float | None = None
    sd: float | None = None
    events: int | None = None
    higher_is_better: bool | None = None
    change_or_final: str = "final"
    comparator_type: str = ""


@dataclass(frozen=True)
class StudyTraits:
    """The study characteristics the subgroup and sensitivity analyses use."""

    study_id: int
    quasi_randomised: bool = False
    infant_age_months: float | None = None
    presenting_problem: str = ""
    duration_weeks: float | None = None
    focus: str = ""
    comparator_type: str = ""
    characteristics: dict[str, str] = field(default_factory=dict, compare=False)


def outcome_rows(review: Review, traits: dict[int, StudyTraits] | None = None) -> list[OutcomeRow]:
    """Return the review's consensus outcome data (extraction's tidy rows) as ``OutcomeRow``s.

    Rows of arms in no comparison are left out; the comparator type comes from the study's
    characteristics, the outcome domain from the measure.
    """
    from extraction.selectors import consensus_outcome_data
    from reviewapp.models import Measure

    domains = dict(Measure.objects.filter(review=review).values_list("pk", "domain_id"))
    traits = study_traits(review) if traits is None else traits
    comparators = {t.study_id: t.comparator_type for t in traits.values()}
    rows = []
    for row in consensus_outcome_data(review):
        if row.arm_role not in (INTERVENTION, CONTROL) or row.measure_id not in domains:
            continue
        rows.append(
            OutcomeRow(
                study_id=row.study_id,
                study=row.study,
                comparison=row.comparison,
                role=row.arm_role,
                domain_id=domains[row.measure_id],
                measure_id=row.measure_id,
                time_point_id=row.time_point_id,
                data_type=row.data_type,
                n=row.n,
                mean=row.mean,
                sd=row.sd,
                events=row.events,
                higher_is_better=row.higher_is_better,
                change_or_final=row.change_or_final,
                comparator_type=comparators.get(row.study_id, ""),
            )
        )
    return rows


def _number(value: Any) -> float | None:
    try:
        return float(value) if value not in (None, "") and not isinstance(value, dict) else None
    except (TypeError, ValueError):
        return None


def _text(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return "" if value is None or isinstance(value, dict) else str(value)


def traits_from_answers(study_id: int, answers: dict[str, Any]) -> StudyTraits:
    """Return the traits from extraction answers keyed as in the protocol's form."""
    design = _text(answers.get("design")).strip().lower()
    quasi = answers.get("quasi_randomised")
    return StudyTraits(
        study_id=study_id,
        quasi_randomised=bool(quasi) if isinstance(quasi, bool) else design in QUASI_DESIGNS,
        infant_age_months=_number(answers.get("infant_age_months")),
        presenting_problem=_text(
            answers.get("parent_problems") or answers.get("presenting_problem")
        ),
        duration_weeks=_number(answers.get("duration_weeks")),
        focus=_text(answers.get("focus")),
        comparator_type=_text(answers.get("comparator_type")),
        characteristics={k: _text(v) for k, v in answers.items() if _text(v)},
    )


def study_traits(review: Review) -> dict[int, StudyTraits]:
    """Return {study id: traits} from the consensus study characteristics."""
    from extraction.selectors import consensus_study_characteristics

    traits = {}
    for row in consensus_study_characteristics(review):
        answers = {**row.get("answers", {}), **{k: v for k, v in row.items() if v is not None}}
        if row.get("is_quasi_rct") is not None:
            answers["quasi_randomised"] = bool(row["is_quasi_rct"])
        traits[row["study_id"]] = traits_from_answers(row["study_id"], answers)
    return traits


def risk_by_study(review: Review) -> dict[int, str]:
    """Return {study id: "low" | "high" | "unclear"} (consensus overall risk of bias)."""
    from riskofbias.selectors import overall_risk_by_study

    return dict(overall_risk_by_study(review))


def domain_risk_by_study(review: Review, domain_key: str) -> dict[int, str]:
    """Return {study id: level} on one risk-of-bias domain (worst across outcome groups)."""
    from riskofbias import rules
    from riskofbias.selectors import consensus_judgements

    levels: dict[int, list[str]] = {}
    for judgement in consensus_judgements(review).filter(domain__key=domain_key):
        levels.setdefault(judgement.study_id, []).append(judgement.level)
    return {study_id: rules.worst(found) for study_id, found in levels.items()}


def rob_domains(review: Review) -> list[tuple[str, str]]:
    """Return the (key, name) of the review's risk-of-bias domains."""
    from riskofbias.selectors import tool_for_review

    tool = tool_for_review(review)
    return [] if tool is None else [(d.key, d.name) for d in tool.domains.all()]


def characteristic_choices(review: Review) -> list[tuple[str, str]]:
    """Return the (key, label) of the study characteristics a subgroup analysis can use."""
    from extraction.models import FormField
    from extraction.selectors import CHARACTERISTIC_KEYS

    labels = dict(FormField.objects.filter(review=review).values_list("key", "label"))
    return [
        (key, labels.get(key, key.replace("_", " ").capitalize())) for key in CHARACTERISTIC_KEYS
    ]


def risk_rule_description(review: Review) -> str:
    """Return how the overall risk is decided, to show where it is used."""
    from riskofbias.selectors import overall_rule

    return str(overall_rule(review).description)

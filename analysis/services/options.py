"""The lead's choices: an analysis's options and exclusions, comparisons, GRADE decisions."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from analysis.models import (
    Analysis,
    Comparison,
    DataType,
    EffectMeasure,
    GradeDomain,
    GradeJudgement,
)
from analysis.services.errors import (
    MSG_DOWNGRADE_RANGE,
    MSG_EXCLUSION_NEEDS_REASON,
    MSG_FOOTNOTE_NEEDED,
    MSG_MD_NEEDS_ONE_INSTRUMENT,
    MSG_MEASURE_DATA_TYPE,
    AnalysisError,
)
from reviewapp.models import Review
from reviewapp.services import audit_record

OPTION_FIELDS = [
    "effect_measure",
    "model",
    "tau2_method",
    "hksj",
    "favours_left",
    "favours_right",
    "sof_comment",
    "sensitivity_rob_domain",
    "extra_subgroup",
]


@transaction.atomic
def analysis_update(
    *,
    actor: AbstractBaseUser,
    analysis: Analysis,
    options: dict[str, Any],
    excluded_studies: dict[str, str] | None = None,
) -> Analysis:
    """Change an analysis's options and study exclusions (each exclusion needs a reason)."""
    analysis = Analysis.objects.select_for_update().get(pk=analysis.pk)
    before = {f: getattr(analysis, f) for f in OPTION_FIELDS} | {
        "excluded": analysis.excluded_studies
    }
    measure = options.get("effect_measure", analysis.effect_measure)
    allowed = (
        [EffectMeasure.RR]
        if analysis.data_type == DataType.DICHOTOMOUS
        else [EffectMeasure.MD, EffectMeasure.SMD]
    )
    if measure not in allowed:
        raise AnalysisError(
            MSG_MEASURE_DATA_TYPE.format(
                measure=measure, data_type=analysis.data_type, allowed=" or ".join(allowed)
            )
        )
    if measure == EffectMeasure.MD and analysis.measure_id is None:
        raise AnalysisError(MSG_MD_NEEDS_ONE_INSTRUMENT)
    if measure == EffectMeasure.SMD:
        analysis.measure = None  # an SMD pools each study's instrument, whichever it is
    for field in OPTION_FIELDS:
        if field in options:
            setattr(analysis, field, options[field])
    if excluded_studies is not None:
        for study, reason in excluded_studies.items():
            if not str(reason).strip():
                raise AnalysisError(MSG_EXCLUSION_NEEDS_REASON.format(study=study))
        analysis.excluded_studies = {str(k): str(v).strip() for k, v in excluded_studies.items()}
    analysis.full_clean()
    analysis.save()
    after = {f: getattr(analysis, f) for f in OPTION_FIELDS} | {
        "excluded": analysis.excluded_studies
    }
    audit_record(
        actor=actor,
        review=analysis.review,
        action="analysis.update",
        obj=analysis,
        before=before,
        after=after,
    )
    return analysis


@transaction.atomic
def comparison_save(
    *,
    actor: AbstractBaseUser,
    review: Review,
    name: str,
    intervention_label: str,
    comparator_label: str,
    comparator_type_ids: list[int],
    comparison: Comparison | None = None,
) -> Comparison:
    """Create or rename a comparison and set which comparator types belong to it."""
    before = None
    if comparison is None:
        comparison = Comparison(
            review=review, order=Comparison.objects.filter(review=review).count()
        )
    else:
        before = {"name": comparison.name}
    comparison.name = name.strip()
    comparison.intervention_label = intervention_label.strip()
    comparison.comparator_label = comparator_label.strip()
    try:
        comparison.full_clean()
    except Exception as exc:
        raise AnalysisError(
            f"Comparison {name!r}: {'; '.join(getattr(exc, 'messages', [str(exc)]))}"
        ) from exc
    comparison.save()
    comparison.comparator_types.set(review.comparator_types.filter(pk__in=comparator_type_ids))
    audit_record(
        actor=actor,
        review=review,
        action="analysis.comparison.save",
        obj=comparison,
        before=before,
        after={"name": comparison.name, "comparator_types": sorted(comparator_type_ids)},
    )
    return comparison


@transaction.atomic
def grade_decide(
    *,
    actor: AbstractBaseUser,
    analysis: Analysis,
    domain: str,
    suggested: int,
    accepted: int,
    footnote: str = "",
) -> GradeJudgement:
    """Accept or override the rule's suggestion for one GRADE domain of an SoF outcome."""
    label = GradeDomain(domain).label
    if accepted not in (0, 1, 2):
        raise AnalysisError(MSG_DOWNGRADE_RANGE.format(domain=label))
    footnote = footnote.strip()
    if (accepted > 0 or accepted != suggested) and not footnote:
        raise AnalysisError(MSG_FOOTNOTE_NEEDED.format(domain=label))
    judgement, _ = GradeJudgement.objects.update_or_create(
        analysis=analysis,
        domain=domain,
        defaults={
            "suggested_downgrade": suggested,
            "accepted_downgrade": accepted,
            "footnote": footnote,
            "decided_by": actor,
        },
    )
    audit_record(
        actor=actor,
        review=analysis.review,
        action="analysis.grade.decide",
        obj=judgement,
        after={
            "analysis": analysis.pk,
            "domain": domain,
            "suggested": suggested,
            "accepted": accepted,
            "footnote": footnote,
        },
    )
    return judgement

"""Comparisons of the review, and the analyses proposed from the consensus data.

Default choices, as the protocol plans: inverse variance; random effects with the REML τ²
(metafor's default and the engine's; DerSimonian-Laird, RevMan's, is one click away); MD when
every study uses the same instrument and SMD (Hedges' g) otherwise; RR for dichotomous data.
"""

from __future__ import annotations

from collections import defaultdict

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from analysis.inputs import OutcomeRow, outcome_rows
from analysis.models import Analysis, Comparison, DataType, EffectMeasure
from analysis.services.errors import MSG_NO_COMPARISONS, MSG_NO_DATA, AnalysisError
from analysis.services.snapshot import comparison_matcher
from reviewapp.models import ComparatorType, Measure, Review
from reviewapp.services import audit_record

# (name, comparator label, active treatment?) — the protocol's two comparisons.
DEFAULT_COMPARISONS = [
    ("Parent-infant psychotherapy vs control", "Control", False),
    ("Parent-infant psychotherapy vs another therapeutic modality", "Other therapy", True),
]


@transaction.atomic
def comparisons_install_defaults(
    *, actor: AbstractBaseUser | None, review: Review
) -> list[Comparison]:
    """Create the protocol's comparisons if the review has none (idempotent)."""
    existing = list(Comparison.objects.filter(review=review))
    if existing:
        return existing
    created = []
    for order, (name, comparator, active) in enumerate(DEFAULT_COMPARISONS):
        comparison = Comparison.objects.create(
            review=review, name=name, comparator_label=comparator, order=order
        )
        comparison.comparator_types.set(
            ComparatorType.objects.filter(review=review, is_active_treatment=active)
        )
        created.append(comparison)
    audit_record(
        actor=actor,
        review=review,
        action="analysis.comparisons.install_defaults",
        after={"comparisons": [c.name for c in created]},
    )
    return created


def _favours(higher_is_better: bool | None, comparison: Comparison) -> tuple[str, str]:
    """Return the (left, right) labels: the side where the intervention looks better is right."""
    intervention = f"Favours {comparison.intervention_label.lower()}"
    control = f"Favours {comparison.comparator_label.lower()}"
    if higher_is_better is False:
        return intervention, control
    return control, intervention


def proposals(review: Review, rows: list[OutcomeRow]) -> list[dict]:
    """Return one proposed analysis (as field values) per comparison × outcome × time point."""
    comparisons = list(
        Comparison.objects.filter(review=review).prefetch_related("comparator_types")
    )
    match = comparison_matcher(comparisons)
    groups: dict[tuple, list[OutcomeRow]] = defaultdict(list)
    for row in rows:
        comparison = match(row)
        if comparison is not None:
            groups[(comparison, row.domain_id, row.time_point_id, row.data_type)].append(row)
    found = []
    for (comparison, domain_id, time_point_id, data_type), group in groups.items():
        # Each study's first instrument in the protocol's order is the one the analysis uses.
        per_study = {}
        for r in sorted(group, key=lambda r: r.measure_id):
            per_study.setdefault(r.study_id, r)
        measures = {r.measure_id for r in per_study.values()}
        directions = {r.higher_is_better for r in per_study.values()}
        if data_type == DataType.DICHOTOMOUS:
            effect = EffectMeasure.RR
            measure_id = next(iter(measures)) if len(measures) == 1 else None
            higher = True  # events are counted as improvement
        elif len(measures) == 1:
            effect, measure_id = EffectMeasure.MD, next(iter(measures))
            higher = next(iter(directions))
        else:
            effect, measure_id = EffectMeasure.SMD, None
            higher = True if len(directions) > 1 else next(iter(directions))
        left, right = _favours(higher, comparison)
        found.append(
            {
                "comparison": comparison,
                "domain_id": domain_id,
                "time_point_id": time_point_id,
                "data_type": data_type,
                "effect_measure": effect,
                "measure_id": measure_id,
                "favours_left": left,
                "favours_right": right,
            }
        )
    return found


@transaction.atomic
def analyses_propose(*, actor: AbstractBaseUser | None, review: Review) -> list[Analysis]:
    """Create the proposed analyses the review does not have yet; return the new ones.

    Analyses the lead has already set up are left as they are.
    """
    if not Comparison.objects.filter(review=review).exists():
        raise AnalysisError(MSG_NO_COMPARISONS)
    rows = outcome_rows(review)
    if not rows:
        raise AnalysisError(MSG_NO_DATA)
    measures = {m.pk: m for m in Measure.objects.filter(review=review)}
    created = []
    for p in proposals(review, rows):
        order = p["domain_id"] * 100 + p["time_point_id"]
        analysis, made = Analysis.objects.get_or_create(
            comparison=p.pop("comparison"),
            domain_id=p.pop("domain_id"),
            time_point_id=p.pop("time_point_id"),
            data_type=p.pop("data_type"),
            defaults={**p, "review": review, "order": order},
        )
        if made:
            analysis.full_clean()
            created.append(analysis)
    audit_record(
        actor=actor,
        review=review,
        action="analysis.propose",
        after={
            "created": [
                f"{a.comparison.name} · {a.domain_id} · {a.time_point_id} · {a.effect_measure}"
                + (f" ({measures[a.measure_id].name})" if a.measure_id in measures else "")
                for a in created
            ]
        },
    )
    return created

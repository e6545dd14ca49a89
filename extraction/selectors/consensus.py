"""The agreed data the analysis reads: tidy outcome rows and study characteristics.

Only studies whose consensus is final (every difference between the two extractions
resolved) appear; neither extractor's own values are ever returned here.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from django.db.models import Prefetch

from analysis.stats.data_preparation import sd_from_ci, sd_from_se, sd_from_t
from analysis.stats.errors import MetaAnalysisError
from extraction import sd as sdlib
from extraction.models import Comparison, Extraction, FormField, OutcomeResult
from extraction.protocol_form import DESIGN_CLUSTER, DESIGN_QUASI, DESIGN_TWO_ACTIVE
from extraction.values import display, is_not_reported
from reviewapp.models import ComparatorType, Review


def final_consensuses(review: Review):
    return (
        Extraction.objects.filter(
            study__review=review,
            kind=Extraction.Kind.CONSENSUS,
            status=Extraction.Status.SUBMITTED,
        )
        .select_related("study")
        .order_by("study__label", "study_id")
    )


@dataclass(frozen=True)
class OutcomeRow:
    """One tidy row: study × comparison × arm role × outcome × measure × time point."""

    study_id: int
    study: str
    comparison: str
    arm_role: str  # "intervention" | "control" | "" (arm in no comparison)
    arm: str  # arm label; combined arms joined with " + "
    arms_combined: int
    outcome_domain: str
    outcome_importance: str
    measure: str
    measure_abbreviation: str
    measure_id: int
    time_point: str
    time_point_id: int
    months_after_intervention: int | None
    data_type: str  # "continuous" | "dichotomous"
    mean: float | None
    sd: float | None
    sd_derived_from: str  # "reported" | "se" | "ci" | "t" | "combined" | ""
    n: int | None
    events: int | None
    higher_is_better: bool | None
    change_or_final: str  # "change" | "final"
    source: str
    not_reported: tuple[str, ...] = field(default_factory=tuple)

    def as_dict(self) -> dict[str, Any]:
        row = asdict(self)
        row["not_reported"] = list(self.not_reported)
        return row


def _arm_numbers(result: OutcomeResult) -> dict[str, Any]:
    """Return mean, SD (derived where the report gives SE or a CI instead), N and events."""
    sd, derived = result.sd, "reported" if result.sd is not None else ""
    if sd is None and result.n:
        try:
            if result.se is not None:
                sd, derived = sd_from_se(result.se, result.n), "se"
            elif result.ci_lower is not None and result.ci_upper is not None:
                sd, derived = sd_from_ci(result.ci_lower, result.ci_upper, result.n), "ci"
        except MetaAnalysisError:
            sd, derived = None, ""  # a zero SE or CI width derives no SD; the analysis says so
    return {
        "mean": result.mean,
        "sd": sd,
        "derived": derived,
        "n": result.n,
        "events": result.events,
    }


def _sources(result: OutcomeResult) -> str:
    return "; ".join(f"{k}: {v}" for k, v in sorted((result.sources or {}).items()))


def _side(results: list[OutcomeResult]) -> dict[str, Any]:
    """Combine the arms on one side of a comparison (Handbook 6.5.2.10)."""
    numbers = [_arm_numbers(r) for r in results]
    if len(numbers) == 1:
        return numbers[0]
    if any(x["n"] is None for x in numbers):
        return {"mean": None, "sd": None, "derived": "", "n": None, "events": None}
    group = sdlib.Group(**{k: numbers[0][k] for k in ("n", "mean", "sd", "events")})
    for other in numbers[1:]:
        group = sdlib.combine_groups(
            group, sdlib.Group(**{k: other[k] for k in ("n", "mean", "sd", "events")})
        )
    return {
        "mean": group.mean,
        "sd": group.sd,
        "derived": "combined",
        "n": group.n,
        "events": group.events,
    }


def consensus_outcome_data(review: Review) -> list[OutcomeRow]:
    """Return the agreed outcome data as tidy rows, one per study × comparison × arm role ×
    measure × time point (the outcome domain is the measure's).

    Contract for the analysis:
    - ``arm_role`` is "intervention" or "control" within ``comparison``; arms on one side of a
      comparison are already combined (N summed, pooled mean and SD, events summed); an arm in
      no comparison comes with ``arm_role`` "" and ``comparison`` "".
    - ``sd`` is as reported, or derived from SE (SD = SE√N), a 95% CI (√N·width/3.92, t for
      N < 60) or the t statistic of the difference (Handbook 6.5.2.3; both arms get the SD);
      ``sd_derived_from`` says which.
    - ``higher_is_better`` is the extraction's value, else the measure's; ``change_or_final``
      is "change" or "final"; ``data_type`` "continuous" (mean, sd, n) or "dichotomous"
      (events, n). Missing numbers are None; ``not_reported`` names those the reports lack.
    - ``source`` lists where each number was found ("mean: p. 5, table 2; n: p. 4").
    """
    rows: list[OutcomeRow] = []
    # Every study's results and comparisons in a few queries, not two per study.
    consensuses = final_consensuses(review).prefetch_related(
        Prefetch(
            "results",
            queryset=OutcomeResult.objects.select_related("arm", "measure__domain", "time_point"),
        ),
        Prefetch("comparisons", queryset=Comparison.objects.prefetch_related("roles__arm")),
    )
    for consensus in consensuses:
        results = list(consensus.results.all())
        by_arm: dict[int, list[OutcomeResult]] = {}
        for result in results:
            by_arm.setdefault(result.arm_id, []).append(result)
        cells = {(r.arm_id, r.measure_id, r.time_point_id): r for r in results}
        first_of: dict[tuple[int, int], OutcomeResult] = {}
        for r in results:
            first_of.setdefault((r.measure_id, r.time_point_id), r)
        outcomes = sorted(
            first_of,
            key=lambda k: (
                first_of[k].measure.order,
                first_of[k].measure.name,
                first_of[k].time_point.order,
            ),
        )
        in_comparison: set[int] = set()
        sides_of = []
        for comparison in consensus.comparisons.all():
            sides = {"intervention": [], "control": []}
            for role in comparison.roles.all():
                sides[role.role].append(role.arm)
                in_comparison.add(role.arm_id)
            sides_of.append((comparison.label, sides))
        for arm_id in by_arm:
            if arm_id not in in_comparison:
                arm = by_arm[arm_id][0].arm
                sides_of.append(("", {"": [arm]}))
        for comparison_label, sides in sides_of:
            for measure_id, tp_id in outcomes:
                side_rows = {}
                for role, arms in sides.items():
                    found = [
                        cells[(a.pk, measure_id, tp_id)]
                        for a in arms
                        if (a.pk, measure_id, tp_id) in cells
                    ]
                    if found:
                        side_rows[role] = (found, _side(found))
                _fill_sd_from_t(side_rows)
                for role, (found, numbers) in side_rows.items():
                    first = found[0]
                    rows.append(
                        OutcomeRow(
                            study_id=consensus.study_id,
                            study=consensus.study.label,
                            comparison=comparison_label,
                            arm_role=role,
                            arm=" + ".join(r.arm.label for r in found),
                            arms_combined=len(found),
                            outcome_domain=first.measure.domain.name,
                            outcome_importance=first.measure.domain.importance,
                            measure=first.measure.name,
                            measure_abbreviation=first.measure.abbreviation,
                            measure_id=measure_id,
                            time_point=first.time_point.name,
                            time_point_id=tp_id,
                            months_after_intervention=first.time_point.months_after_intervention,
                            data_type=first.data_type,
                            mean=numbers["mean"],
                            sd=numbers["sd"],
                            sd_derived_from=numbers["derived"] if numbers["sd"] is not None else "",
                            n=numbers["n"],
                            events=numbers["events"],
                            higher_is_better=(
                                first.higher_is_better
                                if first.higher_is_better is not None
                                else first.measure.higher_is_better
                            ),
                            change_or_final=first.change_or_final,
                            source=" | ".join(s for s in (_sources(r) for r in found) if s),
                            not_reported=tuple(sorted({n for r in found for n in r.not_reported})),
                        )
                    )
    return rows


def _fill_sd_from_t(side_rows: dict[str, tuple[list[OutcomeResult], dict[str, Any]]]) -> None:
    """Derive a missing SD from the t statistic of the difference (Handbook 6.5.2.3)."""
    if set(side_rows) != {"intervention", "control"}:
        return
    (i_found, i), (c_found, c) = side_rows["intervention"], side_rows["control"]
    if i["sd"] is not None and c["sd"] is not None:
        return
    t = next((r.t_value for r in i_found + c_found if r.t_value), None)
    if t is None or None in (i["mean"], c["mean"], i["n"], c["n"]):
        return
    sd = sd_from_t(i["mean"] - c["mean"], t, i["n"], c["n"])
    for numbers in (i, c):
        if numbers["sd"] is None:
            numbers["sd"], numbers["derived"] = sd, "t"


# Names the analysis reads -> the protocol form's keys.
CHARACTERISTIC_KEYS = [
    "design",
    "allocation_method",
    "cluster_icc",
    "mean_cluster_size",
    "country",
    "setting",
    "total_randomised",
    "total_analysed",
    "infant_age_months",
    "parent_problems",
    "infant_problems",
    "intervention_model",
    "psychodynamic",
    "dyadic",
    "delivered_by_pip",
    "intervention_setting",
    "duration_weeks",
    "sessions",
    "focus",
    "parents_involved",
    "comparator_type",
    "comparator_description",
    "funding",
    "conflicts_of_interest",
]


def consensus_study_characteristics(review: Review) -> list[dict[str, Any]]:
    """Return one dict per study with a final consensus, for subgroup and sensitivity analyses.

    Contract: keys ``study_id``, ``study`` (label), ``reports`` (record ids), every name in
    ``CHARACTERISTIC_KEYS`` (None when empty or not reported; lists for multi-choice; numbers
    as float/int; yes/no/unclear as "Yes"/"No"/"Unclear"), the flags ``is_quasi_rct``,
    ``is_cluster_rct``, ``two_active_modalities``, ``comparator_is_active`` (bool or None),
    ``not_reported`` (form keys the reports do not give) and ``answers`` (every answer by form
    key, for forms other than the protocol's, with "Not reported" as that text).
    """
    active = dict(
        ComparatorType.objects.filter(review=review).values_list("name", "is_active_treatment")
    )
    labels = {f.key: f.label for f in FormField.objects.filter(review=review)}
    rows = []
    for consensus in final_consensuses(review).prefetch_related("study__reports"):
        answers = consensus.answers or {}
        row: dict[str, Any] = {
            "study_id": consensus.study_id,
            "study": consensus.study.label,
            "reports": [r.pk for r in consensus.study.reports.all()],
        }
        for key in CHARACTERISTIC_KEYS:
            value = answers.get(key)
            row[key] = None if is_not_reported(value) or value in ("", []) else value
        design = row["design"]
        row["is_quasi_rct"] = design == DESIGN_QUASI if design else None
        row["is_cluster_rct"] = design == DESIGN_CLUSTER if design else None
        row["two_active_modalities"] = design == DESIGN_TWO_ACTIVE if design else None
        row["comparator_is_active"] = active.get(row["comparator_type"])
        row["not_reported"] = sorted(k for k, v in answers.items() if is_not_reported(v))
        row["answers"] = {k: display(v) if is_not_reported(v) else v for k, v in answers.items()}
        row["answer_labels"] = {k: labels.get(k, k) for k in answers}
        rows.append(row)
    return rows

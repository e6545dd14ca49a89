"""The consensus of two submitted extractions: agreed cells taken as they are, each difference
resolved by picking one extractor's value or editing it. Neither original changes."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from extraction.models import Arm, Extraction, FormField, Study
from extraction.models.extractions import ChangeOrFinal, DataType
from extraction.selectors.cells import (
    ARM_ATTRIBUTES,
    CellLabeller,
    cell_key,
    cell_parts,
    cells_differ,
    extraction_cells,
)
from extraction.services.arms import _comparison_write
from extraction.services.errors import (
    MSG_CELL_INVALID,
    MSG_NOT_A_DIFFERENCE,
    MSG_NOT_A_RESOLVER,
    MSG_NOT_BOTH_SUBMITTED,
    ExtractionError,
    ExtractionFieldErrors,
)
from extraction.services.extractions import answer_clean
from extraction.services.results import result_write
from extraction.values import NOT_REPORTED, is_not_reported, parse_number
from reviewapp.models import Measure, Role, TimePoint
from reviewapp.selectors import roles_in_review
from reviewapp.services import audit_record, review_setting

# Review setting: who may resolve differences besides the adjudicator (and the lead).
RESOLVER_SETTING = "extraction_resolver"
RESOLVER_ADJUDICATOR = "adjudicator"
RESOLVER_ANY = "adjudicator_or_extractors"


def submitted_pair(study: Study) -> tuple[Extraction, Extraction]:
    """Return the assigned extractors' two submitted extractions (in username order), or raise.

    Extractions by people no longer assigned to the study are left out, so reassigning an
    extractor never mixes a third extraction into the comparison.
    """
    current = assigned_extractions(study)
    pair = list(current.filter(status=Extraction.Status.SUBMITTED).order_by("extractor__username"))
    if len(pair) < 2 or current.filter(status=Extraction.Status.DRAFT).exists():
        raise ExtractionError(MSG_NOT_BOTH_SUBMITTED)
    return pair[0], pair[1]


def assigned_extractions(study: Study):
    return study.extractions.filter(
        kind=Extraction.Kind.EXTRACTOR,
        extractor_id__in=study.assignments.values("user_id"),
    )


def may_resolve(user: AbstractBaseUser, study: Study) -> bool:
    roles = roles_in_review(user, study.review)
    if Role.ADJUDICATOR in roles or Role.LEAD in roles:
        return True
    if review_setting(study.review, RESOLVER_SETTING, RESOLVER_ADJUDICATOR) == RESOLVER_ANY:
        return study.assignments.filter(user=user).exists()
    return False


def _merge_sources(a: Any, b: Any) -> Any:
    if not cells_differ(a, b) or not b:
        return a
    if not a:
        return b
    return f"{a} / {b}"


def consensus_cells(a: dict[str, Any], b: dict[str, Any], resolutions: dict[str, Any]) -> dict:
    """Return the consensus so far: agreed cells, resolved differences, merged sources."""
    cells = {}
    for key in set(a) | set(b):
        if key.startswith('["source"'):
            cells[key] = _merge_sources(a.get(key), b.get(key))
        elif not cells_differ(a.get(key), b.get(key)):
            cells[key] = a.get(key, b.get(key))
        elif key in resolutions:
            cells[key] = resolutions[key]["value"]
    return cells


def _materialise(consensus: Extraction, cells: dict[str, Any], labeller: CellLabeller) -> None:
    """Rebuild the consensus's answers, arms, comparisons and results from its cells."""
    consensus.arms.all().delete()  # cascades to roles and results
    consensus.comparisons.all().delete()
    answers: dict[str, Any] = {}
    arms: dict[str, dict[str, Any]] = defaultdict(dict)
    comparisons: dict[str, dict[str, Any]] = defaultdict(dict)
    results: dict[tuple, dict[str, Any]] = defaultdict(dict)
    sources: dict[tuple, dict[str, str]] = defaultdict(dict)
    for key, value in cells.items():
        parts = cell_parts(key)
        if parts[0] == "field":
            if value is not None:
                answers[parts[1]] = value
        elif parts[0] == "arm":
            arms[parts[1]][parts[2]] = value
        elif parts[0] == "comparison":
            comparisons[parts[1]][parts[2]] = value
        elif parts[0] == "result":
            results[tuple(parts[1:4])][parts[4]] = value
            arms[parts[1]]  # noqa: B018 - an arm with numbers exists even without arm cells
        elif parts[0] == "source" and value:
            sources[tuple(parts[1:4])][parts[4]] = value
    consensus.answers = answers
    created: dict[str, Arm] = {}
    for order, (label, attributes) in enumerate(sorted(arms.items())):
        arm = Arm(extraction=consensus, label=label, order=order)
        for attribute in ARM_ATTRIBUTES:
            value = attributes.get(attribute)
            setattr(arm, attribute, None if is_not_reported(value) else value)
        arm.description = arm.description or ""
        if arm.n_randomised and arm.n_analysed and arm.n_analysed > arm.n_randomised:
            raise ExtractionError(
                MSG_CELL_INVALID.format(
                    cell=f"{label}: N analysed",
                    problem=f"{arm.n_analysed} analysed but {arm.n_randomised} randomised",
                )
            )
        arm.save()
        created[label] = arm
    for label, sides in sorted(comparisons.items()):
        intervention = [created[a] for a in sides.get("intervention") or [] if a in created]
        control = [created[a] for a in sides.get("control") or [] if a in created]
        if intervention and control:
            _comparison_write(consensus, label, intervention, control)
    measures = {m.pk: m for m in Measure.objects.filter(review_id=consensus.study.review_id)}
    time_points = {t.pk: t for t in TimePoint.objects.filter(review_id=consensus.study.review_id)}
    for (arm_label, measure_id, tp_id), values in sorted(results.items(), key=str):
        numbers = {
            k: v
            for k, v in values.items()
            if k not in ("data_type", "change_or_final", "higher_is_better")
        }
        if all(v is None for v in numbers.values()):
            continue
        try:
            result_write(
                extraction=consensus,
                arm=created[arm_label],
                measure=measures[measure_id],
                time_point=time_points[tp_id],
                data_type=values.get("data_type") or DataType.CONTINUOUS,
                change_or_final=values.get("change_or_final") or ChangeOrFinal.FINAL,
                higher_is_better=values.get("higher_is_better"),
                numbers=numbers,
                sources=sources.get((arm_label, measure_id, tp_id), {}),
            )
        except ExtractionFieldErrors as error:
            name, problem = next(iter(error.errors.items()))
            cell = labeller.describe(cell_key("result", arm_label, measure_id, tp_id, name))
            raise ExtractionError(
                MSG_CELL_INVALID.format(cell=f"{cell[1]} — {cell[2]}", problem=problem)
            ) from None


def _differences(a: dict[str, Any], b: dict[str, Any]) -> set[str]:
    return {
        key
        for key in set(a) | set(b)
        if not key.startswith('["source"') and cells_differ(a.get(key), b.get(key))
    }


def _refresh(consensus: Extraction, a_cells: dict[str, Any], b_cells: dict[str, Any]) -> None:
    cells = consensus_cells(a_cells, b_cells, consensus.resolutions)
    _materialise(consensus, cells, CellLabeller(consensus.study.review_id))
    unresolved = _differences(a_cells, b_cells) - set(consensus.resolutions)
    if unresolved:
        consensus.status, consensus.submitted_at = Extraction.Status.DRAFT, None
    else:
        consensus.status = Extraction.Status.SUBMITTED
        consensus.submitted_at = consensus.submitted_at or timezone.now()
    consensus.save()


@transaction.atomic
def consensus_open(*, actor: AbstractBaseUser | None, study: Study) -> Extraction:
    """Start the consensus from the agreed values; final at once if nothing differs."""
    a, b = submitted_pair(study)
    consensus, created = Extraction.objects.get_or_create(
        study=study, kind=Extraction.Kind.CONSENSUS, defaults={"extractor": None}
    )
    a_cells, b_cells = extraction_cells(a), extraction_cells(b)
    _refresh(consensus, a_cells, b_cells)
    if created:
        audit_record(
            actor=actor,
            review=study.review,
            action="extraction.consensus.open",
            obj=consensus,
            after={"differences": len(_differences(a_cells, b_cells))},
        )
    return consensus


def _edited_value(review_id: int, key: str, raw: str) -> Any:
    """Parse a value the resolver typed, by the kind of cell it is."""
    parts = cell_parts(key)
    raw = (raw or "").strip()
    if raw.lower() in ("nr", "not reported"):
        return dict(NOT_REPORTED)
    kind, attribute = parts[0], parts[-1]
    if kind == "field":
        field = FormField.objects.filter(review_id=review_id, key=parts[1]).first()
        if field is None:
            return raw or None
        if field.kind == "multi_choice":
            return answer_clean(field, [v.strip() for v in raw.split(";") if v.strip()])
        return answer_clean(field, raw)
    if kind == "comparison":
        return sorted(v.strip() for v in raw.split(";") if v.strip())
    if attribute in ("n", "events", "n_randomised", "n_analysed"):
        return parse_number(raw, kind="events" if attribute == "events" else "n")
    if attribute == "description":
        return raw
    if attribute == "data_type":
        if raw not in DataType.values:
            raise ValueError(f"choose one of {', '.join(DataType.values)}")
        return raw
    if attribute == "change_or_final":
        if raw not in ChangeOrFinal.values:
            raise ValueError(f"choose one of {', '.join(ChangeOrFinal.values)}")
        return raw
    if attribute == "higher_is_better":
        return {"yes": True, "true": True, "no": False, "false": False}.get(raw.lower())
    return parse_number(raw)


@transaction.atomic
def consensus_resolve(
    *, actor: AbstractBaseUser, study: Study, key: str, choice: str, value: str = ""
) -> Extraction:
    """Settle one difference: take extractor A's value ("a"), B's ("b"), or an edited one."""
    if not may_resolve(actor, study):
        setting = review_setting(study.review, RESOLVER_SETTING, RESOLVER_ADJUDICATOR)
        extra = " (or an extractor of the study)" if setting == RESOLVER_ANY else ""
        raise ExtractionError(MSG_NOT_A_RESOLVER.format(extra=extra))
    a, b = submitted_pair(study)
    consensus = Extraction.objects.select_for_update().filter(
        study=study, kind=Extraction.Kind.CONSENSUS
    ).first() or consensus_open(actor=actor, study=study)
    a_cells, b_cells = extraction_cells(a), extraction_cells(b)
    if key not in _differences(a_cells, b_cells):
        raise ExtractionError(MSG_NOT_A_DIFFERENCE)
    if choice == "a":
        resolved = a_cells.get(key)
    elif choice == "b":
        resolved = b_cells.get(key)
    else:
        choice = "edited"
        try:
            resolved = _edited_value(study.review_id, key, value)
        except ValueError as error:
            label = CellLabeller(study.review_id).describe(key)
            raise ExtractionError(
                MSG_CELL_INVALID.format(cell=f"{label[1]} — {label[2]}", problem=error)
            ) from None
    before = consensus.resolutions.get(key)
    consensus.resolutions = {
        **consensus.resolutions,
        key: {"value": resolved, "how": choice, "by": actor.get_username()},
    }
    _refresh(consensus, a_cells, b_cells)
    audit_record(
        actor=actor,
        review=study.review,
        action="extraction.consensus.resolve",
        obj=consensus,
        before=before,
        after={"cell": key, "how": choice, "value": resolved},
    )
    return consensus

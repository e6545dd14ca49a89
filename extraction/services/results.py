"""The outcome numbers of a draft: validation of each number and saving a row."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from extraction.models import Arm, Extraction, OutcomeResult
from extraction.models.extractions import NUMBER_FIELDS, DataType
from extraction.services.errors import (
    MSG_CHANGE_OUT_OF_RANGE,
    MSG_CI_ORDER,
    MSG_EVENTS_ABOVE_N,
    MSG_EVENTS_CONTINUOUS,
    MSG_MEAN_OUT_OF_RANGE,
    MSG_N_ABOVE_RANDOMISED,
    MSG_RESULT_TAKEN,
    MSG_SD_NEGATIVE,
    MSG_SE_NEGATIVE,
    ExtractionFieldErrors,
)
from extraction.services.extractions import _guard
from extraction.values import is_not_reported, parse_number
from reviewapp.models import Measure, TimePoint
from reviewapp.services import audit_record


def result_problems(
    *,
    arm_label: str,
    n_randomised: int | None,
    measure: Measure,
    data_type: str,
    change_or_final: str,
    numbers: dict[str, Any],
) -> dict[str, str]:
    """Return a message per number that breaks a rule (empty when all is well)."""
    given = {k: v for k, v in numbers.items() if v is not None and not is_not_reported(v)}
    problems: dict[str, str] = {}
    if given.get("sd") is not None and given["sd"] < 0:
        problems["sd"] = MSG_SD_NEGATIVE.format(value=given["sd"])
    if given.get("se") is not None and given["se"] < 0:
        problems["se"] = MSG_SE_NEGATIVE.format(value=given["se"])
    n, events = given.get("n"), given.get("events")
    if n is not None and n_randomised is not None and n > n_randomised:
        problems["n"] = MSG_N_ABOVE_RANDOMISED.format(n=n, randomised=n_randomised, arm=arm_label)
    if events is not None and data_type == DataType.CONTINUOUS:
        problems["events"] = MSG_EVENTS_CONTINUOUS
    elif events is not None and n is not None and events > n:
        problems["events"] = MSG_EVENTS_ABOVE_N.format(events=events, n=n)
    lower, upper = given.get("ci_lower"), given.get("ci_upper")
    if lower is not None and upper is not None and lower > upper:
        problems["ci_lower"] = MSG_CI_ORDER.format(lower=lower, upper=upper)
    mean = given.get("mean")
    low, high = measure.scale_min, measure.scale_max
    if mean is not None and low is not None and high is not None:
        name = measure.abbreviation or measure.name
        if change_or_final == "change":
            if abs(mean) > high - low:
                problems["mean"] = MSG_CHANGE_OUT_OF_RANGE.format(
                    mean=mean, measure=name, span=high - low
                )
        elif not low <= mean <= high:
            problems["mean"] = MSG_MEAN_OUT_OF_RANGE.format(
                mean=mean, measure=name, low=low, high=high
            )
    return problems


def result_write(
    *,
    extraction: Extraction,
    arm: Arm,
    measure: Measure,
    time_point: TimePoint,
    data_type: str,
    change_or_final: str,
    higher_is_better: bool | None,
    numbers: dict[str, Any],
    sources: dict[str, str],
    result: OutcomeResult | None = None,
) -> OutcomeResult:
    """Validate and save one row of numbers (no audit: the callers audit)."""
    parsed, errors = {}, {}
    for name in NUMBER_FIELDS:
        kind = name if name in ("n", "events") else "float"
        try:
            parsed[name] = parse_number(numbers.get(name), kind=kind)
        except ValueError as error:
            errors[name] = str(error)
    errors.update(
        result_problems(
            arm_label=arm.label,
            n_randomised=arm.n_randomised,
            measure=measure,
            data_type=data_type,
            change_or_final=change_or_final,
            numbers={k: v for k, v in parsed.items() if k not in errors},
        )
    )
    clash = OutcomeResult.objects.filter(arm=arm, measure=measure, time_point=time_point)
    if result is not None:
        clash = clash.exclude(pk=result.pk)
    if clash.exists():
        errors["arm"] = MSG_RESULT_TAKEN.format(arm=arm, measure=measure, time_point=time_point)
    if errors:
        raise ExtractionFieldErrors(errors)
    result = result or OutcomeResult(extraction=extraction)
    result.arm, result.measure, result.time_point = arm, measure, time_point
    result.data_type, result.change_or_final = data_type, change_or_final
    result.higher_is_better = higher_is_better
    for name in NUMBER_FIELDS:
        setattr(result, name, None if is_not_reported(parsed[name]) else parsed[name])
    result.not_reported = [name for name in NUMBER_FIELDS if is_not_reported(parsed[name])]
    result.sources = {k: v.strip() for k, v in sources.items() if v and v.strip()}
    result.save()
    return result


@transaction.atomic
def result_save(
    *,
    actor: AbstractBaseUser,
    extraction: Extraction,
    arm: Arm,
    measure: Measure,
    time_point: TimePoint,
    data_type: str,
    change_or_final: str,
    higher_is_better: bool | None,
    numbers: dict[str, Any],
    sources: dict[str, str] | None = None,
    result: OutcomeResult | None = None,
) -> OutcomeResult:
    """Save the numbers of one arm × measure × time point; a broken rule names the number."""
    _guard(actor, extraction)
    result = result_write(
        extraction=extraction,
        arm=arm,
        measure=measure,
        time_point=time_point,
        data_type=data_type,
        change_or_final=change_or_final,
        higher_is_better=higher_is_better,
        numbers=numbers,
        sources=sources or {},
        result=result,
    )
    audit_record(
        actor=actor,
        review=extraction.study.review,
        action="extraction.result",
        obj=result,
        after={
            "arm": arm.label,
            "measure": measure.name,
            "time_point": time_point.name,
            **{name: getattr(result, name) for name in NUMBER_FIELDS},
            "not_reported": result.not_reported,
        },
    )
    return result


@transaction.atomic
def result_delete(*, actor: AbstractBaseUser, result: OutcomeResult) -> None:
    _guard(actor, result.extraction)
    audit_record(
        actor=actor,
        review=result.extraction.study.review,
        action="extraction.result_delete",
        obj=result,
        before={"arm": result.arm.label, "measure": result.measure.name},
    )
    result.delete()

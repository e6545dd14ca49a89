"""Arms of a draft and the comparisons they play in (which is intervention, which control)."""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from extraction.models import Arm, ArmRole, Comparison, Extraction
from extraction.services.errors import (
    MSG_ANALYSED_ABOVE_RANDOMISED,
    MSG_ARM_IN_USE,
    MSG_ARM_TAKEN,
    MSG_COMPARISON_OVERLAP,
    MSG_COMPARISON_SIDES,
    MSG_COMPARISON_TAKEN,
    MSG_N_ABOVE_RANDOMISED,
    ExtractionError,
    ExtractionFieldErrors,
)
from extraction.services.extractions import _guard
from reviewapp.services import audit_record


@transaction.atomic
def arm_save(
    *,
    actor: AbstractBaseUser,
    extraction: Extraction,
    label: str,
    description: str = "",
    n_randomised: int | None = None,
    n_analysed: int | None = None,
    arm: Arm | None = None,
) -> Arm:
    """Add an arm to the draft, or change one."""
    _guard(actor, extraction)
    label = label.strip()
    clash = extraction.arms.filter(label=label)
    if arm is not None:
        clash = clash.exclude(pk=arm.pk)
    if clash.exists():
        raise ExtractionFieldErrors({"label": MSG_ARM_TAKEN.format(label=label)})
    if n_randomised is not None and n_analysed is not None and n_analysed > n_randomised:
        raise ExtractionFieldErrors(
            {
                "n_analysed": MSG_ANALYSED_ABOVE_RANDOMISED.format(
                    analysed=n_analysed, randomised=n_randomised
                )
            }
        )
    arm = arm or Arm(extraction=extraction, order=extraction.arms.count())
    arm.label, arm.description = label, description
    arm.n_randomised, arm.n_analysed = n_randomised, n_analysed
    if arm.pk and n_randomised is not None:
        too_many = arm.results.filter(n__gt=n_randomised).first()
        if too_many is not None:
            raise ExtractionFieldErrors(
                {
                    "n_randomised": MSG_N_ABOVE_RANDOMISED.format(
                        n=too_many.n, randomised=n_randomised, arm=label
                    )
                }
            )
    arm.save()
    audit_record(
        actor=actor,
        review=extraction.study.review,
        action="extraction.arm",
        obj=arm,
        after={"label": label, "n_randomised": n_randomised, "n_analysed": n_analysed},
    )
    return arm


@transaction.atomic
def arm_delete(*, actor: AbstractBaseUser, arm: Arm) -> None:
    _guard(actor, arm.extraction)
    if arm.results.exists():
        raise ExtractionError(MSG_ARM_IN_USE.format(label=arm.label))
    audit_record(
        actor=actor,
        review=arm.extraction.study.review,
        action="extraction.arm_delete",
        obj=arm,
        before={"label": arm.label},
    )
    arm.delete()


def _comparison_write(
    extraction: Extraction,
    label: str,
    intervention: Sequence[Arm],
    control: Sequence[Arm],
) -> Comparison:
    label = label.strip()
    if not intervention or not control:
        raise ExtractionError(MSG_COMPARISON_SIDES)
    for arm in intervention:
        if arm in control:
            raise ExtractionError(MSG_COMPARISON_OVERLAP.format(label=arm.label))
    if extraction.comparisons.filter(label=label).exists():
        raise ExtractionError(MSG_COMPARISON_TAKEN.format(label=label))
    comparison = Comparison.objects.create(extraction=extraction, label=label)
    ArmRole.objects.bulk_create(
        [
            ArmRole(comparison=comparison, arm=a, role=ArmRole.Role.INTERVENTION)
            for a in intervention
        ]
        + [ArmRole(comparison=comparison, arm=a, role=ArmRole.Role.CONTROL) for a in control]
    )
    return comparison


@transaction.atomic
def comparison_save(
    *,
    actor: AbstractBaseUser,
    extraction: Extraction,
    label: str,
    intervention: Sequence[Arm],
    control: Sequence[Arm],
) -> Comparison:
    """Say which arms are intervention and control; several arms on a side are combined."""
    _guard(actor, extraction)
    comparison = _comparison_write(extraction, label, intervention, control)
    audit_record(
        actor=actor,
        review=extraction.study.review,
        action="extraction.comparison",
        obj=comparison,
        after={
            "label": comparison.label,
            "intervention": [a.label for a in intervention],
            "control": [a.label for a in control],
        },
    )
    return comparison


@transaction.atomic
def comparison_delete(*, actor: AbstractBaseUser, comparison: Comparison) -> None:
    _guard(actor, comparison.extraction)
    audit_record(
        actor=actor,
        review=comparison.extraction.study.review,
        action="extraction.comparison_delete",
        obj=comparison,
        before={"label": comparison.label},
    )
    comparison.delete()

"""An extractor's draft: starting it, answers to the form (the autosave), submission."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from extraction.models import (
    Extraction,
    FormField,
    Study,
)
from extraction.models.forms import FieldKind
from extraction.services.errors import (
    MSG_ALREADY_SUBMITTED,
    MSG_BAD_ANSWER,
    MSG_BAD_CHOICE,
    MSG_NO_ARMS,
    MSG_NOT_ASSIGNED,
    MSG_NOT_YOUR_EXTRACTION,
    MSG_REQUIRED_MISSING,
    MSG_UNKNOWN_FIELD,
    ExtractionError,
    ExtractionFieldErrors,
)
from extraction.values import is_empty, is_not_reported, parse_number
from reviewapp.services import audit_record

YES_NO_UNCLEAR = ["Yes", "No", "Unclear"]


def _guard(actor: AbstractBaseUser, extraction: Extraction) -> None:
    """Refuse anyone but the extractor, and any change after submission.

    The row is re-read under a lock, so a submission in another request cannot slip
    between this check and the write that follows it.
    """
    current = Extraction.objects.select_for_update().filter(pk=extraction.pk).first()
    if current is None or current.is_consensus or current.extractor_id != actor.pk:
        raise ExtractionError(MSG_NOT_YOUR_EXTRACTION)
    if current.status != Extraction.Status.DRAFT:
        raise ExtractionError(MSG_ALREADY_SUBMITTED)


@transaction.atomic
def extraction_start(*, actor: AbstractBaseUser, study: Study) -> Extraction:
    """Return the actor's own extraction of the study, creating the draft on first visit."""
    if not study.assignments.filter(user=actor).exists():
        raise ExtractionError(MSG_NOT_ASSIGNED.format(study=study.label))
    extraction, created = Extraction.objects.get_or_create(
        study=study, extractor=actor, kind=Extraction.Kind.EXTRACTOR
    )
    if created:
        audit_record(actor=actor, review=study.review, action="extraction.start", obj=extraction)
    return extraction


def answer_clean(field: FormField, value: Any) -> Any:
    """Return the answer in its stored form, or raise ValueError with what is wrong."""
    if is_not_reported(value) or is_empty(value):
        return value if is_not_reported(value) else None
    kind = field.kind
    if kind in (FieldKind.TEXT, FieldKind.LONG_TEXT):
        return str(value).strip() or None
    if kind == FieldKind.NUMBER:
        return parse_number(value)
    if kind == FieldKind.INTEGER:
        number = parse_number(value)
        if number != int(number):
            raise ValueError(f"enter a whole number (got {value!r})")
        return int(number)
    if kind == FieldKind.DATE:
        if isinstance(value, datetime.date):
            return value.isoformat()
        return datetime.date.fromisoformat(str(value)).isoformat()
    allowed = YES_NO_UNCLEAR if kind == FieldKind.YES_NO_UNCLEAR else field.choice_list()
    if kind == FieldKind.MULTI_CHOICE:
        values = [value] if isinstance(value, str) else list(value)
        for item in values:
            if item not in allowed:
                raise ValueError(MSG_BAD_CHOICE.format(value=item, label=field.label))
        return [c for c in allowed if c in values]
    if value not in allowed:
        raise ValueError(MSG_BAD_CHOICE.format(value=value, label=field.label))
    return value


def answers_clean(review_id: int, answers: dict[str, Any]) -> dict[str, Any]:
    """Clean a batch of answers against the form; raise ExtractionFieldErrors keyed by field."""
    fields = {f.key: f for f in FormField.objects.filter(review_id=review_id, key__in=answers)}
    cleaned, errors = {}, {}
    for key, value in answers.items():
        field = fields.get(key)
        if field is None:
            errors[key] = MSG_UNKNOWN_FIELD.format(key=key)
            continue
        try:
            cleaned[key] = answer_clean(field, value)
        except ValueError as error:
            errors[key] = MSG_BAD_ANSWER.format(label=field.label, problem=error)
    if errors:
        raise ExtractionFieldErrors(errors)
    return cleaned


@transaction.atomic
def extraction_save_answers(
    *, actor: AbstractBaseUser, extraction: Extraction, answers: dict[str, Any]
) -> Extraction:
    """Save answers to the draft (the autosave); values not given are left as they were."""
    extraction = Extraction.objects.select_for_update().get(pk=extraction.pk)
    _guard(actor, extraction)
    cleaned = answers_clean(extraction.study.review_id, answers)
    changed = {k: v for k, v in cleaned.items() if extraction.answers.get(k) != v}
    if not changed:
        return extraction
    before = {k: extraction.answers.get(k) for k in changed}
    extraction.answers = {**extraction.answers, **changed}
    extraction.save(update_fields=["answers", "updated_at"])
    audit_record(
        actor=actor,
        review=extraction.study.review,
        action="extraction.answers",
        obj=extraction,
        before=before,
        after=changed,
    )
    return extraction


@transaction.atomic
def extraction_submit(*, actor: AbstractBaseUser, extraction: Extraction) -> Extraction:
    """Submit the draft; when both extractors have submitted, open the consensus."""
    from extraction.services.consensus import assigned_extractions, consensus_open

    extraction = Extraction.objects.select_for_update().get(pk=extraction.pk)
    _guard(actor, extraction)
    missing = [
        f.label
        for f in FormField.objects.filter(review_id=extraction.study.review_id, required=True)
        if is_empty(extraction.answers.get(f.key))
    ]
    if missing:
        raise ExtractionError(MSG_REQUIRED_MISSING.format(fields="; ".join(missing)))
    if extraction.arms.count() < 2:
        raise ExtractionError(MSG_NO_ARMS)
    extraction.status = Extraction.Status.SUBMITTED
    extraction.submitted_at = timezone.now()
    extraction.save(update_fields=["status", "submitted_at", "updated_at"])
    audit_record(
        actor=actor, review=extraction.study.review, action="extraction.submit", obj=extraction
    )
    others = assigned_extractions(extraction.study)
    if others.count() >= 2 and not others.filter(status=Extraction.Status.DRAFT).exists():
        consensus_open(actor=actor, study=extraction.study)
    return extraction

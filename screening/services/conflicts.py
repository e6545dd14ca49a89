"""The adjudicator's final decision on a conflict."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from reviewapp.models import ExclusionReason, Review, Role
from reviewapp.selectors import roles_in_review
from reviewapp.services import audit_record
from screening.models import ItemStatus, ScreeningConflict, ScreeningItem, Stage, Verdict
from screening.services.decisions import ScreeningError, item_resolve

NOT_AN_ADJUDICATOR = "Only the review's adjudicator can settle conflicts."
NO_SUCH_CONFLICT = "That conflict is not in this review."
CONFLICT_ALREADY_RESOLVED = "Record {record}: this conflict was already settled by {user}."
OWN_CONFLICT = (
    "Record {record}: you screened this record yourself; another adjudicator must settle it."
)
FINAL_VERDICT = "The adjudicator's decision is final: choose Include or Exclude."
ADJ_REASON_REQUIRED = "Record {record}: excluding a full text needs one of the exclusion reasons."


@transaction.atomic
def conflict_resolve(
    *,
    actor: AbstractBaseUser,
    review: Review,
    conflict_id: int,
    verdict: str,
    reason_id: int | None = None,
    note: str = "",
) -> ScreeningConflict:
    """Settle a conflict with the adjudicator's final decision and move the record on."""
    if Role.ADJUDICATOR not in roles_in_review(actor, review):
        raise ScreeningError(NOT_AN_ADJUDICATOR)
    conflict = ScreeningConflict.objects.filter(review=review, pk=conflict_id).first()
    if conflict is None:
        raise ScreeningError(NO_SUCH_CONFLICT)
    item = ScreeningItem.objects.select_for_update().get(pk=conflict.item_id)
    conflict = ScreeningConflict.objects.select_related("resolved_by").get(pk=conflict.pk)
    record = item.record_id
    if conflict.resolved_at is not None:
        raise ScreeningError(
            CONFLICT_ALREADY_RESOLVED.format(record=record, user=conflict.resolved_by)
        )
    if item.decisions.filter(reviewer=actor).exists():
        raise ScreeningError(OWN_CONFLICT.format(record=record))
    if verdict not in (Verdict.INCLUDE, Verdict.EXCLUDE):
        raise ScreeningError(FINAL_VERDICT)
    reason = None
    if verdict == Verdict.EXCLUDE and item.stage == Stage.FULL_TEXT:
        reason = ExclusionReason.objects.filter(review=review, pk=reason_id or 0).first()
        if reason is None:
            raise ScreeningError(ADJ_REASON_REQUIRED.format(record=record))
    conflict.verdict, conflict.reason, conflict.note = verdict, reason, note[:4000]
    conflict.resolved_by, conflict.resolved_at = actor, timezone.now()
    conflict.save()
    status = ItemStatus.INCLUDED if verdict == Verdict.INCLUDE else ItemStatus.EXCLUDED
    item_resolve(item=item, status=status, verdict=verdict, reason=reason)
    audit_record(
        actor=actor,
        review=review,
        action="screening.conflict.resolve",
        obj=conflict,
        after={
            "record": record,
            "stage": item.stage,
            "verdict": verdict,
            "reason": reason.name if reason else None,
            "note": note,
        },
    )
    return conflict

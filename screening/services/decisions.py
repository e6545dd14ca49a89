"""Reviewers' decisions: record, change, withdraw; agreement and conflict when the last lands.

Outcome rules, applied when a row has all its decisions (``review.screeners_per_record``):

- every decision Exclude → excluded (at full text, only if every reviewer gave the same
  reason; different reasons are a conflict, since PRISMA reports one reason per report);
- any Exclude beside an Include or Unsure → conflict (an Unsure never silently excludes);
- no Exclude, at title/abstract → include, so Include+Unsure and Unsure+Unsure go on to full
  text, where the report itself settles the doubt;
- no Exclude, at full text → included only if every decision is Include; any Unsure is a
  conflict, because inclusion in the review is final.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from reviewapp.models import ExclusionReason, Record, Review, Role
from reviewapp.selectors import roles_in_review
from reviewapp.services import ReviewError, audit_record
from screening.models import (
    ItemStatus,
    ScreeningConflict,
    ScreeningDecision,
    ScreeningItem,
    Stage,
    Verdict,
)


class ScreeningError(ReviewError):
    """A screening rule was broken; the message is shown to the user as it is."""


NOT_A_REVIEWER = "Only the review's reviewers can screen records: you are not a reviewer here."
NO_SUCH_RECORD = (
    "That record is not in this review's screening list (it may have been merged as a duplicate)."
)
ALREADY_RESOLVED = (
    "Record {record}: already resolved at this stage ({status}); your decision was not saved."
)
IN_CONFLICT = (
    "Record {record}: already in conflict and waiting for the adjudicator; decisions are closed."
)
ENOUGH_DECISIONS = "Record {record}: it already has its {n} decisions; your decision was not saved."
UNKNOWN_VERDICT = "Choose Include, Exclude or Unsure."
REASON_REQUIRED = (
    "Record {record}: a full-text exclusion needs one of the review's exclusion reasons."
)
UNKNOWN_REASON = "That exclusion reason does not belong to this review."
NOTHING_TO_UNDO = "Nothing to undo: you have no decision on a record that is still open."
NOTE_TOO_LONG = "The note is too long (4,000 characters at most)."


def _outcome(stage: str, decisions: list[ScreeningDecision]) -> tuple[str, str, Any, str]:
    """Return (status, final verdict, final reason, conflict kind) for a complete set."""
    verdicts = {d.verdict for d in decisions}
    if verdicts == {Verdict.EXCLUDE}:
        reasons = {d.reason_id for d in decisions}
        if stage == Stage.FULL_TEXT and len(reasons) > 1:
            return ItemStatus.CONFLICT, "", None, "different exclusion reasons"
        return ItemStatus.EXCLUDED, Verdict.EXCLUDE, decisions[0].reason, ""
    if Verdict.EXCLUDE in verdicts:
        kind = "include vs exclude" if Verdict.INCLUDE in verdicts else "unsure vs exclude"
        return ItemStatus.CONFLICT, "", None, kind
    if stage == Stage.TITLE_ABSTRACT or verdicts == {Verdict.INCLUDE}:
        return ItemStatus.INCLUDED, Verdict.INCLUDE, None, ""
    return ItemStatus.CONFLICT, "", None, "unsure at full text"


def item_resolve(*, item: ScreeningItem, status: str, verdict: str, reason: Any) -> None:
    """Close a locked row with its final outcome; an include at title/abstract opens full text."""
    item.status = status
    item.final_verdict = verdict
    item.final_reason = reason
    item.resolved_at = timezone.now()
    item.save(update_fields=["status", "final_verdict", "final_reason", "resolved_at"])
    if item.stage == Stage.TITLE_ABSTRACT and status == ItemStatus.INCLUDED:
        ScreeningItem.objects.get_or_create(
            record_id=item.record_id,
            stage=Stage.FULL_TEXT,
            defaults={"review_id": item.review_id, "rank_score": item.rank_score},
        )


def _locked_item(review: Review, item_id: int) -> ScreeningItem:
    item = (
        ScreeningItem.objects.select_for_update()
        .filter(review=review, pk=item_id, record__duplicate_of__isnull=True)
        .first()
    )
    if item is None:
        raise ScreeningError(NO_SUCH_RECORD)
    return item


def _check_open(item: ScreeningItem) -> None:
    label = item.record_id
    if item.status == ItemStatus.CONFLICT:
        raise ScreeningError(IN_CONFLICT.format(record=label))
    if item.status != ItemStatus.OPEN:
        raise ScreeningError(
            ALREADY_RESOLVED.format(record=label, status=item.get_status_display().lower())
        )


def _clean_reason(review: Review, stage: str, verdict: str, reason_id: int | None, record: int):
    if verdict not in Verdict.values:
        raise ScreeningError(UNKNOWN_VERDICT)
    if stage != Stage.FULL_TEXT or verdict != Verdict.EXCLUDE:
        return None
    if not reason_id:
        raise ScreeningError(REASON_REQUIRED.format(record=record))
    reason = ExclusionReason.objects.filter(review=review, pk=reason_id).first()
    if reason is None:
        raise ScreeningError(UNKNOWN_REASON)
    return reason


def _snapshot(decision: ScreeningDecision | None) -> dict[str, Any] | None:
    if decision is None:
        return None
    return {"verdict": decision.verdict, "reason": decision.reason_id, "note": decision.note}


@transaction.atomic
def decision_record(
    *,
    actor: AbstractBaseUser,
    review: Review,
    item_id: int,
    verdict: str,
    reason_id: int | None = None,
    note: str = "",
) -> ScreeningDecision:
    """Record (or change) the actor's decision; settle the row when its last decision lands.

    The row is locked first, so two reviewers deciding the same record at once are serialised
    and exactly one of them evaluates the complete set (and opens at most one conflict).
    """
    if Role.REVIEWER not in roles_in_review(actor, review):
        raise ScreeningError(NOT_A_REVIEWER)
    if len(note) > 4000:
        raise ScreeningError(NOTE_TOO_LONG)
    item = _locked_item(review, item_id)
    reason = _clean_reason(review, item.stage, verdict, reason_id, item.record_id)
    existing = ScreeningDecision.objects.filter(item=item, reviewer=actor).first()
    after = {"verdict": verdict, "reason": reason.pk if reason else None, "note": note}
    if existing is not None and _snapshot(existing) == after:
        return existing  # a double click or resubmitted form: nothing changes
    _check_open(item)
    before = _snapshot(existing)
    if existing is None:
        if item.decision_count >= review.screeners_per_record:
            raise ScreeningError(
                ENOUGH_DECISIONS.format(record=item.record_id, n=review.screeners_per_record)
            )
        decision = ScreeningDecision.objects.create(
            review=review,
            item=item,
            record_id=item.record_id,
            stage=item.stage,
            reviewer=actor,
            verdict=verdict,
            reason=reason,
            note=note,
        )
        item.decision_count += 1
        item.save(update_fields=["decision_count"])
    else:
        decision = existing
        decision.verdict, decision.reason, decision.note = verdict, reason, note
        decision.save(update_fields=["verdict", "reason", "note", "updated_at"])
    outcome = None
    if item.decision_count >= review.screeners_per_record:
        outcome = _settle(item)
    audit_record(
        actor=actor,
        review=review,
        action="screening.decision.change" if existing else "screening.decision",
        obj=decision,
        before=before,
        after={**after, "record": item.record_id, "stage": item.stage, "outcome": outcome},
    )
    if outcome in (ItemStatus.INCLUDED, ItemStatus.EXCLUDED) and item.stage == Stage.TITLE_ABSTRACT:
        from screening.services.ranking import ranking_maybe_retrain

        ranking_maybe_retrain(review=review)
    return decision


def _settle(item: ScreeningItem) -> str:
    decisions = list(item.decisions.select_related("reason").order_by("id"))
    status, verdict, reason, kind = _outcome(item.stage, decisions)
    if status == ItemStatus.CONFLICT:
        item.status = ItemStatus.CONFLICT
        item.save(update_fields=["status"])
        # the unique constraint is the last line of defence; the row lock makes it unreachable
        ScreeningConflict.objects.get_or_create(
            item=item, defaults={"review_id": item.review_id, "kind": kind}
        )
    else:
        item_resolve(item=item, status=status, verdict=verdict, reason=reason)
    return status


@transaction.atomic
def decision_withdraw(
    *, actor: AbstractBaseUser, review: Review, stage: str, item_id: int | None = None
) -> ScreeningDecision:
    """Withdraw the actor's decision (the last one by default) on a record still open."""
    if Role.REVIEWER not in roles_in_review(actor, review):
        raise ScreeningError(NOT_A_REVIEWER)
    decisions = ScreeningDecision.objects.filter(
        review=review, stage=stage, reviewer=actor, item__status=ItemStatus.OPEN
    ).order_by("-updated_at", "-id")
    if item_id is not None:
        decisions = decisions.filter(item_id=item_id)
    target = decisions.first()
    if target is None:
        raise ScreeningError(NOTHING_TO_UNDO)
    item = _locked_item(review, target.item_id)
    _check_open(item)
    decision = ScreeningDecision.objects.filter(pk=target.pk).first()
    if decision is None:
        raise ScreeningError(NOTHING_TO_UNDO)
    before = _snapshot(decision)
    decision.delete()
    item.decision_count = max(0, item.decision_count - 1)
    item.save(update_fields=["decision_count"])
    audit_record(
        actor=actor,
        review=review,
        action="screening.decision.withdraw",
        obj=item,
        before={**before, "record": item.record_id, "stage": stage},
    )
    decision.item = item
    return decision


def items_sync(*, review: Review) -> int:
    """Create the missing title/abstract rows for the review's unique records.

    Records are imported elsewhere; this runs when the screening pages open and before ranking.
    The missing ids are found first (one anti-join) and inserted in batches: an INSERT whose
    SELECT reads the table it grows can degrade to a scan per row on a fresh table.
    """
    missing = list(
        Record.objects.filter(review=review, duplicate_of__isnull=True)
        .exclude(
            Exists(ScreeningItem.objects.filter(record=OuterRef("pk"), stage=Stage.TITLE_ABSTRACT))
        )
        .values_list("pk", flat=True)
    )
    ScreeningItem.objects.bulk_create(
        (ScreeningItem(review=review, record_id=pk, stage=Stage.TITLE_ABSTRACT) for pk in missing),
        batch_size=5000,
        ignore_conflicts=True,
    )
    # rows of records merged as duplicates since, and not yet decided, leave the queue
    ScreeningItem.objects.filter(
        review=review, record__duplicate_of__isnull=False, decision_count=0, status=ItemStatus.OPEN
    ).delete()
    return len(missing)

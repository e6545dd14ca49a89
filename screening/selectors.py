"""Reads of the screening stage: the reviewer's queue, progress, the PRISMA counts, agreement.

The queue is computed in the database: open rows of the stage that still need decisions, that
this reviewer has not decided, ordered by the relevance score (or a per-reviewer hash), with
LIMIT. Nothing loads the review's records into Python.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Mod

from reviewapp.models import Record, Review
from reviewapp.services import review_setting
from screening.models import (
    RESOLVED_STATUSES,
    ItemStatus,
    RankingState,
    ScreeningConflict,
    ScreeningDecision,
    ScreeningItem,
    Stage,
)

ORDER_RANKED = "ranked"
ORDER_RANDOM = "random"
DEFAULT_INCLUDE_KEYWORDS = ["parent-infant", "psychotherap*", "random*", "infant*", "mother-infant"]
DEFAULT_EXCLUDE_KEYWORDS = ["adolescen*", "review", "school", "child*"]
_HASH_MODULUS = 2147483647  # a prime: record_id * m + c (mod p) is a permutation of the ids


def screening_order(review: Review) -> str:
    return review_setting(review, "screening_order", ORDER_RANKED)


def keyword_lists(review: Review) -> tuple[list[str], list[str]]:
    """Return the review's (inclusion, exclusion) keywords, defaulting to the protocol's."""
    return (
        list(review_setting(review, "screening_include_keywords", DEFAULT_INCLUDE_KEYWORDS)),
        list(review_setting(review, "screening_exclude_keywords", DEFAULT_EXCLUDE_KEYWORDS)),
    )


def unblinded_stages(review: Review) -> list[str]:
    return list(review_setting(review, "screening_unblinded_stages", []))


def _reviewer_hash(user_id: int) -> tuple[int, int]:
    digest = hashlib.sha256(f"screening-order-{user_id}".encode()).digest()
    multiplier = int.from_bytes(digest[:4], "big") % (_HASH_MODULUS - 1) + 1
    offset = int.from_bytes(digest[4:8], "big") % _HASH_MODULUS
    return multiplier, offset


def queue_for(review: Review, user: Any, stage: str) -> QuerySet[ScreeningItem]:
    """Return the rows this reviewer still has to screen at ``stage``, in screening order."""
    mine = ScreeningDecision.objects.filter(item=OuterRef("pk"), reviewer=user)
    items = (
        ScreeningItem.objects.filter(
            review=review,
            stage=stage,
            status=ItemStatus.OPEN,
            decision_count__lt=review.screeners_per_record,
            record__duplicate_of__isnull=True,
        )
        .exclude(Exists(mine))
        .select_related("record")
    )
    if screening_order(review) == ORDER_RANDOM:
        multiplier, offset = _reviewer_hash(user.pk)
        return items.annotate(
            order_key=Mod(F("record_id") * Value(multiplier) + Value(offset), Value(_HASH_MODULUS))
        ).order_by("order_key", "id")
    return items.order_by("-rank_score", "id")


def reviewer_lane(review: Review, user: Any) -> tuple[int, int] | None:
    """Return (lane, lanes) when more reviewers than places share the queue, else None.

    With ten reviewers and two places per record, all ten would reach for the same top record
    and eight would be turned away. Reviewers are paired into lanes (records whose id falls in
    the lane come first for them), so each record is read by the two reviewers of one lane;
    within a lane the order is still the ranking's.
    """
    from reviewapp.models import Membership, Role

    key = f"screening-reviewers-{review.pk}-{review.created_at.timestamp()}"
    reviewer_ids = cache.get(key)
    if reviewer_ids is None:
        reviewer_ids = list(
            Membership.objects.filter(review=review, role=Role.REVIEWER)
            .order_by("user_id")
            .values_list("user_id", flat=True)
        )
        cache.set(key, reviewer_ids, TOTALS_SECONDS)
    lanes = len(reviewer_ids) // max(1, review.screeners_per_record)
    if lanes < 2 or user.pk not in reviewer_ids:
        return None
    return min(reviewer_ids.index(user.pk) // review.screeners_per_record, lanes - 1), lanes


def next_items(review: Review, user: Any, stage: str, skip: list[int] | None = None) -> list:
    """Return the current record's row and the one after it (prefetched), or fewer."""
    queue = queue_for(review, user, stage)
    if skip:
        queue = queue.exclude(pk__in=skip)
    lane = reviewer_lane(review, user)
    if lane is None:
        return list(queue[:2])
    found = list(queue.annotate(lane=Mod(F("id"), Value(lane[1]))).filter(lane=lane[0])[:2])
    if len(found) < 2:
        found += list(queue.exclude(pk__in=[i.pk for i in found])[: 2 - len(found)])
    return found


def item_of_stage(review: Review, stage: str, item_id: int) -> ScreeningItem | None:
    """Return a row of the stage by id (any status: blinding is applied to what is shown)."""
    return (
        ScreeningItem.objects.filter(review=review, stage=stage, pk=item_id)
        .select_related("record")
        .first()
    )


def my_decision(item: ScreeningItem, user: Any) -> ScreeningDecision | None:
    return (
        ScreeningDecision.objects.filter(item=item, reviewer=user).select_related("reason").first()
    )


def my_decisions(review: Review, user: Any, stage: str) -> QuerySet[ScreeningDecision]:
    """Return the reviewer's own decisions at a stage, newest first (never anyone else's)."""
    return (
        ScreeningDecision.objects.filter(review=review, stage=stage, reviewer=user)
        .select_related("item", "record", "reason")
        .order_by("-updated_at", "-id")
    )


def previous_decision(
    review: Review, user: Any, stage: str, before_item: int | None
) -> ScreeningDecision | None:
    """Return the reviewer's decision made before the one on ``before_item`` (for the ← key)."""
    decisions = my_decisions(review, user, stage)
    if before_item:
        current = decisions.filter(item_id=before_item).first()
        if current is not None:
            decisions = decisions.filter(
                Q(updated_at__lt=current.updated_at)
                | Q(updated_at=current.updated_at, id__lt=current.id)
            )
    return decisions.first()


TOTALS_SECONDS = 30


def stage_totals(review: Review, stage: str) -> dict[str, int]:
    """Return the stage's counts per status and how many rows still need decisions.

    Counting a 100,000-record stage (0.5 s) on every keystroke would dominate the request, so
    the totals are cached for 30 seconds; a reviewer's own counts are always exact, so their
    "to do" falls with each decision. (``items_sync`` removes undecided rows of records later
    merged as duplicates, so the count needs no join to the records.)
    """
    key = f"screening-totals-{review.pk}-{review.created_at.timestamp()}-{stage}"
    totals = cache.get(key)
    if totals is None:
        # one scan with conditional counts rather than a GROUP BY and a second count
        counts = {status: Count("id", filter=Q(status=status)) for status in ItemStatus.values}
        counts["needing"] = Count(
            "id",
            filter=Q(status=ItemStatus.OPEN, decision_count__lt=review.screeners_per_record),
        )
        totals = ScreeningItem.objects.filter(review=review, stage=stage).aggregate(**counts)
        cache.set(key, totals, TOTALS_SECONDS)
    return totals


def progress(review: Review, user: Any, stage: str) -> dict[str, int]:
    """Return the reviewer's done / to do and the stage's totals."""
    totals = stage_totals(review, stage)
    mine = ScreeningDecision.objects.filter(review=review, stage=stage, reviewer=user).aggregate(
        done=Count("id"),
        open=Count(
            "id",
            filter=Q(
                item__status=ItemStatus.OPEN,
                item__decision_count__lt=review.screeners_per_record,
            ),
        ),
    )
    mine_open = mine["open"]
    statuses = [totals.get(s, 0) for s in ItemStatus.values]
    return {
        "mine_done": mine["done"],
        "mine_to_do": max(0, totals["needing"] - mine_open),
        "total": sum(statuses),
        "open": totals.get(ItemStatus.OPEN, 0),
        "conflicts": totals.get(ItemStatus.CONFLICT, 0),
        "included": totals.get(ItemStatus.INCLUDED, 0),
        "excluded": totals.get(ItemStatus.EXCLUDED, 0),
        "not_retrieved": totals.get(ItemStatus.NOT_RETRIEVED, 0),
    }


def stage_finished(review: Review, stage: str) -> bool:
    """Return whether every row of the stage has all its decisions (conflicts may be pending)."""
    items = ScreeningItem.objects.filter(review=review, stage=stage)
    return items.exists() and not items.filter(status=ItemStatus.OPEN).exists()


def others_visible(item: ScreeningItem, user: Any) -> list[ScreeningDecision]:
    """Return other reviewers' decisions on ``item`` if blinding allows, else nothing.

    Others' decisions are shown only once the record is resolved at this stage, or after the
    lead has lifted blinding for the stage.
    """
    if not (item.is_resolved or item.stage in unblinded_stages(item.review)):
        return []
    return list(
        ScreeningDecision.objects.filter(item=item)
        .exclude(reviewer=user)
        .select_related("reviewer", "reason")
    )


def conflicts_open(review: Review, user: Any) -> QuerySet[ScreeningConflict]:
    """Return the unresolved conflicts this adjudicator may decide (not ones they screened)."""
    screened = ScreeningDecision.objects.filter(item=OuterRef("item"), reviewer=user)
    return (
        ScreeningConflict.objects.filter(review=review, resolved_at__isnull=True)
        .exclude(Exists(screened))
        .select_related("item", "item__record")
        .prefetch_related("item__decisions__reviewer", "item__decisions__reason")
        .order_by("detected_at", "id")
    )


def ranking_state(review: Review) -> RankingState | None:
    return RankingState.objects.filter(review=review).first()


# --- The PRISMA flow ----------------------------------------------------------------------------


def prisma_screening_counts(review: Review) -> dict[str, Any]:
    """Return the screening boxes of the PRISMA 2020 flow diagram.

    - ``records_screened``: unique records (not merged duplicates) that received at least one
      title/abstract decision, or were resolved there.
    - ``records_excluded``: excluded at title/abstract (agreement or adjudication).
    - ``reports_sought``: records that reached full text (their title/abstract outcome was include).
    - ``reports_not_retrieved``: full text sought but marked not retrievable.
    - ``reports_assessed``: reports whose full-text assessment is finished (included or excluded);
      while screening is in progress, sought − not retrieved − assessed are still being assessed.
    - ``reports_excluded_by_reason``: full-text excludes per exclusion reason of the final
      (agreed or adjudicated) decision.
    - ``reports_included``: included at full text.
    - ``studies_included``: equal to ``reports_included`` for now; the extraction stage will
      group several reports of one study.
    """
    ta = ScreeningItem.objects.filter(
        review=review, stage=Stage.TITLE_ABSTRACT, record__duplicate_of__isnull=True
    )
    ft = ScreeningItem.objects.filter(
        review=review, stage=Stage.FULL_TEXT, record__duplicate_of__isnull=True
    )
    ft_status = Counter(dict(ft.values_list("status").annotate(n=Count("id"))))
    excluded_by_reason = dict(
        ft.filter(status=ItemStatus.EXCLUDED)
        .values_list("final_reason__name")
        .annotate(n=Count("id"))
        .order_by("final_reason__name")
    )
    excluded_by_reason = {
        (name or "No reason recorded"): n for name, n in excluded_by_reason.items()
    }
    included = ft_status[ItemStatus.INCLUDED]
    return {
        "records_screened": ta.filter(Q(decision_count__gt=0) | ~Q(status=ItemStatus.OPEN)).count(),
        "records_excluded": ta.filter(status=ItemStatus.EXCLUDED).count(),
        "reports_sought": sum(ft_status.values()),
        "reports_not_retrieved": ft_status[ItemStatus.NOT_RETRIEVED],
        "reports_assessed": ft_status[ItemStatus.INCLUDED] + ft_status[ItemStatus.EXCLUDED],
        "reports_excluded_by_reason": excluded_by_reason,
        "reports_included": included,
        "studies_included": included,
    }


def records_included(review: Review) -> QuerySet[Record]:
    """Return the records included at full text (final decisions only)."""
    return Record.objects.filter(
        review=review,
        duplicate_of__isnull=True,
        screening_items__stage=Stage.FULL_TEXT,
        screening_items__status=ItemStatus.INCLUDED,
    ).order_by("id")


def visible_decisions(review: Review, user: Any, stage: str) -> list[dict[str, Any]]:
    """Return resolved rows (or every decided row of an unblinded stage) with their decisions.

    Open and conflicted rows of a blinded stage never appear, so nobody sees a vote early.
    """
    items = ScreeningItem.objects.filter(review=review, stage=stage).select_related(
        "record", "final_reason"
    )
    if stage not in unblinded_stages(review):
        items = items.filter(status__in=RESOLVED_STATUSES)
    else:
        items = items.filter(Q(decision_count__gt=0) | Q(status__in=RESOLVED_STATUSES))
    items = list(items.order_by("-resolved_at", "-id")[:300])
    votes: dict[int, list[ScreeningDecision]] = defaultdict(list)
    for d in ScreeningDecision.objects.filter(item__in=[i.pk for i in items]).select_related(
        "reviewer", "reason"
    ):
        votes[d.item_id].append(d)
    return [{"item": i, "decisions": votes[i.pk]} for i in items]


def fulltexts_to_find(review: Review) -> list[dict[str, Any]]:
    """Return the full-text rows still being assessed, with what is attached (no votes)."""
    from screening.models import FullText

    items = list(
        ScreeningItem.objects.filter(
            review=review,
            stage=Stage.FULL_TEXT,
            status__in=[ItemStatus.OPEN, ItemStatus.CONFLICT],
        )
        .select_related("record")
        .order_by("-rank_score", "id")[:500]
    )
    attached = {
        f.record_id: f
        for f in FullText.objects.filter(review=review, record_id__in=[i.record_id for i in items])
    }
    return [{"item": i, "fulltext": attached.get(i.record_id)} for i in items]

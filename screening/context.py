"""The context of the screening fragment: the current record, the prefetched next, progress."""

from __future__ import annotations

from typing import Any

from reviewapp.models import ExclusionReason, Record, Review
from screening import selectors
from screening.highlight import highlight
from screening.models import FullText, ItemStatus, ScreeningItem, Stage


def record_display(record: Record, include: list[str], exclude: list[str]) -> dict[str, Any]:
    """Return the record's fields for the page, with keywords highlighted (escaped)."""
    return {
        "title": highlight(record.title, include, exclude),
        "abstract": highlight(record.abstract, include, exclude),
        "keywords": [highlight(str(k), include, exclude) for k in (record.keywords or [])],
        "authors": ", ".join(str(a) for a in (record.authors or [])),
        "journal": record.journal,
        "year": record.year,
        "source": record.source_database,
        "doi": record.doi,
        "url": record.url,
        "id": record.pk,
    }


def screen_context(
    review: Review,
    user: Any,
    stage: str,
    *,
    item_id: int | None = None,
    skip: int | None = None,
    error: str | None = None,
) -> dict[str, Any]:
    include, exclude = selectors.keyword_lists(review)
    current: ScreeningItem | None = None
    if item_id is not None:
        current = selectors.item_of_stage(review, stage, item_id)
        if current is None:
            error = error or "That record is not in this stage's screening list."
    if current is None:
        queue = selectors.next_items(review, user, stage, skip=[skip] if skip else None)
        current = queue[0] if queue else None
        prefetched = queue[1] if len(queue) > 1 else None
    else:
        following = selectors.next_items(review, user, stage, skip=[current.pk])
        prefetched = following[0] if following else None
    if current is not None:
        current.review = review  # spare a query: blinding reads the review's settings
    # rows from the queue are, by definition, ones this reviewer has not decided
    mine = selectors.my_decision(current, user) if (current and item_id) else None
    previous = selectors.previous_decision(
        review, user, stage, current.pk if (current and mine) else None
    )
    fulltext = None
    if current is not None and stage == Stage.FULL_TEXT:
        fulltext = FullText.objects.filter(review=review, record_id=current.record_id).first()
    return {
        "review": review,
        "stage": stage,
        "stage_label": Stage(stage).label,
        "item": current,
        "record": record_display(current.record, include, exclude) if current else None,
        "can_decide": bool(current and current.status == ItemStatus.OPEN),
        "mine": mine,
        "others": selectors.others_visible(current, user) if current else [],
        "prefetched": prefetched,
        "prefetched_record": record_display(prefetched.record, include, exclude)
        if prefetched
        else None,
        "previous": previous,
        "progress": selectors.progress(review, user, stage),
        "reasons": ExclusionReason.objects.filter(review=review)
        if stage == Stage.FULL_TEXT
        else [],
        "fulltext": fulltext,
        "ranking": selectors.ranking_state(review),
        "order": selectors.screening_order(review),
        "error": error,
        "include_keywords": include,
        "exclude_keywords": exclude,
    }

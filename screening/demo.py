"""Screening data for the demo review: the protocol's keywords and the rows to screen."""

from __future__ import annotations

from reviewapp.models import Review
from screening.selectors import DEFAULT_EXCLUDE_KEYWORDS, DEFAULT_INCLUDE_KEYWORDS
from screening.services import items_sync

DEMO_SETTINGS = {
    "screening_include_keywords": DEFAULT_INCLUDE_KEYWORDS,
    "screening_exclude_keywords": DEFAULT_EXCLUDE_KEYWORDS,
    "screening_order": "ranked",
    "screening_retrain_every": 5,
}


def screening_demo(review: Review) -> None:
    """Set the demo's screening settings (keeping any the lead changed) and create its rows."""
    missing = {k: v for k, v in DEMO_SETTINGS.items() if k not in (review.settings or {})}
    if missing:
        review.settings = {**(review.settings or {}), **missing}
        review.save(update_fields=["settings"])
    items_sync(review=review)

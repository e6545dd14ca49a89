"""Fixtures of the screening tests: records with their title/abstract rows."""

from __future__ import annotations

import pytest

from screening.models import ScreeningItem, Stage
from screening.services import items_sync


@pytest.fixture
def items(review, make_records):
    """Five title/abstract rows of the review, in id order."""
    make_records(review, 5)
    items_sync(review=review)
    return list(ScreeningItem.objects.filter(review=review, stage=Stage.TITLE_ABSTRACT))


@pytest.fixture
def decide(review):
    """Return ``decide(user, item, verdict, reason=None, note="")`` through the service."""
    from screening.services import decision_record

    def run(user, item, verdict, reason=None, note=""):
        return decision_record(
            actor=user,
            review=review,
            item_id=item.pk,
            verdict=verdict,
            reason_id=reason.pk if reason else None,
            note=note,
        )

    return run


def fulltext_item(item):
    return ScreeningItem.objects.get(record_id=item.record_id, stage=Stage.FULL_TEXT)

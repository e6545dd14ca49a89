"""The PRISMA counts other stages rely on (contract: exact keys and meanings)."""

from __future__ import annotations

from reviewapp.models import Record
from screening.models import ItemStatus, ScreeningItem, Stage
from screening.selectors import prisma_screening_counts, records_included
from screening.services import conflict_resolve, fulltext_mark_not_retrieved
from tests.screening.conftest import fulltext_item

KEYS = {
    "records_screened",
    "records_excluded",
    "reports_sought",
    "reports_not_retrieved",
    "reports_assessed",
    "reports_excluded_by_reason",
    "reports_included",
    "studies_included",
}


def test_empty_review_counts_zero(review):
    counts = prisma_screening_counts(review)
    assert set(counts) == KEYS
    assert counts["reports_excluded_by_reason"] == {}
    assert counts["records_screened"] == 0


def test_counts_follow_the_flow(review, items, decide, reviewer_a, reviewer_b, adjudicator, lead):
    reasons = list(review.exclusion_reasons.all()[:2])
    a, b, c, d, e = items
    for item in (a, b, c, d):
        decide(reviewer_a, item, "include")
    decide(reviewer_b, a, "include")
    decide(reviewer_b, b, "unsure")  # include + unsure at title/abstract: goes on to full text
    decide(reviewer_b, c, "include")
    decide(reviewer_b, d, "exclude")  # conflict, adjudicated as exclude
    conflict = ScreeningItem.objects.get(pk=d.pk).conflicts.get()
    conflict_resolve(actor=adjudicator, review=review, conflict_id=conflict.pk, verdict="exclude")
    decide(reviewer_a, e, "unsure")  # one decision only: screened, not resolved

    fa, fb, fc = fulltext_item(a), fulltext_item(b), fulltext_item(c)
    decide(reviewer_a, fa, "include")
    decide(reviewer_b, fa, "include")
    decide(reviewer_a, fb, "exclude", reason=reasons[0])
    decide(reviewer_b, fb, "exclude", reason=reasons[0])
    fulltext_mark_not_retrieved(actor=lead, review=review, item_id=fc.pk)

    counts = prisma_screening_counts(review)
    assert counts == {
        "records_screened": 5,
        "records_excluded": 1,
        "reports_sought": 3,
        "reports_not_retrieved": 1,
        "reports_assessed": 2,
        "reports_excluded_by_reason": {reasons[0].name: 1},
        "reports_included": 1,
        "studies_included": 1,
    }
    assert list(records_included(review)) == [Record.objects.get(pk=a.record_id)]
    assert ScreeningItem.objects.get(pk=fc.pk).status == ItemStatus.NOT_RETRIEVED


def test_duplicates_are_not_counted(review, items, decide, reviewer_a):
    decide(reviewer_a, items[0], "exclude")
    Record.objects.filter(pk=items[0].record_id).update(duplicate_of=items[1].record_id)
    assert prisma_screening_counts(review)["records_screened"] == 0
    assert not ScreeningItem.objects.filter(stage=Stage.FULL_TEXT).exists()

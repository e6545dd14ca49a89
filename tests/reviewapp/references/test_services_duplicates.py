"""Reviewers merge, reject and un-merge; nothing is ever deleted; every step is audited."""

from __future__ import annotations

import pytest

from reviewapp.models import AuditEvent, DuplicatePair, Record
from reviewapp.references.services import (
    batch_import,
    duplicate_pair_merge,
    duplicate_pair_reject,
    record_unmerge,
)
from reviewapp.references.services.duplicates import NOT_MERGED, PAIR_DECIDED
from reviewapp.services import ReviewError
from tests.reviewapp.references.helpers import upload

pytestmark = pytest.mark.django_db

A = "TY  - JOUR\nTI  - Watch wait and wonder: a new approach to mother infant psychotherapy\nAU  - Cohen, N\nPY  - 1999\nVL  - 20\nSP  - 429\nER  - \n"
B = A.replace("SP  - 429", "SP  - 1429")  # same title, other page: uncertain


def _pending(review, lead):
    batch_import(actor=lead, batch_id=upload(review, "a.ris", content=A.encode()).pk)
    batch_import(actor=lead, batch_id=upload(review, "b.ris", content=B.encode()).pk)
    return DuplicatePair.objects.get(review=review, status=DuplicatePair.Status.PENDING)


def test_uncertain_pair_waits_in_the_queue(review, lead):
    pair = _pending(review, lead)
    assert pair.kept.position_in_source == 1 and pair.method == "fuzzy"
    assert Record.objects.filter(review=review, duplicate_of__isnull=True).count() == 2


def test_merge_links_the_duplicate_and_audits(review, reviewer_a):
    pair = _pending(review, reviewer_a)
    duplicate = duplicate_pair_merge(actor=reviewer_a, review=review, pair_id=pair.pk)
    duplicate.refresh_from_db()
    assert duplicate.duplicate_of_id == pair.kept_id
    assert Record.objects.filter(review=review).count() == 2  # nothing deleted
    event = AuditEvent.objects.get(review=review, action="references.merge")
    assert event.after["duplicate_of"] == pair.kept_id and event.actor == reviewer_a
    with pytest.raises(ReviewError) as caught:
        duplicate_pair_merge(actor=reviewer_a, review=review, pair_id=pair.pk)
    assert str(caught.value) == PAIR_DECIDED.format(status="merged by a reviewer")


def test_not_a_duplicate_is_never_proposed_again(review, lead):
    pair = _pending(review, lead)
    duplicate_pair_reject(actor=lead, review=review, pair_id=pair.pk)
    batch_import(actor=lead, batch_id=upload(review, "b2.ris", content=B.encode()).pk)
    assert DuplicatePair.objects.filter(kept=pair.kept, duplicate=pair.duplicate).count() == 1
    assert AuditEvent.objects.filter(action="references.not_duplicate").count() == 1


def test_unmerge_restores_the_record_and_audits(review, lead):
    batch_import(actor=lead, batch_id=upload(review, "a.ris", content=A.encode()).pk)
    batch_import(actor=lead, batch_id=upload(review, "a2.ris", content=A.encode()).pk)
    merged = Record.objects.get(review=review, duplicate_of__isnull=False)
    record_unmerge(actor=lead, review=review, record_id=merged.pk)
    merged.refresh_from_db()
    assert merged.duplicate_of is None
    assert DuplicatePair.objects.get(duplicate=merged).status == DuplicatePair.Status.UNMERGED
    assert AuditEvent.objects.get(action="references.unmerge").before == {
        "duplicate_of": merged.pk - 1
    }
    with pytest.raises(ReviewError) as caught:
        record_unmerge(actor=lead, review=review, record_id=merged.pk)
    assert str(caught.value) == NOT_MERGED.format(id=merged.pk)


def test_pairs_of_another_review_cannot_be_decided(review, other_review, lead):
    pair = _pending(review, lead)
    with pytest.raises(ReviewError, match="No such pair"):
        duplicate_pair_merge(actor=lead, review=other_review, pair_id=pair.pk)
    with pytest.raises(ReviewError, match="No such record"):
        record_unmerge(actor=lead, review=other_review, record_id=pair.duplicate_id)

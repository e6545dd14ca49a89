"""The adjudicator's final decision."""

from __future__ import annotations

import pytest

from reviewapp.models import AuditEvent
from screening.models import ItemStatus, ScreeningConflict, ScreeningItem, Stage
from screening.services import ScreeningError, conflict_resolve
from screening.services import conflicts as c


@pytest.fixture
def conflict(items, decide, reviewer_a, reviewer_b):
    decide(reviewer_a, items[0], "include", note="RCT of dyads")
    decide(reviewer_b, items[0], "exclude", note="not psychodynamic")
    return ScreeningConflict.objects.get(item=items[0])


def test_resolve_moves_record_to_full_text(review, conflict, adjudicator):
    conflict_resolve(actor=adjudicator, review=review, conflict_id=conflict.pk, verdict="include")
    assert ScreeningItem.objects.get(pk=conflict.item_id).status == ItemStatus.INCLUDED
    assert ScreeningItem.objects.filter(
        record_id=conflict.item.record_id, stage=Stage.FULL_TEXT
    ).exists()
    assert AuditEvent.objects.filter(action="screening.conflict.resolve").count() == 1


def test_only_the_adjudicator(review, conflict, reviewer_a, lead):
    for user in (reviewer_a, lead):
        with pytest.raises(ScreeningError, match=c.NOT_AN_ADJUDICATOR):
            conflict_resolve(actor=user, review=review, conflict_id=conflict.pk, verdict="include")


def test_final_decision_is_include_or_exclude(review, conflict, adjudicator):
    with pytest.raises(ScreeningError, match="final"):
        conflict_resolve(
            actor=adjudicator, review=review, conflict_id=conflict.pk, verdict="unsure"
        )


def test_resolved_twice_is_refused(review, conflict, adjudicator):
    conflict_resolve(actor=adjudicator, review=review, conflict_id=conflict.pk, verdict="exclude")
    with pytest.raises(ScreeningError, match="already settled"):
        conflict_resolve(
            actor=adjudicator, review=review, conflict_id=conflict.pk, verdict="include"
        )


def test_conflict_of_another_review(other_review, conflict, adjudicator):
    from reviewapp.services import membership_grant

    membership_grant(actor=None, review=other_review, user=adjudicator, role="adjudicator")
    with pytest.raises(ScreeningError, match=c.NO_SUCH_CONFLICT):
        conflict_resolve(
            actor=adjudicator, review=other_review, conflict_id=conflict.pk, verdict="include"
        )


def test_full_text_exclusion_needs_reason(
    review, items, decide, reviewer_a, reviewer_b, adjudicator
):
    from tests.screening.conftest import fulltext_item

    decide(reviewer_a, items[1], "include")
    decide(reviewer_b, items[1], "include")
    ft = fulltext_item(items[1])
    decide(reviewer_a, ft, "include")
    decide(reviewer_b, ft, "unsure")
    conflict = ScreeningConflict.objects.get(item=ft)
    with pytest.raises(ScreeningError, match="exclusion reasons"):
        conflict_resolve(
            actor=adjudicator, review=review, conflict_id=conflict.pk, verdict="exclude"
        )
    reason = review.exclusion_reasons.first()
    conflict_resolve(
        actor=adjudicator,
        review=review,
        conflict_id=conflict.pk,
        verdict="exclude",
        reason_id=reason.pk,
    )
    assert ScreeningItem.objects.get(pk=ft.pk).final_reason == reason

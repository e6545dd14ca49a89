"""Decisions: one per reviewer and stage, changes audited, agreement and conflict rules."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from reviewapp.models import AuditEvent
from screening.models import ItemStatus, ScreeningConflict, ScreeningDecision, ScreeningItem, Stage
from screening.services import ScreeningError, decision_withdraw
from screening.services import decisions as d
from tests.screening.conftest import fulltext_item


def _status(item):
    return ScreeningItem.objects.get(pk=item.pk).status


@pytest.mark.parametrize(
    ("first", "second", "status"),
    [
        ("include", "include", ItemStatus.INCLUDED),
        ("exclude", "exclude", ItemStatus.EXCLUDED),
        ("include", "exclude", ItemStatus.CONFLICT),
        ("unsure", "exclude", ItemStatus.CONFLICT),
        ("include", "unsure", ItemStatus.INCLUDED),
        ("unsure", "unsure", ItemStatus.INCLUDED),
    ],
)
def test_title_abstract_rules(items, decide, reviewer_a, reviewer_b, first, second, status):
    item = items[0]
    decide(reviewer_a, item, first)
    assert _status(item) == ItemStatus.OPEN
    decide(reviewer_b, item, second)
    assert _status(item) == status
    reaches_full_text = ScreeningItem.objects.filter(
        record_id=item.record_id, stage=Stage.FULL_TEXT
    ).exists()
    assert reaches_full_text == (status == ItemStatus.INCLUDED)
    assert ScreeningConflict.objects.filter(item=item).count() == (status == ItemStatus.CONFLICT)


@pytest.mark.parametrize(
    ("first", "second", "status"),
    [
        ("include", "include", ItemStatus.INCLUDED),
        ("include", "unsure", ItemStatus.CONFLICT),
        ("unsure", "unsure", ItemStatus.CONFLICT),
        ("exclude", "include", ItemStatus.CONFLICT),
    ],
)
def test_full_text_rules(review, items, decide, reviewer_a, reviewer_b, first, second, status):
    reason = review.exclusion_reasons.first()
    decide(reviewer_a, items[0], "include")
    decide(reviewer_b, items[0], "include")
    ft = fulltext_item(items[0])
    decide(reviewer_a, ft, first, reason=reason if first == "exclude" else None)
    decide(reviewer_b, ft, second, reason=reason if second == "exclude" else None)
    assert _status(ft) == status


def test_full_text_excludes_with_different_reasons_conflict(
    review, items, decide, reviewer_a, reviewer_b
):
    r1, r2 = review.exclusion_reasons.all()[:2]
    decide(reviewer_a, items[0], "include")
    decide(reviewer_b, items[0], "include")
    ft = fulltext_item(items[0])
    decide(reviewer_a, ft, "exclude", reason=r1)
    decide(reviewer_b, ft, "exclude", reason=r2)
    assert ScreeningConflict.objects.get(item=ft).kind == "different exclusion reasons"


def test_full_text_exclude_needs_a_reason(items, decide, reviewer_a, reviewer_b):
    decide(reviewer_a, items[0], "include")
    decide(reviewer_b, items[0], "include")
    with pytest.raises(ScreeningError, match="exclusion reasons"):
        decide(reviewer_a, fulltext_item(items[0]), "exclude")


def test_reason_of_another_review_is_refused(items, decide, reviewer_a, reviewer_b, other_review):
    decide(reviewer_a, items[0], "include")
    decide(reviewer_b, items[0], "include")
    with pytest.raises(ScreeningError, match=d.UNKNOWN_REASON):
        decide(
            reviewer_a,
            fulltext_item(items[0]),
            "exclude",
            reason=other_review.exclusion_reasons.first(),
        )


def test_resubmission_never_makes_two(items, decide, reviewer_a):
    decide(reviewer_a, items[0], "include", note="ok")
    decide(reviewer_a, items[0], "include", note="ok")
    assert ScreeningDecision.objects.filter(item=items[0]).count() == 1
    assert ScreeningItem.objects.get(pk=items[0].pk).decision_count == 1
    assert AuditEvent.objects.filter(action__startswith="screening.decision").count() == 1


def test_database_refuses_a_second_decision(review, items, reviewer_a):
    ScreeningDecision.objects.create(
        review=review,
        item=items[0],
        record_id=items[0].record_id,
        stage="ta",
        reviewer=reviewer_a,
        verdict="include",
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        ScreeningDecision.objects.create(
            review=review,
            item=items[0],
            record_id=items[0].record_id,
            stage="ta",
            reviewer=reviewer_a,
            verdict="exclude",
        )


def test_change_is_audited_until_resolved(items, decide, reviewer_a, reviewer_b):
    decide(reviewer_a, items[0], "include")
    decide(reviewer_a, items[0], "exclude", note="animal study")
    change = AuditEvent.objects.get(action="screening.decision.change")
    assert change.before["verdict"] == "include" and change.after["verdict"] == "exclude"
    decide(reviewer_b, items[0], "exclude")
    with pytest.raises(ScreeningError, match="already resolved"):
        decide(reviewer_a, items[0], "include")


def test_double_click_after_resolution_is_harmless(items, decide, reviewer_a, reviewer_b):
    decide(reviewer_a, items[0], "exclude")
    decide(reviewer_b, items[0], "exclude")
    decide(reviewer_b, items[0], "exclude")  # the second click of a double click
    assert ScreeningDecision.objects.filter(item=items[0]).count() == 2


def test_conflicted_record_is_closed(items, decide, reviewer_a, reviewer_b):
    decide(reviewer_a, items[0], "include")
    decide(reviewer_b, items[0], "exclude")
    with pytest.raises(ScreeningError, match=r"in conflict"):
        decide(reviewer_a, items[0], "exclude")


def test_only_reviewers_decide(items, decide, lead, adjudicator, outsider):
    for user in (lead, adjudicator, outsider):
        with pytest.raises(ScreeningError, match=d.NOT_A_REVIEWER):
            decide(user, items[0], "include")


def test_record_of_another_review_is_refused(review, other_review, make_records, reviewer_a):
    from screening.services import decision_record, items_sync

    make_records(other_review, 1)
    items_sync(review=other_review)
    foreign = ScreeningItem.objects.get(review=other_review)
    with pytest.raises(ScreeningError, match="not in this review"):
        decision_record(actor=reviewer_a, review=review, item_id=foreign.pk, verdict="include")


def test_third_reviewer_is_refused_when_enough(
    review, items, decide, reviewer_a, reviewer_b, make_user
):
    from reviewapp.services import membership_grant

    third = make_user("third")
    membership_grant(actor=None, review=review, user=third, role="reviewer")
    decide(reviewer_a, items[0], "include")
    decide(reviewer_b, items[0], "exclude")
    with pytest.raises(ScreeningError):
        decide(third, items[0], "include")


def test_screeners_per_record_setting(review, items, decide, reviewer_a):
    review.screeners_per_record = 1
    review.save()
    decide(reviewer_a, items[0], "exclude")
    assert _status(items[0]) == ItemStatus.EXCLUDED


def test_withdraw_last_decision(review, items, decide, reviewer_a):
    decide(reviewer_a, items[0], "include")
    decide(reviewer_a, items[1], "exclude")
    withdrawn = decision_withdraw(actor=reviewer_a, review=review, stage="ta")
    assert withdrawn.item_id == items[1].pk
    assert ScreeningItem.objects.get(pk=items[1].pk).decision_count == 0
    assert AuditEvent.objects.filter(action="screening.decision.withdraw").count() == 1


def test_nothing_to_undo(review, reviewer_a):
    with pytest.raises(ScreeningError, match=d.NOTHING_TO_UNDO):
        decision_withdraw(actor=reviewer_a, review=review, stage="ta")

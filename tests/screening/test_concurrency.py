"""Real concurrent transactions on PostgreSQL: the row lock and the named constraints hold.

Each thread has its own database connection (Django's connections are per thread), and a
barrier releases both decisions at the same moment.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from screening.models import ItemStatus, ScreeningConflict, ScreeningDecision, ScreeningItem
from screening.services import ScreeningError, decision_record, items_sync

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency: needs PostgreSQL (set DATABASE_URL=postgres://…) for row locks")


def _race(calls):
    barrier = threading.Barrier(len(calls))
    errors: list[Exception] = []

    def run(call):
        try:
            barrier.wait()
            call()
        except ScreeningError as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return errors


@pytest.mark.parametrize("attempt", range(5))
def test_two_reviewers_at_once_make_exactly_one_conflict(
    review, make_records, reviewer_a, reviewer_b, attempt
):
    make_records(review, 1)
    items_sync(review=review)
    item = ScreeningItem.objects.get(review=review)
    errors = _race(
        [
            lambda: decision_record(
                actor=reviewer_a, review=review, item_id=item.pk, verdict="include"
            ),
            lambda: decision_record(
                actor=reviewer_b, review=review, item_id=item.pk, verdict="exclude"
            ),
        ]
    )
    assert errors == []
    assert ScreeningConflict.objects.filter(item=item).count() == 1
    item.refresh_from_db()
    assert item.status == ItemStatus.CONFLICT and item.decision_count == 2


def test_double_submit_at_once_makes_one_decision(review, make_records, reviewer_a):
    make_records(review, 1)
    items_sync(review=review)
    item = ScreeningItem.objects.get(review=review)

    def submit():
        decision_record(actor=reviewer_a, review=review, item_id=item.pk, verdict="include")

    assert _race([submit, submit, submit]) == []
    assert ScreeningDecision.objects.filter(item=item).count() == 1
    item.refresh_from_db()
    assert item.decision_count == 1


def test_three_reviewers_race_for_two_places(
    review, make_records, reviewer_a, reviewer_b, make_user
):
    from reviewapp.services import membership_grant

    third = make_user("third")
    membership_grant(actor=None, review=review, user=third, role="reviewer")
    make_records(review, 1)
    items_sync(review=review)
    item = ScreeningItem.objects.get(review=review)
    errors = _race(
        [
            lambda user=user: decision_record(
                actor=user, review=review, item_id=item.pk, verdict="exclude"
            )
            for user in (reviewer_a, reviewer_b, third)
        ]
    )
    assert len(errors) == 1  # the last one is told the record is already resolved
    assert ScreeningDecision.objects.filter(item=item).count() == 2
    item.refresh_from_db()
    assert item.status == ItemStatus.EXCLUDED

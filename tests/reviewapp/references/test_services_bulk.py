"""Bulk writes of an import: foreign keys checked while Python matches duplicates (PostgreSQL)."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction

from reviewapp.references.services.bulk import ForeignKeysCheckedMeanwhile

pytestmark = pytest.mark.django_db(transaction=True)

DANGLING_PAIR = (
    "INSERT INTO reviewapp_duplicatepair (review_id, kept_id, duplicate_id, method, score, "
    "status, created_at) VALUES (%s, 999999998, 999999999, 'doi', 100, 'pending', now())"
)


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("deferred foreign keys: PostgreSQL only (set DATABASE_URL=postgres://…)")


def test_a_broken_foreign_key_is_found_inside_the_block(review):
    with pytest.raises(IntegrityError), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(DANGLING_PAIR, [review.pk])  # deferred: not checked yet
        with ForeignKeysCheckedMeanwhile():
            pass  # the server checks it now, not at COMMIT


def test_constraints_are_deferred_again_after_the_block(review):
    with transaction.atomic():
        with ForeignKeysCheckedMeanwhile():
            sum(range(10_000))  # Python work meanwhile
        sid = transaction.savepoint()
        with connection.cursor() as cursor:
            cursor.execute(DANGLING_PAIR, [review.pk])  # accepted for now: checked at COMMIT
        transaction.savepoint_rollback(sid)

"""A real Celery worker re-ranks after a batch of resolved records (PostgreSQL + Redis)."""

from __future__ import annotations

import pytest

from reviewapp.models import Job
from screening.models import RankingState, ScreeningItem
from screening.services import decision_record, items_sync, screening_settings_update
from tests.conftest import wait_for_job

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_worker_reranks_after_a_batch(
    celery_worker_process, review, make_records, reviewer_a, reviewer_b, lead
):
    screening_settings_update(
        actor=lead,
        review=review,
        include_keywords=[],
        exclude_keywords=[],
        order="ranked",
        retrain_every=2,
    )
    review.refresh_from_db()
    make_records(review, 6, abstract="parent infant psychotherapy")
    make_records(review, 6, abstract="knee surgery outcomes")
    items_sync(review=review)
    rows = list(ScreeningItem.objects.filter(review=review).order_by("id"))
    for item, verdict in ((rows[0], "include"), (rows[6], "exclude")):
        for user in (reviewer_a, reviewer_b):
            decision_record(actor=user, review=review, item_id=item.pk, verdict=verdict)
    job = Job.objects.get(review=review, kind="screening.rerank")
    job = wait_for_job(job, timeout=60)
    assert job.status == Job.Status.DONE, job.error
    assert RankingState.objects.get(review=review).n_ranked == 10
    top = ScreeningItem.objects.filter(review=review, status="open").order_by("-rank_score").first()
    assert "psychotherapy" in top.record.abstract

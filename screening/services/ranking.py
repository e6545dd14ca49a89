"""Retrain the relevance model on the review's resolved title/abstract decisions and re-rank.

Only resolved records are labels: training on a single reviewer's vote would let it reorder
the other reviewer's queue, a side channel through the blinding. The TF-IDF matrix is cached
on disk per review and rebuilt only when the set of records changes, so a retrain at 100,000
records is a model fit, one sparse product and one bulk UPDATE.
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from reviewapp.jobs import job_progress, job_start
from reviewapp.models import Job, Review
from reviewapp.services import review_setting
from screening.models import ItemStatus, RankingState, ScreeningItem, Stage

RERANK_KIND = "screening.rerank"
DEFAULT_RETRAIN_EVERY = 20


def retrain_every(review: Review) -> int:
    return max(1, int(review_setting(review, "screening_retrain_every", DEFAULT_RETRAIN_EVERY)))


def ranking_maybe_retrain(*, review: Review) -> Job | None:
    """Start a re-rank job once ``retrain_every`` records were resolved since the last one."""
    from screening.selectors import ORDER_RANKED, screening_order

    if screening_order(review) != ORDER_RANKED:
        return None
    resolved = ScreeningItem.objects.filter(
        review=review,
        stage=Stage.TITLE_ABSTRACT,
        status__in=[ItemStatus.INCLUDED, ItemStatus.EXCLUDED],
    ).count()
    state, _ = RankingState.objects.get_or_create(review=review)
    if resolved - state.decisions_at_training < retrain_every(review):
        return None
    active = Job.objects.filter(
        review=review, kind=RERANK_KIND, status__in=[Job.Status.WAITING, Job.Status.RUNNING]
    )
    if active.exists():
        return None
    RankingState.objects.filter(pk=state.pk).update(decisions_at_training=resolved)
    return ranking_start(review=review)


def ranking_start(*, review: Review) -> Job:
    return job_start(
        review=review,
        kind=RERANK_KIND,
        task_name="screening.rerank",
        arguments={"review_id": review.pk},
    )


def _cache_path(review: Review, ids: np.ndarray) -> Path:
    digest = hashlib.sha256(ids.tobytes()).hexdigest()[:16]
    return Path(settings.VAR_DIR) / "ranking" / f"review-{review.pk}-{digest}.npz"


def _features_for(review: Review, ids: np.ndarray):
    from scipy import sparse

    from screening.ranking.model import features

    path = _cache_path(review, ids)
    if path.exists():
        return sparse.load_npz(path).tocsr()
    texts = {
        pk: f"{title} {abstract}"
        for pk, title, abstract in ScreeningItem.objects.filter(pk__in=ids.tolist()).values_list(
            "pk", "record__title", "record__abstract"
        )
    }
    matrix = features([texts[i] for i in ids.tolist()])
    path.parent.mkdir(parents=True, exist_ok=True)
    for old in path.parent.glob(f"review-{review.pk}-*.npz"):
        old.unlink(missing_ok=True)
    sparse.save_npz(path, matrix, compressed=False)
    return matrix


def _write_scores(ids: np.ndarray, scores: np.ndarray) -> None:
    table = ScreeningItem._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"UPDATE {table} AS i SET rank_score = v.s "
                "FROM unnest(%s::bigint[], %s::float8[]) AS v(id, s) WHERE i.id = v.id",
                [ids.tolist(), scores.tolist()],
            )
        else:
            cursor.executemany(
                f"UPDATE {table} SET rank_score = %s WHERE id = %s",
                list(zip(scores.tolist(), ids.tolist(), strict=True)),
            )


def ranking_retrain(*, review_id: int, job: Job | None = None) -> dict[str, Any]:
    """Fit the model on resolved title/abstract records and store every open record's score."""
    # scikit-learn is imported here, not at module level, so web workers never load it
    from screening.ranking.model import DEFAULT_MODEL, prior_corrected, relevance_scores
    from screening.services.decisions import items_sync

    started = time.perf_counter()
    review = Review.objects.get(pk=review_id)
    items_sync(review=review)
    rows = list(
        ScreeningItem.objects.filter(
            review=review, stage=Stage.TITLE_ABSTRACT, record__duplicate_of__isnull=True
        )
        .order_by("id")
        .values_list("id", "status")
    )
    ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    labels_of = {ItemStatus.INCLUDED: 1, ItemStatus.EXCLUDED: 0}
    label = np.array([labels_of.get(status, -1) for _, status in rows], dtype=int)
    n_pos, n_neg = int((label == 1).sum()), int((label == 0).sum())
    if n_pos == 0 or n_neg == 0:
        return {
            "trained": False,
            "message": "The model needs one included and one excluded record.",
        }
    if job is not None:
        job_progress(job, 1, 3, "Building features")
    matrix = _features_for(review, ids)
    labelled = np.flatnonzero(label >= 0)
    if job is not None:
        job_progress(job, 2, 3, "Fitting the model")
    scores = relevance_scores(matrix, labelled, label[labelled], DEFAULT_MODEL)
    unscreened = np.array([r[1] == ItemStatus.OPEN for r in rows], dtype=bool)
    estimate = float(prior_corrected(scores[unscreened], n_pos, n_neg).sum())
    with transaction.atomic():
        _write_scores(ids[unscreened], scores[unscreened])
        seconds = time.perf_counter() - started
        RankingState.objects.update_or_create(
            review=review,
            defaults={
                "trained_at": timezone.now(),
                "n_included": n_pos,
                "n_excluded": n_neg,
                "n_ranked": int(unscreened.sum()),
                "estimated_relevant_remaining": estimate,
                "model_name": "TF-IDF + logistic regression (balanced)",
                "seconds": seconds,
            },
        )
    return {
        "trained": True,
        "included": n_pos,
        "excluded": n_neg,
        "ranked": int(unscreened.sum()),
        "estimated_relevant_remaining": round(estimate, 1),
        "seconds": round(seconds, 2),
    }

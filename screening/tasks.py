"""Celery tasks of the screening stage: thin wrappers around services."""

from celery import shared_task

from reviewapp.jobs import job_run


@shared_task(name="screening.rerank", acks_late=True, soft_time_limit=300, time_limit=360)
def rerank_task(job_id: int) -> None:
    from screening.services.ranking import ranking_retrain

    job_run(job_id, lambda job: ranking_retrain(review_id=job.arguments["review_id"], job=job))

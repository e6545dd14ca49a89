"""Celery tasks of the core app: thin wrappers around services."""

from celery import shared_task

from reviewapp.jobs import job_run, worker_health
from reviewapp.references import tasks as references_tasks  # noqa: F401  (register with Celery)


@shared_task(name="reviewapp.worker_health", acks_late=True, soft_time_limit=30, time_limit=60)
def worker_health_task(job_id: int) -> None:
    job_run(job_id, lambda job: worker_health())

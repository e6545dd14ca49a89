"""Celery tasks of the analysis stage: thin wrappers around services."""

from celery import shared_task

from reviewapp.jobs import job_run


@shared_task(name="analysis.run_analyses", acks_late=True, soft_time_limit=600, time_limit=660)
def run_analyses_task(job_id: int) -> None:
    from analysis.services.runs import analyses_compute

    job_run(job_id, lambda job: analyses_compute(job=job))

"""Background jobs: a durable row first, then the Celery task, so a broker outage loses nothing.

Services call ``job_start()``; tasks call ``job_run()`` around their service. A job whose
broker was down stays WAITING and is enqueued again when a worker starts
(``requeue_waiting_jobs``, wired to Celery's ``worker_ready`` signal).
"""

from __future__ import annotations

import logging
import socket
import traceback
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from reviewapp.models import Job, Review

logger = logging.getLogger(__name__)


def job_start(
    *, review: Review | None, kind: str, task_name: str, arguments: dict[str, Any] | None = None
) -> Job:
    """Write the job row and enqueue its task once the surrounding transaction commits."""
    job = Job.objects.create(
        review=review, kind=kind, task_name=task_name, arguments=arguments or {}
    )
    transaction.on_commit(lambda: job_dispatch(job.pk))
    return job


def job_dispatch(job_id: int) -> bool:
    """Send the job's task to the broker; on failure leave the job waiting and say why."""
    from reviewapp.celery import app

    job = Job.objects.filter(pk=job_id).first()
    if job is None:
        return False
    task = app.tasks.get(job.task_name)
    if task is None:
        Job.objects.filter(pk=job_id).update(
            status=Job.Status.FAILED, error=f"No task named {job.task_name!r} is registered."
        )
        return False
    try:
        task.apply_async(args=[job.pk])
    except Exception as exc:  # the broker's errors vary by transport; none may reach the page
        logger.warning("Job %s waits: the task queue is unreachable (%s)", job_id, exc)
        Job.objects.filter(pk=job_id, status=Job.Status.WAITING).update(
            message="Waiting: the task queue is unreachable; the job will start when it is back."
        )
        return False
    return True


def job_run(job_id: int, work: Callable[[Job], Any]) -> Job | None:
    """Run ``work(job)`` for a task, recording running/done/failed on the row.

    A job already done is not run again, so a redelivered task never duplicates a result.
    """
    job = Job.objects.filter(pk=job_id).first()
    if job is None or job.status == Job.Status.DONE:
        return job
    Job.objects.filter(pk=job_id).update(
        status=Job.Status.RUNNING, started_at=timezone.now(), attempts=job.attempts + 1, message=""
    )
    job.refresh_from_db()
    try:
        result = work(job)
    except Exception as exc:
        logger.exception("Job %s failed", job_id)
        Job.objects.filter(pk=job_id).update(
            status=Job.Status.FAILED,
            error=str(exc) or exc.__class__.__name__,
            message=traceback.format_exception_only(exc)[-1].strip()[:500],
            finished_at=timezone.now(),
        )
        job.refresh_from_db()
        return job
    Job.objects.filter(pk=job_id).update(
        status=Job.Status.DONE, result=result, finished_at=timezone.now(), error=""
    )
    job.refresh_from_db()
    return job


def job_progress(job: Job, done: int, total: int, message: str = "") -> None:
    """Record progress; called from inside a running task."""
    Job.objects.filter(pk=job.pk).update(
        progress_done=min(done, total), progress_total=total, message=message
    )


def requeue_waiting_jobs(older_than: timedelta = timedelta(seconds=0)) -> int:
    """Enqueue again every job still waiting (after a broker outage); return how many were sent."""
    cutoff = timezone.now() - older_than
    sent = 0
    for job_id in Job.objects.filter(status=Job.Status.WAITING, created_at__lte=cutoff).values_list(
        "pk", flat=True
    ):
        sent += job_dispatch(job_id)
    return sent


def worker_health() -> dict[str, object]:
    """Return the worker's host, the database it reached and how many reviews it sees."""
    return {
        "hostname": socket.gethostname(),
        "database": connection.vendor,
        "database_name": str(connection.settings_dict["NAME"]),
        "reviews": Review.objects.count(),
    }

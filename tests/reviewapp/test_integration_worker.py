"""A real task through Redis to a real Celery worker on PostgreSQL."""

import time

import pytest

from reviewapp.models import Job

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_real_worker_runs_a_job_through_redis(celery_worker_process, review):
    from reviewapp.jobs import job_start

    job = job_start(review=review, kind="health", task_name="reviewapp.worker_health")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status in (Job.Status.DONE, Job.Status.FAILED):
            break
        time.sleep(0.2)
    assert job.status == Job.Status.DONE, job.error or job.message
    assert job.result["database"] == "postgresql"
    assert job.result["reviews"] == 1
    assert job.result["hostname"]

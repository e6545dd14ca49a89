"""A real task through Redis to a real Celery worker on PostgreSQL."""

import pytest

from reviewapp.models import Job
from tests.conftest import wait_for_job

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_real_worker_runs_a_job_through_redis(celery_worker_process, review):
    from reviewapp.jobs import job_start

    job = job_start(review=review, kind="health", task_name="reviewapp.worker_health")
    job = wait_for_job(job, timeout=30)
    assert job.status == Job.Status.DONE, job.error or job.message
    assert job.result["database"] == "postgresql"
    assert job.result["reviews"] == 1
    assert job.result["hostname"]

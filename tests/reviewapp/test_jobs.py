import pytest

from reviewapp.jobs import job_dispatch, job_run, job_start, requeue_waiting_jobs
from reviewapp.models import Job

pytestmark = pytest.mark.django_db


def test_job_runs_in_process_on_the_embedded_default(django_capture_on_commit_callbacks, review):
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(review=review, kind="health", task_name="reviewapp.worker_health")
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert job.result["reviews"] >= 1


def test_unknown_task_fails_the_job_with_a_message(review):
    job = Job.objects.create(review=review, kind="x", task_name="no.such.task")
    assert job_dispatch(job.pk) is False
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "no.such.task" in job.error


def test_broker_down_leaves_the_job_waiting(review, monkeypatch):
    from reviewapp.celery import app

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("Connection refused")

    monkeypatch.setattr(app.tasks["reviewapp.worker_health"], "apply_async", refuse)
    job = Job.objects.create(review=review, kind="health", task_name="reviewapp.worker_health")
    assert job_dispatch(job.pk) is False
    job.refresh_from_db()
    assert job.status == Job.Status.WAITING
    assert "unreachable" in job.message
    monkeypatch.undo()
    assert requeue_waiting_jobs() == 1
    job.refresh_from_db()
    assert job.status == Job.Status.DONE


def test_failure_is_recorded_and_done_job_is_not_run_twice(review):
    job = Job.objects.create(review=review, kind="x", task_name="reviewapp.worker_health")

    def boom(_job):
        raise ValueError("Study 'Smith 2001' has SD < 0")

    job_run(job.pk, boom)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "Smith 2001" in job.error

    calls = []
    job_run(job.pk, lambda j: calls.append(1) or {"ok": True})
    job_run(job.pk, lambda j: calls.append(1) or {"ok": True})
    assert calls == [1]


def test_job_status_fragment_is_for_members_only(client, review, reviewer_a, outsider):
    from django.urls import reverse

    job = Job.objects.create(review=review, kind="health", task_name="reviewapp.worker_health")
    url = reverse("reviewapp:job_status", args=[review.slug, job.pk])
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(reviewer_a)
    response = client.get(url)
    assert response.status_code == 200
    assert "Waiting for a worker" in response.content.decode()

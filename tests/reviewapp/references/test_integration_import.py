"""A large import runs in a real Celery worker (PostgreSQL + Redis) and reports progress."""

from __future__ import annotations

import time

import pytest

from reviewapp.models import ImportBatch, Job, Record
from reviewapp.references.services import batch_start
from reviewapp.references.services import imports as imports_module
from tests.reviewapp.references.helpers import upload

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_real_worker_imports_a_batch(celery_worker_process, review, lead, monkeypatch):
    monkeypatch.setattr(imports_module, "INLINE_MAX_BYTES", 10)  # decided here, run there
    batch = upload(review, "ovid_medline.ris", actor=lead)
    job = batch_start(actor=lead, batch=batch, on_error="skip")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status in (Job.Status.DONE, Job.Status.FAILED):
            break
        time.sleep(0.2)
    assert job.status == Job.Status.DONE, job.error or job.message
    assert job.result == {"imported": 2, "duplicates": 0, "skipped": 0, "errors": []}
    assert job.progress_done == job.progress_total > 0
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.IMPORTED
    assert Record.objects.filter(review=review).count() == 2

"""A large import runs in a real Celery worker (PostgreSQL + Redis) and reports progress."""

from __future__ import annotations

import pytest

from reviewapp.models import ImportBatch, Job, Record
from reviewapp.references.services import batch_start
from reviewapp.references.services import imports as imports_module
from reviewapp.references.services.imports import CHILD_PARSER_MIN_BYTES
from tests.conftest import wait_for_job
from tests.reviewapp.references.helpers import upload

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_real_worker_imports_a_batch(celery_worker_process, review, lead, monkeypatch):
    monkeypatch.setattr(imports_module, "INLINE_MAX_BYTES", 10)  # decided here, run there
    batch = upload(review, "ovid_medline.ris", actor=lead)
    job = batch_start(actor=lead, batch=batch, on_error="skip")
    job = wait_for_job(job, timeout=60)
    assert job.status == Job.Status.DONE, job.error or job.message
    assert job.result == {"imported": 2, "duplicates": 0, "skipped": 0, "errors": []}
    assert job.progress_done == job.progress_total > 0
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.IMPORTED
    assert Record.objects.filter(review=review).count() == 2


def _large_ris(records: int) -> bytes:
    abstract = "Parent-infant psychotherapy for mothers and infants at risk. " * 20
    return "".join(
        f"TY  - JOUR\nTI  - Randomised trial number {i} of parent-infant psychotherapy\n"
        f"AU  - Author{i}, A\nPY  - 2010\nDO  - 10.1000/large.{i}\nAB  - {abstract}\nER  - \n"
        for i in [*range(records), 7]  # the last record repeats the eighth: a duplicate
    ).encode()


def test_prefork_worker_parses_a_large_file_in_a_child_process(
    celery_prefork_worker_process, review, lead
):
    content = _large_ris(1500)  # over INLINE_MAX_BYTES and CHILD_PARSER_MIN_BYTES
    assert len(content) > max(imports_module.INLINE_MAX_BYTES, CHILD_PARSER_MIN_BYTES)
    batch = upload(review, "large.ris", actor=lead, content=content)
    job = batch_start(actor=lead, batch=batch, on_error="skip")
    job = wait_for_job(job, timeout=90)
    assert job.status == Job.Status.DONE, job.error or job.message
    assert job.result == {"imported": 1501, "duplicates": 1, "skipped": 0, "errors": []}
    duplicate = Record.objects.get(review=review, position_in_source=1501)
    assert duplicate.duplicate_of.position_in_source == 8

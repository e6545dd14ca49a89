"""Imports are atomic, audited, de-duplicated, and refuse bad files with a clear message."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from reviewapp.models import AuditEvent, ImportBatch, Job, Record, SearchSource
from reviewapp.references.services import (
    ImportError_,
    batch_cancel,
    batch_import,
    batch_set_mapping,
    batch_start,
)
from reviewapp.references.services import imports as imports_module
from reviewapp.references.services import reading as reading_module
from reviewapp.references.services.imports import FILE_EMPTY, NOT_WAITING
from reviewapp.services import ReviewError
from tests.reviewapp.references.helpers import FIXTURES, upload

pytestmark = pytest.mark.django_db


def test_import_creates_source_records_and_one_audit_event(review, lead):
    batch = upload(review, "pubmed.nbib", actor=lead, database="PubMed")
    summary = batch_import(actor=lead, batch_id=batch.pk)
    assert summary == {"imported": 2, "duplicates": 0, "skipped": 0, "errors": []}
    source = SearchSource.objects.get(review=review)
    assert (source.database_name, source.uploaded_by) == ("PubMed", lead)
    record = Record.objects.get(review=review, pmid="31000001")
    assert record.source_database == "PubMed" and record.position_in_source == 1
    assert record.raw.startswith("PMID- 31000001")
    events = AuditEvent.objects.filter(review=review, action="references.import")
    assert events.count() == 1 and events.get().after["imported"] == 2


def test_importing_the_same_file_twice_is_caught_as_duplicates(review, lead):
    batch_import(actor=lead, batch_id=upload(review, "ovid_medline.ris").pk)
    summary = batch_import(actor=lead, batch_id=upload(review, "ovid_medline.ris").pk)
    assert (summary["imported"], summary["duplicates"]) == (2, 2)
    assert Record.objects.filter(review=review, duplicate_of__isnull=True).count() == 2


def test_same_study_from_two_databases_merges_by_doi(review, lead):
    batch_import(actor=lead, batch_id=upload(review, "pubmed.nbib").pk)
    summary = batch_import(actor=lead, batch_id=upload(review, "ovid_medline.ris").pk)
    assert summary["duplicates"] == 1
    merged = Record.objects.get(review=review, duplicate_of__isnull=False)
    assert merged.doi == "10.1002/imhj.21001"
    assert merged.duplicate_of.source_database == "pubmed.nbib"


def test_errors_found_ask_imports_nothing_and_lists_them(review, lead):
    batch = upload(review, "truncated_notitle.ris")
    summary = batch_import(actor=lead, batch_id=batch.pk, on_error="ask")
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.NEEDS_DECISION
    assert (batch.records_good, batch.records_skipped) == (1, 2)
    assert [(e["record"], e["line"]) for e in summary["errors"]] == [(2, 7), (3, 12)]
    assert summary["imported"] == 0
    assert not Record.objects.filter(review=review).exists()
    assert not SearchSource.objects.filter(review=review).exists()


def test_user_chooses_to_import_the_good_records(review, lead):
    batch = upload(review, "truncated_notitle.ris")
    batch_import(actor=lead, batch_id=batch.pk, on_error="ask")
    summary = batch_import(actor=lead, batch_id=batch.pk, on_error="skip")
    assert (summary["imported"], summary["skipped"]) == (1, 2)
    assert Record.objects.filter(review=review).count() == 1


def test_abort_imports_nothing(review, lead):
    batch = upload(review, "truncated_notitle.ris")
    summary = batch_import(actor=lead, batch_id=batch.pk, on_error="abort")
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED
    assert summary["imported"] == 0 and summary["skipped"] == 3
    assert not Record.objects.filter(review=review).exists()


def test_cancelled_batch_cannot_be_imported_later(review, lead):
    batch = upload(review, "truncated_notitle.ris")
    batch_import(actor=lead, batch_id=batch.pk)
    batch_cancel(actor=lead, batch=batch)
    with pytest.raises(ReviewError) as caught:
        batch_import(actor=lead, batch_id=batch.pk, on_error="skip")
    assert str(caught.value) == NOT_WAITING.format(status="cancelled (nothing imported)")
    assert AuditEvent.objects.filter(review=review, action="references.cancel").exists()


def test_binary_junk_fails_with_message_and_leaves_nothing(review, lead):
    batch = upload(review, "junk.ris", content=bytes(range(256)) * 50)
    summary = batch_import(actor=lead, batch_id=batch.pk)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED
    assert "binary data" in batch.message
    assert summary["imported"] == 0
    assert not Record.objects.exists() and not SearchSource.objects.exists()


def test_file_over_the_size_limit_is_refused(review, lead, settings):
    settings.UPLOAD_MAX_MEGABYTES = 1
    with pytest.raises(ImportError_, match="the limit is 1 MB"):
        upload(review, "big.ris", content=b"x" * (1024 * 1024 + 1))
    assert not ImportBatch.objects.exists()


def test_empty_file_is_refused(review, lead):
    with pytest.raises(ImportError_) as caught:
        upload(review, "empty.ris", content=b"")
    assert str(caught.value) == FILE_EMPTY


def test_csv_mapping_chosen_by_the_user_is_used(review, lead):
    batch = upload(review, "scopus.csv")
    batch_set_mapping(
        actor=lead, batch=batch, mapping={"title": "Source title", "authors": "Author full names"}
    )
    batch_import(actor=lead, batch_id=batch.pk)
    record = Record.objects.filter(review=review).first()
    assert record.title == "British Journal of Psychiatry"
    assert record.authors == ["Cooper, Peter J.", "Murray, Lynne"]
    assert record.doi == ""  # not mapped any more


def test_mapping_must_name_a_title_column(review, lead):
    batch = upload(review, "scopus.csv")
    with pytest.raises(ReviewError, match="title"):
        batch_set_mapping(actor=lead, batch=batch, mapping={"authors": "Authors"})


@pytest.mark.django_db(
    transaction=True
)  # progress is written from its own connection on PostgreSQL
def test_large_file_imports_in_a_background_job_with_progress(review, lead, monkeypatch):
    monkeypatch.setattr(imports_module, "INLINE_MAX_BYTES", 10)
    monkeypatch.setattr(reading_module, "CHUNK_RECORDS", 1)
    batch = upload(review, "ovid_medline.ris")
    job = batch_start(actor=lead, batch=batch)  # the task runs (eagerly) when the job commits
    job.refresh_from_db()
    batch.refresh_from_db()
    assert job.status == Job.Status.DONE, job.error
    assert job.result["imported"] == 2
    assert job.progress_done == job.progress_total == batch.file_size
    assert batch.status == ImportBatch.Status.IMPORTED and batch.job == job


def test_stored_file_that_vanished_fails_with_a_message(review, lead, tmp_path):
    from reviewapp.references.services import batch_create

    path = tmp_path / "gone.ris"
    path.write_bytes((FIXTURES / "ovid_medline.ris").read_bytes())
    batch = batch_create(
        actor=lead,
        review=review,
        database_name="X",
        file_name="gone.ris",
        chunks=(),
        size=10,
        stored_path=path,
    )
    path.unlink()
    batch_import(actor=lead, batch_id=batch.pk)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED
    assert batch.message == "The file cannot be read: No such file or directory."


def test_two_records_of_one_batch_cannot_share_a_position(review, lead):
    # the import finds its new records' ids by position: the database keeps positions unique
    batch = upload(review, "ovid_medline.ris", actor=lead)
    batch_import(actor=lead, batch_id=batch.pk, on_error="skip")
    first = Record.objects.filter(batch=batch).order_by("position_in_source").first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Record.objects.create(
            review=review, batch=batch, position_in_source=first.position_in_source, title="Copy"
        )
    Record.objects.create(review=review, batch=None, position_in_source=1, title="No batch")
    Record.objects.create(review=review, batch=None, position_in_source=1, title="Nor this")

"""Uploads and imports: a batch is atomic (all its good records or none, as the user chooses)."""

from __future__ import annotations

import datetime
import threading
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, connections, transaction
from django.utils import timezone

from reviewapp.jobs import job_progress, job_start
from reviewapp.models import ImportBatch, Job, Review, SearchSource
from reviewapp.references.dedup import DedupKey
from reviewapp.references.parsers import FileRefused, csv_table
from reviewapp.references.parsers.csv_table import TARGETS
from reviewapp.references.parsers.encoding import open_text
from reviewapp.references.services.bulk import (
    ForeignKeysCheckedMeanwhile,
    RecordWriter,
    RowConstants,
    created_now,
    ids_by_position,
)
from reviewapp.references.services.duplicates import duplicates_find
from reviewapp.references.services.reading import ERRORS_KEPT, ParserStopped, parsed_chunks
from reviewapp.services import ReviewError, audit_record

FILE_TOO_LARGE = "The file is {size:.1f} MB; the limit is {limit} MB. Split the export into parts."
FILE_EMPTY = "The file is empty: there is nothing to import."
NOT_WAITING = "This import is {status}; it cannot be run again."
ON_ERROR = ("ask", "skip", "abort")
INLINE_MAX_BYTES = 1024 * 1024  # larger files import in a background job with a progress bar
# On PostgreSQL, files imported in a job or by the command are parsed in a child process while
# this one inserts (services/reading.py). Web requests never fork: their server may run threads.
CHILD_PARSER_MIN_BYTES = INLINE_MAX_BYTES + 1


class ImportError_(ReviewError):  # noqa: N801 - the builtin ImportError is taken
    """The upload cannot be accepted (size, empty file)."""


class _RollBack(Exception):
    pass


def _media_path(batch: ImportBatch) -> Path:
    return Path(settings.MEDIA_ROOT) / batch.file_path


def upload_refusal(size: int) -> str | None:
    """Return why an upload of ``size`` bytes is refused (the upload form says it too), or None."""
    limit = settings.UPLOAD_MAX_MEGABYTES
    if size > limit * 1024 * 1024:
        return FILE_TOO_LARGE.format(size=size / 1024 / 1024, limit=limit)
    if size == 0:
        return FILE_EMPTY
    return None


@transaction.atomic
def batch_create(
    *,
    actor: AbstractBaseUser | None,
    review: Review,
    database_name: str,
    file_name: str,
    chunks: Any,
    size: int,
    date_searched: datetime.date | None = None,
    search_strategy: str = "",
    requested_format: str = "auto",
    is_other_method: bool = False,
    stored_path: Path | None = None,
) -> ImportBatch:
    """Store an upload (``chunks``: iterable of bytes) as a batch waiting to be imported.

    ``stored_path`` is for files already on the server (the management command): they are
    read in place.
    """
    refusal = upload_refusal(size)
    if refusal is not None:
        raise ImportError_(refusal)
    if stored_path is None:
        relative = Path("imports") / str(review.pk) / f"{uuid.uuid4().hex}.upload"
        target = Path(settings.MEDIA_ROOT) / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("wb") as out:
            for chunk in chunks:
                out.write(chunk)
        stored = str(relative)
    else:
        stored = str(stored_path.resolve())
    batch = ImportBatch.objects.create(
        review=review,
        database_name=database_name.strip()[:120],
        is_other_method=is_other_method,
        date_searched=date_searched,
        search_strategy=search_strategy,
        file_name=Path(file_name).name[:255],
        file_path=stored,
        file_size=size,
        requested_format=requested_format or "auto",
        created_by=actor,
    )
    audit_record(
        actor=actor,
        review=review,
        action="references.upload",
        obj=batch,
        after={"file": batch.file_name, "database": batch.database_name, "bytes": size},
    )
    return batch


def batch_start(
    *, actor: AbstractBaseUser | None, batch: ImportBatch, on_error: str = "ask"
) -> Job | None:
    """Import now if the file is small, else in a background job; return the job, if any."""
    if batch.file_size <= INLINE_MAX_BYTES:
        batch_import(actor=actor, batch_id=batch.pk, on_error=on_error)
        return None
    with transaction.atomic():
        job = job_start(
            review=batch.review,
            kind="references.import",
            task_name="references.import_batch",
            arguments={
                "batch_id": batch.pk,
                "on_error": on_error,
                "actor_id": getattr(actor, "pk", None),
            },
        )
        ImportBatch.objects.filter(pk=batch.pk).update(job=job, status=ImportBatch.Status.RUNNING)
    return job


def batch_import(
    *,
    actor: AbstractBaseUser | None,
    batch_id: int,
    on_error: str = "ask",
    job: Job | None = None,
) -> dict[str, Any]:
    """Parse the batch's file and insert its records in one transaction, then de-duplicate.

    ``on_error``: 'skip' imports the good records and lists the bad ones; 'abort' imports
    nothing if any record is bad; 'ask' imports nothing and waits for the user's choice.
    Returns the summary the command prints.
    """
    if on_error not in ON_ERROR:
        raise ReviewError(f"on_error must be one of {', '.join(ON_ERROR)}.")
    batch = ImportBatch.objects.select_related("review").get(pk=batch_id)
    if batch.status in (ImportBatch.Status.IMPORTED, ImportBatch.Status.CANCELLED):
        raise ReviewError(NOT_WAITING.format(status=batch.get_status_display().lower()))
    progress = _progress_reporter(job, batch.file_size)
    state: dict[str, Any] = {"errors": [], "error_count": 0, "good": 0}
    try:
        with transaction.atomic():
            _import_in_transaction(actor, batch, on_error, state, progress)
    except _RollBack:
        status = (
            ImportBatch.Status.FAILED if on_error == "abort" else ImportBatch.Status.NEEDS_DECISION
        )
        _finish(batch, status, state, "")
    except (FileRefused, ParserStopped) as exc:
        _finish(batch, ImportBatch.Status.FAILED, state, str(exc))
    except OSError as exc:  # the stored file vanished or cannot be read
        _finish(
            batch, ImportBatch.Status.FAILED, state, f"The file cannot be read: {exc.strerror}."
        )
    batch.refresh_from_db()
    return batch_summary(batch)


def _import_in_transaction(actor, batch, on_error, state, progress) -> None:  # noqa: ANN001
    review = batch.review
    source = SearchSource.objects.create(
        review=review,
        database_name=batch.database_name,
        is_other_method=batch.is_other_method,
        date_searched=batch.date_searched,
        search_strategy=batch.search_strategy,
        file_name=batch.file_name,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    constants = RowConstants(review.pk, source.pk, batch.pk, batch.database_name, created_now())
    keys: list[tuple] = []  # with the records' positions; their ids are known after the insert
    with (
        RecordWriter() as writer,
        parsed_chunks(
            _media_path(batch),
            batch.requested_format,
            batch.options,
            constants,
            as_copy_text=writer.copy_text,
            in_child=writer.copy_text and batch.file_size >= CHILD_PARSER_MIN_BYTES,
        ) as parsed,
    ):
        batch.detected_format, batch.encoding = parsed.format, parsed.encoding
        for chunk in parsed.chunks:
            state["good"] += chunk.good
            state["error_count"] += chunk.error_count
            state["errors"].extend(chunk.errors[: ERRORS_KEPT - len(state["errors"])])
            writer.write(chunk.rows)
            keys.extend(chunk.keys)
            progress(chunk.read, f"{state['good']} records read")
    if state["error_count"] and on_error != "skip":
        raise _RollBack  # before reading the new ids back: nothing of this is kept
    ids = ids_by_position(batch.pk) if keys else {}
    new_keys = [DedupKey(ids[key[0]], *key[1:]) for key in keys]
    progress(batch.file_size, "Looking for duplicates")
    found = duplicates_find(
        review=review,
        new_keys=new_keys,
        batch_id=batch.pk,
        while_matching=ForeignKeysCheckedMeanwhile(),
    )
    batch.source = source
    batch.records_imported = len(new_keys)
    batch.duplicates_merged = found["merged"]
    batch.duplicates_queued = found["queued"]
    _finish(batch, ImportBatch.Status.IMPORTED, state, "")
    audit_record(
        actor=actor,
        review=review,
        action="references.import",
        obj=source,
        after=batch_summary(batch) | {"file": batch.file_name, "format": batch.detected_format},
    )


def _finish(batch: ImportBatch, status: str, state: dict[str, Any], message: str) -> None:
    batch.status = status
    batch.errors = state["errors"]
    batch.records_good = state["good"]
    batch.records_skipped = state["error_count"]
    batch.message = message
    batch.finished_at = timezone.now()
    if status != ImportBatch.Status.IMPORTED:
        batch.source = None
        batch.records_imported = batch.duplicates_merged = batch.duplicates_queued = 0
    batch.save()


def _progress_reporter(job: Job | None, total: int) -> Callable[[int, str], None]:
    """Return a callback that records progress where the progress bar can see it.

    The import runs in one long transaction, so on PostgreSQL progress is written from a
    short-lived thread (its own connection, autocommit); SQLite allows one writer at a time,
    so there it is written in the import's own transaction.
    """

    def write(done: int, message: str, own_connection: bool) -> None:
        try:
            job_progress(job, min(done, total), total, message)
        finally:
            if own_connection:
                connections.close_all()  # this thread's connections only

    def report(done: int, message: str) -> None:
        if job is None:
            return
        if connection.vendor != "postgresql":
            write(done, message, own_connection=False)
            return
        thread = threading.Thread(target=write, args=(done, message, True), daemon=True)
        thread.start()
        thread.join(timeout=10)

    return report


def batch_summary(batch: ImportBatch) -> dict[str, Any]:
    """Return the summary printed by ``import_references --json``."""
    imported = batch.status == ImportBatch.Status.IMPORTED
    return {
        "imported": batch.records_imported if imported else 0,
        "duplicates": batch.duplicates_merged if imported else 0,
        "skipped": batch.records_skipped + (0 if imported else batch.records_good),
        "errors": list(batch.errors or []),
    }


@transaction.atomic
def batch_cancel(*, actor: AbstractBaseUser, batch: ImportBatch) -> ImportBatch:
    """Give up an import that is waiting for a decision: nothing of it is kept."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status == ImportBatch.Status.IMPORTED:
        raise ReviewError(NOT_WAITING.format(status=batch.get_status_display().lower()))
    batch.status = ImportBatch.Status.CANCELLED
    batch.save(update_fields=["status"])
    audit_record(actor=actor, review=batch.review, action="references.cancel", obj=batch)
    return batch


@transaction.atomic
def batch_set_mapping(
    *, actor: AbstractBaseUser, batch: ImportBatch, mapping: dict[str, str]
) -> ImportBatch:
    """Set the CSV column mapping the import will use (target field -> column name)."""
    unknown = set(mapping) - set(TARGETS)
    if unknown:
        raise ReviewError(f"Unknown field(s) in the mapping: {', '.join(sorted(unknown))}.")
    if not mapping.get("title"):
        raise ReviewError("Choose the column that holds the title.")
    batch.options = {**(batch.options or {}), "mapping": {k: v for k, v in mapping.items() if v}}
    batch.status = ImportBatch.Status.PENDING
    batch.save(update_fields=["options", "status"])
    audit_record(
        actor=actor, review=batch.review, action="references.mapping", obj=batch, after=mapping
    )
    return batch


def batch_csv_header(batch: ImportBatch) -> tuple[list[str], dict[str, str]]:
    """Return the CSV file's header and the mapping in force (chosen, or guessed)."""
    handle, _ = open_text(_media_path(batch))
    with handle:
        header, guessed = csv_table.inspect(handle)
    return header, (batch.options or {}).get("mapping") or guessed

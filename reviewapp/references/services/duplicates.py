"""De-duplication in the database: find pairs after an import; merge, reject and un-merge."""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from reviewapp.models import DuplicatePair, Record, Review
from reviewapp.references.dedup import DedupKey, find_matches, make_key, resolve
from reviewapp.references.services.bulk import records_set_duplicate_of
from reviewapp.services import ReviewError, audit_record

PAIR_DECIDED = "This pair was already decided ({status}); reload the queue."
NOT_MERGED = "Record {id} is not merged into another record."
SAME_RECORD = "These two records are already merged into the same record."
KEY_FIELDS = ("id", "title", "year", "authors", "doi", "pmid", "volume", "pages")
BULK = 1000


def key_from_fields(pk: int, fields: dict) -> DedupKey:
    return make_key(
        id=pk,
        title=fields["title"],
        year=fields["year"],
        authors=fields["authors"][:1],
        doi=fields["doi"],
        pmid=fields["pmid"],
        volume=fields["volume"],
        pages=fields["pages"],
    )


def duplicates_find(
    *,
    review: Review,
    new_keys: list[DedupKey] | None = None,
    batch_id: int | None = None,
    while_matching: AbstractContextManager | None = None,
) -> dict[str, int]:
    """Match a batch's new records (keys built while parsing) against the review's unique ones.

    Without ``new_keys`` every unique record is matched against every other. Call inside the
    import's transaction. ``while_matching`` is entered while the matching runs in Python
    (the database is not used meanwhile). Returns how many records merged and pairs queued.
    """
    new_ids = {key.id for key in new_keys} if new_keys is not None else None
    rows = Record.objects.filter(review=review, duplicate_of__isnull=True).values(*KEY_FIELDS)
    if batch_id is not None:
        rows = rows.exclude(batch_id=batch_id)  # their keys came with new_keys
    keys = [key_from_fields(row["id"], row) for row in rows.iterator(chunk_size=5000)]
    if new_keys is not None:
        present = {key.id for key in keys}
        keys += [key for key in new_keys if key.id not in present]
    known = set(DuplicatePair.objects.filter(review=review).values_list("kept_id", "duplicate_id"))
    with while_matching or nullcontext():
        matches = find_matches(keys, new_ids=new_ids, known_pairs=known)
        merges, queued = resolve(matches, new_ids=new_ids)
    records_set_duplicate_of(merges.items())
    auto = [m for m in matches if m.auto and m.duplicate in merges]
    pairs = [
        DuplicatePair(
            review=review,
            kept_id=m.kept,
            duplicate_id=m.duplicate,
            method=m.method,
            score=round(m.score, 1),
            status=status,
        )
        for group, status in (
            (auto, DuplicatePair.Status.AUTO_MERGED),
            (queued, DuplicatePair.Status.PENDING),
        )
        for m in group
    ]
    DuplicatePair.objects.bulk_create(pairs, batch_size=BULK, ignore_conflicts=True)
    return {"merged": len(merges), "queued": len(queued)}


def _root(record: Record) -> Record:
    seen = set()
    while record.duplicate_of_id is not None and record.pk not in seen:
        seen.add(record.pk)
        record = Record.objects.get(pk=record.duplicate_of_id, review_id=record.review_id)
    return record


def _pending_pair(review: Review, pair_id: int) -> DuplicatePair:
    pair = (
        DuplicatePair.objects.select_for_update()
        .select_related("kept", "duplicate")
        .filter(review=review, pk=pair_id)
        .first()
    )
    if pair is None:
        raise ReviewError("No such pair of records in this review.")
    if pair.status != DuplicatePair.Status.PENDING:
        raise ReviewError(PAIR_DECIDED.format(status=pair.get_status_display().lower()))
    return pair


@transaction.atomic
def duplicate_pair_merge(*, actor: AbstractBaseUser, review: Review, pair_id: int) -> Record:
    """Merge the pair's duplicate (and whatever was merged into it) into the kept record's group."""
    pair = _pending_pair(review, pair_id)
    kept = _root(pair.kept)
    duplicate = _root(pair.duplicate)  # merge the whole group it belongs to
    if duplicate.pk == kept.pk:
        raise ReviewError(SAME_RECORD)
    moved = list(Record.objects.filter(duplicate_of=duplicate).values_list("pk", flat=True))
    Record.objects.filter(pk__in=moved).update(duplicate_of=kept)
    Record.objects.filter(pk=duplicate.pk).update(duplicate_of=kept)
    pair.status = DuplicatePair.Status.MERGED
    pair.decided_by = actor
    pair.decided_at = timezone.now()
    pair.save(update_fields=["status", "decided_by", "decided_at"])
    audit_record(
        actor=actor,
        review=review,
        action="references.merge",
        obj=duplicate,
        before={"duplicate_of": None, "group": moved},
        after={"duplicate_of": kept.pk, "pair": pair.pk},
    )
    return duplicate


@transaction.atomic
def duplicate_pair_reject(
    *, actor: AbstractBaseUser, review: Review, pair_id: int
) -> DuplicatePair:
    """Record that the two records are different reports: they are never proposed again."""
    pair = _pending_pair(review, pair_id)
    pair.status = DuplicatePair.Status.NOT_DUPLICATE
    pair.decided_by = actor
    pair.decided_at = timezone.now()
    pair.save(update_fields=["status", "decided_by", "decided_at"])
    audit_record(
        actor=actor,
        review=review,
        action="references.not_duplicate",
        obj=pair,
        after={"kept": pair.kept_id, "duplicate": pair.duplicate_id},
    )
    return pair


@transaction.atomic
def record_unmerge(*, actor: AbstractBaseUser, review: Review, record_id: int) -> Record:
    """Make a merged record a record of its own again; the pair is marked un-merged."""
    record = Record.objects.select_for_update().filter(review=review, pk=record_id).first()
    if record is None:
        raise ReviewError("No such record in this review.")
    if record.duplicate_of_id is None:
        raise ReviewError(NOT_MERGED.format(id=record_id))
    kept_id = record.duplicate_of_id
    record.duplicate_of = None
    record.save(update_fields=["duplicate_of"])
    DuplicatePair.objects.filter(review=review, duplicate=record).exclude(
        status=DuplicatePair.Status.NOT_DUPLICATE
    ).update(status=DuplicatePair.Status.UNMERGED, decided_by=actor, decided_at=timezone.now())
    audit_record(
        actor=actor,
        review=review,
        action="references.unmerge",
        obj=record,
        before={"duplicate_of": kept_id},
        after={"duplicate_of": None},
    )
    return record

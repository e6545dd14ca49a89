"""Reads of the references app; every query is filtered by the review."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from reviewapp.models import DuplicatePair, ImportBatch, Record, Review, SearchSource


def batch_for_review(review: Review, batch_id: int) -> ImportBatch:
    batch = ImportBatch.objects.filter(review=review, pk=batch_id).select_related("job").first()
    if batch is None:
        raise Http404("No such import in this review.")
    return batch


def record_for_review(review: Review, record_id: int) -> Record:
    record = Record.objects.filter(review=review, pk=record_id).select_related("source").first()
    if record is None:
        raise Http404("No such record in this review.")
    return record


def sources_with_counts(review: Review) -> QuerySet[SearchSource]:
    return SearchSource.objects.filter(review=review).annotate(
        n_records=Count("records"),
        n_duplicates=Count("records", filter=Q(records__duplicate_of__isnull=False)),
    )


def batches_recent(review: Review, limit: int = 20) -> QuerySet[ImportBatch]:
    return ImportBatch.objects.filter(review=review)[:limit]


def records_search(review: Review, query: str = "", show: str = "all") -> QuerySet[Record]:
    """Return the review's records matching ``query`` (title, author, DOI, PMID, journal)."""
    records = Record.objects.filter(review=review).select_related("source")
    if show == "unique":
        records = records.filter(duplicate_of__isnull=True)
    elif show == "duplicates":
        records = records.filter(duplicate_of__isnull=False)
    query = query.strip()
    if query:
        records = records.filter(
            Q(title__icontains=query)
            | Q(authors__icontains=query)
            | Q(doi__iexact=query.lower())
            | Q(pmid=query)
            | Q(journal__icontains=query)
        )
    return records.order_by("id")


def pending_pairs(review: Review) -> QuerySet[DuplicatePair]:
    """Return the pairs waiting for a reviewer whose records are both still unique."""
    return (
        DuplicatePair.objects.filter(
            review=review,
            status=DuplicatePair.Status.PENDING,
            kept__duplicate_of__isnull=True,
            duplicate__duplicate_of__isnull=True,
        )
        .select_related("kept", "duplicate", "kept__source", "duplicate__source")
        .order_by("-score", "id")
    )


def record_duplicates(record: Record) -> QuerySet[Record]:
    return Record.objects.filter(review_id=record.review_id, duplicate_of=record)


def reference_counts(review: Review) -> dict[str, int]:
    records = Record.objects.filter(review=review).aggregate(
        total=Count("id"), unique=Count("id", filter=Q(duplicate_of__isnull=True))
    )
    return {
        "records_total": records["total"],
        "records_unique": records["unique"],
        "records_duplicates": records["total"] - records["unique"],
        "sources": SearchSource.objects.filter(review=review).count(),
        "pairs_pending": pending_pairs(review).count(),
    }

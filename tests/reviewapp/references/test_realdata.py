"""Every real export in ../shared/realdata imports with exactly the manifest's record count,
and de-duplication on the Rathbone benchmark meets its floor."""

from __future__ import annotations

import csv
import json

import pytest

from reviewapp.models import ImportBatch, Record
from reviewapp.references.services import batch_create, batch_import
from tests.conftest import REALDATA, realdata_path

MANIFEST = REALDATA / "exports" / "manifest.json"
ENTRIES = json.loads(MANIFEST.read_text()) if MANIFEST.exists() else []


def _import(review, path, name):
    batch = batch_create(
        actor=None,
        review=review,
        database_name=name,
        file_name=path.name,
        chunks=(),
        size=path.stat().st_size,
        stored_path=path,
    )
    return batch_import(actor=None, batch_id=batch.pk, on_error="skip"), batch


@pytest.mark.django_db
@pytest.mark.parametrize("entry", ENTRIES or [None], ids=lambda e: e["file"] if e else "absent")
def test_real_export_imports_every_record(review, entry):
    if entry is None:
        pytest.skip(f"real data not available here: {MANIFEST}")
    path = realdata_path("exports", entry["file"])
    summary, batch = _import(review, path, entry["source_name"])
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.IMPORTED, batch.message
    assert summary["errors"] == []
    assert summary["imported"] == entry["records"]
    assert Record.objects.filter(review=review).count() == entry["records"]
    assert Record.objects.filter(review=review).exclude(title="").count() == entry["with_title"]
    assert not Record.objects.filter(review=review, raw="").exists()


@pytest.mark.django_db
def test_rathbone_deduplication_precision_and_recall(review):
    path = realdata_path("exports", "dedup_rathbone_respiratory.xml")
    truth_path = realdata_path("exports", "dedup_rathbone_respiratory.truth.csv")
    summary, _ = _import(review, path, "Respiratory benchmark")
    group = {int(r["position"]): r["group"] for r in csv.DictReader(truth_path.open())}
    merged = Record.objects.filter(review=review, duplicate_of__isnull=False).values_list(
        "position_in_source", "duplicate_of__position_in_source"
    )
    correct = sum(1 for dup, kept in merged if group[dup] == group[kept])
    precision = correct / max(1, len(merged))
    recall = correct / 436
    print(
        f"Rathbone: {len(merged)} merged, {correct} correct, precision {precision:.3f}, recall {recall:.3f}"
    )
    assert summary["duplicates"] == len(merged)
    assert precision >= 0.99
    assert recall >= 0.92

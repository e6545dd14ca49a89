"""CSV export of a reviewer's own decisions (blind: never another reviewer's)."""

from __future__ import annotations

import csv

from django.db.models import QuerySet
from django.http import HttpResponse

from reviewapp.models import Review
from screening.models import ScreeningDecision


def _safe(value: object) -> str:
    """Neutralise spreadsheet formulas in exported text (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def my_decisions_csv(review: Review, decisions: QuerySet[ScreeningDecision]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{review.slug}-my-decisions.csv"'
    writer = csv.writer(response)
    writer.writerow(
        ["record_id", "title", "stage", "my_verdict", "reason", "note", "record_status"]
    )
    for d in decisions.iterator(chunk_size=2000):
        writer.writerow(
            [
                d.record_id,
                _safe(d.record.title),
                d.stage,
                d.verdict,
                _safe(d.reason.name if d.reason else ""),
                _safe(d.note),
                d.item.status,
            ]
        )
    return response

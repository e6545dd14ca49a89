"""CSV export of a reviewer's own decisions (blind: never another reviewer's)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpResponse

from reviewapp.models import Review
from reviewapp.spreadsheets import csv_text
from screening.models import ScreeningDecision

HEADER = ["record_id", "title", "stage", "my_verdict", "reason", "note", "record_status"]


def my_decisions_csv(review: Review, decisions: QuerySet[ScreeningDecision]) -> HttpResponse:
    rows = (
        [
            d.record_id,
            d.record.title,
            d.stage,
            d.verdict,
            d.reason.name if d.reason else "",
            d.note,
            d.item.status,
        ]
        for d in decisions.iterator(chunk_size=2000)
    )
    response = HttpResponse(csv_text(HEADER, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{review.slug}-my-decisions.csv"'
    return response

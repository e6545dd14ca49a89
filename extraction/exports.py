"""Consensus data as CSV and XLSX, in tidy form, safe to open in a spreadsheet.

Only final consensus data leave the app this way; an extractor's own values are never
exported, so the exports cannot break blinding.
"""

from __future__ import annotations

import io
from typing import Any

from django.http import Http404, HttpResponse
from openpyxl import Workbook

from extraction.selectors import (
    CHARACTERISTIC_KEYS,
    consensus_outcome_data,
    consensus_study_characteristics,
)
from extraction.values import display
from reviewapp.models import Review
from reviewapp.spreadsheets import csv_text, spreadsheet_safe

OUTCOME_COLUMNS = [
    "study_id",
    "study",
    "comparison",
    "arm_role",
    "arm",
    "arms_combined",
    "outcome_domain",
    "outcome_importance",
    "measure",
    "measure_abbreviation",
    "time_point",
    "months_after_intervention",
    "data_type",
    "mean",
    "sd",
    "sd_derived_from",
    "n",
    "events",
    "higher_is_better",
    "change_or_final",
    "not_reported",
    "source",
]
CHARACTERISTIC_COLUMNS = [
    "study_id",
    "study",
    *CHARACTERISTIC_KEYS,
    "is_quasi_rct",
    "is_cluster_rct",
    "two_active_modalities",
    "comparator_is_active",
    "not_reported",
]


def neutralise(value: Any) -> Any:
    """Return the value as a spreadsheet cell: numbers stay numbers, yes/no for booleans, and
    text that a spreadsheet would run as a formula neutralised (``reviewapp.spreadsheets``)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return value
    text = display(value) if not isinstance(value, str) else value
    return spreadsheet_safe(text)


def outcome_table(review: Review) -> list[list[Any]]:
    rows = [OUTCOME_COLUMNS]
    for row in consensus_outcome_data(review):
        data = row.as_dict()
        rows.append([neutralise(data[c]) for c in OUTCOME_COLUMNS])
    return rows


def characteristics_table(review: Review) -> list[list[Any]]:
    studies = consensus_study_characteristics(review)
    extra = sorted({k for s in studies for k in s["answers"]} - set(CHARACTERISTIC_KEYS))
    rows = [CHARACTERISTIC_COLUMNS + extra]
    for study in studies:
        values = [study[c] for c in CHARACTERISTIC_COLUMNS] + [
            study["answers"].get(k) for k in extra
        ]
        rows.append([neutralise(v) for v in values])
    return rows


def _csv(rows: list[list[Any]], filename: str) -> HttpResponse:
    response = HttpResponse(csv_text(rows[0], rows[1:]), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def workbook(review: Review) -> Workbook:
    book = Workbook()
    sheet = book.active
    sheet.title = "Outcome data"
    for row in outcome_table(review):
        sheet.append(row)
    characteristics = book.create_sheet("Study characteristics")
    for row in characteristics_table(review):
        characteristics.append(row)
    for ws in (sheet, characteristics):
        ws.freeze_panes = "A2"
    return book


def export_response(review: Review, *, what: str, fmt: str) -> HttpResponse:
    """Return the download for ``outcomes.csv``, ``characteristics.csv`` or ``consensus.xlsx``."""
    stem = f"{review.slug}-consensus"
    if fmt == "csv" and what == "outcomes":
        return _csv(outcome_table(review), f"{stem}-outcomes.csv")
    if fmt == "csv" and what == "characteristics":
        return _csv(characteristics_table(review), f"{stem}-characteristics.csv")
    if fmt == "xlsx" and what == "consensus":
        buffer = io.BytesIO()
        workbook(review).save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{stem}.xlsx"'
        return response
    raise Http404("No such export: choose outcomes.csv, characteristics.csv or consensus.xlsx.")

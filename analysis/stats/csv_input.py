"""Read the ``meta_analyze`` CSV: header ``study`` plus continuous or dichotomous columns.

UTF-8 with or without a byte-order mark; extra columns are kept for ``--subgroup`` and
``--moderator``. Every message names the study (or line) and the column at fault.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from pathlib import Path

from analysis.stats.errors import MetaAnalysisError
from analysis.stats.inputs import (
    CONTINUOUS_COLUMNS,
    DICHOTOMOUS_COLUMNS,
    ContinuousData,
    DichotomousData,
    StudyData,
)
from analysis.stats.options import CONTINUOUS_MEASURES

MSG_FILE_MISSING = "Cannot read {path}: {reason}."
MSG_NOT_UTF8 = "{path} is not UTF-8 text: {reason}."
MSG_NO_HEADER = "{path} is empty: it needs a header line with 'study' and the data columns."
MSG_NO_STUDY_COLUMN = "The CSV header has no 'study' column (found: {found})."
MSG_MISSING_COLUMNS = "--measure {measure} needs the column(s) {missing}; the header has: {found}."
MSG_UNKNOWN_COLUMN = (
    "Column {column!r} (given to {option}) is not in the CSV header; columns are: {found}."
)
MSG_NO_ROWS = "{path} has a header but no studies."
MSG_MISSING_VALUE = "Study {study!r} (line {line}): {column} is missing."
MSG_NOT_NUMBER = "Study {study!r} (line {line}): {column} is {value!r}, not a number."
MSG_WRONG_FIELD_COUNT = "Line {line}: {got} fields, but the header has {expected}."


@dataclass(frozen=True)
class CsvStudies:
    """Studies read from a CSV: the validated data and the raw text of every column."""

    data: StudyData
    columns: dict[str, list[str]]

    def subgroup_labels(self, column: str) -> list[str]:
        """Return each study's label in ``column`` (checked by ``read_studies_csv``)."""
        return [value.strip() for value in self.columns[column]]

    def moderator_values(self, column: str) -> list[float]:
        """Return each study's numeric value in ``column``, raising on a missing or non-numeric one."""
        values = []
        for line, (study, raw) in enumerate(
            zip(self.data.study, self.columns[column], strict=True), start=2
        ):
            values.append(_number(raw, study=study, column=column, line=line))
        return values


def _number(raw: str, *, study: str, column: str, line: int) -> float:
    text = raw.strip()
    if not text or text.upper() in ("NA", "NAN", "NULL", "."):
        raise MetaAnalysisError(MSG_MISSING_VALUE.format(study=study, line=line, column=column))
    try:
        value = float(text)
    except ValueError:
        raise MetaAnalysisError(
            MSG_NOT_NUMBER.format(study=study, line=line, column=column, value=text)
        ) from None
    if not math.isfinite(value):
        raise MetaAnalysisError(
            MSG_NOT_NUMBER.format(study=study, line=line, column=column, value=text)
        )
    return value


def parse_studies_csv(
    text: str, *, measure: str, extra_columns: dict[str, str] | None = None, path: str = "the CSV"
) -> CsvStudies:
    """Return the studies in CSV ``text`` for ``measure``; ``extra_columns`` maps column → option name."""
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if not rows:
        raise MetaAnalysisError(MSG_NO_HEADER.format(path=path))
    header = [cell.strip() for cell in rows[0]]
    found = ", ".join(header)
    if "study" not in header:
        raise MetaAnalysisError(MSG_NO_STUDY_COLUMN.format(found=found))
    measure = measure.upper()
    needed = CONTINUOUS_COLUMNS if measure in CONTINUOUS_MEASURES else DICHOTOMOUS_COLUMNS
    missing = [c for c in needed if c not in header]
    if missing:
        raise MetaAnalysisError(
            MSG_MISSING_COLUMNS.format(measure=measure, missing=", ".join(missing), found=found)
        )
    for column, option in (extra_columns or {}).items():
        if column not in header:
            raise MetaAnalysisError(
                MSG_UNKNOWN_COLUMN.format(column=column, option=option, found=found)
            )
    if len(rows) < 2:
        raise MetaAnalysisError(MSG_NO_ROWS.format(path=path))
    columns: dict[str, list[str]] = {name: [] for name in header}
    # Line numbers count the header as line 1; blank lines were dropped, which is rare enough
    # that the study name is the primary locator in every message.
    for line, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            raise MetaAnalysisError(
                MSG_WRONG_FIELD_COUNT.format(line=line, got=len(row), expected=len(header))
            )
        for name, cell in zip(header, row, strict=True):
            columns[name].append(cell)
    studies = [s.strip() for s in columns["study"]]
    numeric = {}
    for column in needed:
        numeric[column] = [
            _number(raw, study=study or f"line {line}", column=column, line=line)
            for line, (study, raw) in enumerate(zip(studies, columns[column], strict=True), start=2)
        ]
    cls = ContinuousData if measure in CONTINUOUS_MEASURES else DichotomousData
    return CsvStudies(data=cls.of(study=studies, **numeric), columns=columns)


def read_studies_csv(
    path: str | Path, *, measure: str, extra_columns: dict[str, str] | None = None
) -> CsvStudies:
    """Read ``path`` (UTF-8, BOM accepted) and return its validated studies."""
    try:
        raw = Path(path).read_bytes()
    except OSError as error:
        raise MetaAnalysisError(
            MSG_FILE_MISSING.format(path=path, reason=error.strerror or error)
        ) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise MetaAnalysisError(MSG_NOT_UTF8.format(path=path, reason=error)) from None
    return parse_studies_csv(text, measure=measure, extra_columns=extra_columns, path=str(path))

"""Study-level input data (continuous or dichotomous) and its validation.

Messages name the study and the column (the CSV header names), so the same checks serve the
Python API and the command line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from analysis.stats.errors import MetaAnalysisError

CONTINUOUS_COLUMNS = ("mean_e", "sd_e", "n_e", "mean_c", "sd_c", "n_c")
DICHOTOMOUS_COLUMNS = ("events_e", "n_e", "events_c", "n_c")

MSG_NOT_FINITE = "Study {study!r}: {column} is missing or not a finite number."
MSG_SD_NOT_POSITIVE = "Study {study!r}: {column} must be greater than zero (got {value:g})."
MSG_N_TOO_SMALL = "Study {study!r}: {column} must be at least 2 (got {value:g})."
MSG_EVENTS_NEGATIVE = "Study {study!r}: {column} must not be negative (got {value:g})."
MSG_EVENTS_OVER_N = "Study {study!r}: {column} ({value:g}) is greater than {n_column} ({n:g})."
MSG_NO_STUDIES = "There are no studies to analyse."
MSG_EMPTY_STUDY = "Row {row}: the study name is empty."
MSG_LENGTHS = "Column {column} has {got} values but there are {k} studies."


def _array(values: Sequence[float] | np.ndarray) -> np.ndarray:
    return np.asarray(values, dtype=float)


def _check_common(study: tuple[str, ...], columns: dict[str, np.ndarray]) -> None:
    if not study:
        raise MetaAnalysisError(MSG_NO_STUDIES)
    for row, name in enumerate(study, start=1):
        if not str(name).strip():
            raise MetaAnalysisError(MSG_EMPTY_STUDY.format(row=row))
    for column, values in columns.items():
        if values.shape != (len(study),):
            raise MetaAnalysisError(
                MSG_LENGTHS.format(column=column, got=values.size, k=len(study))
            )
        bad = np.flatnonzero(~np.isfinite(values))
        if bad.size:
            raise MetaAnalysisError(MSG_NOT_FINITE.format(study=study[bad[0]], column=column))


def _check_n(study: tuple[str, ...], column: str, n: np.ndarray) -> None:
    bad = np.flatnonzero(n < 2)
    if bad.size:
        raise MetaAnalysisError(
            MSG_N_TOO_SMALL.format(study=study[bad[0]], column=column, value=n[bad[0]])
        )


@dataclass(frozen=True, eq=False)
class ContinuousData:
    """Means, SDs and sizes of the experimental (_e) and control (_c) arms, one entry per study."""

    study: tuple[str, ...]
    mean_e: np.ndarray
    sd_e: np.ndarray
    n_e: np.ndarray
    mean_c: np.ndarray
    sd_c: np.ndarray
    n_c: np.ndarray

    kind = "continuous"

    @classmethod
    def of(cls, *, study: Sequence[str], **columns: Sequence[float]) -> ContinuousData:
        """Return validated data from sequences named as the CSV columns."""
        data = cls(
            study=tuple(str(s) for s in study),
            **{c: _array(columns[c]) for c in CONTINUOUS_COLUMNS},
        )
        data.validate()
        return data

    def validate(self) -> None:
        """Raise ``MetaAnalysisError`` naming the first study and column at fault."""
        _check_common(self.study, {c: getattr(self, c) for c in CONTINUOUS_COLUMNS})
        for column in ("sd_e", "sd_c"):
            values = getattr(self, column)
            bad = np.flatnonzero(values <= 0)
            if bad.size:
                raise MetaAnalysisError(
                    MSG_SD_NOT_POSITIVE.format(
                        study=self.study[bad[0]], column=column, value=values[bad[0]]
                    )
                )
        for column in ("n_e", "n_c"):
            _check_n(self.study, column, getattr(self, column))


@dataclass(frozen=True, eq=False)
class DichotomousData:
    """Events and sizes of the experimental (_e) and control (_c) arms, one entry per study."""

    study: tuple[str, ...]
    events_e: np.ndarray
    n_e: np.ndarray
    events_c: np.ndarray
    n_c: np.ndarray

    kind = "dichotomous"

    @classmethod
    def of(cls, *, study: Sequence[str], **columns: Sequence[float]) -> DichotomousData:
        """Return validated data from sequences named as the CSV columns."""
        data = cls(
            study=tuple(str(s) for s in study),
            **{c: _array(columns[c]) for c in DICHOTOMOUS_COLUMNS},
        )
        data.validate()
        return data

    def validate(self) -> None:
        """Raise ``MetaAnalysisError`` naming the first study and column at fault."""
        _check_common(self.study, {c: getattr(self, c) for c in DICHOTOMOUS_COLUMNS})
        for column in ("n_e", "n_c"):
            _check_n(self.study, column, getattr(self, column))
        for column, n_column in (("events_e", "n_e"), ("events_c", "n_c")):
            events, n = getattr(self, column), getattr(self, n_column)
            bad = np.flatnonzero(events < 0)
            if bad.size:
                raise MetaAnalysisError(
                    MSG_EVENTS_NEGATIVE.format(
                        study=self.study[bad[0]], column=column, value=events[bad[0]]
                    )
                )
            bad = np.flatnonzero(events > n)
            if bad.size:
                i = bad[0]
                raise MetaAnalysisError(
                    MSG_EVENTS_OVER_N.format(
                        study=self.study[i],
                        column=column,
                        value=events[i],
                        n_column=n_column,
                        n=n[i],
                    )
                )


StudyData = ContinuousData | DichotomousData

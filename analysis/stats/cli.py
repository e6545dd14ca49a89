"""What ``manage.py meta_analyze`` does, without Django: read the CSV, analyse, render."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from analysis.stats.api import meta_analysis
from analysis.stats.csv_input import CsvStudies, read_studies_csv
from analysis.stats.errors import MSG_SUBGROUP_MISSING, MetaAnalysisError
from analysis.stats.report import render_table
from analysis.stats.results import MetaAnalysisResult


@dataclass(frozen=True)
class CommandOutput:
    """The text for stdout and the warnings for stderr."""

    text: str
    result: MetaAnalysisResult
    warnings: tuple[str, ...]


def run_meta_analyze(
    path: str | Path,
    *,
    measure: str,
    model: str = "random",
    method: str | None = None,
    tau2: str | None = None,
    hksj: bool = False,
    subgroup: str | None = None,
    moderator: str | None = None,
    as_json: bool = False,
) -> CommandOutput:
    """Analyse the CSV at ``path`` and return JSON (``as_json``) or a RevMan-style table.

    Raise ``MetaAnalysisError`` with a message naming the study and column for bad input.
    """
    extra = {}
    if subgroup:
        extra[subgroup] = "--subgroup"
    if moderator:
        extra[moderator] = "--moderator"
    studies = read_studies_csv(path, measure=measure, extra_columns=extra)
    labels = _subgroup_labels(studies, subgroup) if subgroup else None
    result = meta_analysis(
        studies.data,
        measure=measure,
        model=model,
        method=method,
        tau2=tau2,
        hksj=hksj,
        subgroup=labels,
        moderator=studies.moderator_values(moderator) if moderator else None,
        moderator_name=moderator or "moderator",
    )
    if as_json:
        text = json.dumps(result.to_dict(), allow_nan=False, ensure_ascii=False)
    else:
        text = render_table(
            studies.data, result, subgroup_labels=labels, title=f"{Path(path).name}"
        )
    return CommandOutput(text=text, result=result, warnings=result.warnings)


def _subgroup_labels(studies: CsvStudies, column: str) -> list[str]:
    labels = studies.subgroup_labels(column)
    for study, label in zip(studies.data.study, labels, strict=True):
        if not label:
            raise MetaAnalysisError(MSG_SUBGROUP_MISSING.format(study=study, column=column))
    return labels

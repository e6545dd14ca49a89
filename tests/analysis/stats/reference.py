"""Load the metafor reference fixtures and turn their data sets into engine input."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from analysis.stats import ContinuousData, DichotomousData, StudyData
from analysis.stats.inputs import CONTINUOUS_COLUMNS, DICHOTOMOUS_COLUMNS

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "metafor" / "reference.json"


@cache
def reference() -> dict:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def dataset(name: str) -> dict[str, list]:
    return reference()["datasets"][name]


def study_data(name: str) -> StudyData:
    columns = dataset(name)
    if "mean_e" in columns:
        return ContinuousData.of(
            study=columns["study"], **{c: columns[c] for c in CONTINUOUS_COLUMNS}
        )
    return DichotomousData.of(
        study=columns["study"], **{c: columns[c] for c in DICHOTOMOUS_COLUMNS}
    )


def case_id(case: dict) -> str:
    parts = [case["dataset"], case["measure"], case["model"], case["method"]]
    if case.get("tau2") and case["model"] == "random":
        parts.append(case["tau2"])
    if case["hksj"]:
        parts.append("hksj")
    return "-".join(parts)

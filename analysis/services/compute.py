"""Compute an analysis's full result from its snapshot (no database access).

The result holds the fixed- and random-effects analyses (the protocol plans both), the
sensitivity analyses, the subgroup analyses with the test for differences, and the
meta-regression on programme duration. A secondary analysis that cannot be computed (too
few studies, one subgroup only) is recorded with the reason instead of failing the whole.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from analysis.engine import EngineError, StudyData, meta_analyze

SUBGROUP_TRAITS = {
    "infant_age_band": "Infant age at referral",
    "presenting_problem": "Presenting problem",
    "duration_band": "Programme duration",
    "focus": "Programme focus",
}
SENSITIVITY = {
    "no_quasi": "Excluding quasi-randomised trials",
    "no_high_rob": "Excluding studies at high overall risk of bias",
    "low_rob_only": "Excluding studies at high or unclear overall risk of bias",
}


_NUMBERS = [f.name for f in fields(StudyData) if f.name != "study"]


def _study_data(studies: list[dict[str, Any]]) -> list[StudyData]:
    return [StudyData(study=s["study"], **{f: s.get(f) for f in _NUMBERS}) for s in studies]


def _run(snapshot: dict[str, Any], studies: list[dict[str, Any]], model: str, **extra: Any) -> dict:
    return meta_analyze(
        _study_data(studies),
        measure=snapshot["measure"],
        model=model,
        tau2_method=snapshot["tau2_method"],
        hksj=snapshot["hksj"] and model == "random",
        **extra,
    )


def _excludes_null(pooled: dict[str, Any], measure: str) -> bool:
    null = 1.0 if measure == "RR" else 0.0
    return pooled["ci_low"] > null or pooled["ci_high"] < null


def compute_result(snapshot: dict[str, Any]) -> dict[str, Any]:
    """Return the result JSON; raise ``EngineError`` when the main analysis cannot be done."""
    studies = snapshot["studies"]
    if len(studies) < 2:
        detail = " ".join(snapshot.get("problems", []))
        raise EngineError(
            f"At least two studies with complete data are needed; found {len(studies)}. {detail}".strip()
        )
    measure = snapshot["measure"]
    fixed = _run(snapshot, studies, "fixed")
    random = _run(snapshot, studies, "random")
    egger = random.get("egger") or fixed.get("egger")
    severe_asymmetry = bool(egger and egger.get("p") is not None and egger["p"] < 0.10)
    disagree = _excludes_null(fixed["pooled"], measure) != _excludes_null(random["pooled"], measure)
    return {
        "fixed": fixed,
        "random": random,
        "presented": snapshot["model"],
        "show_both": severe_asymmetry or disagree,
        "models_disagree": disagree,
        "funnel_asymmetry": severe_asymmetry,
        "sensitivity": _sensitivity(snapshot),
        "subgroups": _subgroups(snapshot),
        "meta_regression": _meta_regression(snapshot),
    }


def _sensitivity(snapshot: dict[str, Any]) -> dict[str, Any]:
    studies = snapshot["studies"]
    keep = {
        "no_quasi": lambda s: not s["traits"]["quasi_randomised"],
        "no_high_rob": lambda s: s["risk_of_bias"] != "high",
        "low_rob_only": lambda s: s["risk_of_bias"] == "low",
        "no_high_on_domain": lambda s: s.get("domain_risk") != "high",
    }
    labels = dict(SENSITIVITY)
    if snapshot.get("rob_domain"):
        name = snapshot.get("rob_domain_label") or snapshot["rob_domain"]
        labels["no_high_on_domain"] = f"Excluding studies at high risk of bias on {name}"
    out = {}
    for key, label in labels.items():
        kept = [s for s in studies if keep[key](s)]
        dropped = [s["study"] for s in studies if not keep[key](s)]
        entry: dict[str, Any] = {"label": label, "dropped": dropped, "k": len(kept)}
        if not dropped:
            entry["note"] = "No study is excluded: same as the main analysis."
        elif len(kept) < 2:
            entry["note"] = f"Fewer than two studies remain ({len(kept)})."
        else:
            try:
                entry["result"] = _run(snapshot, kept, snapshot["model"])
            except EngineError as exc:
                entry["note"] = str(exc)
        out[key] = entry
    return out


def _subgroups(snapshot: dict[str, Any]) -> dict[str, Any]:
    studies = snapshot["studies"]
    out = {}
    traits = dict(SUBGROUP_TRAITS)
    if snapshot.get("extra_subgroup"):
        traits["extra"] = snapshot.get("extra_subgroup_label") or snapshot["extra_subgroup"]
    for trait, label in traits.items():
        values = {s["study"]: s["traits"][trait] or "Not reported" for s in studies}
        entry: dict[str, Any] = {"label": label}
        if len(set(values.values())) < 2:
            entry["note"] = "All studies fall in one subgroup."
        else:
            try:
                res = _run(snapshot, studies, snapshot["model"], subgroups=values)
                entry["subgroups"] = res.get("subgroups", [])
                entry["test"] = res.get("subgroup_test")
            except EngineError as exc:
                entry["note"] = str(exc)
        out[trait] = entry
    return out


def _meta_regression(snapshot: dict[str, Any]) -> dict[str, Any]:
    with_duration = [s for s in snapshot["studies"] if s["traits"]["duration_weeks"] is not None]
    values = {s["study"]: s["traits"]["duration_weeks"] for s in with_duration}
    if len(with_duration) < 3 or len(set(values.values())) < 2:
        return {"note": "Needs at least three studies with differing programme durations."}
    try:
        res = _run(snapshot, with_duration, "random", moderator=values)
    except EngineError as exc:
        return {"note": str(exc)}
    return {"k": len(with_duration), **(res.get("meta_regression") or {})}

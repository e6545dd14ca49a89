"""The exact input of an analysis: a JSON snapshot of its data and options, and its hash.

The snapshot is what the result is computed from, stored with the result; its hash decides
whether a re-run can reuse a stored result. It holds only plain JSON (no ids that change
meaning), so the same data and options always give the same hash.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from analysis.engine import engine_version
from analysis.inputs import CONTROL, INTERVENTION, OutcomeRow, StudyTraits
from analysis.models import Analysis, Comparison

Matcher = Callable[[OutcomeRow], "Comparison | None"]

AGE_BANDS = [(6, "Under 6 months"), (12, "6 to 12 months"), (None, "12 months or older")]
DURATION_BANDS = [(12, "Up to 12 weeks"), (26, "13 to 26 weeks"), (None, "Over 26 weeks")]


def _band(value: float | None, bands: list[tuple[float | None, str]], *, inclusive: bool) -> str:
    if value is None:
        return ""
    for upper, label in bands:
        if upper is None or value < upper or (inclusive and value == upper):
            return label
    return ""


def comparison_matcher(comparisons: Iterable[Comparison]) -> Matcher:
    """Return ``match(row) -> Comparison | None`` by comparator type, then by label."""
    entries = [(c, {t.name.lower() for t in c.comparator_types.all()}) for c in comparisons]

    def match(row: OutcomeRow) -> Comparison | None:
        label = row.comparison.lower()
        kind = row.comparator_type.lower()
        for comparison, types in entries:
            if kind and kind in types:
                return comparison
        for comparison, _types in entries:
            if label and label == comparison.name.lower():
                return comparison
        for comparison, types in entries:
            if any(t in label for t in types):
                return comparison
        return None

    return match


def _combine(arms: list[OutcomeRow]) -> dict[str, Any] | None:
    """Combine one side's arms into one group (Handbook 6.5.2.10); None if numbers are missing."""
    from extraction.sd import Group, combine_groups

    groups = []
    for arm in arms:
        if not arm.n:
            return None
        groups.append(Group(n=arm.n, mean=arm.mean, sd=arm.sd, events=arm.events))
    total = groups[0]
    for group in groups[1:]:
        total = combine_groups(total, group)
    return {"n": total.n, "mean": total.mean, "sd": total.sd, "events": total.events}


def study_entries(analysis: Analysis, rows: list[OutcomeRow], match: Matcher) -> tuple[list, list]:
    """Return (study entries, problems) of the analysis from the matched outcome rows."""
    by_study: dict[int, dict[int, list[OutcomeRow]]] = defaultdict(lambda: defaultdict(list))
    other_instrument: dict[int, str] = {}
    for row in rows:
        if (
            row.domain_id == analysis.domain_id
            and row.time_point_id == analysis.time_point_id
            and row.data_type == analysis.data_type
            and match(row) == analysis.comparison
        ):
            if analysis.measure_id is None or row.measure_id == analysis.measure_id:
                by_study[row.study_id][row.measure_id].append(row)
            else:
                other_instrument[row.study_id] = row.study
    entries, problems = [], []
    for study_id, label in sorted(other_instrument.items(), key=lambda item: item[1]):
        if study_id not in by_study:
            problems.append(
                f"{label}: measured this outcome with another instrument; it is left out "
                "(switch the analysis to SMD to include it)."
            )
    for study_id, measures in by_study.items():
        # One measure per study: the lowest measure id is the first the protocol lists.
        measure_id = min(measures)
        arms = measures[measure_id]
        label = arms[0].study
        e = _combine([a for a in arms if a.role == INTERVENTION])
        c = _combine([a for a in arms if a.role == CONTROL])
        if not e or not c:
            problems.append(f"{label}: an intervention and a control arm with N are both needed.")
            continue
        entry = {
            "study_id": study_id,
            "study": label,
            "measure_id": measure_id,
            "higher_is_better": arms[0].higher_is_better,
            "change_or_final": arms[0].change_or_final,
        }
        if analysis.data_type == "dichotomous":
            if e["events"] is None or c["events"] is None:
                problems.append(f"{label}: events are missing in an arm.")
                continue
            entry.update(n_e=e["n"], events_e=e["events"], n_c=c["n"], events_c=c["events"])
        else:
            if None in (e["mean"], e["sd"], c["mean"], c["sd"]):
                problems.append(f"{label}: a mean or SD is missing in an arm.")
                continue
            entry.update(
                n_e=e["n"],
                mean_e=e["mean"],
                sd_e=e["sd"],
                n_c=c["n"],
                mean_c=c["mean"],
                sd_c=c["sd"],
            )
        entries.append(entry)
    entries.sort(key=lambda s: (s["study"], s["study_id"]))
    return entries, sorted(problems)


def _align_directions(entries: list[dict[str, Any]], measure: str) -> list[str]:
    """For an SMD across scales pointing different ways, flip the lower-is-better ones."""
    directions = {s["higher_is_better"] for s in entries if s["higher_is_better"] is not None}
    if measure != "SMD" or len(directions) < 2:
        return []
    notes = []
    for s in entries:
        if s["higher_is_better"] is False:
            s["mean_e"], s["mean_c"] = -s["mean_e"], -s["mean_c"]
            notes.append(f"{s['study']}: means multiplied by −1 (lower scores are better).")
    return notes


def build_snapshot(
    analysis: Analysis,
    rows: list[OutcomeRow],
    traits: dict[int, StudyTraits],
    risk: dict[int, str],
    match: Matcher,
    domain_risk: dict[int, str] | None = None,
    labels: dict[str, str] | None = None,
    rob_rule: str = "",
) -> dict[str, Any]:
    """Return the JSON snapshot the analysis's result is computed from.

    ``domain_risk`` is each study's level on the analysis's chosen risk-of-bias domain;
    ``labels`` names the domain and the extra subgroup characteristic for the page.
    """
    labels = labels or {}
    entries, problems = study_entries(analysis, rows, match)
    excluded = {str(k): v for k, v in (analysis.excluded_studies or {}).items()}
    kept = [s for s in entries if str(s["study_id"]) not in excluded]
    notes = _align_directions(kept, analysis.effect_measure)
    for s in kept:
        t = traits.get(s["study_id"]) or StudyTraits(study_id=s["study_id"])
        s["traits"] = {
            "quasi_randomised": t.quasi_randomised,
            "infant_age_band": _band(t.infant_age_months, AGE_BANDS, inclusive=False),
            "presenting_problem": t.presenting_problem,
            "duration_band": _band(t.duration_weeks, DURATION_BANDS, inclusive=True),
            "focus": t.focus,
            "duration_weeks": t.duration_weeks,
        }
        if analysis.extra_subgroup:
            s["traits"]["extra"] = t.characteristics.get(analysis.extra_subgroup, "")
        s["risk_of_bias"] = risk.get(s["study_id"], "unclear")
        if analysis.sensitivity_rob_domain:
            s["domain_risk"] = (domain_risk or {}).get(s["study_id"], "unclear")
    return {
        "engine_version": engine_version(),
        "measure": analysis.effect_measure,
        "model": analysis.model,
        "tau2_method": analysis.tau2_method,
        "hksj": analysis.hksj,
        "rob_rule": rob_rule,
        "rob_domain": analysis.sensitivity_rob_domain,
        "rob_domain_label": labels.get(analysis.sensitivity_rob_domain, ""),
        "extra_subgroup": analysis.extra_subgroup,
        "extra_subgroup_label": labels.get(analysis.extra_subgroup, ""),
        "studies": kept,
        "excluded": [
            {"study_id": s["study_id"], "study": s["study"], "reason": excluded[str(s["study_id"])]}
            for s in entries
            if str(s["study_id"]) in excluded
        ],
        "problems": problems,
        "notes": notes,
    }


def snapshot_hash(snapshot: dict[str, Any]) -> str:
    """Return the SHA-256 of the snapshot's canonical JSON."""
    text = json.dumps(snapshot, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()

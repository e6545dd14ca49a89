"""GRADE suggestions by stated rules; the reviewers accept or override each one.

Start high for randomised trials; each rule suggests at most one level down and says why:
- risk of bias: more than half the weight from studies at high or unclear overall risk;
- inconsistency: I² > 50% with the Chi² test's p < 0.10;
- imprecision: the CI includes no effect, or fewer than 400 participants (continuous) /
  300 events (dichotomous), the GRADE optimal-information-size rule of thumb;
- publication bias: ten or more studies and Egger's test p < 0.10;
- indirectness: the reviewers' call (no rule; suggested 0).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from analysis.models import GradeDomain

LEVELS = {4: "High", 3: "Moderate", 2: "Low", 1: "Very low"}
SYMBOLS = {4: "⊕⊕⊕⊕", 3: "⊕⊕⊕◯", 2: "⊕⊕◯◯", 1: "⊕◯◯◯"}
MIN_PARTICIPANTS_CONTINUOUS = 400
MIN_EVENTS_DICHOTOMOUS = 300


@dataclass(frozen=True)
class Suggestion:
    domain: str
    downgrade: int
    reason: str

    @property
    def label(self) -> str:
        return GradeDomain(self.domain).label


def presented(result: dict[str, Any]) -> dict[str, Any]:
    """Return the engine result the SoF presents (the analysis's chosen model)."""
    return result[result.get("presented", "random")]


def _rob(snapshot: dict[str, Any], main: dict[str, Any]) -> Suggestion:
    risk = {s["study"]: s["risk_of_bias"] for s in snapshot["studies"]}
    share = sum(
        (row["weight"] or 0)
        for row in main["studies"]
        if risk.get(row["study"]) in ("high", "unclear")
    )
    down = 1 if share > 50 else 0
    return Suggestion(
        GradeDomain.RISK_OF_BIAS,
        down,
        f"{share:.0f}% of the weight comes from studies at high or unclear overall risk of bias"
        + (" (more than half)." if down else " (not more than half)."),
    )


def _inconsistency(main: dict[str, Any]) -> Suggestion:
    het = main["heterogeneity"]
    i2, p = het.get("I2") or 0.0, het.get("p")
    down = 1 if i2 > 50 and p is not None and p < 0.10 else 0
    p_text = "n/a" if p is None else f"{p:.3f}"
    return Suggestion(GradeDomain.INCONSISTENCY, down, f"I² = {i2:.0f}%, Chi² p = {p_text}.")


def _imprecision(snapshot: dict[str, Any], main: dict[str, Any]) -> Suggestion:
    pooled = main["pooled"]
    null = 1.0 if snapshot["measure"] == "RR" else 0.0
    includes_null = pooled["ci_low"] <= null <= pooled["ci_high"]
    studies = snapshot["studies"]
    if snapshot["measure"] == "RR":
        size = sum(s["events_e"] + s["events_c"] for s in studies)
        small = size < MIN_EVENTS_DICHOTOMOUS
        size_text = f"{size} events (threshold {MIN_EVENTS_DICHOTOMOUS})"
    else:
        size = sum(s["n_e"] + s["n_c"] for s in studies)
        small = size < MIN_PARTICIPANTS_CONTINUOUS
        size_text = f"{size} participants (threshold {MIN_PARTICIPANTS_CONTINUOUS})"
    reasons = []
    if includes_null:
        reasons.append("the 95% CI includes no effect")
    if small:
        reasons.append(f"only {size_text}")
    if not reasons:
        return Suggestion(GradeDomain.IMPRECISION, 0, f"CI excludes no effect; {size_text}.")
    return Suggestion(GradeDomain.IMPRECISION, 1, "; ".join(reasons).capitalize() + ".")


def _publication_bias(main: dict[str, Any], k: int) -> Suggestion:
    egger = main.get("egger")
    if k < 10 or not egger:
        return Suggestion(
            GradeDomain.PUBLICATION_BIAS, 0, f"{k} studies: too few to test for funnel asymmetry."
        )
    down = 1 if egger["p"] < 0.10 else 0
    return Suggestion(
        GradeDomain.PUBLICATION_BIAS, down, f"Egger's test p = {egger['p']:.3f} ({k} studies)."
    )


def suggestions(snapshot: dict[str, Any], result: dict[str, Any]) -> list[Suggestion]:
    """Return one suggestion per GRADE domain, in the SoF's order."""
    main = presented(result)
    return [
        _rob(snapshot, main),
        _inconsistency(main),
        Suggestion(GradeDomain.INDIRECTNESS, 0, "The reviewers' judgement: no rule applies."),
        _imprecision(snapshot, main),
        _publication_bias(main, main["k"]),
    ]


def certainty(downgrades: int) -> tuple[int, str, str]:
    """Return (level, label, symbols) after downgrading from high."""
    level = max(1, 4 - downgrades)
    return level, LEVELS[level], SYMBOLS[level]

"""The Summary of Findings table of a comparison, in the Cochrane/GRADE layout, as plain data.

One row per analysis (outcome × follow-up) with a stored result. The same data feed the
page, the HTML, CSV and DOCX downloads, so every format shows the same numbers.
"""

from __future__ import annotations

import string
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from analysis.models import Analysis, Comparison
from analysis.sof.grade import certainty, presented, suggestions

RR_NOTE = (
    "Risk with control: events per 1000 in the control groups of the included studies; risk "
    "with intervention: that risk multiplied by the pooled risk ratio (and its 95% CI)."
)
HEADERS = [
    "Outcome (follow-up)",
    "Risk with control",
    "Risk with intervention",
    "Relative effect (95% CI)",
    "Participants (studies)",
    "Certainty of the evidence (GRADE)",
    "Comments",
]


@dataclass
class DomainDecision:
    domain: str
    label: str
    suggested: int
    reason: str
    accepted: int | None
    footnote: str
    stale: bool  # the data changed the suggestion since the reviewers decided

    @property
    def effective(self) -> int:
        return self.suggested if self.accepted is None else self.accepted


@dataclass
class SofRow:
    analysis: Analysis
    outcome: str
    follow_up: str
    status: str
    control: str = ""
    intervention: str = ""
    relative: str = "—"
    participants: str = ""
    certainty_label: str = ""
    symbols: str = ""
    comments: str = ""
    marks: list[str] = field(default_factory=list)
    domains: list[DomainDecision] = field(default_factory=list)
    numbers: dict[str, Any] = field(default_factory=dict)

    def cells(self) -> list[str]:
        grade = f"{self.symbols} {self.certainty_label}".strip()
        if self.marks:
            grade += " " + ",".join(self.marks)
        return [
            f"{self.outcome} ({self.follow_up})",
            self.control,
            self.intervention,
            self.relative,
            self.participants,
            grade,
            self.comments,
        ]


@dataclass
class SofTable:
    comparison: Comparison
    rows: list[SofRow]
    footnotes: list[tuple[str, str]]

    @property
    def title(self) -> str:
        return f"Summary of findings: {self.comparison.name}"


def _fmt(value: float) -> str:
    return f"{value:.2f}"


def _marks() -> Iterator[str]:
    yield from string.ascii_lowercase
    for n in range(1, 1000):
        yield f"z{n}"


def _effects(row: SofRow, snapshot: dict[str, Any], main: dict[str, Any]) -> None:
    pooled = main["pooled"]
    measure = snapshot["measure"]
    studies = snapshot["studies"]
    est, low, high = pooled["estimate"], pooled["ci_low"], pooled["ci_high"]
    row.numbers = {
        "measure": measure,
        "estimate": est,
        "ci_low": low,
        "ci_high": high,
        "k": main["k"],
    }
    if measure == "RR":
        events_c = sum(s["events_c"] for s in studies)
        n_c = sum(s["n_c"] for s in studies)
        risk = 1000 * events_c / n_c
        row.control = f"{risk:.0f} per 1000"
        row.intervention = f"{risk * est:.0f} per 1000 ({risk * low:.0f} to {risk * high:.0f})"
        row.relative = f"RR {_fmt(est)} ({_fmt(low)} to {_fmt(high)})"
        row.numbers["control_per_1000"] = risk
    else:
        if measure == "MD":
            n_c = sum(s["n_c"] for s in studies)
            mean_c = sum(s["mean_c"] * s["n_c"] for s in studies) / n_c
            row.control = f"The mean was {mean_c:.2f}"
            row.numbers["control_mean"] = mean_c
        else:
            row.control = "—"
        row.intervention = f"{measure} {_fmt(est)} ({_fmt(low)} to {_fmt(high)})"
    total = sum(s["n_e"] + s["n_c"] for s in studies)
    row.participants = f"{total} ({main['k']} {'study' if main['k'] == 1 else 'studies'})"
    row.numbers["participants"] = total


def _model_comments(analysis: Analysis, result: dict[str, Any]) -> list[str]:
    """Say where the fixed- and random-effects results disagree, or the funnel is asymmetric."""
    other = "fixed" if result.get("presented") == "random" else "random"
    o = result[other]["pooled"]
    other_text = f"{analysis.effect_measure} {_fmt(o['estimate'])} ({_fmt(o['ci_low'])} to {_fmt(o['ci_high'])})"
    comments = []
    if result.get("models_disagree"):
        comments.append(
            f"The {other}-effect model disagrees on whether there is an effect: {other_text}."
        )
    if result.get("funnel_asymmetry"):
        egger = result[result.get("presented", "random")].get("egger") or {}
        comments.append(
            f"Funnel plot asymmetric (Egger p = {egger.get('p', 0):.3f}); {other}-effect result: "
            f"{other_text}."
        )
    return comments


def sof_table(comparison: Comparison) -> SofTable:
    """Return the comparison's SoF table with GRADE suggestions, decisions and footnotes."""
    marks = _marks()
    footnotes: list[tuple[str, str]] = []
    rows = []

    def note(row: SofRow, text: str) -> None:
        # The same footnote text under one table keeps one letter, as in Cochrane's tables.
        mark = next((m for m, t in footnotes if t == text), None)
        if mark is None:
            mark = next(marks)
            footnotes.append((mark, text))
        if mark not in row.marks:
            row.marks.append(mark)

    analyses = comparison.analyses.select_related("domain", "measure", "time_point", "current_run")
    for analysis in analyses.prefetch_related("grade"):
        run = analysis.current_run
        row = SofRow(
            analysis=analysis,
            outcome=f"{analysis.outcome_label}, {analysis.effect_measure}",
            follow_up=analysis.time_point.name,
            status="not run" if run is None else run.status,
        )
        rows.append(row)
        if run is None or run.status != "ok":
            row.comments = "Not run yet." if run is None else f"Could not be analysed: {run.error}"
            continue
        snapshot, result = run.input_snapshot, run.result
        main = presented(result)
        _effects(row, snapshot, main)
        if snapshot["measure"] == "RR":
            note(row, RR_NOTE)
        decided = {g.domain: g for g in analysis.grade.all()}
        for s in suggestions(snapshot, result):
            g = decided.get(s.domain)
            row.domains.append(
                DomainDecision(
                    domain=s.domain,
                    label=s.label,
                    suggested=s.downgrade,
                    reason=s.reason,
                    accepted=None if g is None else g.accepted_downgrade,
                    footnote="" if g is None else g.footnote,
                    stale=g is not None and g.suggested_downgrade != s.downgrade,
                )
            )
        for d in row.domains:
            if d.domain == "risk_of_bias" and d.effective and snapshot.get("rob_rule"):
                note(row, f"Overall risk of bias per study: {snapshot['rob_rule']}")
            if d.accepted is None and d.suggested:
                note(
                    row,
                    f"{d.label}: downgraded by {d.suggested} as suggested by the rule, "
                    f"not yet reviewed. {d.reason}",
                )
            elif d.accepted is not None and d.footnote:
                note(row, f"{d.label}: {d.footnote}")
        level, label, symbols = certainty(sum(d.effective for d in row.domains))
        row.certainty_label, row.symbols = label, symbols
        row.numbers["certainty"] = level
        comments = [analysis.sof_comment] if analysis.sof_comment else []
        row.comments = " ".join(comments + _model_comments(analysis, result))
    return SofTable(comparison=comparison, rows=rows, footnotes=footnotes)

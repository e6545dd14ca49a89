"""Render a result as a plain-text table laid out like a RevMan 5 forest-plot table."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from analysis.stats.heterogeneity import q_p_value
from analysis.stats.inputs import ContinuousData, StudyData
from analysis.stats.results import MetaAnalysisResult, StudyResult, SubgroupResult

MEASURE_NAMES = {
    "MD": "Mean Difference",
    "SMD": "Std. Mean Difference",
    "RR": "Risk Ratio",
    "OR": "Odds Ratio",
    "RD": "Risk Difference",
}
METHOD_NAMES = {"IV": "IV", "MH": "M-H", "PETO": "Peto"}
TAU2_NAMES = {"DL": "DerSimonian-Laird", "REML": "REML", "PM": "Paule-Mandel"}
NAME_WIDTH = 28


def format_p(p: float | None) -> str:
    """Return a P value as RevMan prints it ("P < 0.00001", "P = 0.04", "P = 0.0003")."""
    if p is None:
        return "P not estimable"
    if p < 0.00001:
        return "P < 0.00001"
    if p >= 0.01:
        return f"P = {p:.2f}"
    return f"P = {p:.{int(-np.floor(np.log10(p))) + 1}f}"


def method_label(result: MetaAnalysisResult) -> str:
    """Return e.g. "M-H, Random, 95% CI" as in RevMan's column heading."""
    o = result.options
    label = f"{METHOD_NAMES[o.method]}, {o.model.capitalize()}, 95% CI"
    if o.hksj:
        label += " (HKSJ)"
    return label


def _estimate(estimate: float | None, low: float | None, high: float | None) -> str:
    if estimate is None:
        return "Not estimable"
    return f"{estimate:.2f} [{low:.2f}, {high:.2f}]"


def _arm_cells(data: StudyData, i: int) -> str:
    if isinstance(data, ContinuousData):
        return (
            f"{data.mean_e[i]:>9.4g} {data.sd_e[i]:>8.4g} {data.n_e[i]:>6.0f}"
            f"  {data.mean_c[i]:>9.4g} {data.sd_c[i]:>8.4g} {data.n_c[i]:>6.0f}"
        )
    return f"{data.events_e[i]:>7.0f} {data.n_e[i]:>6.0f}  {data.events_c[i]:>7.0f} {data.n_c[i]:>6.0f}"


def _header(data: StudyData, result: MetaAnalysisResult) -> list[str]:
    measure = MEASURE_NAMES[result.options.measure]
    if isinstance(data, ContinuousData):
        arms = f"{'Experimental':^25}  {'Control':^25}"
        cols = f"{'Mean':>9} {'SD':>8} {'Total':>6}  {'Mean':>9} {'SD':>8} {'Total':>6}"
    else:
        arms = f"{'Experimental':^14}  {'Control':^14}"
        cols = f"{'Events':>7} {'Total':>6}  {'Events':>7} {'Total':>6}"
    return [
        f"{'':<{NAME_WIDTH}}{arms}  {'':>7}   {measure}",
        f"{'Study or Subgroup':<{NAME_WIDTH}}{cols}  {'Weight':>7}   {method_label(result)}",
    ]


def _study_line(data: StudyData, i: int, study: StudyResult) -> str:
    weight = "" if study.weight is None else f"{study.weight:.1f}%"
    name = study.study[: NAME_WIDTH - 1]
    return (
        f"{name:<{NAME_WIDTH}}{_arm_cells(data, i)}  {weight:>7}   "
        f"{_estimate(study.estimate, study.ci_low, study.ci_high)}"
    )


def _totals(
    data: StudyData, rows: Sequence[int], weight: float | None, estimate: str, label: str
) -> list[str]:
    idx = np.asarray(rows, dtype=int)
    weight_text = "" if weight is None else f"{weight:.1f}%"
    if isinstance(data, ContinuousData):
        cells = f"{'':>9} {'':>8} {data.n_e[idx].sum():>6.0f}  {'':>9} {'':>8} {data.n_c[idx].sum():>6.0f}"
        return [f"{label:<{NAME_WIDTH}}{cells}  {weight_text:>7}   {estimate}"]
    cells = f"{'':>7} {data.n_e[idx].sum():>6.0f}  {'':>7} {data.n_c[idx].sum():>6.0f}"
    events = f"{data.events_e[idx].sum():>7.0f} {'':>6}  {data.events_c[idx].sum():>7.0f}"
    return [
        f"{label:<{NAME_WIDTH}}{cells}  {weight_text:>7}   {estimate}",
        f"{'Total events':<{NAME_WIDTH}}{events}",
    ]


def _heterogeneity_line(
    tau2: float | None, q: float | None, df: int | None, p: float | None, i2: float | None
) -> str:
    parts = []
    if tau2 is not None:
        parts.append(f"Tau² = {tau2:.4g}")
    if q is not None:
        chi = f"Chi² = {q:.2f}, df = {df} ({format_p(p)})"
        parts.append(chi)
    if i2 is not None:
        parts.append(f"I² = {i2:.0f}%")
    return "Heterogeneity: " + "; ".join(parts) if parts else "Heterogeneity: not applicable"


def _subgroup_block(
    data: StudyData, result: MetaAnalysisResult, group: SubgroupResult, rows: list[int]
) -> list[str]:
    lines = [group.name]
    weights = [result.studies[i].weight or 0.0 for i in rows]
    for i in rows:
        lines.append(_study_line(data, i, result.studies[i]))
    estimate = _estimate(group.estimate, group.ci_low, group.ci_high)
    lines += _totals(data, rows, sum(weights), estimate, "Subtotal (95% CI)")
    if group.k >= 2:
        p = q_p_value(group.Q, group.df)
        lines.append(_heterogeneity_line(group.tau2, group.Q, group.df, p, group.I2))
    lines.append("")
    return lines


def render_table(
    data: StudyData,
    result: MetaAnalysisResult,
    *,
    subgroup_labels: Sequence[str] | None = None,
    title: str = "",
) -> str:
    """Return the analysis as RevMan lays it out: studies, totals, heterogeneity, overall test."""
    lines = [title] if title else []
    lines += _header(data, result)
    if result.subgroups is not None and subgroup_labels is not None:
        for group in result.subgroups:
            rows = [i for i, label in enumerate(subgroup_labels) if label == group.name]
            lines += _subgroup_block(data, result, group, rows)
    else:
        lines += [_study_line(data, i, s) for i, s in enumerate(result.studies)]
        lines.append("")
    pooled = result.pooled
    lines += _totals(
        data,
        range(len(result.studies)),
        100.0,
        _estimate(pooled.estimate, pooled.ci_low, pooled.ci_high),
        "Total (95% CI)",
    )
    h = result.heterogeneity
    lines.append(_heterogeneity_line(h.tau2, h.Q, h.df, h.p, h.I2))
    statistic = f"{pooled.statistic_name} = {abs(pooled.statistic):.2f}"
    if pooled.df is not None:
        statistic = f"t({pooled.df}) = {abs(pooled.statistic):.2f}"
    lines.append(f"Test for overall effect: {statistic} ({format_p(pooled.p)})")
    if result.subgroup_test is not None:
        t = result.subgroup_test
        lines.append(
            f"Test for subgroup differences: Chi² = {t.Q:.2f}, df = {t.df} ({format_p(t.p)})"
        )
    lines += _extras(result)
    not_estimable = [s.study for s in result.studies if s.estimate is None]
    if not_estimable:
        lines.append("Not estimable (left out of the pooling): " + ", ".join(not_estimable))
    lines += [f"Warning: {w}" for w in result.warnings]
    return "\n".join(lines)


def _extras(result: MetaAnalysisResult) -> list[str]:
    lines = []
    h = result.heterogeneity
    if result.options.random:
        lines.append(f"Random effects: tau² by {TAU2_NAMES[result.options.tau2_method]}")
    if h.random and h.tau2_ci_low is not None:
        lines.append(
            f"Tau² 95% CI (Q-profile): [{h.tau2_ci_low:.4g}, {h.tau2_ci_high:.4g}]; "
            f"I² 95% CI: [{h.I2_ci_low:.0f}%, {h.I2_ci_high:.0f}%]"
        )
    if result.prediction_interval is not None:
        pi = result.prediction_interval
        lines.append(f"95% prediction interval: [{pi.low:.2f}, {pi.high:.2f}]")
    if result.egger is not None:
        e = result.egger
        lines.append(
            f"Egger's test: intercept = {e.intercept:.3f} (SE {e.se:.3f}), {format_p(e.p)}"
        )
    if result.meta_regression is not None:
        m = result.meta_regression
        tau2 = "" if m.tau2 is None else f"; residual Tau² = {m.tau2:.4g}"
        lines.append(
            f"Meta-regression: intercept = {m.intercept:.4g}, slope = {m.slope:.4g} "
            f"(SE {m.slope_se:.4g}, {format_p(m.slope_p)}); QM = {m.QM:.2f} ({format_p(m.QMp)}){tau2}"
        )
    return lines

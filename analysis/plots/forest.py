"""Forest plots in RevMan's layout: per study the data, weight, effect and CI; the diamond;
heterogeneity and the test for overall effect under it; 'favours' labels under the axis.

``forest_figure`` returns the plotly figure: the page renders it with plotly.js, and the SVG and
PNG downloads are drawn from the same figure by ``reviewapp.figures.figure_image``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

import plotly.graph_objects as go

from analysis.models import Analysis, AnalysisRun


@dataclass(frozen=True)
class ForestLine:
    label: str
    data: str
    weight: str
    effect: str
    estimate: float | None
    low: float | None
    high: float | None
    size: float


def _fmt(x: float | None) -> str:
    return "—" if x is None else f"{x:.2f}"


def forest_lines(run: AnalysisRun, model: str) -> tuple[list[ForestLine], dict[str, Any]]:
    """Return the per-study lines and the pooled line (with its footer text) of the model."""
    result = run.result[model]
    snapshot = {s["study"]: s for s in run.input_snapshot["studies"]}
    rr = run.input_snapshot["measure"] == "RR"
    lines = []
    for row in result["studies"]:
        s = snapshot.get(row["study"], {})
        if rr:
            data = f"{s.get('events_e')}/{s.get('n_e')} vs {s.get('events_c')}/{s.get('n_c')}"
        else:
            data = (
                f"{s.get('mean_e', 0):.2f} ({s.get('sd_e', 0):.2f}) {s.get('n_e')} vs "
                f"{s.get('mean_c', 0):.2f} ({s.get('sd_c', 0):.2f}) {s.get('n_c')}"
            )
        weight = row.get("weight")
        lines.append(
            ForestLine(
                label=row["study"],
                data=data,
                weight="—" if weight is None else f"{weight:.1f}%",
                effect=f"{_fmt(row['estimate'])} [{_fmt(row['ci_low'])}, {_fmt(row['ci_high'])}]",
                estimate=row["estimate"],
                low=row["ci_low"],
                high=row["ci_high"],
                size=6 + 14 * math.sqrt((weight or 0) / 100),
            )
        )
    pooled, het = result["pooled"], result["heterogeneity"]
    z = pooled["yi"] / pooled["se"] if pooled["se"] else 0.0
    tau = f"Tau² = {het['tau2']:.3f}; " if "tau2" in het else ""
    p_het = "n/a" if het.get("p") is None else f"{het['p']:.3f}"
    footer = [
        f"Heterogeneity: {tau}Chi² = {het['Q']:.2f}, df = {het['df']} (P = {p_het}); I² = {het.get('I2') or 0:.0f}%",
        f"Test for overall effect: Z = {abs(z):.2f} (P = {pooled['p']:.4f})",
    ]
    total = {
        "label": f"Total ({'random' if model == 'random' else 'fixed'}, 95% CI)",
        "effect": f"{_fmt(pooled['estimate'])} [{_fmt(pooled['ci_low'])}, {_fmt(pooled['ci_high'])}]",
        "estimate": pooled["estimate"],
        "low": pooled["ci_low"],
        "high": pooled["ci_high"],
        "footer": footer,
    }
    return lines, total


def _null(rr: bool) -> float:
    return 1.0 if rr else 0.0


def forest_figure(analysis: Analysis, run: AnalysisRun, model: str) -> dict[str, Any]:
    """Return the plotly figure (as JSON-ready dict) of the model's forest plot."""
    lines, total = forest_lines(run, model)
    rr = run.input_snapshot["measure"] == "RR"
    n = len(lines)
    ys = list(range(n + 1, 1, -1))
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=[ln.estimate for ln in lines],
            y=ys,
            mode="markers",
            marker={"symbol": "square", "size": [ln.size for ln in lines], "color": "#1f3d7a"},
            error_x={
                "type": "data",
                "symmetric": False,
                "array": [(ln.high or 0) - (ln.estimate or 0) for ln in lines],
                "arrayminus": [(ln.estimate or 0) - (ln.low or 0) for ln in lines],
                "color": "#1f3d7a",
                "width": 0,
            },
            text=[f"{ln.label}: {ln.effect}" for ln in lines],
            hoverinfo="text",
            name="Studies",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=[total["low"], total["estimate"], total["high"], total["estimate"], total["low"]],
            y=[0.5, 0.8, 0.5, 0.2, 0.5],
            fill="toself",
            mode="lines",
            line={"color": "black"},
            fillcolor="black",
            name="Pooled",
            hoverinfo="text",
            text=total["effect"],
        )
    )
    fig.add_vline(x=_null(rr), line_width=1, line_color="grey")
    columns = [
        (0.0, "Study", [ln.label for ln in lines]),
        (0.13, "Intervention vs control", [ln.data for ln in lines]),
        (0.38, "Weight", [ln.weight for ln in lines]),
        (0.45, f"{analysis.effect_measure} 95% CI", [ln.effect for ln in lines]),
    ]
    for x, header, values in columns:
        fig.add_annotation(
            x=x,
            y=n + 2,
            xref="paper",
            yref="y",
            text=f"<b>{header}</b>",
            showarrow=False,
            xanchor="left",
        )
        for y, value in zip(ys, values, strict=True):
            fig.add_annotation(
                x=x,
                y=y,
                xref="paper",
                yref="y",
                text=escape(value),
                showarrow=False,
                xanchor="left",
            )
    fig.add_annotation(
        x=0.0,
        y=0.5,
        xref="paper",
        yref="y",
        text=f"<b>{total['label']}</b>",
        showarrow=False,
        xanchor="left",
    )
    fig.add_annotation(
        x=0.45,
        y=0.5,
        xref="paper",
        yref="y",
        text=f"<b>{total['effect']}</b>",
        showarrow=False,
        xanchor="left",
    )
    for i, text in enumerate(total["footer"]):
        fig.add_annotation(
            x=0.0,
            y=-0.6 - 0.6 * i,
            xref="paper",
            yref="y",
            text=text,
            showarrow=False,
            xanchor="left",
        )
    fig.update_layout(
        xaxis={
            "domain": [0.68, 1.0],
            "type": "log" if rr else "linear",
            "zeroline": False,
            "title": {"text": f"{analysis.favours_left}  ←   →  {analysis.favours_right}"},
        },
        yaxis={"visible": False, "range": [-1.8, n + 2.6]},
        showlegend=False,
        height=160 + 28 * n,
        margin={"l": 10, "r": 10, "t": 20, "b": 60},
        plot_bgcolor="white",
        font={"size": 12},
    )
    return fig.to_plotly_json()

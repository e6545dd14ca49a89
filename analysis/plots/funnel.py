"""Funnel plot (effect against its standard error, pseudo 95% limits) with Egger's test.

Drawn only when more than ten studies are pooled, as the protocol plans.
"""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go

from analysis.models import AnalysisRun
from analysis.stats.constants import Z_975

MIN_STUDIES = 11


def funnel_points(run: AnalysisRun, model: str) -> dict[str, Any] | None:
    """Return the funnel's points, centre, limits and Egger text; None when too few studies."""
    result = run.result[model]
    rows = [r for r in result["studies"] if r["yi"] is not None]
    if len(rows) < MIN_STUDIES:
        return None
    rr = run.input_snapshot["measure"] == "RR"
    centre = result["pooled"]["yi"]
    max_se = max(r["se"] for r in rows) * 1.1
    egger = result.get("egger") or run.result["fixed"].get("egger")
    return {
        "log": rr,
        "x": [r["yi"] for r in rows],
        "y": [r["se"] for r in rows],
        "labels": [r["study"] for r in rows],
        "centre": centre,
        "max_se": max_se,
        "egger": ""
        if not egger
        else f"Egger's test: intercept {egger['intercept']:.2f} (SE {egger['se']:.2f}), p = {egger['p']:.3f}",
    }


def funnel_figure(run: AnalysisRun, model: str) -> dict[str, Any] | None:
    points = funnel_points(run, model)
    if points is None:
        return None
    c, m = points["centre"], points["max_se"]
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=points["x"],
            y=points["y"],
            mode="markers",
            text=points["labels"],
            marker={"symbol": "circle-open", "size": 9, "color": "#1f3d7a"},
            name="Studies",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=[c - Z_975 * m, c, c + Z_975 * m],
            y=[m, 0, m],
            mode="lines",
            line={"dash": "dash", "color": "grey"},
            name="Pseudo 95% limits",
        )
    )
    fig.add_vline(x=c, line_color="black", line_width=1)
    scale = "log " if points["log"] else ""
    fig.update_layout(
        xaxis={"title": {"text": f"Effect ({scale}scale)"}},
        yaxis={"title": {"text": "Standard error"}, "autorange": "reversed"},
        title={"text": points["egger"], "font": {"size": 12}},
        height=420,
        plot_bgcolor="white",
    )
    return fig.to_plotly_json()

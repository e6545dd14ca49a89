"""Subgroup forest plots: each subgroup's pooled effect and CI, with the test for differences."""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go

from analysis.models import Analysis, AnalysisRun


def subgroup_figures(analysis: Analysis, run: AnalysisRun) -> list[tuple[str, str, dict[str, Any]]]:
    """Return (key, title, plotly figure) for each subgroup analysis that has subgroups."""
    rr = run.input_snapshot["measure"] == "RR"
    out = []
    for key, entry in run.result.get("subgroups", {}).items():
        groups = entry.get("subgroups") or []
        if not groups:
            continue
        labels = [f"{g['name']} (k = {g['k']})" for g in groups]
        fig = go.Figure(
            go.Scatter(
                x=[g["estimate"] for g in groups],
                y=labels,
                mode="markers",
                marker={"symbol": "diamond", "size": 12, "color": "#1f3d7a"},
                error_x={
                    "type": "data",
                    "symmetric": False,
                    "array": [g["ci_high"] - g["estimate"] for g in groups],
                    "arrayminus": [g["estimate"] - g["ci_low"] for g in groups],
                    "width": 0,
                },
                text=[
                    f"{g['estimate']:.2f} [{g['ci_low']:.2f}, {g['ci_high']:.2f}]" for g in groups
                ],
                hoverinfo="text+y",
            )
        )
        fig.add_vline(x=1.0 if rr else 0.0, line_color="grey", line_width=1)
        test = entry.get("test") or {}
        p = test.get("p")
        title = (
            f"{entry['label']}: test for subgroup differences Chi² = {test.get('Q', 0):.2f}, "
            f"df = {test.get('df')} (P = {'n/a' if p is None else f'{p:.3f}'})"
        )
        fig.update_layout(
            title={"text": title, "font": {"size": 12}},
            xaxis={
                "type": "log" if rr else "linear",
                "title": {"text": f"{analysis.favours_left}  ←   →  {analysis.favours_right}"},
            },
            yaxis={"autorange": "reversed"},
            height=140 + 40 * len(groups),
            margin={"l": 10, "r": 10, "t": 40, "b": 50},
            plot_bgcolor="white",
            showlegend=False,
        )
        out.append((key, entry["label"], fig.to_plotly_json()))
    return out

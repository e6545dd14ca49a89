"""The two plots every Cochrane reader expects, as plotly figures, and their SVG/PNG export.

Both plots carry a symbol as well as a colour (+ low, − high, ? unclear; the summary bars also
carry a pattern), so they read in grey and for colour-blind readers. Pages render the figures
from JSON (``static/js/riskofbias.js``); downloads go through ``reviewapp.figures``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import plotly.graph_objects as go

from reviewapp.figures import (  # noqa: F401 - re-exported for the views
    PlotExportError,
    figure_image,
    figure_json,
)
from riskofbias.models import Level

LEVEL_ORDER = [Level.LOW.value, Level.UNCLEAR.value, Level.HIGH.value]
LEVEL_STYLE: dict[str, dict[str, str]] = {
    # Colours after RevMan; the symbol and pattern carry the meaning without them.
    Level.LOW.value: {"colour": "#1a7f37", "symbol": "+", "text": "#ffffff", "pattern": ""},
    Level.UNCLEAR.value: {"colour": "#f2c230", "symbol": "?", "text": "#000000", "pattern": "."},
    Level.HIGH.value: {"colour": "#c62828", "symbol": "−", "text": "#ffffff", "pattern": "/"},
}
LEVEL_NAME = {level.value: level.label for level in Level}


@dataclass(frozen=True)
class PlotData:
    """Consensus levels per study: ``columns`` name the cells, ``rows`` hold one level each."""

    columns: list[str]
    rows: list[tuple[int, str, list[str]]]  # (study id, label, level per column)
    overall: dict[int, str]
    rule_description: str = ""


def traffic_light_figure(data: PlotData) -> go.Figure:
    """Return the traffic-light plot: one row per study, one column per domain, plus overall."""
    columns = [*data.columns, "Overall"]
    fig = go.Figure()
    for level in LEVEL_ORDER:
        style = LEVEL_STYLE[level]
        xs, ys, hover = [], [], []
        for study_id, label, levels in data.rows:
            cells = [*levels, data.overall.get(study_id, "")]
            for column, cell_level in zip(columns, cells, strict=True):
                if cell_level == level:
                    xs.append(column)
                    ys.append(label)
                    hover.append(f"{label}<br>{column}: {LEVEL_NAME[level]}")
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="markers+text",
                name=f"{style['symbol']} {LEVEL_NAME[level]}",
                text=[style["symbol"]] * len(xs),
                textfont={"color": style["text"], "size": 18, "family": "Arial Black, Arial"},
                marker={
                    "size": 30,
                    "color": style["colour"],
                    "line": {"color": "#333333", "width": 1},
                },
                hovertext=hover,
                hoverinfo="text",
            )
        )
    n = max(len(data.rows), 1)
    fig.update_layout(
        title={"text": "Risk of bias: traffic-light plot"},
        xaxis={
            "side": "top",
            "tickangle": -30,
            "categoryorder": "array",
            "categoryarray": columns,
            "showgrid": False,
        },
        yaxis={
            "autorange": "reversed",
            "categoryorder": "array",
            "categoryarray": [label for _, label, _ in data.rows],
            "showgrid": False,
        },
        plot_bgcolor="#ffffff",
        height=260 + 42 * n,
        width=max(760, 110 * len(columns) + 200),
        margin={"t": 190, "l": 160, "r": 40, "b": 80},
        legend={"orientation": "h", "y": -0.02, "yanchor": "top"},
        annotations=[_rule_note(data)] if data.rule_description else [],
    )
    return fig


def summary_figure(data: PlotData, weights: dict[int, float] | None = None) -> go.Figure:
    """Return the summary plot: per domain, the share of studies (or of weight) at each level.

    ``weights`` maps study id to its analysis weight; without it every study counts once.
    Studies missing from ``weights`` count zero.
    """
    shares: dict[str, list[float]] = {level: [] for level in LEVEL_ORDER}
    for index in range(len(data.columns)):
        totals = dict.fromkeys(LEVEL_ORDER, 0.0)
        for study_id, _label, levels in data.rows:
            weight = 1.0 if weights is None else float(weights.get(study_id, 0.0))
            totals[levels[index]] += weight
        whole = sum(totals.values())
        for level in LEVEL_ORDER:
            shares[level].append(100.0 * totals[level] / whole if whole else 0.0)
    fig = go.Figure()
    for level in LEVEL_ORDER:
        style = LEVEL_STYLE[level]
        fig.add_trace(
            go.Bar(
                y=data.columns,
                x=shares[level],
                orientation="h",
                name=f"{style['symbol']} {LEVEL_NAME[level]}",
                marker={
                    "color": style["colour"],
                    "line": {"color": "#333333", "width": 1},
                    "pattern": {
                        "shape": style["pattern"],
                        "fgcolor": style["text"],
                        "fgopacity": 0.3,
                        "size": 10,
                    },
                },
                text=[
                    f"{style['symbol']} {share:.0f}%" if share >= 8 else ""
                    for share in shares[level]
                ],
                textposition="inside",
                insidetextanchor="middle",
                textfont={"color": style["text"]},
                hovertemplate="%{y}: %{x:.0f}%<extra>" + LEVEL_NAME[level] + "</extra>",
            )
        )
    weighting = "weighted by analysis weight" if weights is not None else "each study counts once"
    fig.update_layout(
        title={"text": f"Risk of bias: summary plot ({weighting})"},
        barmode="stack",
        xaxis={"range": [0, 100], "ticksuffix": "%", "title": {"text": "Studies"}},
        yaxis={"autorange": "reversed"},
        plot_bgcolor="#ffffff",
        height=160 + 48 * max(len(data.columns), 1),
        width=900,
        margin={"l": 300, "r": 40, "t": 70, "b": 90},
        legend={"orientation": "h", "y": -0.25, "yanchor": "top", "traceorder": "normal"},
    )
    return fig


def _rule_note(data: PlotData) -> dict[str, Any]:
    return {
        "text": f"Overall: {data.rule_description}",
        "xref": "paper",
        "yref": "paper",
        "x": 0,
        "y": -0.02,
        "yanchor": "top",
        "showarrow": False,
        "font": {"size": 11},
        "yshift": -36,
    }

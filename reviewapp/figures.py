"""Plotly figures for pages and downloads, shared by every app that draws one.

Pages render a figure from JSON in a ``<script type="application/json">`` data block (CSP allows
no inline scripts) with the plotly.js served from our static files. Downloads (SVG, PNG) are
drawn by kaleido 0.2.1: plotly 7's ``to_image`` insists on kaleido >= 1, which needs a Chrome
download that does not work offline, so the older kaleido, which ships its own Chromium, is
driven directly through its ``PlotlyScope`` with the plotly.js that ships with plotly.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import plotly
import plotly.graph_objects as go

PLOTLY_JS = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"
EXPORT_FORMATS = {"svg": "image/svg+xml", "png": "image/png"}
EXPORT_FAILED = "The plot could not be drawn as {fmt}: {reason}"


class PlotExportError(Exception):
    """The image could not be drawn (kaleido missing or failing); the message says why."""


_scope = None
_scope_lock = threading.Lock()


def figure_json(fig: go.Figure) -> dict[str, Any]:
    """Return the figure as plain JSON data for a page's data block."""
    return json.loads(fig.to_json())


def figure_image(fig: go.Figure, fmt: str) -> bytes:
    """Return the figure as SVG or PNG bytes."""
    global _scope
    if fmt not in EXPORT_FORMATS:
        raise PlotExportError(EXPORT_FAILED.format(fmt=fmt, reason="only SVG and PNG are offered."))
    with _scope_lock:
        try:
            if _scope is None:
                from kaleido.scopes.plotly import PlotlyScope

                _scope = PlotlyScope(plotlyjs=str(PLOTLY_JS), mathjax=False)
            return _scope.transform(
                fig.to_plotly_json(),
                format=fmt,
                width=fig.layout.width,
                height=fig.layout.height,
                scale=2 if fmt == "png" else 1,
            )
        except Exception as exc:  # any kaleido failure becomes a clear message, never a 500
            _scope = None
            raise PlotExportError(EXPORT_FAILED.format(fmt=fmt.upper(), reason=exc)) from exc


def figure_export_shutdown() -> None:
    """Stop kaleido's Chromium, if one was started (the tests call this at the end)."""
    global _scope
    with _scope_lock:
        if _scope is not None:
            _scope._shutdown_kaleido()
            _scope = None

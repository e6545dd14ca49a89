"""Move between the analysis scale (log for ratios) and the reported scale."""

from __future__ import annotations

import math

from analysis.stats.results import AnalysisOptions


def reported(value: float, options: AnalysisOptions) -> float:
    """Return ``value`` on the reported scale: exp() for RR and OR, unchanged otherwise."""
    return math.exp(value) if options.ratio else value

"""Writes of the analysis stage: comparisons, proposed analyses, runs, options and GRADE."""

from analysis.services.errors import AnalysisError

__all__ = ["AnalysisError"]

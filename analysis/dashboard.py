"""The analysis panel of the review dashboard."""

from __future__ import annotations

from typing import Any

from analysis.models import Analysis, AnalysisRun
from analysis.selectors import latest_run_job
from reviewapp.models import Review


def panel(review: Review, user: Any) -> tuple[str, dict[str, Any]]:
    analyses = Analysis.objects.filter(review=review)
    return "analysis/panel.html", {
        "analyses": analyses.count(),
        "computed": analyses.filter(current_run__status=AnalysisRun.Status.OK).count(),
        "failed": analyses.filter(current_run__status=AnalysisRun.Status.FAILED).count(),
        "job": latest_run_job(review),
    }

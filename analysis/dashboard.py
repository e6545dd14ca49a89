"""The analysis panel of the review dashboard."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q

from analysis.models import Analysis, AnalysisRun
from analysis.selectors import latest_run_job
from reviewapp.models import Review


def panel(review: Review, user: Any) -> tuple[str, dict[str, Any]]:
    # One query for the three counts: the dashboard renders every stage's panel on each visit.
    counts = Analysis.objects.filter(review=review).aggregate(
        analyses=Count("pk"),
        computed=Count("pk", filter=Q(current_run__status=AnalysisRun.Status.OK)),
        failed=Count("pk", filter=Q(current_run__status=AnalysisRun.Status.FAILED)),
    )
    return "analysis/panel.html", {**counts, "job": latest_run_job(review)}

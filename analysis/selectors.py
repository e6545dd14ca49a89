"""Reads of the analysis stage, always scoped to the review (no bare ``get`` by id)."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Exists, Max, OuterRef, QuerySet
from django.http import Http404

from analysis.models import Analysis, Comparison
from analysis.services.runs import JOB_KIND
from analysis.sof.table import SofTable, sof_table
from reviewapp.models import Job, Review
from reviewapp.selectors import jobs_for_review

NOT_FOUND = "No such analysis in this review."


def comparisons_for_review(review: Review) -> QuerySet[Comparison]:
    return Comparison.objects.filter(review=review).prefetch_related("comparator_types")


def analyses_for_review(review: Review) -> QuerySet[Analysis]:
    return Analysis.objects.filter(review=review).select_related(
        "comparison", "domain", "measure", "time_point", "current_run"
    )


def analysis_for_review(review: Review, analysis_id: int) -> Analysis:
    """Return the review's analysis, or 404 (an id from another review is not found)."""
    analysis = analyses_for_review(review).filter(pk=analysis_id).first()
    if analysis is None:
        raise Http404(NOT_FOUND)
    return analysis


def comparison_for_review(review: Review, comparison_id: int) -> Comparison:
    comparison = comparisons_for_review(review).filter(pk=comparison_id).first()
    if comparison is None:
        raise Http404(NOT_FOUND)
    return comparison


def data_changed_at(review: Review) -> datetime | None:
    """Return when the consensus extraction or risk-of-bias data last changed."""
    from extraction.models import Extraction
    from riskofbias.models import ConsensusJudgement

    times = [
        Extraction.objects.filter(study__review=review, kind=Extraction.Kind.CONSENSUS).aggregate(
            latest=Max("updated_at")
        )["latest"],
        ConsensusJudgement.objects.filter(study__review=review).aggregate(latest=Max("updated_at"))[
            "latest"
        ],
    ]
    times = [t for t in times if t is not None]
    return max(times) if times else None


def stale_reason(analysis: Analysis, changed_at: datetime | None) -> str:
    """Say why the shown result may be out of date ("" when it is not, as far as is known)."""
    run = analysis.current_run
    if run is None:
        return ""
    if analysis.updated_at > run.computed_at:
        return "The options changed after this result was computed: run the analyses again."
    if changed_at is not None and changed_at > run.computed_at:
        return "Consensus data changed after this result was computed: run the analyses again."
    return ""


def latest_run_job(review: Review) -> Job | None:
    return jobs_for_review(review, JOB_KIND).order_by("-created_at", "-id").first()


def sof_tables(review: Review) -> list[SofTable]:
    """Return the SoF table of every comparison that has analyses."""
    with_analyses = Exists(Analysis.objects.filter(comparison=OuterRef("pk")))
    return [sof_table(c) for c in comparisons_for_review(review).filter(with_analyses)]

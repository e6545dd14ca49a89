"""Run the review's analyses as one background job, reusing results whose input is unchanged.

One job per click (measured: with 40 analyses a job per analysis spends more on queue
round trips than on the statistics, see benchmarks/bench_analyses.py); progress is reported
per analysis. Each result is written in one transaction together with the analysis's pointer
to it, so a page never shows a half-written result; the input hash is unique per analysis,
so a redelivered task (acks_late) reuses the row instead of adding a second one.
"""

from __future__ import annotations

import time

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from analysis.engine import EngineError
from analysis.inputs import (
    characteristic_choices,
    domain_risk_by_study,
    outcome_rows,
    risk_by_study,
    risk_rule_description,
    rob_domains,
    study_traits,
)
from analysis.models import Analysis, AnalysisRun, Comparison
from analysis.services.compute import compute_result
from analysis.services.errors import MSG_NO_ANALYSES, AnalysisError
from analysis.services.snapshot import build_snapshot, comparison_matcher, snapshot_hash
from reviewapp.jobs import job_progress, job_start
from reviewapp.models import Job, Review
from reviewapp.services import audit_record

JOB_KIND = "analysis.run"
TASK_NAME = "analysis.run_analyses"
PROGRESS_EVERY = 0.25  # seconds between progress writes: the page polls every second


@transaction.atomic
def analyses_run(*, actor: AbstractBaseUser, review: Review) -> Job:
    """Start the job that brings every analysis of the review up to date with its data."""
    count = Analysis.objects.filter(review=review).count()
    if not count:
        raise AnalysisError(MSG_NO_ANALYSES)
    job = job_start(
        review=review, kind=JOB_KIND, task_name=TASK_NAME, arguments={"review": review.pk}
    )
    audit_record(
        actor=actor, review=review, action="analysis.run", obj=job, after={"analyses": count}
    )
    return job


def analyses_compute(*, job: Job) -> dict[str, int]:
    """Compute every analysis whose input changed; return counts of computed, reused, failed."""
    review = Review.objects.get(pk=job.arguments["review"])
    traits = study_traits(review)
    rows = outcome_rows(review, traits)
    risk = risk_by_study(review)
    match = comparison_matcher(
        Comparison.objects.filter(review=review).prefetch_related("comparator_types")
    )
    analyses = list(
        Analysis.objects.filter(review=review).select_related(
            "comparison", "domain", "measure", "time_point"
        )
    )
    labels = dict(characteristic_choices(review))
    if any(a.sensitivity_rob_domain for a in analyses):
        labels.update(rob_domains(review))
    domain_risk = {
        key: domain_risk_by_study(review, key)
        for key in {a.sensitivity_rob_domain for a in analyses}
        if key
    }
    rob_rule = risk_rule_description(review)
    counts = {"computed": 0, "reused": 0, "failed": 0}
    job_progress(job, 0, len(analyses), "Starting")
    reported = time.monotonic()
    for done, analysis in enumerate(analyses, start=1):
        snapshot = build_snapshot(
            analysis,
            rows,
            traits,
            risk,
            match,
            domain_risk.get(analysis.sensitivity_rob_domain),
            labels,
            rob_rule,
        )
        outcome = analysis_store_result(analysis=analysis, snapshot=snapshot, job=job)
        counts[outcome] += 1
        now = time.monotonic()
        if now - reported >= PROGRESS_EVERY or done == len(analyses):
            job_progress(job, done, len(analyses), f"{done} of {len(analyses)}: {analysis}")
            reported = now
    return counts


def analysis_store_result(*, analysis: Analysis, snapshot: dict, job: Job | None) -> str:
    """Compute (or reuse) the result for this exact input; return computed/reused/failed."""
    digest = snapshot_hash(snapshot)
    existing = (
        AnalysisRun.objects.filter(analysis=analysis, input_hash=digest)
        .only("pk", "status")
        .first()
    )
    if existing is not None and existing.status == AnalysisRun.Status.OK:
        if analysis.current_run_id != existing.pk:
            _point_to(analysis, existing)
        return "reused"
    try:
        result, error = compute_result(snapshot), ""
    except EngineError as exc:
        result, error = None, str(exc)
    with transaction.atomic():
        run, _ = AnalysisRun.objects.update_or_create(
            analysis=analysis,
            input_hash=digest,
            defaults={
                "status": AnalysisRun.Status.FAILED if error else AnalysisRun.Status.OK,
                "input_snapshot": snapshot,
                "engine_version": snapshot["engine_version"],
                "computed_at": timezone.now(),
                "result": result,
                "error": error,
                "job": job,
            },
        )
        _point_to(analysis, run)
    return "failed" if error else "computed"


def _point_to(analysis: Analysis, run: AnalysisRun) -> None:
    Analysis.objects.filter(pk=analysis.pk).update(current_run=run)
    analysis.current_run = run

"""Consensus extraction data for the analysis tests, written through the extraction models."""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest
from django.utils import timezone


def add_study(
    review,
    label: str,
    *,
    comparator: str = "Waiting list",
    design: str = "RCT",
    duration_weeks: float | None = 20,
    infant_age_months: float | None = 8,
    focus: str = "Maternal representations",
    results: list[tuple] = (),
):
    """Create a study with a consensus extraction: arms, one comparison and outcome results.

    ``results``: (measure name, time point name, data, intervention numbers, control numbers)
    with numbers (mean, sd, n) for continuous or (events, n) for dichotomous data.
    """
    from extraction.models import Arm, ArmRole, Comparison, Extraction, OutcomeResult, Study
    from reviewapp.models import Measure, TimePoint

    study = Study.objects.create(review=review, label=label)
    extraction = Extraction.objects.create(
        study=study,
        kind=Extraction.Kind.CONSENSUS,
        status=Extraction.Status.SUBMITTED,
        submitted_at=timezone.now(),
        answers={
            "design": design,
            "duration_weeks": duration_weeks,
            "infant_age_months": infant_age_months,
            "focus": focus,
            "parent_problems": ["Depression"],
            "comparator_type": comparator,
        },
    )
    arm_e = Arm.objects.create(extraction=extraction, label="PIP", order=0)
    arm_c = Arm.objects.create(extraction=extraction, label=comparator, order=1)
    comparison = Comparison.objects.create(extraction=extraction, label=f"PIP vs {comparator}")
    ArmRole.objects.create(comparison=comparison, arm=arm_e, role="intervention")
    ArmRole.objects.create(comparison=comparison, arm=arm_c, role="control")
    for measure_name, time_name, data_type, numbers_e, numbers_c in results:
        measure = Measure.objects.get(review=review, abbreviation=measure_name)
        time_point = TimePoint.objects.get(review=review, name=time_name)
        for arm, numbers in ((arm_e, numbers_e), (arm_c, numbers_c)):
            if data_type == "dichotomous":
                values = {"events": numbers[0], "n": numbers[1]}
            else:
                values = {"mean": numbers[0], "sd": numbers[1], "n": numbers[2]}
            OutcomeResult.objects.create(
                extraction=extraction,
                arm=arm,
                measure=measure,
                time_point=time_point,
                data_type=data_type,
                **values,
            )
    return study


# Five trials of a depression score (BDI, lower is better) after the intervention.
BDI_STUDIES = [
    ("Cohen 1999", (12.1, 6.0, 30), (15.3, 6.5, 31)),
    ("Cicchetti 2000", (10.4, 5.1, 40), (13.0, 5.9, 38)),
    ("Fonagy 2016", (14.0, 7.2, 38), (14.8, 7.0, 38)),
    ("Salomonsson 2011", (9.9, 5.5, 40), (12.9, 6.1, 40)),
    ("Robert-Tissot 1996", (11.0, 6.3, 25), (13.1, 6.0, 25)),
]


@pytest.fixture
def consensus_review(review):
    """The review with BDI data for five trials (one quasi-randomised) and a dichotomous outcome."""
    for i, (label, e, c) in enumerate(BDI_STUDIES):
        add_study(
            review,
            label,
            design="Quasi-RCT" if i == 4 else "RCT",
            duration_weeks=[8, 12, 20, 30, 52][i],
            infant_age_months=[3, 5, 8, 14, 20][i],
            results=[
                ("BDI", "Post-intervention", "continuous", e, c),
                ("CARE-Index", "6 months", "dichotomous", (10 + i, e[2]), (6 + i, c[2])),
            ],
        )
    return review


@pytest.fixture
def many_studies() -> Callable:
    """Return ``make(review, k, seed)``: k trials of BDI with reproducible random numbers."""

    def make(review, k: int = 12, seed: int = 7) -> None:
        rng = random.Random(seed)
        for i in range(k):
            n = rng.randint(20, 80)
            add_study(
                review,
                f"Trial {i + 1:02d}",
                results=[
                    (
                        "BDI",
                        "Post-intervention",
                        "continuous",
                        (12 - rng.uniform(0, 4), rng.uniform(4, 8), n),
                        (14.0, rng.uniform(4, 8), n),
                    )
                ],
            )

    return make


@pytest.fixture
def run_now(django_capture_on_commit_callbacks, lead):
    """Return ``run(review) -> Job``: press "Run analyses" and let the (eager) task run."""
    from analysis.services.runs import analyses_run

    def run(review, actor=None):
        with django_capture_on_commit_callbacks(execute=True):
            job = analyses_run(actor=actor or lead, review=review)
        job.refresh_from_db()
        return job

    return run

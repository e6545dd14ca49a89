"""Fixtures for the extraction tests: a review with the protocol's form and one study."""

from __future__ import annotations

import pytest


@pytest.fixture
def form_review(review, lead):
    from extraction.services import form_install_protocol

    form_install_protocol(actor=lead, review=review)
    return review


@pytest.fixture
def study(form_review, lead, make_records):
    from extraction.services import study_create_from_records

    records = make_records(form_review, 2, authors=["Cohen, N."])
    return study_create_from_records(
        actor=lead, review=form_review, records=records[:1], require_included=False
    )


@pytest.fixture
def bdi(form_review):
    from reviewapp.models import Measure

    measure = Measure.objects.get(review=form_review, abbreviation="BDI")
    measure.scale_min, measure.scale_max = 0, 63
    measure.save()
    return measure


@pytest.fixture
def post(form_review):
    from reviewapp.models import TimePoint

    return TimePoint.objects.get(review=form_review, name="Post-intervention")


ANSWERS = {
    "design": "RCT",
    "infant_age_months": "6.5",
    "duration_weeks": "20",
    "comparator_type": "Treatment as usual",
    "parent_problems": ["Depression", "Anxiety"],
    "country": "UK",
}


@pytest.fixture
def extract():
    """Return ``extract(user, study, bdi, post, answers=..., pip=(mean, sd, n), tau=...)``."""
    from extraction.services import (
        arm_save,
        comparison_save,
        extraction_save_answers,
        extraction_start,
        result_save,
    )

    def run(
        user, study, measure, time_point, answers=None, pip=(12.0, 5.0, 40), tau=(16.0, 6.0, 38)
    ):
        extraction = extraction_start(actor=user, study=study)
        extraction_save_answers(
            actor=user, extraction=extraction, answers={**ANSWERS, **(answers or {})}
        )
        arm_pip = arm_save(actor=user, extraction=extraction, label="PIP", n_randomised=42)
        arm_tau = arm_save(actor=user, extraction=extraction, label="TAU", n_randomised=42)
        comparison_save(
            actor=user,
            extraction=extraction,
            label="PIP vs TAU",
            intervention=[arm_pip],
            control=[arm_tau],
        )
        for arm, (mean, sd, n) in ((arm_pip, pip), (arm_tau, tau)):
            result_save(
                actor=user,
                extraction=extraction,
                arm=arm,
                measure=measure,
                time_point=time_point,
                data_type="continuous",
                change_or_final="final",
                higher_is_better=None,
                numbers={"mean": mean, "sd": sd, "n": n},
                sources={"mean": "p. 5, table 2"},
            )
        return extraction

    return run

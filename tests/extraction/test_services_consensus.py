"""Double extraction to consensus at the service level, and what the analysis reads."""

import re

import pytest

from extraction.models import Extraction
from extraction.selectors import (
    comparison_rows,
    consensus_outcome_data,
    consensus_study_characteristics,
)
from extraction.services import (
    ExtractionError,
    consensus_resolve,
    extraction_submit,
)
from extraction.services.errors import (
    MSG_NOT_A_DIFFERENCE,
    MSG_NOT_BOTH_SUBMITTED,
)
from extraction.values import NOT_REPORTED
from reviewapp.models import AuditEvent
from reviewapp.services import review_update_settings

pytestmark = pytest.mark.django_db


def _both(extract, study, bdi, post, reviewer_a, reviewer_b, **b_kwargs):
    a = extract(reviewer_a, study, bdi, post)
    b = extract(reviewer_b, study, bdi, post, **b_kwargs)
    extraction_submit(actor=reviewer_a, extraction=a)
    extraction_submit(actor=reviewer_b, extraction=b)
    return a, b


def test_comparison_waits_for_both_submissions(study, bdi, post, extract, reviewer_a, reviewer_b):
    a = extract(reviewer_a, study, bdi, post)
    extract(reviewer_b, study, bdi, post)
    extraction_submit(actor=reviewer_a, extraction=a)
    with pytest.raises(ExtractionError, match=re.escape(MSG_NOT_BOTH_SUBMITTED)):
        comparison_rows(study)
    assert consensus_outcome_data(study.review) == []


def test_identical_extractions_give_a_final_consensus_at_once(
    study, bdi, post, extract, reviewer_a, reviewer_b
):
    _both(extract, study, bdi, post, reviewer_a, reviewer_b)
    consensus = study.extractions.get(kind=Extraction.Kind.CONSENSUS)
    assert consensus.status == Extraction.Status.SUBMITTED
    rows = consensus_outcome_data(study.review)
    assert {(r.arm_role, r.mean, r.sd, r.n) for r in rows} == {
        ("intervention", 12.0, 5.0, 40),
        ("control", 16.0, 6.0, 38),
    }
    row = rows[0]
    assert row.study == study.label
    assert row.comparison == "PIP vs TAU"
    assert row.outcome_domain == "Parental mental health"
    assert row.measure_abbreviation == "BDI"
    assert row.higher_is_better is False  # from the measure
    assert row.change_or_final == "final"
    assert "p. 5, table 2" in row.source


def test_differences_are_listed_and_resolved_without_touching_the_originals(
    study, bdi, post, extract, reviewer_a, reviewer_b, adjudicator
):
    a, b = _both(
        extract,
        study,
        bdi,
        post,
        reviewer_a,
        reviewer_b,
        answers={"country": "United Kingdom"},
        pip=(12.5, 5.0, 40),
    )
    _, _, rows = comparison_rows(study)
    differing = {r.label: (r.a_display, r.b_display) for r in rows if r.needs_resolution}
    assert differing == {"Country": ("UK", "United Kingdom"), "PIP: Mean": ("12", "12.5")}
    consensus = study.extractions.get(kind=Extraction.Kind.CONSENSUS)
    assert consensus.status == Extraction.Status.DRAFT
    assert consensus_outcome_data(study.review) == []

    keys = {r.label: r.key for r in rows if r.needs_resolution}
    consensus_resolve(actor=adjudicator, study=study, key=keys["Country"], choice="b")
    consensus = consensus_resolve(
        actor=adjudicator, study=study, key=keys["PIP: Mean"], choice="edit", value="12.25"
    )
    assert consensus.status == Extraction.Status.SUBMITTED
    intervention = next(
        r for r in consensus_outcome_data(study.review) if r.arm_role == "intervention"
    )
    assert intervention.mean == 12.25
    assert consensus_study_characteristics(study.review)[0]["country"] == "United Kingdom"
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.answers["country"] == "UK" and b.answers["country"] == "United Kingdom"
    assert a.results.get(arm__label="PIP").mean == 12.0
    assert AuditEvent.objects.filter(action="extraction.consensus.resolve").count() == 2


def test_only_the_adjudicator_resolves_unless_the_review_allows_extractors(
    study, bdi, post, extract, reviewer_a, reviewer_b, lead
):
    _both(extract, study, bdi, post, reviewer_a, reviewer_b, answers={"country": "France"})
    key = next(r.key for r in comparison_rows(study)[2] if r.needs_resolution)
    with pytest.raises(ExtractionError, match="Only the adjudicator"):
        consensus_resolve(actor=reviewer_a, study=study, key=key, choice="a")
    review_update_settings(
        actor=lead,
        review=study.review,
        changes={"extraction_resolver": "adjudicator_or_extractors"},
    )
    study.review.refresh_from_db()
    consensus = consensus_resolve(actor=reviewer_a, study=study, key=key, choice="a")
    assert consensus.answers["country"] == "UK"


def test_resolving_an_agreed_cell_is_refused(
    study, bdi, post, extract, reviewer_a, reviewer_b, adjudicator
):
    _both(extract, study, bdi, post, reviewer_a, reviewer_b, answers={"country": "France"})
    agreed = next(r.key for r in comparison_rows(study)[2] if not r.differs)
    with pytest.raises(ExtractionError, match=re.escape(MSG_NOT_A_DIFFERENCE)):
        consensus_resolve(actor=adjudicator, study=study, key=agreed, choice="a")


def test_an_edited_value_that_breaks_a_rule_is_refused_with_the_cell_named(
    study, bdi, post, extract, reviewer_a, reviewer_b, adjudicator
):
    _both(extract, study, bdi, post, reviewer_a, reviewer_b, pip=(12.0, 5.5, 40))
    key = next(r.key for r in comparison_rows(study)[2] if r.needs_resolution)
    with pytest.raises(ExtractionError, match="SD cannot be negative"):
        consensus_resolve(actor=adjudicator, study=study, key=key, choice="edit", value="-2")
    consensus = study.extractions.get(kind=Extraction.Kind.CONSENSUS)
    assert consensus.resolutions == {}


def test_not_reported_differs_from_empty(study, bdi, post, extract, reviewer_a, reviewer_b):
    _both(
        extract,
        study,
        bdi,
        post,
        reviewer_a,
        reviewer_b,
        answers={"allocation_method": dict(NOT_REPORTED)},
    )
    rows = comparison_rows(study)[2]
    row = next(r for r in rows if r.label == "Allocation method")
    assert (row.a_display, row.b_display) == ("", "Not reported")
    assert row.needs_resolution

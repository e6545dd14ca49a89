"""Overall risk per study and per outcome group from the consensus, by the lead's rule."""

import pytest

from reviewapp.services import review_update_settings
from riskofbias import defaults, selectors

from .conftest import group

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreed(review, judge, reviewer_a, reviewer_b):
    """Return ``agreed(study, levels)``: both assessors agree, so the consensus is complete."""

    def do(study, levels=None, default="low"):
        judge(reviewer_a, study, levels, default=default)
        judge(reviewer_b, study, levels, default=default)
        return study

    return do


def set_rule(review, lead, rule=None, keys=None):
    changes = {}
    if rule:
        changes[defaults.SETTING_OVERALL_RULE] = rule
    if keys:
        changes[defaults.SETTING_KEY_DOMAINS] = keys
    review_update_settings(actor=lead, review=review, changes=changes)
    review.refresh_from_db()


@pytest.mark.parametrize(
    ("levels", "expected"),
    [
        ({}, "low"),
        ({"sequence_generation": "high"}, "high"),
        ({"allocation_concealment": "unclear"}, "unclear"),
        ({"allocation_concealment": "unclear", "sequence_generation": "high"}, "high"),
        # non-key domains do not count under the default rule
        ({"blinding_participants_personnel": "high", "other_bias": "unclear"}, "low"),
        # a per-outcome key domain counts with its worst outcome group
        ({("incomplete_outcome_data", "Observer-rated outcomes"): "high"}, "high"),
        ({("incomplete_outcome_data", "Parent-report outcomes"): "unclear"}, "unclear"),
    ],
)
def test_default_rule_on_key_domains(review, make_study, agreed, levels, expected):
    study = agreed(make_study(), levels)
    assert selectors.overall_risk_by_study(review) == {study.pk: expected}


def test_per_outcome_group_verdict_uses_that_groups_judgement(review, make_study, agreed):
    study = agreed(make_study(), {("incomplete_outcome_data", "Observer-rated outcomes"): "high"})
    parent, observer = (
        group(review, "Parent-report outcomes"),
        group(review, "Observer-rated outcomes"),
    )
    assert selectors.overall_risk_by_study_and_group(review) == {
        (study.pk, parent.pk): "low",
        (study.pk, observer.pk): "high",
    }


def test_key_domains_are_a_review_setting(review, make_study, agreed, lead):
    study = agreed(make_study(), {"other_bias": "high"})
    assert selectors.overall_risk_by_study(review)[study.pk] == "low"
    set_rule(review, lead, keys=["other_bias"])
    assert selectors.overall_risk_by_study(review)[study.pk] == "high"


def test_all_domains_rule_counts_non_key_domains(review, make_study, agreed, lead):
    study = agreed(make_study(), {"selective_reporting": "unclear"})
    assert selectors.overall_risk_by_study(review)[study.pk] == "low"
    set_rule(review, lead, rule="all_domains")
    assert selectors.overall_risk_by_study(review)[study.pk] == "unclear"


def test_strict_rule_makes_unclear_high(review, make_study, agreed, lead):
    study = agreed(make_study(), {"sequence_generation": "unclear"})
    set_rule(review, lead, rule="key_domains_strict")
    assert selectors.overall_risk_by_study(review)[study.pk] == "high"
    assert "unclear" in selectors.overall_rule(review).description


def test_unknown_stored_rule_falls_back_to_the_default(review, lead):
    set_rule(review, lead, rule="gone")
    assert selectors.overall_rule(review).code == "key_domains"


def test_partial_consensus_is_left_out(review, make_study, judge, reviewer_a, reviewer_b, agreed):
    done = agreed(make_study("Done 2000"))
    partial = make_study("Partial 2001")
    judge(reviewer_a, partial, {"sequence_generation": "high"})
    judge(reviewer_b, partial, {"sequence_generation": "low"})
    assert selectors.overall_risk_by_study(review) == {done.pk: "low"}
    assert selectors.consensus_judgements(review).filter(study=partial).count() == 8
    assert set(selectors.complete_consensus(review)) == {done.pk}


def test_consensus_judgements_contract(review, make_study, agreed):
    study = agreed(make_study(), {"other_bias": "unclear"})
    rows = list(selectors.consensus_judgements(review))
    assert len(rows) == 9
    other = [r for r in rows if r.domain.key == "other_bias"][0]
    assert (other.study_id, other.level, other.outcome_group) == (study.pk, "unclear", None)

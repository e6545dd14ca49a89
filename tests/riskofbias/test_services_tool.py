"""The tool as data: the protocol's default, the settings, the outcome groups."""

import pytest

from reviewapp.models import AuditEvent
from riskofbias import defaults, errors, selectors
from riskofbias.errors import RobError
from riskofbias.models import OutcomeGroup, RobDomain, RobTool
from riskofbias.services import rob_settings_update, tool_install_default

from .conftest import group

pytestmark = pytest.mark.django_db


def test_default_tool_is_the_protocols(review, lead):
    tool = tool_install_default(actor=lead, review=review)
    keys = list(RobDomain.objects.filter(tool=tool).values_list("key", flat=True))
    assert keys == [
        "sequence_generation",
        "allocation_concealment",
        "blinding_participants_personnel",
        "blinding_outcome_assessment",
        "incomplete_outcome_data",
        "selective_reporting",
        "other_bias",
    ]
    assert tool.levels == ["low", "high", "unclear"]
    per_outcome = set(
        RobDomain.objects.filter(tool=tool, per_outcome_group=True).values_list("key", flat=True)
    )
    assert per_outcome == {"blinding_outcome_assessment", "incomplete_outcome_data"}
    other = RobDomain.objects.get(tool=tool, key="other_bias")
    assert any("baseline imbalance" in q for q in other.questions)
    assert any("contamination" in q for q in other.questions)
    assert [g.name for g in OutcomeGroup.objects.filter(review=review)] == defaults.OUTCOME_GROUPS


def test_install_is_idempotent_and_audited_once(review, lead):
    tool_install_default(actor=lead, review=review)
    tool_install_default(actor=lead, review=review)
    assert RobTool.objects.filter(review=review).count() == 1
    assert RobDomain.objects.filter(tool__review=review).count() == 7
    assert AuditEvent.objects.filter(review=review, action="riskofbias.tool.install").count() == 1


def test_cells_expand_per_outcome_domains_by_group(review, tool):
    names = [cell.name for cell in selectors.cells_for_review(review)]
    assert len(names) == 9
    assert "Blinding of outcome assessment (Parent-report outcomes)" in names
    assert "Incomplete outcome data (Observer-rated outcomes)" in names


def test_lead_changes_rule_key_domains_and_groups(review, tool, lead):
    rob_settings_update(
        actor=lead,
        review=review,
        rule="key_domains_strict",
        key_domains=["sequence_generation"],
        outcome_group_names=[
            "Parent-report outcomes",
            "Observer-rated outcomes",
            "Child self-report",
        ],
    )
    review.refresh_from_db()
    assert selectors.overall_rule(review).code == "key_domains_strict"
    assert selectors.key_domain_keys(review) == ["sequence_generation"]
    assert len(selectors.outcome_groups(review)) == 3
    assert AuditEvent.objects.filter(review=review, action="review.settings").exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"rule": "nonsense"}, "Unknown overall-risk rule"),
        ({"key_domains": []}, errors.KEY_DOMAINS_EMPTY),
        ({"key_domains": ["astrology"]}, "'astrology' is not a domain"),
        ({"outcome_group_names": ["  "]}, errors.OUTCOME_GROUPS_EMPTY),
    ],
)
def test_bad_settings_are_refused_and_nothing_changes(review, tool, lead, changes, message):
    arguments = {
        "rule": "key_domains",
        "key_domains": ["sequence_generation"],
        "outcome_group_names": ["Only group"],
        **changes,
    }
    with pytest.raises(RobError, match=message):
        rob_settings_update(actor=lead, review=review, **arguments)
    review.refresh_from_db()
    assert review.settings.get(defaults.SETTING_OVERALL_RULE) is None
    assert [g.name for g in selectors.outcome_groups(review)] == defaults.OUTCOME_GROUPS


def test_only_the_lead_changes_settings(review, tool, reviewer_a):
    with pytest.raises(RobError, match=errors.LEAD_ONLY):
        rob_settings_update(
            actor=reviewer_a,
            review=review,
            rule="all_domains",
            key_domains=["other_bias"],
            outcome_group_names=["x"],
        )


def test_outcome_group_with_judgements_cannot_be_removed(review, study, judge, reviewer_a, lead):
    judge(reviewer_a, study, complete=False)
    with pytest.raises(RobError, match="'Observer-rated outcomes' has judgements"):
        rob_settings_update(
            actor=lead,
            review=review,
            rule="key_domains",
            key_domains=["sequence_generation"],
            outcome_group_names=["Parent-report outcomes"],
        )
    assert group(review, "Observer-rated outcomes")

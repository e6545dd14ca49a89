"""The consensus: only over studies assessed twice, by the adjudicator, one per cell, audited."""

import pytest
from django.db import IntegrityError, transaction

from reviewapp.models import AuditEvent, Role
from reviewapp.services import membership_grant
from riskofbias import errors
from riskofbias.errors import RobError
from riskofbias.models import ConsensusJudgement, ConsensusSource
from riskofbias.services import consensus_resolve, consensus_seed_agreements

from .conftest import domain, group

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessed(review, study, judge, reviewer_a, reviewer_b):
    judge(reviewer_a, study, {"allocation_concealment": "unclear"})
    judge(reviewer_b, study, {"allocation_concealment": "high"})
    return study


def resolve(actor, review, study, key="allocation_concealment", **changes):
    arguments = {
        "actor": actor,
        "review": review,
        "study_id": study.pk,
        "domain_id": domain(review, key).pk,
        "outcome_group_id": None,
        "level": "high",
        "quote": "Allocation by the clinic secretary",
        "page": "3",
        "justification": "Allocation could be foreseen",
        **changes,
    }
    return consensus_resolve(**arguments)


def test_adjudicator_resolves_a_difference(review, assessed, adjudicator):
    consensus = resolve(adjudicator, review, assessed)
    assert consensus.source == ConsensusSource.ADJUDICATED
    assert consensus.decided_by == adjudicator
    assert ConsensusJudgement.objects.filter(study=assessed).count() == 9
    event = AuditEvent.objects.get(action="riskofbias.consensus.resolve")
    assert event.after["level"] == "high"
    assert event.before is None


def test_changing_a_consensus_is_audited_with_before_and_after(review, assessed, adjudicator):
    resolve(adjudicator, review, assessed, key="other_bias", level="unclear")
    event = AuditEvent.objects.filter(action="riskofbias.consensus.resolve").first()
    assert event.before == {"level": "low", "source": "agreement"}
    assert ConsensusJudgement.objects.filter(study=assessed).count() == 8


def test_consensus_over_a_study_assessed_once_is_refused(
    review, study, judge, reviewer_a, adjudicator
):
    judge(reviewer_a, study)
    with pytest.raises(RobError, match=r"Cohen 1999 has not been assessed twice yet \(1 of 2"):
        resolve(adjudicator, review, study)
    assert ConsensusJudgement.objects.count() == 0
    with pytest.raises(RobError, match="not been assessed twice"):
        consensus_seed_agreements(actor=adjudicator, review=review, study=study)


def test_consensus_needs_support(review, assessed, adjudicator):
    with pytest.raises(RobError, match="Allocation concealment: a judgement needs its support"):
        resolve(adjudicator, review, assessed, justification="")
    assert not ConsensusJudgement.objects.filter(
        study=assessed, domain=domain(review, "allocation_concealment")
    ).exists()


def test_consensus_level_must_be_the_tools(review, assessed, adjudicator):
    with pytest.raises(RobError, match="'probably low' is not a judgement"):
        resolve(adjudicator, review, assessed, level="probably low")


def test_reviewer_cannot_resolve(review, assessed, reviewer_a):
    with pytest.raises(RobError, match=errors.ADJUDICATOR_ROLE):
        resolve(reviewer_a, review, assessed)


def test_adjudicator_who_assessed_the_study_cannot_resolve_it(review, assessed, reviewer_a, lead):
    membership_grant(actor=lead, review=review, user=reviewer_a, role=Role.ADJUDICATOR)
    with pytest.raises(RobError, match="You assessed Cohen 1999 yourself"):
        resolve(reviewer_a, review, assessed)


def test_per_outcome_cell_needs_its_group(review, assessed, adjudicator):
    with pytest.raises(RobError, match="there is no domain"):
        resolve(adjudicator, review, assessed, key="incomplete_outcome_data")
    consensus = resolve(
        adjudicator,
        review,
        assessed,
        key="incomplete_outcome_data",
        outcome_group_id=group(review, "Observer-rated outcomes").pk,
    )
    assert consensus.outcome_group.name == "Observer-rated outcomes"


def test_agreement_support_joins_both_justifications(review, assessed):
    agreed = ConsensusJudgement.objects.get(study=assessed, domain=domain(review, "other_bias"))
    assert agreed.justification == "Judged low for Other bias"
    assert agreed.quote == "Randomised by other_bias"


def test_database_allows_one_consensus_per_study_and_cell(review, assessed):
    with pytest.raises(IntegrityError), transaction.atomic():
        ConsensusJudgement.objects.create(
            study=assessed,
            domain=domain(review, "other_bias"),
            level="high",
            nothing_reported=True,
            justification="again",
            source=ConsensusSource.ADJUDICATED,
        )
    g = group(review, "Parent-report outcomes")
    with pytest.raises(IntegrityError), transaction.atomic():
        ConsensusJudgement.objects.create(
            study=assessed,
            domain=domain(review, "incomplete_outcome_data"),
            outcome_group=g,
            level="high",
            nothing_reported=True,
            justification="again",
            source=ConsensusSource.ADJUDICATED,
        )

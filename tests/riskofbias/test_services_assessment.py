"""One assessor's judgements: support required, the tool's levels only, all or nothing."""

import dataclasses

import pytest
from django.db import IntegrityError, transaction

from reviewapp.models import AuditEvent, Role
from reviewapp.services import membership_grant
from riskofbias import errors
from riskofbias.errors import RobError
from riskofbias.models import AssessorAssignment, ConsensusJudgement, ConsensusSource, RobJudgement
from riskofbias.services import (
    assessment_reopen,
    assessors_assign,
    assessors_assign_defaults,
    judgements_save,
)

from .conftest import cell_entries, domain

pytestmark = pytest.mark.django_db


def test_default_assessors_are_the_reviewers(review, study, reviewer_a, reviewer_b):
    assessors = set(
        AssessorAssignment.objects.filter(study=study).values_list("assessor", flat=True)
    )
    assert assessors == {reviewer_a.pk, reviewer_b.pk}


def test_default_assignment_skips_studies_already_assigned(review, study, lead):
    assert assessors_assign_defaults(actor=lead, review=review) == 0
    assert AssessorAssignment.objects.filter(study=study).count() == 2


def test_assessor_saves_and_hands_in(review, study, judge, reviewer_a):
    assignment = judge(reviewer_a, study)
    assert assignment.completed_at is not None
    assert RobJudgement.objects.filter(assignment=assignment).count() == 9
    actions = set(AuditEvent.objects.filter(review=review).values_list("action", flat=True))
    assert {"riskofbias.judgements.save", "riskofbias.assessment.complete"} <= actions


def test_level_outside_the_tool_saves_nothing(review, study, reviewer_a, tool):
    tool.levels = ["low", "high"]
    tool.save()
    entries = cell_entries(review, {"other_bias": "unclear"})
    with pytest.raises(RobError, match=r"Cohen 1999, Other bias: 'unclear' is not a judgement"):
        judgements_save(actor=reviewer_a, review=review, study_id=study.pk, entries=entries)
    assert RobJudgement.objects.count() == 0


def test_unknown_level_is_refused(review, study, reviewer_a):
    entries = cell_entries(review, {"sequence_generation": "medium"})
    with pytest.raises(RobError, match="'medium' is not a judgement"):
        judgements_save(actor=reviewer_a, review=review, study_id=study.pk, entries=entries)
    assert RobJudgement.objects.count() == 0


@pytest.mark.parametrize(
    "change",
    [{"justification": "  "}, {"quote": ""}, {"page": ""}],
)
def test_missing_support_saves_nothing(review, study, reviewer_a, change):
    entries = cell_entries(review)
    entries[-1] = dataclasses.replace(entries[-1], **change)
    with pytest.raises(RobError, match=r"Cohen 1999, Other bias: a judgement needs its support"):
        judgements_save(actor=reviewer_a, review=review, study_id=study.pk, entries=entries)
    assert RobJudgement.objects.count() == 0
    assert not AuditEvent.objects.filter(action="riskofbias.judgements.save").exists()


def test_not_reported_stands_in_for_the_quote_but_not_the_justification(review, study, reviewer_a):
    entries = cell_entries(review)
    entries[0] = dataclasses.replace(entries[0], quote="", page="", nothing_reported=True)
    judgements_save(actor=reviewer_a, review=review, study_id=study.pk, entries=entries)
    assert RobJudgement.objects.get(domain=domain(review, "sequence_generation")).nothing_reported


def test_support_without_level_is_refused(review, study, reviewer_a):
    entries = cell_entries(review)
    entries[0] = dataclasses.replace(entries[0], level="")
    with pytest.raises(RobError, match="support was entered but no judgement"):
        judgements_save(actor=reviewer_a, review=review, study_id=study.pk, entries=entries)


def test_unassigned_assessor_is_refused(review, study, adjudicator):
    with pytest.raises(RobError, match=errors.ASSESSOR_NOT_ASSIGNED.format(study="Cohen 1999")):
        judgements_save(
            actor=adjudicator, review=review, study_id=study.pk, entries=cell_entries(review)
        )
    assert RobJudgement.objects.count() == 0


def test_study_of_another_review_is_refused(review, other_review, reviewer_a, tool):
    from extraction.models import Study

    foreign = Study.objects.create(review=other_review, label="Foreign 2001")
    with pytest.raises(RobError, match=f"Study {foreign.pk} is not part of this review"):
        judgements_save(actor=reviewer_a, review=review, study_id=foreign.pk, entries=[])


def test_handing_in_needs_every_cell(review, study, reviewer_a):
    entries = cell_entries(review)[:-1]
    with pytest.raises(RobError, match=r"missing: Other bias"):
        judgements_save(
            actor=reviewer_a, review=review, study_id=study.pk, entries=entries, complete=True
        )
    # the whole save rolls back with the refused hand-in
    assert RobJudgement.objects.count() == 0


def test_handed_in_assessment_is_locked_until_reopened(review, study, judge, reviewer_a):
    judge(reviewer_a, study)
    with pytest.raises(RobError, match="handed in"):
        judge(reviewer_a, study, complete=False)
    assessment_reopen(actor=reviewer_a, review=review, study_id=study.pk)
    judge(reviewer_a, study, {"other_bias": "high"}, complete=False)
    assert RobJudgement.objects.get(domain=domain(review, "other_bias")).level == "high"


def test_reopen_refused_after_both_handed_in(review, study, judge, reviewer_a, reviewer_b):
    judge(reviewer_a, study)
    judge(reviewer_b, study)
    with pytest.raises(RobError, match="both assessments are in"):
        assessment_reopen(actor=reviewer_a, review=review, study_id=study.pk)


def test_second_hand_in_makes_agreements_the_consensus(
    review, study, judge, reviewer_a, reviewer_b
):
    judge(reviewer_a, study, {"allocation_concealment": "unclear"})
    assert ConsensusJudgement.objects.count() == 0
    judge(reviewer_b, study, {"allocation_concealment": "high"})
    consensus = ConsensusJudgement.objects.filter(study=study)
    assert consensus.count() == 8
    assert set(consensus.values_list("source", flat=True)) == {ConsensusSource.AGREEMENT}
    assert not consensus.filter(domain=domain(review, "allocation_concealment")).exists()
    assert AuditEvent.objects.filter(action="riskofbias.consensus.agreements").count() == 1


def test_lead_reassigns_two_members(review, study, lead, adjudicator, reviewer_a):
    assessors_assign(
        actor=lead, review=review, study_id=study.pk, assessor_ids=[reviewer_a.pk, adjudicator.pk]
    )
    assessors = set(
        AssessorAssignment.objects.filter(study=study).values_list("assessor", flat=True)
    )
    assert assessors == {reviewer_a.pk, adjudicator.pk}
    assert AuditEvent.objects.filter(action="riskofbias.assessors.assign").exists()


def test_assessors_must_be_two_members(review, study, lead, reviewer_a, outsider):
    with pytest.raises(RobError, match="exactly two different assessors"):
        assessors_assign(actor=lead, review=review, study_id=study.pk, assessor_ids=[reviewer_a.pk])
    with pytest.raises(RobError, match="outsider is not a reviewer"):
        assessors_assign(
            actor=lead, review=review, study_id=study.pk, assessor_ids=[reviewer_a.pk, outsider.pk]
        )


def test_assessor_with_judgements_is_not_taken_away(
    review, study, judge, lead, reviewer_a, reviewer_b, adjudicator
):
    judge(reviewer_b, study, complete=False)
    with pytest.raises(RobError, match="jb has already judged Cohen 1999"):
        assessors_assign(
            actor=lead,
            review=review,
            study_id=study.pk,
            assessor_ids=[reviewer_a.pk, adjudicator.pk],
        )
    assert AssessorAssignment.objects.filter(study=study, assessor=reviewer_b).exists()


def test_only_lead_assigns(review, study, reviewer_a, reviewer_b):
    with pytest.raises(RobError, match=errors.LEAD_ONLY):
        assessors_assign(
            actor=reviewer_a,
            review=review,
            study_id=study.pk,
            assessor_ids=[reviewer_a.pk, reviewer_b.pk],
        )


def test_fewer_than_two_reviewers_assigns_nothing(make_user, lead, tool, review):
    from extraction.models import Study
    from reviewapp.services import review_create

    solo = review_create(actor=lead, title="Solo", slug="solo")
    membership_grant(actor=lead, review=solo, user=make_user("only"), role=Role.REVIEWER)
    Study.objects.create(review=solo, label="Alone 2000")
    assert assessors_assign_defaults(actor=lead, review=solo) == 0


def test_database_refuses_a_judgement_without_support(review, study, reviewer_a):
    assignment = AssessorAssignment.objects.get(study=study, assessor=reviewer_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        RobJudgement.objects.create(
            assignment=assignment,
            domain=domain(review, "other_bias"),
            level="low",
            quote="q",
            page="1",
            justification="",
        )


def test_database_refuses_a_second_judgement_of_a_cell(review, study, reviewer_a):
    assignment = AssessorAssignment.objects.get(study=study, assessor=reviewer_a)
    fields = {
        "assignment": assignment,
        "domain": domain(review, "other_bias"),
        "level": "low",
        "nothing_reported": True,
        "justification": "none",
    }
    RobJudgement.objects.create(**fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        RobJudgement.objects.create(**fields)


def test_database_refuses_an_unknown_level(review, study, reviewer_a):
    assignment = AssessorAssignment.objects.get(study=study, assessor=reviewer_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        RobJudgement.objects.create(
            assignment=assignment,
            domain=domain(review, "other_bias"),
            level="medium",
            nothing_reported=True,
            justification="j",
        )

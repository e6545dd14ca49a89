"""Studies, drafts and the database's own guards on extraction data."""

import re

import pytest
from django.db import IntegrityError, transaction

from extraction.models import Arm, Extraction, OutcomeResult, Study
from extraction.selectors import consensus_outcome_data, consensus_study_characteristics
from extraction.services import (
    ExtractionError,
    ExtractionFieldErrors,
    arm_delete,
    arm_save,
    comparison_save,
    consensus_resolve,
    extraction_save_answers,
    extraction_start,
    extraction_submit,
    result_save,
    study_assign_extractors,
    study_create_from_records,
)
from extraction.services.errors import (
    MSG_ALREADY_SUBMITTED,
    MSG_COMPARISON_OVERLAP,
    MSG_EXTRACTORS_COUNT,
    MSG_NO_ARMS,
    MSG_NOT_ASSIGNED,
    MSG_NOT_YOUR_EXTRACTION,
    MSG_RECORD_IN_STUDY,
)
from reviewapp.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_a_study_gets_a_citation_label_and_two_extractors(
    form_review, lead, make_records, reviewer_a, reviewer_b
):
    records = make_records(form_review, 3, authors=["Cohen, N."])
    first = study_create_from_records(
        actor=lead, review=form_review, records=records[:2], require_included=False
    )
    assert first.label == "Cohen 2000"
    assert set(first.reports.all()) == set(records[:2])
    assert {a.user for a in first.assignments.all()} == {reviewer_a, reviewer_b}
    with pytest.raises(ExtractionError, match="already belongs to study Cohen 2000"):
        study_create_from_records(
            actor=lead, review=form_review, records=records[1:2], require_included=False
        )
    assert MSG_RECORD_IN_STUDY.startswith("Report")
    assert AuditEvent.objects.filter(action="extraction.study.create").count() == 1


def test_default_extractors_are_the_full_text_screeners(
    form_review, lead, make_records, make_user, reviewer_b
):
    from reviewapp.models import Role
    from reviewapp.services import membership_grant
    from screening.models import ItemStatus, ScreeningDecision, ScreeningItem, Stage

    third = make_user("third")
    membership_grant(actor=lead, review=form_review, user=third, role=Role.REVIEWER)
    (record,) = make_records(form_review, 1)
    item = ScreeningItem.objects.create(
        review=form_review,
        record=record,
        stage=Stage.FULL_TEXT,
        status=ItemStatus.INCLUDED,
        final_verdict="include",
    )
    for user in (reviewer_b, third):
        ScreeningDecision.objects.create(
            review=form_review,
            item=item,
            record=record,
            stage=Stage.FULL_TEXT,
            reviewer=user,
            verdict="include",
        )
    study = study_create_from_records(actor=lead, review=form_review, records=[record])
    assert {a.user.username for a in study.assignments.all()} == {"jb", "third"}


def test_extractors_are_two_reviewers(study, lead, reviewer_a, adjudicator):
    with pytest.raises(ExtractionError, match=re.escape(MSG_EXTRACTORS_COUNT.format(count=1))):
        study_assign_extractors(actor=lead, study=study, users=[reviewer_a])
    with pytest.raises(ExtractionError, match="nm is not a reviewer"):
        study_assign_extractors(actor=lead, study=study, users=[reviewer_a, adjudicator])


def test_only_the_assigned_extractor_edits_and_only_while_drafting(
    study, bdi, post, extract, reviewer_a, reviewer_b, adjudicator
):
    with pytest.raises(
        ExtractionError, match=re.escape(MSG_NOT_ASSIGNED.format(study=study.label))
    ):
        extraction_start(actor=adjudicator, study=study)
    a = extract(reviewer_a, study, bdi, post)
    with pytest.raises(ExtractionError, match=re.escape(MSG_NOT_YOUR_EXTRACTION)):
        extraction_save_answers(actor=reviewer_b, extraction=a, answers={"country": "X"})
    extraction_submit(actor=reviewer_a, extraction=a)
    with pytest.raises(ExtractionError, match=re.escape(MSG_ALREADY_SUBMITTED)):
        extraction_save_answers(actor=reviewer_a, extraction=a, answers={"country": "X"})
    with pytest.raises(ExtractionError, match=re.escape(MSG_ALREADY_SUBMITTED)):
        arm_save(actor=reviewer_a, extraction=a, label="Third")


def test_submission_needs_two_arms(study, reviewer_a):
    from tests.extraction.conftest import ANSWERS

    extraction = extraction_start(actor=reviewer_a, study=study)
    extraction_save_answers(actor=reviewer_a, extraction=extraction, answers=ANSWERS)
    with pytest.raises(ExtractionError, match=re.escape(MSG_NO_ARMS)):
        extraction_submit(actor=reviewer_a, extraction=extraction)


def test_answers_are_checked_against_the_form(study, reviewer_a):
    extraction = extraction_start(actor=reviewer_a, study=study)
    with pytest.raises(ExtractionFieldErrors) as error:
        extraction_save_answers(
            actor=reviewer_a,
            extraction=extraction,
            answers={"design": "Cohort", "sessions": "12.5", "nonsense": "1"},
        )
    assert set(error.value.errors) == {"design", "sessions", "nonsense"}
    extraction_save_answers(
        actor=reviewer_a,
        extraction=extraction,
        answers={"comparator_type": "Waiting list", "sessions": "12"},
    )
    extraction.refresh_from_db()
    assert extraction.answers == {"comparator_type": "Waiting list", "sessions": 12}


def test_an_arm_cannot_be_on_both_sides_and_arms_with_numbers_stay(
    study, bdi, post, extract, reviewer_a
):
    extraction = extract(reviewer_a, study, bdi, post)
    pip = extraction.arms.get(label="PIP")
    with pytest.raises(
        ExtractionError, match=re.escape(MSG_COMPARISON_OVERLAP.format(label="PIP"))
    ):
        comparison_save(
            actor=reviewer_a, extraction=extraction, label="x", intervention=[pip], control=[pip]
        )
    with pytest.raises(ExtractionError, match="has outcome data"):
        arm_delete(actor=reviewer_a, arm=pip)
    with pytest.raises(ExtractionFieldErrors) as error:
        arm_save(actor=reviewer_a, extraction=extraction, label="PIP", n_randomised=30, arm=pip)
    assert "N (40) is larger than the 30 randomised to PIP" in error.value.errors["n_randomised"]


@pytest.mark.parametrize(
    ("model_kwargs", "constraint"),
    [
        ({"events": 5, "n": 4}, "extraction_result_events_within_n"),
        ({"sd": -1.0}, "extraction_result_sd_not_negative"),
        ({"n": 0}, "extraction_result_n_positive"),
    ],
)
def test_the_database_refuses_impossible_numbers(
    study, bdi, post, reviewer_a, model_kwargs, constraint
):
    extraction = extraction_start(actor=reviewer_a, study=study)
    arm = Arm.objects.create(extraction=extraction, label="PIP")
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        OutcomeResult.objects.create(
            extraction=extraction, arm=arm, measure=bdi, time_point=post, **model_kwargs
        )


def test_one_extraction_per_extractor_and_one_consensus_per_study(study, reviewer_a):
    extraction_start(actor=reviewer_a, study=study)
    with pytest.raises(IntegrityError), transaction.atomic():
        Extraction.objects.create(study=study, extractor=reviewer_a)
    Extraction.objects.create(study=study, kind="consensus")
    with pytest.raises(IntegrityError), transaction.atomic():
        Extraction.objects.create(study=study, kind="consensus")
    with pytest.raises(IntegrityError), transaction.atomic():
        Extraction.objects.create(study=study, kind="consensus", extractor=reviewer_a)


def _three_arm(user, study, measure, time_point, numbers_by_arm, combine=True):
    extraction = extraction_start(actor=user, study=study)
    from tests.extraction.conftest import ANSWERS

    extraction_save_answers(actor=user, extraction=extraction, answers=ANSWERS)
    arms = {
        label: arm_save(actor=user, extraction=extraction, label=label, n_randomised=120)
        for label in numbers_by_arm
    }
    comparison_save(
        actor=user,
        extraction=extraction,
        label="PIP vs control",
        intervention=[arms["PIP-home"], arms["PIP-clinic"]] if combine else [arms["PIP-home"]],
        control=[arms["Control"]],
    )
    for label, numbers in numbers_by_arm.items():
        result_save(
            actor=user,
            extraction=extraction,
            arm=arms[label],
            measure=measure,
            time_point=time_point,
            data_type="continuous",
            change_or_final="change",
            higher_is_better=True,
            numbers=numbers,
        )
    extraction_submit(actor=user, extraction=extraction)


def test_consensus_rows_combine_arms_and_derive_sd(study, bdi, post, reviewer_a, reviewer_b):
    numbers = {
        "PIP-home": {"mean": 5.0, "se": 0.5, "n": 25},
        "PIP-clinic": {"mean": 6.0, "ci_lower": 4.0, "ci_upper": 8.0, "n": 100},
        "Control": {"mean": 2.0, "sd": 4.0, "n": 50},
    }
    for user in (reviewer_a, reviewer_b):
        _three_arm(user, study, bdi, post, numbers)
    rows = {r.arm_role: r for r in consensus_outcome_data(study.review)}
    intervention, control = rows["intervention"], rows["control"]
    assert intervention.arm == "PIP-clinic + PIP-home"
    assert intervention.arms_combined == 2 and intervention.n == 125
    assert intervention.mean == pytest.approx((25 * 5 + 100 * 6) / 125)
    assert intervention.sd_derived_from == "combined"
    assert control.sd == 4.0 and control.sd_derived_from == "reported"
    assert intervention.higher_is_better is True  # the extraction overrides the measure
    assert intervention.change_or_final == "change"


def test_sd_from_t_reaches_both_arms(study, bdi, post, reviewer_a, reviewer_b):
    numbers = {
        "PIP-home": {"mean": 10.0, "n": 50, "t_value": 2.0},
        "PIP-clinic": {"mean": 11.0, "n": 50},
        "Control": {"mean": 7.0, "n": 50},
    }
    for user in (reviewer_a, reviewer_b):
        _three_arm(user, study, bdi, post, numbers, combine=False)
    rows = {r.arm_role: r for r in consensus_outcome_data(study.review) if r.comparison}
    assert rows["intervention"].sd == pytest.approx(7.5)
    assert rows["control"].sd == pytest.approx(7.5)
    assert rows["control"].sd_derived_from == "t"
    orphan = [r for r in consensus_outcome_data(study.review) if not r.comparison]
    assert [(r.arm, r.arm_role) for r in orphan] == [("PIP-clinic", "")]


def test_characteristics_carry_design_flags(
    study, bdi, post, extract, reviewer_a, reviewer_b, adjudicator
):
    a = extract(reviewer_a, study, bdi, post, answers={"design": "Quasi-RCT"})
    b = extract(reviewer_b, study, bdi, post, answers={"design": "RCT"})
    extraction_submit(actor=reviewer_a, extraction=a)
    extraction_submit(actor=reviewer_b, extraction=b)
    assert consensus_study_characteristics(study.review) == []
    key = '["field", "design"]'
    consensus_resolve(actor=adjudicator, study=study, key=key, choice="a")
    (row,) = consensus_study_characteristics(study.review)
    assert row["design"] == "Quasi-RCT" and row["is_quasi_rct"] is True
    assert row["is_cluster_rct"] is False
    assert row["infant_age_months"] == 6.5 and row["duration_weeks"] == 20.0
    assert row["comparator_type"] == "Treatment as usual" and row["comparator_is_active"] is False
    assert row["parent_problems"] == ["Depression", "Anxiety"]
    assert row["reports"] == [r.pk for r in study.reports.all()]
    assert Study.objects.get(pk=study.pk).extractions.count() == 3


def test_a_replaced_extractor_drops_out_of_the_comparison(
    study, bdi, post, extract, lead, reviewer_a, reviewer_b, make_user
):
    from extraction.selectors import comparison_rows
    from reviewapp.models import Role
    from reviewapp.services import membership_grant

    third = make_user("third")
    membership_grant(actor=lead, review=study.review, user=third, role=Role.REVIEWER)
    extract(reviewer_a, study, bdi, post)  # a draft, then reassigned away
    study_assign_extractors(actor=lead, study=study, users=[reviewer_b, third])
    for user in (reviewer_b, third):
        extraction_submit(actor=user, extraction=extract(user, study, bdi, post))
    a, b, _rows = comparison_rows(study)
    assert {a.extractor, b.extractor} == {reviewer_b, third}
    with pytest.raises(ExtractionError, match="can no longer change"):
        study_assign_extractors(actor=lead, study=study, users=[reviewer_a, reviewer_b])

"""Sensitivity and subgroup analyses fed by the risk-of-bias consensus and the extraction form."""

import pytest

from analysis.models import Analysis
from analysis.services.options import analysis_update
from analysis.services.proposal import analyses_propose, comparisons_install_defaults

pytestmark = pytest.mark.django_db


def _judge_all(review, lead, levels_by_study):
    """Give every study a complete risk-of-bias consensus; ``levels_by_study`` overrides domains."""
    from extraction.models import Study
    from riskofbias.models import ConsensusJudgement
    from riskofbias.selectors import cells_for_review
    from riskofbias.services import tool_install_default

    tool_install_default(actor=lead, review=review)
    for study in Study.objects.filter(review=review):
        for cell in cells_for_review(review):
            level = levels_by_study.get(study.label, {}).get(cell.domain.key, "low")
            ConsensusJudgement.objects.create(
                study=study,
                domain=cell.domain,
                outcome_group=cell.group,
                level=level,
                nothing_reported=True,
                justification="Test judgement.",
                source="agreement",
            )


@pytest.fixture
def md(consensus_review, lead):
    comparisons_install_defaults(actor=lead, review=consensus_review)
    analyses_propose(actor=lead, review=consensus_review)
    return Analysis.objects.get(review=consensus_review, effect_measure="MD")


def test_overall_and_domain_risk_drive_the_sensitivity_analyses(
    consensus_review, lead, md, run_now
):
    _judge_all(
        consensus_review,
        lead,
        {
            "Cohen 1999": {"sequence_generation": "high"},
            "Fonagy 2016": {"allocation_concealment": "unclear"},
            "Salomonsson 2011": {"blinding_outcome_assessment": "high"},
        },
    )
    analysis_update(
        actor=lead, analysis=md, options={"sensitivity_rob_domain": "sequence_generation"}
    )
    run_now(consensus_review)
    md.refresh_from_db()
    snapshot, result = md.current_run.input_snapshot, md.current_run.result
    risk = {s["study"]: s["risk_of_bias"] for s in snapshot["studies"]}
    assert risk["Cohen 1999"] == "high" and risk["Fonagy 2016"] == "unclear"
    sens = result["sensitivity"]
    assert sens["no_high_rob"]["dropped"] == ["Cohen 1999"]
    assert set(sens["low_rob_only"]["dropped"]) == {"Cohen 1999", "Fonagy 2016"}
    assert sens["no_high_on_domain"]["label"] == (
        "Excluding studies at high risk of bias on Random sequence generation"
    )
    assert sens["no_high_on_domain"]["dropped"] == ["Cohen 1999"]
    assert sens["no_high_on_domain"]["result"]["k"] == 4


def test_lead_adds_a_subgroup_by_another_characteristic(consensus_review, lead, md, run_now):
    analysis_update(actor=lead, analysis=md, options={"extra_subgroup": "design"})
    run_now(consensus_review)
    md.refresh_from_db()
    extra = md.current_run.result["subgroups"]["extra"]
    assert {g["name"]: g["k"] for g in extra["subgroups"]} == {"RCT": 4, "Quasi-RCT": 1}
    assert extra["test"]["df"] == 1

import re

import pytest
from django.db import IntegrityError, transaction

from analysis.engine import StudyData, engine_version, meta_analyze
from analysis.models import Analysis, AnalysisRun
from analysis.services import AnalysisError
from analysis.services.errors import MSG_EXCLUSION_NEEDS_REASON, MSG_NO_ANALYSES
from analysis.services.options import analysis_update
from analysis.services.proposal import analyses_propose, comparisons_install_defaults
from analysis.services.runs import analyses_compute, analyses_run
from reviewapp.models import Job
from tests.analysis.conftest import BDI_STUDIES

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposed(consensus_review, lead):
    comparisons_install_defaults(actor=lead, review=consensus_review)
    analyses_propose(actor=lead, review=consensus_review)
    return consensus_review


def _md(review):
    return Analysis.objects.get(review=review, effect_measure="MD")


def test_run_computes_every_analysis_with_inputs_hash_and_engine_version(proposed, lead, run_now):
    job = run_now(proposed)
    assert job.status == Job.Status.DONE, job.error
    assert job.result == {"computed": 2, "reused": 0, "failed": 0}
    assert (job.progress_done, job.progress_total) == (2, 2)
    run = _md(proposed).current_run
    assert run.status == "ok" and len(run.input_hash) == 64
    assert run.engine_version == engine_version()
    assert [s["study"] for s in run.input_snapshot["studies"]] == sorted(s[0] for s in BDI_STUDIES)
    # Both models are stored, and they are the engine's numbers for the snapshot's data.
    studies = [
        StudyData(
            study=s[0],
            mean_e=s[1][0],
            sd_e=s[1][1],
            n_e=s[1][2],
            mean_c=s[2][0],
            sd_c=s[2][1],
            n_c=s[2][2],
        )
        for s in sorted(BDI_STUDIES)
    ]
    for model in ("fixed", "random"):
        expected = meta_analyze(studies, measure="MD", model=model, tau2_method="REML")
        assert run.result[model]["pooled"]["estimate"] == pytest.approx(
            expected["pooled"]["estimate"], rel=1e-12
        )
    assert run.result["presented"] == "random"


def test_rerun_reuses_unchanged_results_and_recomputes_what_changed(proposed, lead, run_now):
    run_now(proposed)
    first = _md(proposed).current_run
    job = run_now(proposed)
    assert job.result == {"computed": 0, "reused": 2, "failed": 0}
    assert _md(proposed).current_run == first
    analysis_update(actor=lead, analysis=_md(proposed), options={"tau2_method": "DL"})
    job = run_now(proposed)
    assert job.result == {"computed": 1, "reused": 1, "failed": 0}
    assert _md(proposed).current_run.input_hash != first.input_hash
    assert AnalysisRun.objects.filter(analysis=_md(proposed)).count() == 2


def test_a_redelivered_job_never_duplicates_a_result(proposed, lead, run_now):
    job = run_now(proposed)
    # The worker died after writing the results but before the job was marked done.
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING)
    job.refresh_from_db()
    analyses_compute(job=job)
    assert AnalysisRun.objects.filter(analysis__review=proposed).count() == 2
    run = _md(proposed).current_run
    with pytest.raises(IntegrityError), transaction.atomic():
        AnalysisRun.objects.create(
            analysis=run.analysis,
            status="ok",
            input_hash=run.input_hash,
            input_snapshot={},
            engine_version="x",
            computed_at=run.computed_at,
            result={},
        )


def test_a_failed_analysis_says_why(proposed, lead, run_now):
    md = _md(proposed)
    run_now(proposed)
    ids = [s["study_id"] for s in _md(proposed).current_run.input_snapshot["studies"]]
    analysis_update(
        actor=lead,
        analysis=md,
        options={},
        excluded_studies={str(i): "Wrong population" for i in ids[:4]},
    )
    run_now(proposed)
    run = _md(proposed).current_run
    assert run.status == "failed"
    assert "At least two studies" in run.error and run.result is None
    assert len(run.input_snapshot["excluded"]) == 4


def test_exclusion_needs_a_reason(proposed, lead):
    with pytest.raises(AnalysisError, match=MSG_EXCLUSION_NEEDS_REASON.format(study="7")):
        analysis_update(actor=lead, analysis=_md(proposed), options={}, excluded_studies={"7": " "})


def test_measure_must_fit_the_data(proposed, lead):
    rr = Analysis.objects.get(review=proposed, effect_measure="RR")
    with pytest.raises(AnalysisError, match="MD does not fit dichotomous"):
        analysis_update(actor=lead, analysis=rr, options={"effect_measure": "MD"})


def test_run_without_analyses_is_refused(review, lead):
    with pytest.raises(AnalysisError, match=MSG_NO_ANALYSES):
        analyses_run(actor=lead, review=review)


def test_sensitivity_drops_the_quasi_randomised_trial_and_subgroups_are_tested(
    proposed, lead, run_now
):
    run_now(proposed)
    result = _md(proposed).current_run.result
    quasi = result["sensitivity"]["no_quasi"]
    assert quasi["dropped"] == ["Robert-Tissot 1996"] and quasi["k"] == 4
    assert quasi["result"]["k"] == 4
    age = result["subgroups"]["infant_age_band"]
    assert {g["name"] for g in age["subgroups"]} == {
        "Under 6 months",
        "6 to 12 months",
        "12 months or older",
    }
    assert age["test"]["df"] == 2
    assert result["meta_regression"]["k"] == 5 and "slope" in result["meta_regression"]
    # Without consensus risk-of-bias judgements every study counts as unclear.
    assert result["sensitivity"]["low_rob_only"]["note"].startswith("Fewer than two")


def test_meta_analyze_rejects_too_few_studies():
    from analysis.engine import EngineError

    with pytest.raises(EngineError):
        meta_analyze(
            [StudyData("A", n_e=10, n_c=10, mean_e=1, sd_e=1, mean_c=0, sd_c=1)],
            measure="MD",
            model="random",
        )


def test_a_study_on_another_instrument_is_named_and_smd_takes_it_in(proposed, lead, run_now):
    from analysis.services.errors import MSG_MD_NEEDS_ONE_INSTRUMENT
    from tests.analysis.conftest import add_study

    add_study(
        proposed,
        "Other 2020",
        results=[("BAI", "Post-intervention", "continuous", (8, 4, 30), (10, 4, 30))],
    )
    run_now(proposed)
    md = _md(proposed)
    assert md.current_run.input_snapshot["problems"] == [
        "Other 2020: measured this outcome with another instrument; it is left out "
        "(switch the analysis to SMD to include it)."
    ]
    analysis_update(actor=lead, analysis=md, options={"effect_measure": "SMD"})
    run_now(proposed)
    md.refresh_from_db()
    assert md.measure is None
    assert md.current_run.result["random"]["k"] == 6
    with pytest.raises(AnalysisError, match=re.escape(MSG_MD_NEEDS_ONE_INSTRUMENT)):
        analysis_update(actor=lead, analysis=md, options={"effect_measure": "MD"})

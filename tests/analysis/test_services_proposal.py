import pytest

from analysis.inputs import OutcomeRow, outcome_rows, study_traits
from analysis.models import Analysis, Comparison
from analysis.services import AnalysisError
from analysis.services.errors import MSG_NO_COMPARISONS, MSG_NO_DATA
from analysis.services.proposal import analyses_propose, comparisons_install_defaults, proposals
from reviewapp.models import AuditEvent, Measure, OutcomeDomain, TimePoint

pytestmark = pytest.mark.django_db


def test_default_comparisons_follow_the_protocol_and_are_idempotent(review, lead):
    first = comparisons_install_defaults(actor=lead, review=review)
    again = comparisons_install_defaults(actor=lead, review=review)
    assert [c.pk for c in first] == [c.pk for c in again]
    control, active = first
    assert {t.name for t in control.comparator_types.all()} == {
        "Waiting list",
        "No treatment",
        "Treatment as usual",
        "Placebo",
    }
    assert {t.name for t in active.comparator_types.all()} == {"Other active therapy"}


def test_consensus_rows_reach_the_analysis_app(consensus_review):
    rows = outcome_rows(consensus_review)
    assert len(rows) == 5 * 2 * 2  # five studies × two outcomes × two arms
    bdi = [r for r in rows if r.study == "Cohen 1999" and r.data_type == "continuous"]
    assert {(r.role, r.mean, r.sd, r.n) for r in bdi} == {
        ("intervention", 12.1, 6.0, 30),
        ("control", 15.3, 6.5, 31),
    }
    assert bdi[0].higher_is_better is False  # from the measure, as the row leaves it unknown
    traits = study_traits(consensus_review)
    assert sum(t.quasi_randomised for t in traits.values()) == 1


def test_propose_makes_one_analysis_per_comparison_outcome_time_point(consensus_review, lead):
    comparisons_install_defaults(actor=lead, review=consensus_review)
    created = analyses_propose(actor=lead, review=consensus_review)
    assert len(created) == 2
    by_type = {a.data_type: a for a in created}
    md = by_type["continuous"]
    assert (md.effect_measure, md.model, md.tau2_method, md.hksj) == ("MD", "random", "REML", False)
    assert md.measure.abbreviation == "BDI"
    # Lower BDI is better, so the intervention's side is on the left.
    assert md.favours_left == "Favours parent-infant psychotherapy"
    assert by_type["dichotomous"].effect_measure == "RR"
    assert (
        analyses_propose(actor=lead, review=consensus_review) == []
    )  # nothing new the second time
    assert (
        AuditEvent.objects.filter(review=consensus_review, action="analysis.propose").count() == 2
    )


def test_propose_needs_comparisons_and_data(review, lead):
    with pytest.raises(AnalysisError, match=MSG_NO_COMPARISONS):
        analyses_propose(actor=lead, review=review)
    comparisons_install_defaults(actor=lead, review=review)
    with pytest.raises(AnalysisError, match=MSG_NO_DATA):
        analyses_propose(actor=lead, review=review)
    assert not Analysis.objects.filter(review=review).exists()


def _row(study_id, measure, role, **kw):
    return OutcomeRow(
        study_id=study_id,
        study=f"S{study_id}",
        comparison="PIP vs waiting list",
        role=role,
        domain_id=kw.pop("domain"),
        measure_id=measure.pk,
        time_point_id=kw.pop("time"),
        data_type="continuous",
        n=20,
        mean=1.0,
        sd=1.0,
        higher_is_better=measure.higher_is_better,
        comparator_type="Waiting list",
        **kw,
    )


def test_smd_when_studies_use_different_instruments(review, lead):
    comparisons_install_defaults(actor=lead, review=review)
    domain = OutcomeDomain.objects.get(review=review, name="Parent-infant interaction")
    care, eas = (Measure.objects.get(review=review, abbreviation=a) for a in ("CARE-Index", "EAS"))
    time = TimePoint.objects.get(review=review, name="12 months").pk
    rows = [
        _row(1, care, role, domain=domain.pk, time=time) for role in ("intervention", "control")
    ] + [_row(2, eas, role, domain=domain.pk, time=time) for role in ("intervention", "control")]
    (proposal,) = proposals(review, rows)
    assert proposal["effect_measure"] == "SMD"
    assert proposal["measure_id"] is None
    assert proposal["comparison"] == Comparison.objects.get(review=review, order=0)
    assert proposal["favours_right"] == "Favours parent-infant psychotherapy"

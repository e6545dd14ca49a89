"""Compare every method with metafor on the pinned reference numbers (make_fixtures.R).

Named tolerances per quantity, as metafor's own tests do: everything closed-form agrees to
rounding; iterative tau² estimates were converged to 1e-11 in R, so tau² gets an absolute
floor for estimates that sit on the zero boundary.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from analysis.stats import meta_analysis
from tests.analysis.stats.reference import case_id, dataset, reference, study_data

REL = 1e-6  # relative tolerance for all reported quantities
ABS_NEAR_ZERO = 1e-10  # estimates (e.g. RD, slopes) that are essentially zero
ABS_TAU2 = 1e-9  # REML in R stops at |Δtau²| < 1e-11; boundary solutions approach zero from above
ABS_P = 1e-12  # p-values far in the tail
ABS_I2 = 1e-6  # I² bounds in percent derived from tau² bounds

CASES = reference()["cases"]


def close(actual, expected, *, rel=REL, abs_=ABS_NEAR_ZERO, what=""):
    if expected is None:
        assert actual is None, f"{what}: expected null, got {actual}"
        return
    assert actual is not None, f"{what}: expected {expected}, got null"
    assert math.isclose(actual, expected, rel_tol=rel, abs_tol=abs_), (
        f"{what}: {actual} != {expected}"
    )


def run(case: dict):
    columns = dataset(case["dataset"])
    return meta_analysis(
        study_data(case["dataset"]),
        measure=case["measure"],
        model=case["model"],
        method=case["method"],
        tau2=case["tau2"] if case["model"] == "random" else None,
        hksj=case["hksj"],
        subgroup=columns[case["subgroup"]] if case.get("subgroup") else None,
        moderator=columns[case["moderator"]] if case.get("moderator") else None,
        moderator_name=case.get("moderator") or "moderator",
    )


@pytest.fixture(scope="module")
def results():
    return {case_id(case): run(case).to_dict() for case in CASES}


def test_fixture_records_its_provenance():
    ref = reference()
    assert ref["metafor_version"] and ref["r_version"].startswith("R version")
    assert ref["z_975"] == pytest.approx(1.959963984540054, rel=1e-15)
    assert len(CASES) >= 100


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_study_effects_and_weights(case, results):
    out = results[case_id(case)]
    expected = case["expected"]
    studies = out["studies"]
    if case["method"] != "PETO":
        for study, yi, vi in zip(studies, expected["study_yi"], expected["study_vi"], strict=True):
            if yi is None:
                assert study["yi"] is None and study["weight"] is None, study["study"]
                continue
            close(study["yi"], yi, what=f"{study['study']} yi")
            close(study["se"], math.sqrt(vi), what=f"{study['study']} se")
    else:
        estimable = [s for s in studies if s["yi"] is not None]
        close_all(
            [s["yi"] for s in estimable],
            [y for y in expected["study_yi"] if y is not None],
            "Peto yi",
        )
    weights = [s["weight"] for s in studies if s["weight"] is not None]
    close_all(weights, expected["weights"], "weights")
    assert sum(weights) == pytest.approx(100, rel=1e-12)


def close_all(actual, expected, what):
    assert len(actual) == len(expected), what
    np.testing.assert_allclose(actual, expected, rtol=REL, atol=ABS_NEAR_ZERO, err_msg=what)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_pooled_estimate(case, results):
    out, expected = results[case_id(case)]["pooled"], case["expected"]["pooled"]
    for key in ("yi", "se", "estimate", "ci_low", "ci_high"):
        close(out[key], expected[key], what=key)
    close(out["p"], expected["p"], abs_=ABS_P, what="p")


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_heterogeneity(case, results):
    out, expected = results[case_id(case)]["heterogeneity"], case["expected"]["heterogeneity"]
    assert out["df"] == expected["df"]
    close(out["Q"], expected["Q"], what="Q")
    close(out["p"], expected["p"], abs_=ABS_P, what="Q p")
    close(out["I2"], expected["I2"], abs_=ABS_I2, what="I2")
    if case["model"] == "random":
        close(out["tau2"], expected["tau2"], abs_=ABS_TAU2, what="tau2")
        close(out["tau2_ci_low"], expected["tau2_ci_low"], abs_=ABS_TAU2, what="tau2 CI low")
        close(out["tau2_ci_high"], expected["tau2_ci_high"], abs_=ABS_TAU2, what="tau2 CI high")
        close(out["I2_ci_low"], expected["I2_ci_low"], abs_=ABS_I2, what="I2 CI low")
        close(out["I2_ci_high"], expected["I2_ci_high"], abs_=ABS_I2, what="I2 CI high")
    else:
        assert "tau2" not in out


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_prediction_interval_and_egger(case, results):
    out, expected = results[case_id(case)], case["expected"]
    if "prediction_interval" in expected:
        close(
            out["prediction_interval"]["low"], expected["prediction_interval"]["low"], what="PI low"
        )
        close(
            out["prediction_interval"]["high"],
            expected["prediction_interval"]["high"],
            what="PI high",
        )
    else:
        assert "prediction_interval" not in out
    if "egger" in expected:
        for key in ("intercept", "se"):
            close(out["egger"][key], expected["egger"][key], what=f"Egger {key}")
        close(out["egger"]["p"], expected["egger"]["p"], abs_=ABS_P, what="Egger p")
        # The classic Egger test is metafor's regtest(model="lm", predictor="sei").
        close(out["egger"]["p"], expected["egger_regtest_p"], abs_=ABS_P, what="regtest p")
    else:
        assert "egger" not in out


SUBGROUP_CASES = [c for c in CASES if "expected_subgroups" in c]
REGRESSION_CASES = [c for c in CASES if "expected_meta_regression" in c]


@pytest.mark.parametrize("case", SUBGROUP_CASES, ids=case_id)
def test_subgroups(case, results):
    out, expected = results[case_id(case)], case["expected_subgroups"]
    assert [g["name"] for g in out["subgroups"]] == [g["name"] for g in expected["subgroups"]]
    for got, want in zip(out["subgroups"], expected["subgroups"], strict=True):
        assert got["k"] == want["k"]
        close(got["yi"], want["yi"], what=f"{want['name']} yi")
        close(got["se"], want["se"], what=f"{want['name']} se")
        close(got["Q"], want["Q"], abs_=1e-9, what=f"{want['name']} Q")
        close(got["tau2"], want.get("tau2"), abs_=ABS_TAU2, what=f"{want['name']} tau2")
    test = out["subgroup_test"]
    assert test["df"] == expected["subgroup_test"]["df"]
    close(test["Q"], expected["subgroup_test"]["Q"], what="subgroup Q")
    close(test["p"], expected["subgroup_test"]["p"], abs_=ABS_P, what="subgroup p")


@pytest.mark.parametrize("case", REGRESSION_CASES, ids=case_id)
def test_meta_regression(case, results):
    out, expected = results[case_id(case)]["meta_regression"], case["expected_meta_regression"]
    for key in ("intercept", "slope", "slope_se", "QM"):
        close(out[key], expected[key], what=key)
    close(out["slope_p"], expected["slope_p"], abs_=ABS_P, what="slope p")
    close(out["QMp"], expected["QMp"], abs_=ABS_P, what="QMp")
    close(out["tau2"], expected.get("tau2"), abs_=ABS_TAU2, what="tau2")

"""Data preparation formulas (Cochrane Handbook) against worked numbers."""

from __future__ import annotations

import math

import pytest

from analysis.stats import MetaAnalysisError
from analysis.stats import data_preparation as prep


def test_design_effect_and_cluster_adjustment():
    assert prep.design_effect(21, 0.05) == pytest.approx(2.0)
    arm = prep.cluster_adjusted_dichotomous(prep.DichotomousArm(events=30, n=200), 21, 0.05)
    assert (arm.events, arm.n) == pytest.approx((15, 100))
    cont = prep.cluster_adjusted_continuous(prep.ContinuousArm(n=200, mean=5, sd=2), 21, 0.05)
    assert (cont.n, cont.mean, cont.sd) == pytest.approx((100, 5, 2))
    with pytest.raises(MetaAnalysisError, match="intracluster correlation"):
        prep.design_effect(10, 1.5)


def test_combining_arms_matches_pooling_the_raw_data():
    a = [3.0, 5.0, 4.0, 6.0]
    b = [7.0, 9.0, 8.0]
    both = a + b

    def arm(values):
        mean = sum(values) / len(values)
        sd = math.sqrt(sum((v - mean) ** 2 for v in values) / (len(values) - 1))
        return prep.ContinuousArm(n=len(values), mean=mean, sd=sd)

    combined = prep.combine_continuous_arms(arm(a), arm(b))
    expected = arm(both)
    assert (combined.n, combined.mean, combined.sd) == pytest.approx(
        (expected.n, expected.mean, expected.sd)
    )
    events = prep.combine_dichotomous_arms(prep.DichotomousArm(3, 20), prep.DichotomousArm(5, 22))
    assert (events.events, events.n) == (8, 42)


def test_select_arm():
    arms = {"low dose": prep.DichotomousArm(3, 20), "high dose": prep.DichotomousArm(5, 22)}
    assert prep.select_arm(arms, "high dose").events == 5
    with pytest.raises(MetaAnalysisError, match="no arm 'placebo'"):
        prep.select_arm(arms, "placebo")


def test_sd_from_se_ci_t_and_p():
    assert prep.sd_from_se(0.5, 100) == pytest.approx(5.0)
    # Handbook 6.5.2.2: large sample, 95% CI width / 3.92 * sqrt(N)
    assert prep.sd_from_ci(10, 13.92, 100) == pytest.approx(
        math.sqrt(100) * 3.92 / 3.919927969080108
    )
    # Small samples use t with N - 1 df (Handbook example: N = 25, t = 2.064)
    assert prep.sd_from_ci(10, 14.128, 25) == pytest.approx(5 * 4.128 / (2 * 2.0638985616280205))
    # Handbook 6.5.2.3 example: MD 3.8, t 2.17 (from P = 0.0332?), N 25 and 22
    sd = prep.sd_from_t(3.8, 2.17, 25, 22)
    assert sd == pytest.approx((3.8 / 2.17) / math.sqrt(1 / 25 + 1 / 22))
    t = 2.17
    from scipy import stats

    p = 2 * stats.t.sf(t, 45)
    assert prep.sd_from_p(3.8, p, 25, 22) == pytest.approx(sd, rel=1e-9)
    with pytest.raises(MetaAnalysisError):
        prep.sd_from_se(0, 10)

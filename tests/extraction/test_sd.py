"""SD derivation and combining arms, against the Cochrane Handbook's worked examples."""

import math

import pytest

from analysis.stats.data_preparation import sd_from_ci, sd_from_se, sd_from_t
from extraction.sd import Group, combine_groups

# Tolerances per quantity: the Handbook prints its examples to 2 decimals.
HANDBOOK_TOL = 0.01


def test_sd_from_se_handbook_6_5_2_2():
    assert sd_from_se(2.0, 100) == pytest.approx(20.0)


def test_sd_from_ci_large_sample_uses_3_92():
    # Handbook 6.5.2.2: N = 100, CI 1 to 5 -> SD = 10 × 4 / 3.92 = 10.20.
    assert sd_from_ci(1.0, 5.0, 100) == pytest.approx(10 * 4 / 3.92, abs=HANDBOOK_TOL)


def test_sd_from_ci_small_sample_uses_t():
    # Handbook 6.5.2.2 example: N = 25, 95% CI width 4 -> divisor 2 × 2.064 = 4.128, SD ≈ 4.85.
    assert sd_from_ci(1.0, 5.0, 25) == pytest.approx(5 * 4 / 4.128, abs=HANDBOOK_TOL)


def test_sd_from_t_handbook_6_5_2_3():
    # MD 3.0 with t = 2.0: SE = 1.5; N 50 and 50 -> SD = 1.5 / √(1/50 + 1/50) = 7.5.
    assert sd_from_t(3.0, 2.0, 50, 50) == pytest.approx(7.5)
    assert sd_from_t(-3.0, 2.0, 50, 50) == pytest.approx(7.5)


def test_combining_two_arms_table_6_5_a():
    combined = combine_groups(Group(n=10, mean=5.0, sd=2.0), Group(n=20, mean=6.0, sd=3.0))
    assert combined.n == 30
    assert combined.mean == pytest.approx(170 / 30)
    expected = math.sqrt((9 * 4 + 19 * 9 + 10 * 20 / 30 * (25 + 36 - 60)) / 29)
    assert combined.sd == pytest.approx(expected)


def test_combining_dichotomous_arms_adds_events():
    combined = combine_groups(Group(n=10, events=3), Group(n=12, events=4))
    assert (combined.n, combined.events, combined.mean) == (22, 7, None)

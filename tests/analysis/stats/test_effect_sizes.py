"""Per-study effect sizes against hand calculations with RevMan 5's formulas."""

from __future__ import annotations

import math

import numpy as np
import pytest

from analysis.stats import effect_sizes as es

REL = 1e-12


def test_mean_difference():
    e = es.mean_difference([10], [2], [30], [8], [3], [40])
    assert e.yi[0] == 2
    assert e.vi[0] == pytest.approx(4 / 30 + 9 / 40, rel=REL)


def test_hedges_g_uses_revman_correction_and_variance():
    e = es.hedges_g([10], [2], [30], [8], [3], [40])
    big_n = 70
    s = math.sqrt((29 * 4 + 39 * 9) / 68)
    g = 2 / s * (1 - 3 / (4 * big_n - 9))
    assert e.yi[0] == pytest.approx(g, rel=REL)
    assert e.vi[0] == pytest.approx(big_n / (30 * 40) + g**2 / (2 * (big_n - 3.94)), rel=REL)


def test_zero_cell_adds_half_to_every_cell_for_rr_and_or():
    table = es.two_by_two([0], [20], [5], [25])
    rr = es.log_risk_ratio(table)
    assert rr.yi[0] == pytest.approx(math.log((0.5 / 21) / (5.5 / 26)), rel=REL)
    assert rr.vi[0] == pytest.approx(1 / 0.5 - 1 / 21 + 1 / 5.5 - 1 / 26, rel=REL)
    odds = es.log_odds_ratio(table)
    assert odds.yi[0] == pytest.approx(math.log(0.5 * 20.5 / (20.5 * 5.5)), rel=REL)
    assert odds.vi[0] == pytest.approx(1 / 0.5 + 1 / 20.5 + 1 / 5.5 + 1 / 20.5, rel=REL)


def test_all_events_in_one_arm_is_a_zero_cell_too():
    table = es.two_by_two([20], [20], [5], [25])
    assert es.has_zero_cell(table)[0]
    assert es.log_odds_ratio(table).estimable[0]


def test_double_zero_is_not_estimable_for_ratios_but_kept_for_rd():
    table = es.two_by_two([0, 3], [20, 20], [0, 4], [25, 25])
    assert list(es.log_risk_ratio(table).estimable) == [False, True]
    assert list(es.log_odds_ratio(table).estimable) == [False, True]
    assert np.isnan(es.log_risk_ratio(table).yi[0])
    rd = es.risk_difference(table)
    assert list(rd.estimable) == [True, True]
    assert rd.yi[0] == 0
    assert rd.vi[0] == pytest.approx(0.5 * 20.5 / 21**3 + 0.5 * 25.5 / 26**3, rel=REL)


def test_rd_uses_raw_proportions_and_corrected_variance():
    rd = es.risk_difference(es.two_by_two([0], [20], [5], [25]))
    assert rd.yi[0] == pytest.approx(0 - 5 / 25, rel=REL)
    assert rd.vi[0] == pytest.approx(0.5 * 20.5 / 21**3 + 5.5 * 20.5 / 26**3, rel=REL)


def test_peto_terms():
    table = es.two_by_two([4], [50], [10], [50])
    e = es.peto_log_odds_ratio(table)
    expected_events = 14 * 50 / 100
    v = 50 * 50 * 14 * 86 / (100**2 * 99)
    assert e.yi[0] == pytest.approx((4 - expected_events) / v, rel=REL)
    assert e.vi[0] == pytest.approx(1 / v, rel=REL)
    assert not es.peto_log_odds_ratio(es.two_by_two([0], [5], [0], [6])).estimable[0]

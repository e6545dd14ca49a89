"""The GRADE rules, on hand-made results, so each threshold is checked on both sides."""

import pytest

from analysis.sof.grade import certainty, suggestions


def _study(name, n=50, events=None, rob="low"):
    s = {"study": name, "n_e": n, "n_c": n, "risk_of_bias": rob}
    if events is not None:
        s.update(events_e=events, events_c=events)
    return s


def _result(weights, *, i2=0.0, p_het=0.9, ci=(0.2, 0.8), k=None, egger=None):
    main = {
        "k": k or len(weights),
        "studies": [{"study": f"S{i}", "weight": w} for i, w in enumerate(weights)],
        "pooled": {"estimate": sum(ci) / 2, "ci_low": ci[0], "ci_high": ci[1]},
        "heterogeneity": {"I2": i2, "p": p_het},
    }
    if egger is not None:
        main["egger"] = {"intercept": 1.0, "se": 0.5, "p": egger}
    return {"random": main, "fixed": main, "presented": "random"}


def _snapshot(robs, measure="MD", n=150, events=None):
    return {
        "measure": measure,
        "studies": [_study(f"S{i}", n=n, events=events, rob=r) for i, r in enumerate(robs)],
    }


def _by_domain(snapshot, result):
    return {s.domain: s for s in suggestions(snapshot, result)}


def test_risk_of_bias_needs_more_than_half_the_weight_at_high_or_unclear_risk():
    more = _by_domain(_snapshot(["high", "unclear", "low"]), _result([30, 25, 45]))
    assert more["risk_of_bias"].downgrade == 1
    assert "55%" in more["risk_of_bias"].reason
    half = _by_domain(_snapshot(["high", "low"]), _result([50, 50]))
    assert half["risk_of_bias"].downgrade == 0


@pytest.mark.parametrize(
    ("i2", "p", "down"),
    [(51, 0.09, 1), (50, 0.01, 0), (80, 0.10, 0), (75, 0.001, 1)],
)
def test_inconsistency_needs_i2_over_50_and_chi2_p_below_0_10(i2, p, down):
    got = _by_domain(_snapshot(["low"] * 3), _result([40, 30, 30], i2=i2, p_het=p))
    assert got["inconsistency"].downgrade == down


def test_imprecision_by_ci_or_too_few_participants():
    fine = _by_domain(_snapshot(["low"] * 2, n=100), _result([50, 50], ci=(0.2, 0.8)))
    assert fine["imprecision"].downgrade == 0  # 400 participants, CI excludes 0
    small = _by_domain(_snapshot(["low"] * 2, n=99), _result([50, 50], ci=(0.2, 0.8)))
    assert small["imprecision"].downgrade == 1 and "396 participants" in small["imprecision"].reason
    wide = _by_domain(_snapshot(["low"] * 2, n=500), _result([50, 50], ci=(-0.1, 0.8)))
    assert wide["imprecision"].downgrade == 1 and "includes no effect" in wide["imprecision"].reason


def test_imprecision_counts_events_for_dichotomous_outcomes():
    snap = _snapshot(["low"] * 2, measure="RR", n=200, events=75)  # 300 events
    assert _by_domain(snap, _result([50, 50], ci=(1.2, 1.8)))["imprecision"].downgrade == 0
    snap = _snapshot(["low"] * 2, measure="RR", n=200, events=74)
    assert _by_domain(snap, _result([50, 50], ci=(1.2, 1.8)))["imprecision"].downgrade == 1
    # For a ratio the line of no effect is 1, not 0.
    snap = _snapshot(["low"] * 2, measure="RR", n=200, events=80)
    assert _by_domain(snap, _result([50, 50], ci=(0.9, 1.8)))["imprecision"].downgrade == 1


def test_publication_bias_needs_ten_studies_and_egger_p_below_0_10():
    ten = [10] * 10
    assert (
        _by_domain(_snapshot(["low"] * 10), _result(ten, egger=0.05))["publication_bias"].downgrade
        == 1
    )
    assert (
        _by_domain(_snapshot(["low"] * 10), _result(ten, egger=0.2))["publication_bias"].downgrade
        == 0
    )
    nine = _by_domain(_snapshot(["low"] * 9), _result([11] * 9))
    assert nine["publication_bias"].downgrade == 0 and "too few" in nine["publication_bias"].reason


def test_indirectness_is_left_to_the_reviewers():
    got = _by_domain(_snapshot(["low"] * 2), _result([50, 50]))
    assert got["indirectness"].downgrade == 0 and "reviewers" in got["indirectness"].reason


def test_certainty_levels_and_symbols():
    assert certainty(0) == (4, "High", "⊕⊕⊕⊕")
    assert certainty(1) == (3, "Moderate", "⊕⊕⊕◯")
    assert certainty(2)[1] == "Low"
    assert certainty(5) == (1, "Very low", "⊕◯◯◯")

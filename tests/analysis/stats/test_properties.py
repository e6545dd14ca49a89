"""Properties every analysis must have, whatever the data (hypothesis)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.stats import ContinuousData, DichotomousData, meta_analysis

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

n = st.integers(min_value=2, max_value=500)
continuous_study = st.tuples(
    st.floats(-50, 50), st.floats(0.5, 20), n, st.floats(-50, 50), st.floats(0.5, 20), n
)


@st.composite
def dichotomous_study(draw):
    n_e, n_c = draw(n), draw(n)
    return draw(st.integers(0, n_e)), n_e, draw(st.integers(0, n_c)), n_c


def continuous(rows) -> ContinuousData:
    columns = list(zip(*rows, strict=True))
    names = ("mean_e", "sd_e", "n_e", "mean_c", "sd_c", "n_c")
    return ContinuousData.of(
        study=[f"S{i}" for i in range(len(rows))], **dict(zip(names, columns, strict=True))
    )


def dichotomous(rows) -> DichotomousData:
    columns = list(zip(*rows, strict=True))
    names = ("events_e", "n_e", "events_c", "n_c")
    return DichotomousData.of(
        study=[f"S{i}" for i in range(len(rows))], **dict(zip(names, columns, strict=True))
    )


CONFIGS = [
    {"model": "fixed"},
    {"model": "random", "tau2": "DL"},
    {"model": "random", "tau2": "REML"},
    {"model": "random", "tau2": "PM"},
    {"model": "random", "tau2": "REML", "hksj": True},
]
DICHOTOMOUS_CONFIGS = CONFIGS + [
    {"model": "fixed", "method": "MH"},
    {"model": "random", "method": "MH"},
]


def _estimable_or_skip(run):
    from analysis.stats import MetaAnalysisError

    try:
        return run()
    except MetaAnalysisError:
        return None


def _assert_sane(result, reversed_result):
    d = result.to_dict()
    weights = [s["weight"] for s in d["studies"] if s["weight"] is not None]
    assert sum(weights) == pytest.approx(100, rel=1e-9)
    pooled = d["pooled"]
    assert pooled["ci_low"] <= pooled["estimate"] <= pooled["ci_high"]
    for study in d["studies"]:
        if study["estimate"] is not None:
            assert study["ci_low"] <= study["estimate"] <= study["ci_high"]
    # Study order does not matter.
    r = reversed_result.to_dict()
    for key in ("yi", "se", "p"):
        assert r["pooled"][key] == pytest.approx(pooled[key], rel=1e-7, abs=1e-12)
    assert r["heterogeneity"]["Q"] == pytest.approx(d["heterogeneity"]["Q"], rel=1e-7, abs=1e-9)
    assert [s["weight"] for s in r["studies"]][::-1] == pytest.approx(
        [s["weight"] for s in d["studies"]]
    )


@SETTINGS
@given(
    rows=st.lists(continuous_study, min_size=2, max_size=12), measure=st.sampled_from(["MD", "SMD"])
)
def test_continuous_properties(rows, measure):
    for config in CONFIGS:
        result = meta_analysis(continuous(rows), measure=measure, **config)
        reversed_result = meta_analysis(continuous(rows[::-1]), measure=measure, **config)
        _assert_sane(result, reversed_result)


@SETTINGS
@given(
    rows=st.lists(dichotomous_study(), min_size=2, max_size=12),
    measure=st.sampled_from(["RR", "OR", "RD"]),
)
def test_dichotomous_properties(rows, measure):
    for config in DICHOTOMOUS_CONFIGS:
        result = _estimable_or_skip(
            lambda c=config: meta_analysis(dichotomous(rows), measure=measure, **c)
        )
        if result is None:
            continue
        reversed_result = meta_analysis(dichotomous(rows[::-1]), measure=measure, **config)
        _assert_sane(result, reversed_result)


@SETTINGS
@given(
    rows=st.lists(continuous_study, min_size=2, max_size=12), measure=st.sampled_from(["MD", "SMD"])
)
def test_random_equals_fixed_when_tau2_is_zero(rows, measure):
    for tau2 in ("DL", "REML", "PM"):
        random = meta_analysis(continuous(rows), measure=measure, model="random", tau2=tau2)
        if random.heterogeneity.tau2 != 0:
            continue
        fixed = meta_analysis(continuous(rows), measure=measure, model="fixed")
        assert random.pooled.yi == pytest.approx(fixed.pooled.yi, rel=1e-12, abs=1e-14)
        assert random.pooled.se == pytest.approx(fixed.pooled.se, rel=1e-12)
        assert [s.weight for s in random.studies] == pytest.approx(
            [s.weight for s in fixed.studies]
        )


@SETTINGS
@given(
    base=st.tuples(st.floats(-5, 5), st.floats(0.5, 5)),
    sizes=st.lists(st.integers(10, 300), min_size=3, max_size=10),
)
def test_identical_studies_have_no_heterogeneity(base, sizes):
    mean, sd = base
    rows = [(mean, sd, size, 0.0, sd, size) for size in sizes]
    result = meta_analysis(continuous(rows), measure="MD", tau2="REML")
    assert abs(result.heterogeneity.Q) < 1e-9
    assert result.heterogeneity.tau2 == 0
    assert result.heterogeneity.I2 == 0


@SETTINGS
@given(rows=st.lists(continuous_study, min_size=3, max_size=15))
def test_json_never_contains_nan(rows):
    import json

    result = meta_analysis(continuous(rows), measure="SMD", hksj=True)
    text = json.dumps(result.to_dict(), allow_nan=False)
    assert "NaN" not in text and math.isfinite(result.pooled.se)
    assert np.isfinite([s.weight for s in result.studies]).all()

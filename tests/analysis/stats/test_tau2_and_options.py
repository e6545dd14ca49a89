"""tau² estimators' edge cases, the REML fallback, the batch estimator and option resolution."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.stats import MetaAnalysisError, resolve_options
from analysis.stats.errors import MSG_PETO_NEEDS_OR
from analysis.stats.tau2 import tau2_dl, tau2_pm, tau2_reml, tau2_reml_batch

YI = np.array(
    [-0.89, -1.59, -1.35, -1.44, -0.22, -0.79, -1.62, 0.01, -0.47, -1.37, -0.34, 0.45, -0.02]
)
VI = np.array([0.33, 0.19, 0.42, 0.02, 0.05, 0.01, 0.22, 0.004, 0.06, 0.07, 0.01, 0.53, 0.07])


def test_estimators_are_zero_without_heterogeneity():
    yi = np.array([0.1, 0.1001, 0.0999])
    vi = np.array([0.04, 0.05, 0.06])
    assert tau2_dl(yi, vi) == 0
    assert tau2_pm(yi, vi) == 0
    assert tau2_reml(yi, vi).tau2 == 0


def test_reml_fallback_maximises_the_likelihood_and_warns():
    converged = tau2_reml(YI, VI)
    fallback = tau2_reml(YI, VI, max_iterations=1)
    assert converged.converged and converged.warning is None
    assert not fallback.converged
    assert "did not converge" in fallback.warning
    assert fallback.tau2 == pytest.approx(converged.tau2, rel=1e-6)


def test_batch_reml_equals_one_at_a_time():
    rng = np.random.default_rng(1)
    vi = rng.uniform(0.01, 0.3, size=(200, 8))
    yi = rng.normal(0, np.sqrt(vi + rng.choice([0, 0.05, 0.3], size=(200, 1))))
    batch = tau2_reml_batch(yi, vi)
    single = np.array([tau2_reml(y, v).tau2 for y, v in zip(yi, vi, strict=True)])
    np.testing.assert_allclose(batch, single, rtol=1e-9, atol=1e-12)


def test_defaults():
    assert resolve_options(measure="RR", model="fixed").method == "MH"
    assert resolve_options(measure="MD", model="fixed").method == "IV"
    random = resolve_options(measure="RR")
    assert (random.model, random.method, random.tau2_method) == ("random", "IV", "REML")
    assert resolve_options(measure="OR", method="MH").tau2_method == "DL"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"measure": "MD", "method": "MH"}, "Mantel-Haenszel pooling is for RR, OR and RD"),
        (
            {"measure": "RR", "model": "fixed", "method": "PETO"},
            MSG_PETO_NEEDS_OR.format(measure="RR"),
        ),
        ({"measure": "OR", "method": "PETO"}, "fixed-effect method"),
        ({"measure": "OR", "method": "MH", "tau2": "PM"}, "--tau2 PM is not available"),
        ({"measure": "OR", "model": "fixed", "hksj": True}, "inverse-variance weights"),
        ({"measure": "HR"}, "Unknown measure"),
    ],
)
def test_refused_combinations(kwargs, message):
    with pytest.raises(MetaAnalysisError, match=message.replace("(", r"\(").replace(")", r"\)")):
        resolve_options(**kwargs)

"""Egger's regression test for funnel-plot asymmetry."""

from __future__ import annotations

import numpy as np

from analysis.stats.distributions import t_two_sided_p
from analysis.stats.results import EggerTest

EGGER_MIN_STUDIES = 10  # Cochrane Handbook 13.3.5.4: tests have too little power below ten studies


def egger_test(yi: np.ndarray, se: np.ndarray) -> EggerTest:
    """Return Egger's test: OLS of y/se on 1/se, testing the intercept with t on k − 2 df.

    Egger et al. (1997), BMJ 315:629; the classic form, equal to metafor's
    ``regtest(model="lm", predictor="sei")`` test of the sei coefficient.
    """
    snd = yi / se
    precision = 1 / se
    x = np.column_stack([np.ones_like(precision), precision])
    coef, _, _, _ = np.linalg.lstsq(x, snd, rcond=None)
    residuals = snd - x @ coef
    df = len(yi) - 2
    sigma2 = float(residuals @ residuals) / df
    covariance = sigma2 * np.linalg.inv(x.T @ x)
    intercept_se = float(np.sqrt(covariance[0, 0]))
    if intercept_se == 0:
        # A perfect fit (e.g. identical studies) leaves no residual variance: no test.
        return EggerTest(intercept=float(coef[0]), se=0.0, p=float("nan"))
    t = coef[0] / intercept_se
    return EggerTest(intercept=float(coef[0]), se=intercept_se, p=t_two_sided_p(t, df))

"""Heterogeneity statistics: Cochran's Q, I², and Q-profile confidence intervals for tau² and I²."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from analysis.stats.distributions import chi2_quantile, chi2_sf
from analysis.stats.tau2 import solve_generalised_q


def cochran_q(yi: np.ndarray, vi: np.ndarray, centre: float) -> float:
    """Return Q = Σ (y − centre)²/v with inverse-variance weights (RevMan 5 SA 3.3.1 / 3.2.1).

    For Mantel-Haenszel the centre is the MH estimate, not the inverse-variance one, as RevMan.
    """
    return float(np.sum((yi - centre) ** 2 / vi))


def q_p_value(q: float, df: int) -> float | None:
    """Return P(χ²_df > Q), or None when df < 1."""
    if df < 1:
        return None
    return chi2_sf(q, df)


def i_squared(q: float, df: int) -> float | None:
    """Return I² = max(0, (Q − df)/Q)·100 (Higgins & Thompson 2002; RevMan 5 SA 3.5)."""
    if df < 1:
        return None
    if q <= 0:
        return 0.0
    return float(max(0.0, (q - df) / q) * 100)


def typical_within_variance(vi: np.ndarray) -> float:
    """Return s² = (k − 1)Σw / ((Σw)² − Σw²), the 'typical' within-study variance.

    Higgins & Thompson (2002), equation 9; metafor's ``vt`` used for I² from tau².
    """
    w = 1 / vi
    sw = np.sum(w)
    return float((len(vi) - 1) * sw / (sw**2 - np.sum(w**2)))


def i_squared_from_tau2(tau2: float, s2: float) -> float:
    """Return I² = 100·tau²/(tau² + s²) (Higgins & Thompson 2002, equation 10)."""
    if tau2 <= 0:
        return 0.0
    return float(100 * tau2 / (tau2 + s2))


@dataclass(frozen=True)
class Tau2Interval:
    """Q-profile confidence limits for tau² and the matching limits for I²."""

    tau2_low: float
    tau2_high: float
    i2_low: float
    i2_high: float


def tau2_ci_q_profile(yi: np.ndarray, vi: np.ndarray, level: float = 0.95) -> Tau2Interval:
    """Return Q-profile CIs for tau² and I² (Viechtbauer 2007; metafor ``confint.rma.uni``).

    The limits are the tau² at which the generalised Q equals the upper and lower χ²_{k−1}
    quantiles; limits below zero are truncated to zero, as metafor.
    """
    df = len(yi) - 1
    alpha = 1 - level
    low = solve_generalised_q(yi, vi, chi2_quantile(1 - alpha / 2, df))
    high = solve_generalised_q(yi, vi, chi2_quantile(alpha / 2, df))
    s2 = typical_within_variance(vi)
    return Tau2Interval(
        tau2_low=low,
        tau2_high=high,
        i2_low=i_squared_from_tau2(low, s2),
        i2_high=i_squared_from_tau2(high, s2),
    )

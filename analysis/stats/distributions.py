"""Tail probabilities and quantiles through scipy.special (what scipy.stats calls, without its overhead).

An analysis calls these a dozen times; scipy.stats' generic machinery costs ~0.5 ms a call.
"""

from __future__ import annotations

from scipy import special


def normal_two_sided_p(z: float) -> float:
    """Return 2·P(Z > |z|)."""
    return float(2 * special.ndtr(-abs(z)))


def t_two_sided_p(t: float, df: float) -> float:
    """Return 2·P(T_df > |t|)."""
    return float(2 * special.stdtr(df, -abs(t)))


def t_quantile(p: float, df: float) -> float:
    """Return the p-quantile of t with df degrees of freedom."""
    return float(special.stdtrit(df, p))


def chi2_sf(x: float, df: float) -> float:
    """Return P(χ²_df > x)."""
    return float(special.chdtrc(df, x))


def chi2_quantile(p: float, df: float) -> float:
    """Return the p-quantile of χ²_df."""
    return float(special.chdtri(df, 1 - p))


def f_sf(x: float, df1: float, df2: float) -> float:
    """Return P(F_{df1,df2} > x)."""
    return float(special.fdtrc(df1, df2, x))

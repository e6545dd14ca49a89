"""Meta-regression on one numeric moderator (mixed-effects, or fixed-effect when tau² = 0).

Follows metafor's ``rma.uni(yi, vi, mods = ~ x)``: weighted least squares with weights
1/(v + tau²), tau² by DL, REML (Fisher scoring) or PM on the residual heterogeneity, Wald
tests, or with Knapp-Hartung t and F tests.
"""

from __future__ import annotations

import numpy as np
from scipy import optimize

from analysis.stats.constants import REML_MAX_ITERATIONS, REML_TOLERANCE
from analysis.stats.distributions import chi2_sf, f_sf, normal_two_sided_p, t_two_sided_p
from analysis.stats.results import MetaRegressionResult


def _wls(x: np.ndarray, yi: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    a_inv = np.linalg.inv(x.T @ (w[:, None] * x))
    beta = a_inv @ (x.T @ (w * yi))
    return beta, a_inv


def residual_q(x: np.ndarray, yi: np.ndarray, vi: np.ndarray, tau2: float) -> float:
    """Return the (generalised) residual Q_E = Σ w(y − Xb)² with w = 1/(v + tau²)."""
    w = 1 / (vi + tau2)
    beta, _ = _wls(x, yi, w)
    return float(np.sum(w * (yi - x @ beta) ** 2))


def _traces(x: np.ndarray, w: np.ndarray) -> tuple[float, float]:
    # tr(P) and tr(PP) for P = W − WX(X'WX)⁻¹X'W, without forming the k×k matrix.
    a_inv = np.linalg.inv(x.T @ (w[:, None] * x))
    xw2x = x.T @ ((w**2)[:, None] * x)
    xw3x = x.T @ ((w**3)[:, None] * x)
    m = a_inv @ xw2x
    trace_p = float(np.sum(w) - np.trace(m))
    trace_pp = float(np.sum(w**2) - 2 * np.trace(a_inv @ xw3x) + np.trace(m @ m))
    return trace_p, trace_pp


def tau2_dl_regression(x: np.ndarray, yi: np.ndarray, vi: np.ndarray) -> float:
    """Return DL residual tau² = max(0, (Q_E − (k − p))/tr(P)) with tau² = 0 weights (metafor "DL")."""
    k, p = x.shape
    trace_p, _ = _traces(x, 1 / vi)
    return max(0.0, (residual_q(x, yi, vi, 0.0) - (k - p)) / trace_p)


def tau2_reml_regression(x: np.ndarray, yi: np.ndarray, vi: np.ndarray) -> float:
    """Return REML residual tau² by Fisher scoring (Viechtbauer 2005; metafor "REML")."""
    tau2 = tau2_dl_regression(x, yi, vi)

    def score_info(t: float) -> tuple[float, float]:
        w = 1 / (vi + t)
        beta, _ = _wls(x, yi, w)
        py = w * (yi - x @ beta)
        trace_p, trace_pp = _traces(x, w)
        return float(py @ py) - trace_p, trace_pp

    for _ in range(REML_MAX_ITERATIONS):
        score, info = score_info(tau2)
        new = tau2 + score / info
        if new < 0:
            if score_info(0.0)[0] <= 0:
                return 0.0
            new = tau2 / 2
        if abs(new - tau2) <= REML_TOLERANCE * max(1.0, new):
            break
        tau2 = new
    else:
        new = tau2
    # As for the intercept-only model: keep the boundary when its restricted likelihood is higher.
    if new > 0 and _reml_ll_regression(x, yi, vi, 0.0) > _reml_ll_regression(x, yi, vi, new):
        return 0.0
    return float(new)


def _reml_ll_regression(x: np.ndarray, yi: np.ndarray, vi: np.ndarray, tau2: float) -> float:
    w = 1 / (vi + tau2)
    beta, _ = _wls(x, yi, w)
    _, logdet = np.linalg.slogdet(x.T @ (w[:, None] * x))
    return float(-0.5 * (np.sum(np.log(vi + tau2)) + logdet + np.sum(w * (yi - x @ beta) ** 2)))


def tau2_pm_regression(x: np.ndarray, yi: np.ndarray, vi: np.ndarray) -> float:
    """Return PM residual tau²: root of Q_E(tau²) = k − p (metafor "PM")."""
    k, p = x.shape
    target = k - p
    if residual_q(x, yi, vi, 0.0) <= target:
        return 0.0
    upper = max(float(np.var(yi)), float(np.max(vi)), 1e-8)
    while residual_q(x, yi, vi, upper) > target:
        upper *= 4
    return float(
        optimize.brentq(
            lambda t: residual_q(x, yi, vi, t) - target, 0.0, upper, xtol=1e-15, rtol=1e-15
        )
    )


TAU2_REGRESSION = {"DL": tau2_dl_regression, "REML": tau2_reml_regression, "PM": tau2_pm_regression}


def meta_regression(
    yi: np.ndarray,
    vi: np.ndarray,
    moderator: np.ndarray,
    *,
    tau2_method: str | None,
    knha: bool = False,
) -> MetaRegressionResult:
    """Return the meta-regression of ``yi`` on one moderator.

    ``tau2_method`` None fits the fixed-effect model (tau² = 0). With ``knha`` the SEs are
    scaled by Q_E/(k − p) and tests use t and F with k − p df (Knapp & Hartung 2003).
    """
    x = np.column_stack([np.ones_like(moderator), moderator])
    k, p = x.shape
    tau2 = 0.0 if tau2_method is None else TAU2_REGRESSION[tau2_method](x, yi, vi)
    w = 1 / (vi + tau2)
    beta, covariance = _wls(x, yi, w)
    if knha:
        covariance = covariance * float(np.sum(w * (yi - x @ beta) ** 2)) / (k - p)
    se = np.sqrt(np.diag(covariance))
    statistic = beta[1] / se[1]
    qm = float(statistic**2)
    if knha:
        slope_p = t_two_sided_p(statistic, k - p)
        qm_p = f_sf(qm, 1, k - p)
    else:
        slope_p = normal_two_sided_p(statistic)
        qm_p = chi2_sf(qm, 1)
    return MetaRegressionResult(
        intercept=float(beta[0]),
        intercept_se=float(se[0]),
        slope=float(beta[1]),
        slope_se=float(se[1]),
        slope_p=slope_p,
        tau2=None if tau2_method is None else float(tau2),
        QM=qm,
        QMp=qm_p,
        k=k,
    )

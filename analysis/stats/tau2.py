"""Between-study variance (tau²) estimators for the random-effects model.

One function per estimator, as in statsmodels' ``meta_analysis`` and metafor's ``rma.uni``:
DerSimonian-Laird (method of moments), REML by Fisher scoring, Paule-Mandel (generalised Q
equal to its expectation). All are truncated at zero, as RevMan and metafor do.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import optimize

from analysis.stats.constants import REML_MAX_ITERATIONS, REML_TOLERANCE


@dataclass(frozen=True)
class Tau2Estimate:
    """A tau² estimate and how it was obtained (``warning`` set when a fallback was used)."""

    tau2: float
    iterations: int = 0
    converged: bool = True
    warning: str | None = None


def tau2_dl(yi: np.ndarray, vi: np.ndarray) -> float:
    """Return DerSimonian-Laird tau² = max(0, (Q − df)/(Σw − Σw²/Σw)).

    DerSimonian & Laird (1986); RevMan 5 SA section 3.4.1; metafor ``method="DL"``.
    """
    return tau2_dl_from_q(generalised_q(yi, vi, 0.0), 1 / vi)


def tau2_dl_from_q(q: float, w: np.ndarray) -> float:
    """Return DL tau² from a given Q and the fixed-effect weights.

    RevMan's 'M-H, Random' passes the Q computed around the Mantel-Haenszel estimate here.
    """
    df = len(w) - 1
    denominator = np.sum(w) - np.sum(w**2) / np.sum(w)
    if denominator <= 0:
        return 0.0
    return float(max(0.0, (q - df) / denominator))


def _reml_score_and_information(yi: np.ndarray, vi: np.ndarray, tau2: float) -> tuple[float, float]:
    # Intercept-only case of metafor's Fisher scoring (rma.uni): score 2·dl/dtau² =
    # y'PPy − tr(P), expected information 2·I = tr(PP), with P = W − W11'W/Σw.
    w = 1 / (vi + tau2)
    sw, sw2, sw3 = np.sum(w), np.sum(w**2), np.sum(w**3)
    mu = np.sum(w * yi) / sw
    ypppy = np.sum(w**2 * (yi - mu) ** 2)
    trace_p = sw - sw2 / sw
    trace_pp = sw2 - 2 * sw3 / sw + (sw2 / sw) ** 2
    return ypppy - trace_p, trace_pp


def reml_log_likelihood(yi: np.ndarray, vi: np.ndarray, tau2: float) -> float:
    """Return the restricted log-likelihood of the intercept-only random-effects model.

    Viechtbauer (2005), equation 11 (constant term omitted).
    """
    w = 1 / (vi + tau2)
    mu = np.sum(w * yi) / np.sum(w)
    return float(
        -0.5 * (np.sum(np.log(vi + tau2)) + np.log(np.sum(w)) + np.sum(w * (yi - mu) ** 2))
    )


def tau2_reml(
    yi: np.ndarray,
    vi: np.ndarray,
    *,
    max_iterations: int = REML_MAX_ITERATIONS,
    tolerance: float = REML_TOLERANCE,
) -> Tau2Estimate:
    """Return the REML tau² by Fisher scoring, started at the DL estimate.

    Viechtbauer (2005), equation 12; metafor ``rma.uni(method="REML")``. If scoring does not
    converge, fall back to direct maximisation of the restricted likelihood (bounded Brent)
    and say so in ``warning``.
    """
    tau2 = tau2_dl(yi, vi)
    for iteration in range(1, max_iterations + 1):
        score, information = _reml_score_and_information(yi, vi, tau2)
        step = score / information if information > 0 else 0.0
        new = tau2 + step
        if new < 0:
            # The maximum lies on the boundary when the score at zero points downwards.
            score0, _ = _reml_score_and_information(yi, vi, 0.0)
            if score0 <= 0:
                return Tau2Estimate(tau2=0.0, iterations=iteration)
            new = tau2 / 2
        if abs(new - tau2) <= tolerance * max(1.0, new):
            return Tau2Estimate(
                tau2=_best_of_interior_and_zero(yi, vi, float(new)), iterations=iteration
            )
        tau2 = new
    return _tau2_reml_by_maximisation(yi, vi, max_iterations)


def _best_of_interior_and_zero(yi: np.ndarray, vi: np.ndarray, tau2: float) -> float:
    # The restricted likelihood can be bimodal (seen with risk differences): scoring may stop at
    # an interior local maximum while the boundary tau² = 0 is higher, which metafor reports.
    if tau2 > 0 and reml_log_likelihood(yi, vi, 0.0) > reml_log_likelihood(yi, vi, tau2):
        return 0.0
    return tau2


def _tau2_reml_by_maximisation(yi: np.ndarray, vi: np.ndarray, iterations: int) -> Tau2Estimate:
    upper = max(
        10 * float(np.var(yi, ddof=1)) if len(yi) > 1 else 1.0, 10 * float(np.max(vi)), 1e-8
    )
    result = optimize.minimize_scalar(
        lambda t: -reml_log_likelihood(yi, vi, t),
        bounds=(0.0, upper),
        method="bounded",
        options={"xatol": 1e-12 * max(1.0, upper)},
    )
    return Tau2Estimate(
        tau2=float(max(0.0, result.x)),
        iterations=iterations,
        converged=False,
        warning=(
            f"REML (Fisher scoring) did not converge in {iterations} iterations; "
            "tau² was found by direct maximisation of the restricted likelihood instead."
        ),
    )


def generalised_q(yi: np.ndarray, vi: np.ndarray, tau2: float) -> float:
    """Return Σ w*(y − μ*)² with w* = 1/(v + tau²), μ* the weighted mean (DerSimonian & Kacker 2007)."""
    w = 1 / (vi + tau2)
    mu = np.sum(w * yi) / np.sum(w)
    return float(np.sum(w * (yi - mu) ** 2))


def solve_generalised_q(yi: np.ndarray, vi: np.ndarray, target: float) -> float:
    """Return the tau² ≥ 0 at which the generalised Q equals ``target`` (0 if Q(0) < target).

    The generalised Q decreases monotonically in tau² (Viechtbauer 2007), so the root is unique.
    """
    if generalised_q(yi, vi, 0.0) <= target:
        return 0.0
    upper = max(float(np.var(yi)), float(np.max(vi)), 1e-8)
    while generalised_q(yi, vi, upper) > target:
        upper *= 4
    return float(
        optimize.brentq(
            lambda t: generalised_q(yi, vi, t) - target,
            0.0,
            upper,
            xtol=1e-15,
            rtol=1e-15,
            maxiter=500,
        )
    )


def tau2_pm(yi: np.ndarray, vi: np.ndarray) -> float:
    """Return Paule-Mandel tau²: the root of Q_gen(tau²) = k − 1 (Paule & Mandel 1982; metafor ``method="PM"``)."""
    return solve_generalised_q(yi, vi, len(yi) - 1)


def tau2_reml_batch(
    yi: np.ndarray,
    vi: np.ndarray,
    *,
    max_iterations: int = REML_MAX_ITERATIONS,
    tolerance: float = REML_TOLERANCE,
) -> np.ndarray:
    """Return REML tau² for many analyses at once (rows of ``yi``/``vi``), by Fisher scoring.

    The same iteration as ``tau2_reml`` carried out on all rows together (same start, same
    boundary rule, same final comparison with tau² = 0). Rows that do not converge are
    finished one by one with ``tau2_reml``.
    """
    yi = np.asarray(yi, dtype=float)
    vi = np.asarray(vi, dtype=float)

    w0 = 1 / vi
    sw0 = w0.sum(axis=1)
    mu0 = (w0 * yi).sum(axis=1) / sw0
    q0 = (w0 * (yi - mu0[:, None]) ** 2).sum(axis=1)
    denominator = sw0 - (w0**2).sum(axis=1) / sw0
    tau2 = np.maximum(0.0, (q0 - (yi.shape[1] - 1)) / denominator)
    score0, _ = _batch_score_info(yi, vi, np.zeros(len(yi)))
    active = np.ones(len(yi), dtype=bool)
    for _ in range(max_iterations):
        idx = np.flatnonzero(active)
        if not idx.size:
            break
        current = tau2[idx]
        score, info = _batch_score_info(yi[idx], vi[idx], current)
        new = current + score / info
        # As tau2_reml: a step below zero ends at zero if the score there points down, else halves.
        to_zero = (new < 0) & (score0[idx] <= 0)
        new = np.where(new < 0, np.where(to_zero, 0.0, current / 2), new)
        tau2[idx] = new
        done = to_zero | (np.abs(new - current) <= tolerance * np.maximum(1.0, new))
        active[idx[done]] = False
    for row in np.flatnonzero(active):
        tau2[row] = tau2_reml(yi[row], vi[row]).tau2
    return np.where(
        _batch_reml_ll(yi, vi, np.zeros(len(yi))) > _batch_reml_ll(yi, vi, tau2), 0.0, tau2
    )


def _batch_score_info(
    yi: np.ndarray, vi: np.ndarray, tau2: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    # Row-wise version of _reml_score_and_information.
    w = 1 / (vi + tau2[:, None])
    sw = w.sum(axis=1)
    w2 = w * w
    sw2 = w2.sum(axis=1)
    sw3 = (w2 * w).sum(axis=1)
    mu = (w * yi).sum(axis=1) / sw
    r = yi - mu[:, None]
    ypppy = (w2 * r * r).sum(axis=1)
    return ypppy - (sw - sw2 / sw), sw2 - 2 * sw3 / sw + (sw2 / sw) ** 2


def _batch_reml_ll(yi: np.ndarray, vi: np.ndarray, tau2: np.ndarray) -> np.ndarray:
    total = vi + tau2[:, None]
    w = 1 / total
    sw = w.sum(axis=1)
    mu = (w * yi).sum(axis=1) / sw
    return -0.5 * (
        np.log(total).sum(axis=1) + np.log(sw) + (w * (yi - mu[:, None]) ** 2).sum(axis=1)
    )

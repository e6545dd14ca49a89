"""Pooled estimates: inverse variance (fixed and random), Mantel-Haenszel, Peto, and HKSJ.

Each function returns a ``Pool``: the pooled estimate on the analysis scale (log for RR and
OR), its standard error, and the raw study weights that percentages are computed from.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from analysis.stats.effect_sizes import PetoTerms, TwoByTwo


@dataclass(frozen=True)
class Pool:
    """A pooled estimate on the analysis scale with its SE and the study weights behind it."""

    estimate: float
    se: float
    weights: np.ndarray


def pool_inverse_variance(yi: np.ndarray, vi: np.ndarray, tau2: float = 0.0) -> Pool:
    """Return Σw·y/Σw with w = 1/(v + tau²) and SE = 1/√Σw (RevMan 5 SA 3.1 and 3.4)."""
    w = 1 / (vi + tau2)
    sw = np.sum(w)
    return Pool(estimate=float(np.sum(w * yi) / sw), se=float(1 / np.sqrt(sw)), weights=w)


def pool_mh_odds_ratio(t: TwoByTwo) -> Pool:
    """Return the Mantel-Haenszel log OR with the Robins-Breslow-Greenland variance.

    OR = Σ(ad/N)/Σ(bc/N); var(ln OR) = E/(2R²) + F/(2RS) + G/(2S²) (RevMan 5 SA 3.2.1;
    Robins, Breslow & Greenland 1986). Weights bc/N.
    """
    n = t.n
    r_terms = t.a * t.d / n
    s_terms = t.b * t.c / n
    r, s = np.sum(r_terms), np.sum(s_terms)
    e = np.sum((t.a + t.d) * t.a * t.d / n**2)
    f = np.sum(((t.a + t.d) * t.b * t.c + (t.b + t.c) * t.a * t.d) / n**2)
    g = np.sum((t.b + t.c) * t.b * t.c / n**2)
    variance = e / (2 * r**2) + f / (2 * r * s) + g / (2 * s**2)
    return Pool(estimate=float(np.log(r / s)), se=float(np.sqrt(variance)), weights=s_terms)


def pool_mh_risk_ratio(t: TwoByTwo) -> Pool:
    """Return the Mantel-Haenszel log RR with Greenland & Robins' variance.

    RR = Σ(a·n2/N)/Σ(c·n1/N); var(ln RR) = P/(R·S), P = Σ(n1·n2·(a + c) − a·c·N)/N²
    (RevMan 5 SA 3.2.2; Greenland & Robins 1985). Weights c·n1/N.
    """
    n, n1, n2 = t.n, t.n1, t.n2
    r_terms = t.a * n2 / n
    s_terms = t.c * n1 / n
    r, s = np.sum(r_terms), np.sum(s_terms)
    p = np.sum((n1 * n2 * (t.a + t.c) - t.a * t.c * n) / n**2)
    return Pool(estimate=float(np.log(r / s)), se=float(np.sqrt(p / (r * s))), weights=s_terms)


def pool_mh_risk_difference(t: TwoByTwo) -> Pool:
    """Return the Mantel-Haenszel risk difference with Greenland & Robins' variance.

    RD = Σ(a·n2 − c·n1)/N / Σ(n1·n2/N); var = J/K², J = Σ(a·b·n2³ + c·d·n1³)/(n1·n2·N²),
    K = Σ n1·n2/N (RevMan 5 SA 3.2.3). Weights n1·n2/N.
    """
    n, n1, n2 = t.n, t.n1, t.n2
    k_terms = n1 * n2 / n
    big_k = np.sum(k_terms)
    j = np.sum((t.a * t.b * n2**3 + t.c * t.d * n1**3) / (n1 * n2 * n**2))
    estimate = np.sum((t.a * n2 - t.c * n1) / n) / big_k
    return Pool(estimate=float(estimate), se=float(np.sqrt(j) / big_k), weights=k_terms)


def pool_peto(terms: PetoTerms) -> Pool:
    """Return Peto's pooled log OR Σ(O − E)/ΣV with SE 1/√ΣV; weights V (RevMan 5 SA 3.3)."""
    sv = np.sum(terms.v)
    return Pool(
        estimate=float(np.sum(terms.o_minus_e) / sv), se=float(1 / np.sqrt(sv)), weights=terms.v
    )


def peto_q(terms: PetoTerms) -> float:
    """Return Peto's heterogeneity Q = Σ(O − E)²/V − (Σ(O − E))²/ΣV (RevMan 5 SA 3.3)."""
    return float(
        np.sum(terms.o_minus_e**2 / terms.v) - np.sum(terms.o_minus_e) ** 2 / np.sum(terms.v)
    )


def hksj_se(yi: np.ndarray, weights: np.ndarray, estimate: float) -> float:
    """Return the Hartung-Knapp-Sidik-Jonkman SE, untruncated.

    SE² = Σw(y − μ)² / ((k − 1)Σw) (Hartung & Knapp 2001; IntHout et al. 2014; metafor
    ``test="knha"``); CIs and p-values then use t with k − 1 df.
    """
    k = len(yi)
    return float(np.sqrt(np.sum(weights * (yi - estimate) ** 2) / ((k - 1) * np.sum(weights))))

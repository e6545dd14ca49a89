"""Per-study effect sizes and their sampling variances, vectorised over studies.

Formulas follow "Statistical algorithms in Review Manager 5" (Deeks & Higgins, 2010; RevMan 5
SA below) and the Cochrane Handbook, chapter 10 (version 6.4). Each function returns an
``EffectSizes`` whose ``yi`` and ``vi`` are NaN where a study is not estimable.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

ArrayLike = np.ndarray | list | tuple


@dataclass(frozen=True)
class EffectSizes:
    """Per-study estimates on the analysis scale (log scale for RR and OR)."""

    yi: np.ndarray
    vi: np.ndarray
    estimable: np.ndarray


@dataclass(frozen=True)
class TwoByTwo:
    """Cells of each study's 2x2 table: a, b events/non-events (experimental); c, d (control)."""

    a: np.ndarray
    b: np.ndarray
    c: np.ndarray
    d: np.ndarray

    @property
    def n1(self) -> np.ndarray:
        return self.a + self.b

    @property
    def n2(self) -> np.ndarray:
        return self.c + self.d

    @property
    def n(self) -> np.ndarray:
        return self.a + self.b + self.c + self.d


def _f(values: ArrayLike) -> np.ndarray:
    return np.asarray(values, dtype=float)


def mean_difference(
    mean_e: ArrayLike,
    sd_e: ArrayLike,
    n_e: ArrayLike,
    mean_c: ArrayLike,
    sd_c: ArrayLike,
    n_c: ArrayLike,
) -> EffectSizes:
    """Return the mean difference and its variance sd1²/n1 + sd2²/n2 (RevMan 5 SA, section 2.1.1)."""
    m1, s1, n1, m2, s2, n2 = map(_f, (mean_e, sd_e, n_e, mean_c, sd_c, n_c))
    yi = m1 - m2
    vi = s1**2 / n1 + s2**2 / n2
    return EffectSizes(yi=yi, vi=vi, estimable=np.isfinite(yi) & np.isfinite(vi) & (vi > 0))


def hedges_g(
    mean_e: ArrayLike,
    sd_e: ArrayLike,
    n_e: ArrayLike,
    mean_c: ArrayLike,
    sd_c: ArrayLike,
    n_c: ArrayLike,
) -> EffectSizes:
    """Return Hedges' adjusted g with RevMan 5's variance (RevMan 5 SA, section 2.1.2).

    g = (m1 − m2)/s · (1 − 3/(4N − 9)) with s the pooled SD on N − 2 df, and
    SE² = N/(n1·n2) + g²/(2(N − 3.94)). metafor's default (``escalc("SMD")``) uses the exact
    gamma-function correction and another variance, so it differs in the fourth decimal.
    """
    m1, s1, n1, m2, s2, n2 = map(_f, (mean_e, sd_e, n_e, mean_c, sd_c, n_c))
    big_n = n1 + n2
    pooled_sd = np.sqrt(((n1 - 1) * s1**2 + (n2 - 1) * s2**2) / (big_n - 2))
    g = (m1 - m2) / pooled_sd * (1 - 3 / (4 * big_n - 9))
    vi = big_n / (n1 * n2) + g**2 / (2 * (big_n - 3.94))
    return EffectSizes(yi=g, vi=vi, estimable=np.isfinite(g) & np.isfinite(vi) & (vi > 0))


def two_by_two(
    events_e: ArrayLike, n_e: ArrayLike, events_c: ArrayLike, n_c: ArrayLike
) -> TwoByTwo:
    """Return the 2x2 cells from events and totals per arm."""
    a, n1, c, n2 = map(_f, (events_e, n_e, events_c, n_c))
    return TwoByTwo(a=a, b=n1 - a, c=c, d=n2 - c)


def has_zero_cell(table: TwoByTwo) -> np.ndarray:
    """Return which studies have a zero in any cell (these get 0.5 added to every cell)."""
    return (table.a == 0) | (table.b == 0) | (table.c == 0) | (table.d == 0)


def is_double_zero(table: TwoByTwo) -> np.ndarray:
    """Return which studies have no events, or only events, in both arms.

    Such studies carry no information on RR or OR and RevMan reports them as not estimable
    (RevMan 5 SA, section 2.3; Cochrane Handbook 10.4.4.2).
    """
    return ((table.a == 0) & (table.c == 0)) | ((table.b == 0) & (table.d == 0))


def zero_cell_corrected(table: TwoByTwo, increment: float = 0.5) -> TwoByTwo:
    """Return the table with ``increment`` added to every cell of studies with a zero cell.

    RevMan adds 0.5 to all four cells of such a study and uses the corrected counts in the
    study's estimate and in the Mantel-Haenszel sums (RevMan 5 SA, section 2.3).
    """
    add = np.where(has_zero_cell(table), increment, 0.0)
    return TwoByTwo(a=table.a + add, b=table.b + add, c=table.c + add, d=table.d + add)


def log_risk_ratio(table: TwoByTwo) -> EffectSizes:
    """Return log RR with variance 1/a − 1/n1 + 1/c − 1/n2 on the corrected table (RevMan 5 SA 2.2.2)."""
    t = zero_cell_corrected(table)
    estimable = ~is_double_zero(table)
    with np.errstate(divide="ignore", invalid="ignore"):
        yi = np.log((t.a / t.n1) / (t.c / t.n2))
        vi = 1 / t.a - 1 / t.n1 + 1 / t.c - 1 / t.n2
    return _masked(yi, vi, estimable)


def log_odds_ratio(table: TwoByTwo) -> EffectSizes:
    """Return log OR with variance 1/a + 1/b + 1/c + 1/d on the corrected table (RevMan 5 SA 2.2.1)."""
    t = zero_cell_corrected(table)
    estimable = ~is_double_zero(table)
    with np.errstate(divide="ignore", invalid="ignore"):
        yi = np.log((t.a * t.d) / (t.b * t.c))
        vi = 1 / t.a + 1 / t.b + 1 / t.c + 1 / t.d
    return _masked(yi, vi, estimable)


def risk_difference(table: TwoByTwo) -> EffectSizes:
    """Return the risk difference from the raw proportions, its variance from the corrected table.

    Variance a·b/n1³ + c·d/n2³ (RevMan 5 SA 2.2.3). Double-zero studies stay (estimate 0).
    """
    t = zero_cell_corrected(table)
    with np.errstate(divide="ignore", invalid="ignore"):
        yi = table.a / table.n1 - table.c / table.n2
        vi = t.a * t.b / t.n1**3 + t.c * t.d / t.n2**3
    return _masked(yi, vi, np.ones_like(yi, dtype=bool))


@dataclass(frozen=True)
class PetoTerms:
    """Observed minus expected events and hypergeometric variance per study (Peto method)."""

    o_minus_e: np.ndarray
    v: np.ndarray


def peto_terms(table: TwoByTwo) -> PetoTerms:
    """Return O − E and V per study (RevMan 5 SA 2.4; Yusuf et al. 1985).

    E = (a + c)·n1/N and V = n1·n2·(a + c)(b + d) / (N²(N − 1)).
    """
    n = table.n
    events = table.a + table.c
    with np.errstate(divide="ignore", invalid="ignore"):
        expected = events * table.n1 / n
        v = table.n1 * table.n2 * events * (table.b + table.d) / (n**2 * (n - 1))
    return PetoTerms(o_minus_e=table.a - expected, v=v)


def peto_log_odds_ratio(table: TwoByTwo) -> EffectSizes:
    """Return Peto's log OR (O − E)/V with variance 1/V (RevMan 5 SA 2.4)."""
    terms = peto_terms(table)
    with np.errstate(divide="ignore", invalid="ignore"):
        yi = terms.o_minus_e / terms.v
        vi = 1 / terms.v
    return _masked(yi, vi, terms.v > 0)


def _masked(yi: np.ndarray, vi: np.ndarray, estimable: np.ndarray) -> EffectSizes:
    ok = estimable & np.isfinite(yi) & np.isfinite(vi) & (vi > 0)
    return EffectSizes(yi=np.where(ok, yi, np.nan), vi=np.where(ok, vi, np.nan), estimable=ok)

"""Fit one meta-analysis model to a set of studies: the core that every public entry point uses."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from analysis.stats import effect_sizes as es
from analysis.stats.constants import Z_975
from analysis.stats.distributions import normal_two_sided_p, t_quantile, t_two_sided_p
from analysis.stats.heterogeneity import cochran_q
from analysis.stats.inputs import ContinuousData, DichotomousData, StudyData
from analysis.stats.pooling import (
    Pool,
    hksj_se,
    peto_q,
    pool_inverse_variance,
    pool_mh_odds_ratio,
    pool_mh_risk_difference,
    pool_mh_risk_ratio,
    pool_peto,
)
from analysis.stats.results import AnalysisOptions
from analysis.stats.tau2 import tau2_dl_from_q, tau2_pm, tau2_reml

MSG_HKSJ_ONE_STUDY = (
    "HKSJ needs at least two studies{where}; the normal-based CI is reported instead."
)

MH_POOLERS = {"RR": pool_mh_risk_ratio, "OR": pool_mh_odds_ratio, "RD": pool_mh_risk_difference}


@dataclass(frozen=True, eq=False)
class StudyEffects:
    """Per-study effects for all studies, plus the 2x2 material Mantel-Haenszel and Peto need."""

    yi: np.ndarray
    vi: np.ndarray
    estimable: np.ndarray
    # The table for the Mantel-Haenszel sums: zero-cell corrected for RR and OR, raw for RD
    # (RevMan 5; reproduces the published Cochrane analyses in ../shared/realdata).
    table: es.TwoByTwo | None = None
    peto: es.PetoTerms | None = None


def study_effects(data: StudyData, options: AnalysisOptions) -> StudyEffects:
    """Return each study's effect on the analysis scale for the options' measure and method."""
    if isinstance(data, ContinuousData):
        compute = es.mean_difference if options.measure == "MD" else es.hedges_g
        e = compute(data.mean_e, data.sd_e, data.n_e, data.mean_c, data.sd_c, data.n_c)
        return StudyEffects(yi=e.yi, vi=e.vi, estimable=e.estimable)
    assert isinstance(data, DichotomousData)
    table = es.two_by_two(data.events_e, data.n_e, data.events_c, data.n_c)
    if options.method == "PETO":
        e = es.peto_log_odds_ratio(table)
        return StudyEffects(yi=e.yi, vi=e.vi, estimable=e.estimable, peto=es.peto_terms(table))
    compute = {"RR": es.log_risk_ratio, "OR": es.log_odds_ratio, "RD": es.risk_difference}[
        options.measure
    ]
    e = compute(table)
    mh_table = table if options.measure == "RD" else es.zero_cell_corrected(table)
    return StudyEffects(yi=e.yi, vi=e.vi, estimable=e.estimable, table=mh_table)


@dataclass(frozen=True, eq=False)
class Fit:
    """A fitted model on the analysis scale (internal; results.py holds what is reported)."""

    estimate: float
    se: float
    weights: np.ndarray
    q: float
    df: int
    tau2: float | None
    critical: float
    p: float
    statistic: float
    statistic_name: str
    statistic_df: int | None
    warnings: tuple[str, ...] = field(default=())

    @property
    def ci(self) -> tuple[float, float]:
        return self.estimate - self.critical * self.se, self.estimate + self.critical * self.se


def _subset_table(table: es.TwoByTwo, mask: np.ndarray) -> es.TwoByTwo:
    return es.TwoByTwo(a=table.a[mask], b=table.b[mask], c=table.c[mask], d=table.d[mask])


def _fixed(effects: StudyEffects, mask: np.ndarray, options: AnalysisOptions) -> tuple[Pool, float]:
    yi, vi = effects.yi[mask], effects.vi[mask]
    if options.method == "MH":
        pool = MH_POOLERS[options.measure](_subset_table(effects.table, mask))
        # RevMan: heterogeneity of MH analyses is Q with inverse-variance weights around the MH estimate.
        return pool, cochran_q(yi, vi, pool.estimate)
    if options.method == "PETO":
        terms = es.PetoTerms(o_minus_e=effects.peto.o_minus_e[mask], v=effects.peto.v[mask])
        return pool_peto(terms), peto_q(terms)
    pool = pool_inverse_variance(yi, vi)
    return pool, cochran_q(yi, vi, pool.estimate)


def fit_model(
    effects: StudyEffects, mask: np.ndarray, options: AnalysisOptions, *, where: str = ""
) -> Fit:
    """Fit the options' model to the studies selected by ``mask`` (all must be estimable)."""
    yi, vi = effects.yi[mask], effects.vi[mask]
    k = len(yi)
    warnings: list[str] = []
    pool, q = _fixed(effects, mask, options)
    tau2: float | None = None
    if options.random:
        if k < 2:
            tau2 = 0.0
        elif options.tau2_method == "DL":
            # For 'M-H, Random' q is the Q around the MH estimate (RevMan 5 SA 3.4.1).
            tau2 = tau2_dl_from_q(q, 1 / vi)
        elif options.tau2_method == "PM":
            tau2 = tau2_pm(yi, vi)
        else:
            reml = tau2_reml(yi, vi)
            tau2 = reml.tau2
            if reml.warning:
                warnings.append(reml.warning + where)
        pool = pool_inverse_variance(yi, vi, tau2)
    se, name, stat_df = pool.se, "Z", None
    critical = Z_975
    if options.hksj:
        if k >= 2:
            se = hksj_se(yi, pool.weights, pool.estimate)
            name, stat_df = "t", k - 1
            critical = t_quantile(0.975, k - 1)
        else:
            warnings.append(MSG_HKSJ_ONE_STUDY.format(where=where))
    statistic = pool.estimate / se if se > 0 else np.inf
    p = normal_two_sided_p(statistic) if stat_df is None else t_two_sided_p(statistic, stat_df)
    return Fit(
        estimate=pool.estimate,
        se=se,
        weights=pool.weights,
        q=q,
        df=k - 1,
        tau2=tau2,
        critical=critical,
        p=p,
        statistic=float(statistic),
        statistic_name=name,
        statistic_df=stat_df,
        warnings=tuple(warnings),
    )

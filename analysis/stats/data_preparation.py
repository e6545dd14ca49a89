"""Prepare extracted data for analysis: cluster-RCT adjustment, combining arms, SDs from other statistics.

Formulas from the Cochrane Handbook (version 6.4): section 23.1.4 (cluster-randomized trials,
design effect), 6.5.2.10 / Table 6.5.a (combining groups), 6.5.2.2 and 6.5.2.3 (SDs from SEs,
CIs, t and P values).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from scipy import stats

from analysis.stats.errors import MetaAnalysisError

MSG_ICC_RANGE = "The intracluster correlation must be between 0 and 1 (got {icc})."
MSG_CLUSTER_SIZE = "The average cluster size must be at least 1 (got {m})."
MSG_UNKNOWN_ARM = "There is no arm {name!r}; arms are: {arms}."
MSG_POSITIVE = "{what} must be greater than zero (got {value})."


@dataclass(frozen=True)
class ContinuousArm:
    """One arm's size, mean and standard deviation."""

    n: float
    mean: float
    sd: float


@dataclass(frozen=True)
class DichotomousArm:
    """One arm's events and size."""

    events: float
    n: float


def design_effect(mean_cluster_size: float, icc: float) -> float:
    """Return the design effect 1 + (m − 1)·ICC (Handbook 23.1.4)."""
    if not 0 <= icc <= 1:
        raise MetaAnalysisError(MSG_ICC_RANGE.format(icc=icc))
    if mean_cluster_size < 1:
        raise MetaAnalysisError(MSG_CLUSTER_SIZE.format(m=mean_cluster_size))
    return 1 + (mean_cluster_size - 1) * icc


def cluster_adjusted_continuous(
    arm: ContinuousArm, mean_cluster_size: float, icc: float
) -> ContinuousArm:
    """Return the arm with its effective size n / design effect; mean and SD unchanged (Handbook 23.1.4)."""
    return ContinuousArm(n=arm.n / design_effect(mean_cluster_size, icc), mean=arm.mean, sd=arm.sd)


def cluster_adjusted_dichotomous(
    arm: DichotomousArm, mean_cluster_size: float, icc: float
) -> DichotomousArm:
    """Return the arm with events and size both divided by the design effect (Handbook 23.1.4)."""
    deff = design_effect(mean_cluster_size, icc)
    return DichotomousArm(events=arm.events / deff, n=arm.n / deff)


def combine_continuous_arms(first: ContinuousArm, second: ContinuousArm) -> ContinuousArm:
    """Return two intervention arms combined into one (Handbook 6.5.2.10, Table 6.5.a).

    N = N1 + N2; M = (N1·M1 + N2·M2)/N;
    SD = √{[(N1 − 1)SD1² + (N2 − 1)SD2² + N1·N2/N·(M1 − M2)²] / (N − 1)}.
    """
    n = first.n + second.n
    mean = (first.n * first.mean + second.n * second.mean) / n
    variance = (
        (first.n - 1) * first.sd**2
        + (second.n - 1) * second.sd**2
        + first.n * second.n / n * (first.mean - second.mean) ** 2
    ) / (n - 1)
    return ContinuousArm(n=n, mean=mean, sd=math.sqrt(variance))


def combine_dichotomous_arms(first: DichotomousArm, second: DichotomousArm) -> DichotomousArm:
    """Return two arms combined by adding events and sizes (Handbook 6.5.2.10 / 23.3.4)."""
    return DichotomousArm(events=first.events + second.events, n=first.n + second.n)


def select_arm(
    arms: Mapping[str, ContinuousArm | DichotomousArm], name: str
) -> ContinuousArm | DichotomousArm:
    """Return the one arm chosen for the comparison (Handbook 23.3.4, option 'select one arm')."""
    if name not in arms:
        raise MetaAnalysisError(MSG_UNKNOWN_ARM.format(name=name, arms=", ".join(arms)))
    return arms[name]


def sd_from_se(se: float, n: float) -> float:
    """Return SD = SE·√N for a group mean (Handbook 6.5.2.2)."""
    _positive("The standard error", se)
    return se * math.sqrt(n)


def sd_from_ci(lower: float, upper: float, n: float, *, level: float = 0.95) -> float:
    """Return SD = √N·(upper − lower)/(2·q) for a group mean's CI (Handbook 6.5.2.2).

    q is the normal quantile (3.92/2 at 95%) for N ≥ 60 and the t quantile on N − 1 df below
    that, as the Handbook advises for small samples.
    """
    _positive("The CI width", upper - lower)
    quantile = stats.norm.ppf(0.5 + level / 2) if n >= 60 else stats.t.ppf(0.5 + level / 2, n - 1)
    return math.sqrt(n) * (upper - lower) / (2 * float(quantile))


def sd_from_t(mean_difference: float, t: float, n_e: float, n_c: float) -> float:
    """Return the within-group SD from a two-sample t statistic (Handbook 6.5.2.3).

    SE(MD) = MD / t and SD = SE / √(1/N_E + 1/N_C), assuming the SD is the same in both groups.
    """
    if t == 0:
        raise MetaAnalysisError(MSG_POSITIVE.format(what="|t|", value=t))
    se = abs(mean_difference / t)
    return se / math.sqrt(1 / n_e + 1 / n_c)


def sd_from_p(mean_difference: float, p: float, n_e: float, n_c: float) -> float:
    """Return the within-group SD from a two-sided P value of a t-test (Handbook 6.5.2.3)."""
    if not 0 < p < 1:
        raise MetaAnalysisError(MSG_POSITIVE.format(what="P (below 1)", value=p))
    t = float(stats.t.isf(p / 2, n_e + n_c - 2))
    return sd_from_t(mean_difference, t, n_e, n_c)


def _positive(what: str, value: float) -> None:
    if not value > 0:
        raise MetaAnalysisError(MSG_POSITIVE.format(what=what, value=value))

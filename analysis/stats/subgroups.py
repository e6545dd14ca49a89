"""Subgroup analyses: each subgroup pooled on its own, and the test for subgroup differences."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from analysis.stats.engine import Fit, StudyEffects, fit_model
from analysis.stats.heterogeneity import cochran_q, i_squared, q_p_value
from analysis.stats.pooling import pool_inverse_variance
from analysis.stats.results import AnalysisOptions, SubgroupResult, SubgroupTest
from analysis.stats.transform import reported

MSG_EMPTY_SUBGROUP = (
    "Subgroup {name!r} has no estimable study; it is listed with nulls and left out of the test."
)
MSG_ONE_SUBGROUP = (
    "Only one subgroup has estimable studies: there is no test for subgroup differences."
)


def subgroup_names(labels: Sequence[str]) -> list[str]:
    """Return the distinct subgroup labels in order of first appearance."""
    return list(dict.fromkeys(labels))


def subgroup_analyses(
    effects: StudyEffects, labels: Sequence[str], options: AnalysisOptions
) -> tuple[tuple[SubgroupResult, ...], SubgroupTest, tuple[str, ...]]:
    """Return each subgroup's pooled result (same options, own tau²) and the test for differences.

    The test is Q across the subgroup estimates with weights 1/SE², df = groups − 1
    (Cochrane Handbook 10.11.3.1; Borenstein et al. 2009, chapter 19; RevMan 5 SA 3.6).
    """
    labels_array = np.asarray(labels, dtype=object)
    results: list[SubgroupResult] = []
    fits: list[Fit] = []
    warnings: list[str] = []
    for name in subgroup_names(labels):
        mask = effects.estimable & (labels_array == name)
        k = int(mask.sum())
        if k == 0:
            results.append(SubgroupResult(name, 0, None, None, None, None, None, None, None))
            warnings.append(MSG_EMPTY_SUBGROUP.format(name=name))
            continue
        fit = fit_model(effects, mask, options, where=f" (subgroup {name!r})")
        warnings.extend(fit.warnings)
        fits.append(fit)
        low, high = fit.ci
        results.append(
            SubgroupResult(
                name=name,
                k=k,
                yi=fit.estimate,
                se=fit.se,
                estimate=reported(fit.estimate, options),
                ci_low=reported(low, options),
                ci_high=reported(high, options),
                tau2=fit.tau2,
                Q=fit.q,
                df=fit.df,
                I2=i_squared(fit.q, fit.df),
            )
        )
    if len(fits) < 2:
        warnings.append(MSG_ONE_SUBGROUP)
        return tuple(results), SubgroupTest(Q=0.0, df=0, p=None), tuple(warnings)
    estimates = np.array([f.estimate for f in fits])
    variances = np.array([f.se**2 for f in fits])
    centre = pool_inverse_variance(estimates, variances).estimate
    q = cochran_q(estimates, variances, centre)
    df = len(fits) - 1
    return tuple(results), SubgroupTest(Q=q, df=df, p=q_p_value(q, df)), tuple(warnings)

"""The public entry point: ``meta_analysis(data, measure=..., ...) -> MetaAnalysisResult``."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from analysis.stats.constants import Z_975
from analysis.stats.distributions import t_quantile
from analysis.stats.egger import EGGER_MIN_STUDIES, egger_test
from analysis.stats.engine import Fit, StudyEffects, fit_model, study_effects
from analysis.stats.errors import (
    MSG_MODERATOR_CONSTANT,
    MSG_MODERATOR_MISSING,
    MSG_NONE_ESTIMABLE_HINT,
    MSG_TOO_FEW_STUDIES,
    MetaAnalysisError,
)
from analysis.stats.heterogeneity import i_squared, q_p_value, tau2_ci_q_profile
from analysis.stats.inputs import ContinuousData, DichotomousData, StudyData
from analysis.stats.metaregression import meta_regression as fit_meta_regression
from analysis.stats.options import CONTINUOUS_MEASURES, resolve_options
from analysis.stats.results import (
    AnalysisOptions,
    FunnelPoint,
    HeterogeneityResult,
    MetaAnalysisResult,
    MetaRegressionResult,
    PooledResult,
    PredictionInterval,
    StudyResult,
)
from analysis.stats.subgroups import subgroup_analyses
from analysis.stats.transform import reported

MSG_WRONG_DATA = (
    "--measure {measure} needs {kind} data (columns {columns}); the data given are {given}."
)
MSG_REGRESSION_TOO_FEW = (
    "Meta-regression on {column!r} needs at least three estimable studies; found {k}."
)


def meta_analysis(
    data: StudyData,
    *,
    measure: str,
    model: str = "random",
    method: str | None = None,
    tau2: str | None = None,
    hksj: bool = False,
    subgroup: Sequence[str] | None = None,
    moderator: Sequence[float] | None = None,
    moderator_name: str = "moderator",
) -> MetaAnalysisResult:
    """Run one meta-analysis and return its frozen result (``.to_dict()`` is the JSON contract).

    ``subgroup`` gives each study's subgroup label; ``moderator`` each study's value of a
    numeric moderator for meta-regression. Raise ``MetaAnalysisError`` on input that cannot
    be analysed, with a message naming the study and field.
    """
    options = resolve_options(measure=measure, model=model, method=method, tau2=tau2, hksj=hksj)
    _check_data_kind(data, options)
    data.validate()
    effects = study_effects(data, options)
    mask = effects.estimable
    k = int(mask.sum())
    if k < 2:
        raise MetaAnalysisError(_too_few_message(data, effects, k))
    fit = fit_model(effects, mask, options)
    warnings = list(fit.warnings)
    result_subgroups = subgroup_test = None
    if subgroup is not None:
        result_subgroups, subgroup_test, subgroup_warnings = subgroup_analyses(
            effects, list(subgroup), options
        )
        warnings.extend(subgroup_warnings)
    regression = None
    if moderator is not None:
        regression = _meta_regression(data, effects, moderator, moderator_name, options)
    yi, se = effects.yi[mask], np.sqrt(effects.vi[mask])
    egger = None
    if options.method == "IV" and k >= EGGER_MIN_STUDIES:
        egger = egger_test(yi, se)
    return MetaAnalysisResult(
        options=options,
        k=k,
        studies=_study_results(data.study, effects, fit, options),
        pooled=_pooled(fit, options),
        heterogeneity=_heterogeneity(effects, mask, fit, options),
        prediction_interval=_prediction_interval(fit, k, options),
        egger=egger,
        funnel=tuple(
            FunnelPoint(study=s, yi=float(y), se=float(e))
            for s, y, e in zip(np.asarray(data.study)[mask], yi, se, strict=True)
        ),
        subgroups=result_subgroups,
        subgroup_test=subgroup_test,
        meta_regression=regression,
        warnings=tuple(warnings),
    )


def _check_data_kind(data: StudyData, options: AnalysisOptions) -> None:
    continuous = options.measure in CONTINUOUS_MEASURES
    if continuous and not isinstance(data, ContinuousData):
        raise MetaAnalysisError(
            MSG_WRONG_DATA.format(
                measure=options.measure,
                kind="continuous",
                columns="mean_e, sd_e, n_e, mean_c, sd_c, n_c",
                given="dichotomous",
            )
        )
    if not continuous and not isinstance(data, DichotomousData):
        raise MetaAnalysisError(
            MSG_WRONG_DATA.format(
                measure=options.measure,
                kind="dichotomous",
                columns="events_e, n_e, events_c, n_c",
                given="continuous",
            )
        )


def _too_few_message(data: StudyData, effects: StudyEffects, k: int) -> str:
    not_estimable = [s for s, ok in zip(data.study, effects.estimable, strict=True) if not ok]
    estimable = [s for s, ok in zip(data.study, effects.estimable, strict=True) if ok]
    detail = ""
    if estimable:
        detail += f" ({', '.join(repr(s) for s in estimable)})"
    if not_estimable:
        detail += f"; not estimable: {', '.join(repr(s) for s in not_estimable)}"
    hint = (
        MSG_NONE_ESTIMABLE_HINT
        if not_estimable
        else "Add studies or report the single study alone."
    )
    return MSG_TOO_FEW_STUDIES.format(k=k, detail=detail, hint=hint)


def _study_results(
    names: Sequence[str], effects: StudyEffects, fit: Fit, options: AnalysisOptions
) -> tuple[StudyResult, ...]:
    percent = iter(100 * fit.weights / np.sum(fit.weights))
    out = []
    for name, yi, vi, ok in zip(names, effects.yi, effects.vi, effects.estimable, strict=True):
        if not ok:
            out.append(StudyResult(name, None, None, None, None, None, None))
            continue
        se = float(np.sqrt(vi))
        out.append(
            StudyResult(
                study=name,
                yi=float(yi),
                se=se,
                estimate=reported(float(yi), options),
                ci_low=reported(float(yi - Z_975 * se), options),
                ci_high=reported(float(yi + Z_975 * se), options),
                weight=float(next(percent)),
            )
        )
    return tuple(out)


def _pooled(fit: Fit, options: AnalysisOptions) -> PooledResult:
    low, high = fit.ci
    return PooledResult(
        yi=fit.estimate,
        se=fit.se,
        estimate=reported(fit.estimate, options),
        ci_low=reported(low, options),
        ci_high=reported(high, options),
        p=fit.p,
        statistic=fit.statistic,
        statistic_name=fit.statistic_name,
        df=fit.statistic_df,
    )


def _heterogeneity(
    effects: StudyEffects, mask: np.ndarray, fit: Fit, options: AnalysisOptions
) -> HeterogeneityResult:
    base = {"Q": fit.q, "df": fit.df, "p": q_p_value(fit.q, fit.df), "I2": i_squared(fit.q, fit.df)}
    if not options.random:
        return HeterogeneityResult(random=False, **base)
    interval = tau2_ci_q_profile(effects.yi[mask], effects.vi[mask])
    return HeterogeneityResult(
        random=True,
        tau2=fit.tau2,
        tau2_ci_low=interval.tau2_low,
        tau2_ci_high=interval.tau2_high,
        I2_ci_low=interval.i2_low,
        I2_ci_high=interval.i2_high,
        **base,
    )


def _prediction_interval(fit: Fit, k: int, options: AnalysisOptions) -> PredictionInterval | None:
    """Return μ ± t(k−2, 0.975)·√(tau² + SE(μ)²) (Higgins, Thompson & Spiegelhalter 2009; Handbook 10.10.4.3)."""
    if not options.random or k < 3:
        return None
    half = t_quantile(0.975, k - 2) * np.sqrt(fit.tau2 + fit.se**2)
    return PredictionInterval(
        low=reported(fit.estimate - half, options), high=reported(fit.estimate + half, options)
    )


def _meta_regression(
    data: StudyData,
    effects: StudyEffects,
    moderator: Sequence[float],
    column: str,
    options: AnalysisOptions,
) -> MetaRegressionResult:
    values = np.asarray(moderator, dtype=float)
    mask = effects.estimable
    for name, value, ok in zip(data.study, values, mask, strict=True):
        if ok and not np.isfinite(value):
            raise MetaAnalysisError(MSG_MODERATOR_MISSING.format(study=name, column=column))
    k = int(mask.sum())
    if k < 3:
        raise MetaAnalysisError(MSG_REGRESSION_TOO_FEW.format(column=column, k=k))
    x = values[mask]
    if np.ptp(x) == 0:
        raise MetaAnalysisError(MSG_MODERATOR_CONSTANT.format(column=column))
    return fit_meta_regression(
        effects.yi[mask],
        effects.vi[mask],
        x,
        tau2_method=options.tau2_method if options.random else None,
        knha=options.hksj,
    )

"""Frozen result types of a meta-analysis; ``MetaAnalysisResult.to_dict()`` is the JSON contract."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any


def json_number(value: float | None) -> float | int | None:
    """Return ``value`` as a plain JSON number, or None when missing or not finite (never NaN)."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise TypeError("a boolean is not a number here")
    if isinstance(value, int):
        return value
    number = float(value)
    return number if math.isfinite(number) else None


@dataclass(frozen=True)
class StudyResult:
    """One study's estimate; everything None when the study is not estimable."""

    study: str
    yi: float | None
    se: float | None
    estimate: float | None
    ci_low: float | None
    ci_high: float | None
    weight: float | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "study": self.study,
            "yi": json_number(self.yi),
            "se": json_number(self.se),
            "estimate": json_number(self.estimate),
            "ci_low": json_number(self.ci_low),
            "ci_high": json_number(self.ci_high),
            "weight": json_number(self.weight),
        }


@dataclass(frozen=True)
class PooledResult:
    """The pooled effect: ``yi``/``se`` on the analysis scale, ``estimate`` and CI on the reported scale."""

    yi: float
    se: float
    estimate: float
    ci_low: float
    ci_high: float
    p: float
    statistic: float
    statistic_name: str  # "Z" (normal) or "t" (HKSJ)
    df: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "yi": json_number(self.yi),
            "se": json_number(self.se),
            "estimate": json_number(self.estimate),
            "ci_low": json_number(self.ci_low),
            "ci_high": json_number(self.ci_high),
            "p": json_number(self.p),
        }


@dataclass(frozen=True)
class HeterogeneityResult:
    """Q, its df and p, I², and for random effects tau² with Q-profile CIs for tau² and I²."""

    Q: float
    df: int
    p: float | None
    I2: float | None
    random: bool
    tau2: float | None = None
    tau2_ci_low: float | None = None
    tau2_ci_high: float | None = None
    I2_ci_low: float | None = None
    I2_ci_high: float | None = None

    @property
    def tau(self) -> float | None:
        return None if self.tau2 is None else math.sqrt(self.tau2)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "Q": json_number(self.Q),
            "df": self.df,
            "p": json_number(self.p),
            "I2": json_number(self.I2),
        }
        if self.random:
            out.update(
                tau2=json_number(self.tau2),
                tau2_ci_low=json_number(self.tau2_ci_low),
                tau2_ci_high=json_number(self.tau2_ci_high),
                I2_ci_low=json_number(self.I2_ci_low),
                I2_ci_high=json_number(self.I2_ci_high),
            )
        return out


@dataclass(frozen=True)
class PredictionInterval:
    """Prediction interval for the effect in a new study, on the reported scale."""

    low: float
    high: float

    def to_dict(self) -> dict[str, Any]:
        return {"low": json_number(self.low), "high": json_number(self.high)}


@dataclass(frozen=True)
class EggerTest:
    """Egger's regression test: intercept of SND on precision, its SE and two-sided p (t, k − 2 df)."""

    intercept: float
    se: float
    p: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "intercept": json_number(self.intercept),
            "se": json_number(self.se),
            "p": json_number(self.p),
        }


@dataclass(frozen=True)
class FunnelPoint:
    """A study's coordinates in a funnel plot: effect (analysis scale) against its SE."""

    study: str
    yi: float
    se: float


@dataclass(frozen=True)
class SubgroupResult:
    """One subgroup pooled on its own (own tau²)."""

    name: str
    k: int
    yi: float | None
    se: float | None
    estimate: float | None
    ci_low: float | None
    ci_high: float | None
    tau2: float | None
    Q: float | None
    df: int | None = None
    I2: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "k": self.k,
            "yi": json_number(self.yi),
            "se": json_number(self.se),
            "estimate": json_number(self.estimate),
            "ci_low": json_number(self.ci_low),
            "ci_high": json_number(self.ci_high),
            "tau2": json_number(self.tau2),
            "Q": json_number(self.Q),
        }


@dataclass(frozen=True)
class SubgroupTest:
    """Test for subgroup differences: Q across subgroup estimates, df = groups − 1."""

    Q: float
    df: int
    p: float | None

    def to_dict(self) -> dict[str, Any]:
        return {"Q": json_number(self.Q), "df": self.df, "p": json_number(self.p)}


@dataclass(frozen=True)
class MetaRegressionResult:
    """Meta-regression on one moderator: coefficients, slope test, residual tau², omnibus QM."""

    intercept: float
    intercept_se: float
    slope: float
    slope_se: float
    slope_p: float
    tau2: float | None
    QM: float
    QMp: float
    k: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "intercept": json_number(self.intercept),
            "slope": json_number(self.slope),
            "slope_se": json_number(self.slope_se),
            "slope_p": json_number(self.slope_p),
            "tau2": json_number(self.tau2),
            "QM": json_number(self.QM),
            "QMp": json_number(self.QMp),
        }


@dataclass(frozen=True)
class AnalysisOptions:
    """The resolved options of an analysis (defaults filled in, combinations checked)."""

    measure: str
    model: str
    method: str
    tau2_method: str | None
    hksj: bool = False

    @property
    def ratio(self) -> bool:
        return self.measure in ("RR", "OR")

    @property
    def random(self) -> bool:
        return self.model == "random"


@dataclass(frozen=True)
class MetaAnalysisResult:
    """Everything an analysis reports; ``to_dict()`` gives the documented JSON object."""

    options: AnalysisOptions
    k: int
    studies: tuple[StudyResult, ...]
    pooled: PooledResult
    heterogeneity: HeterogeneityResult
    prediction_interval: PredictionInterval | None = None
    egger: EggerTest | None = None
    funnel: tuple[FunnelPoint, ...] = ()
    subgroups: tuple[SubgroupResult, ...] | None = None
    subgroup_test: SubgroupTest | None = None
    meta_regression: MetaRegressionResult | None = None
    warnings: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON contract of ``meta_analyze --json`` (optional keys only when they apply)."""
        out: dict[str, Any] = {
            "k": self.k,
            "studies": [s.to_dict() for s in self.studies],
            "pooled": self.pooled.to_dict(),
            "heterogeneity": self.heterogeneity.to_dict(),
        }
        if self.prediction_interval is not None:
            out["prediction_interval"] = self.prediction_interval.to_dict()
        if self.egger is not None:
            out["egger"] = self.egger.to_dict()
        if self.subgroups is not None:
            out["subgroups"] = [g.to_dict() for g in self.subgroups]
            out["subgroup_test"] = self.subgroup_test.to_dict() if self.subgroup_test else None
        if self.meta_regression is not None:
            out["meta_regression"] = self.meta_regression.to_dict()
        if self.warnings:
            out["warnings"] = list(self.warnings)
        return out

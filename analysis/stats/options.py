"""Resolve and check analysis options: defaults as the command-line contract states them."""

from __future__ import annotations

from analysis.stats.errors import (
    MSG_HKSJ_NEEDS_IV,
    MSG_MH_NEEDS_DICHOTOMOUS,
    MSG_MH_RANDOM_TAU2,
    MSG_PETO_FIXED_ONLY,
    MSG_PETO_NEEDS_OR,
    MSG_UNKNOWN_MEASURE,
    MSG_UNKNOWN_METHOD,
    MSG_UNKNOWN_MODEL,
    MSG_UNKNOWN_TAU2,
    MetaAnalysisError,
)
from analysis.stats.results import AnalysisOptions

MEASURES = ("MD", "SMD", "RR", "OR", "RD")
CONTINUOUS_MEASURES = ("MD", "SMD")
DICHOTOMOUS_MEASURES = ("RR", "OR", "RD")
MODELS = ("fixed", "random")
METHODS = ("IV", "MH", "PETO")
TAU2_METHODS = ("DL", "REML", "PM")


def resolve_options(
    *,
    measure: str,
    model: str = "random",
    method: str | None = None,
    tau2: str | None = None,
    hksj: bool = False,
) -> AnalysisOptions:
    """Return complete options: method MH for fixed RR/OR/RD, IV otherwise; tau² REML, DL for MH random.

    Raise ``MetaAnalysisError`` for combinations RevMan does not offer (MH for MD/SMD, Peto for
    anything but a fixed-effect OR, another tau² than DL with 'M-H, Random').
    """
    measure = measure.upper()
    if measure not in MEASURES:
        raise MetaAnalysisError(MSG_UNKNOWN_MEASURE.format(measure=measure))
    if model not in MODELS:
        raise MetaAnalysisError(MSG_UNKNOWN_MODEL.format(model=model))
    if method is None:
        method = "MH" if (model == "fixed" and measure in DICHOTOMOUS_MEASURES) else "IV"
    method = method.upper()
    if method not in METHODS:
        raise MetaAnalysisError(MSG_UNKNOWN_METHOD.format(method=method))
    if tau2 is not None:
        tau2 = tau2.upper()
        if tau2 not in TAU2_METHODS:
            raise MetaAnalysisError(MSG_UNKNOWN_TAU2.format(tau2=tau2))
    if method == "MH" and measure not in DICHOTOMOUS_MEASURES:
        raise MetaAnalysisError(MSG_MH_NEEDS_DICHOTOMOUS.format(measure=measure))
    if method == "PETO":
        if measure != "OR":
            raise MetaAnalysisError(MSG_PETO_NEEDS_OR.format(measure=measure))
        if model != "fixed":
            raise MetaAnalysisError(MSG_PETO_FIXED_ONLY)
    tau2_method: str | None = None
    if model == "random":
        if method == "MH":
            if tau2 not in (None, "DL"):
                raise MetaAnalysisError(MSG_MH_RANDOM_TAU2.format(tau2=tau2))
            tau2_method = "DL"
        else:
            tau2_method = tau2 or "REML"
    if hksj and model == "fixed" and method != "IV":
        raise MetaAnalysisError(MSG_HKSJ_NEEDS_IV.format(method=method))
    return AnalysisOptions(
        measure=measure, model=model, method=method, tau2_method=tau2_method, hksj=hksj
    )

"""The one seam between the analysis app and the statistics engine (``analysis.stats``).

The app hands over plain per-study rows and gets back the engine's JSON contract (issue 6:
``k``, ``studies``, ``pooled``, ``heterogeneity``, ``prediction_interval``, ``egger``,
``subgroups``, ``subgroup_test``, ``meta_regression``). Only this module knows how the
engine's public API (``meta_analysis`` with ``ContinuousData``/``DichotomousData``) is called.
Every analysis is pooled by inverse variance, as the protocol plans.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from analysis import stats as engine
from analysis.stats import ContinuousData, DichotomousData, MetaAnalysisError
from analysis.stats.inputs import CONTINUOUS_COLUMNS, DICHOTOMOUS_COLUMNS
from analysis.stats.options import CONTINUOUS_MEASURES

# Bumped whenever what this adapter sends the engine changes, so stored results are recomputed
# (the engine has no version of its own yet; its ``__version__`` is used when it has one).
ADAPTER_VERSION = "adapter-2"


class EngineError(Exception):
    """The engine refused the data; the message names the study or field at fault."""


@dataclass(frozen=True)
class StudyData:
    """One study's arm-level numbers for one analysis (intervention ``_e``, control ``_c``)."""

    study: str
    n_e: int
    n_c: int
    mean_e: float | None = None
    sd_e: float | None = None
    mean_c: float | None = None
    sd_c: float | None = None
    events_e: int | None = None
    events_c: int | None = None


def engine_version() -> str:
    """Return the version recorded with each result (engine version, or this adapter's)."""
    version = getattr(engine, "__version__", None)
    return f"stats-{version}" if version else f"stats-unversioned+{ADAPTER_VERSION}"


def meta_analyze(
    studies: Sequence[StudyData],
    *,
    measure: str,
    model: str,
    tau2_method: str = "REML",
    hksj: bool = False,
    subgroups: dict[str, str] | None = None,
    moderator: dict[str, float] | None = None,
) -> dict[str, Any]:
    """Return the engine's JSON result for the studies, or raise ``EngineError``."""
    continuous = measure in CONTINUOUS_MEASURES
    kind = ContinuousData if continuous else DichotomousData
    columns = CONTINUOUS_COLUMNS if continuous else DICHOTOMOUS_COLUMNS
    try:
        data = kind.of(
            study=[s.study for s in studies],
            **{c: [getattr(s, c) for s in studies] for c in columns},
        )
        result = engine.meta_analysis(
            data,
            measure=measure,
            model=model,
            method="IV",
            tau2=tau2_method if model == "random" else None,
            hksj=hksj,
            subgroup=None if subgroups is None else [subgroups[s.study] for s in studies],
            moderator=None if moderator is None else [moderator[s.study] for s in studies],
            moderator_name="duration_weeks",
        )
    except MetaAnalysisError as exc:
        raise EngineError(str(exc)) from exc
    except (ValueError, ZeroDivisionError, FloatingPointError) as exc:
        raise EngineError(f"The engine could not analyse these data: {exc}") from exc
    return result.to_dict()

"""Arms on one side of a comparison combined into one group, whatever numbers they carry.

The formulas are the analysis engine's (``analysis.stats.data_preparation``: Cochrane Handbook
6.5.2.10, table 6.5.a); this adds what extraction needs around them: an arm may carry means and
SDs, events, or only some of these, and a number missing from either arm stays missing.
The SD derivations (from SE, CI, t) are the engine's too: ``sd_from_se``, ``sd_from_ci``,
``sd_from_t`` there.
"""

from __future__ import annotations

from dataclasses import dataclass

from analysis.stats.data_preparation import (
    ContinuousArm,
    DichotomousArm,
    combine_continuous_arms,
    combine_dichotomous_arms,
)


@dataclass(frozen=True)
class Group:
    n: int
    mean: float | None = None
    sd: float | None = None
    events: int | None = None


def combine_groups(first: Group, second: Group) -> Group:
    """Return the two groups combined into one; events add up, means and SDs pool."""
    n = first.n + second.n
    events = None
    if first.events is not None and second.events is not None:
        both = combine_dichotomous_arms(
            DichotomousArm(events=first.events, n=first.n),
            DichotomousArm(events=second.events, n=second.n),
        )
        events = int(both.events)
    mean = sd = None
    if first.mean is not None and second.mean is not None:
        if first.sd is not None and second.sd is not None:
            both = combine_continuous_arms(
                ContinuousArm(n=first.n, mean=first.mean, sd=first.sd),
                ContinuousArm(n=second.n, mean=second.mean, sd=second.sd),
            )
            mean, sd = both.mean, both.sd
        else:
            mean = (first.n * first.mean + second.n * second.mean) / n
    return Group(n=n, mean=mean, sd=sd, events=events)

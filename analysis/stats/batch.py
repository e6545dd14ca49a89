"""Many inverse-variance random-effects analyses at once (rows of equal-length arrays).

For simulation studies and benchmarks: the same estimates as ``meta_analysis`` with
``--model random --method IV`` (pooled estimate, SE, normal CI, Q, I², tau²), computed for
all rows together with numpy.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from analysis.stats.constants import Z_975
from analysis.stats.tau2 import tau2_reml_batch


@dataclass(frozen=True, eq=False)
class BatchRandomEffects:
    """One entry per analysis (row)."""

    estimate: np.ndarray
    se: np.ndarray
    ci_low: np.ndarray
    ci_high: np.ndarray
    tau2: np.ndarray
    q: np.ndarray
    i2: np.ndarray


def random_effects_reml_batch(yi: np.ndarray, vi: np.ndarray) -> BatchRandomEffects:
    """Return REML random-effects results for every row of ``yi``/``vi`` (analysis scale)."""
    yi = np.asarray(yi, dtype=float)
    vi = np.asarray(vi, dtype=float)
    df = yi.shape[1] - 1
    w0 = 1 / vi
    fixed = (w0 * yi).sum(axis=1) / w0.sum(axis=1)
    q = (w0 * (yi - fixed[:, None]) ** 2).sum(axis=1)
    tau2 = tau2_reml_batch(yi, vi)
    w = 1 / (vi + tau2[:, None])
    sw = w.sum(axis=1)
    estimate = (w * yi).sum(axis=1) / sw
    se = 1 / np.sqrt(sw)
    with np.errstate(divide="ignore", invalid="ignore"):
        i2 = np.where(q > 0, np.maximum(0.0, (q - df) / q) * 100, 0.0)
    return BatchRandomEffects(
        estimate=estimate,
        se=se,
        ci_low=estimate - Z_975 * se,
        ci_high=estimate + Z_975 * se,
        tau2=tau2,
        q=q,
        i2=i2,
    )

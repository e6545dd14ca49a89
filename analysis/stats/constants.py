"""Numeric constants shared by the engine."""

from __future__ import annotations

from scipy import stats as _stats

# RevMan 5 prints CIs with the exact normal quantile; 1.96 moves them at the sixth decimal.
Z_975: float = float(_stats.norm.ppf(0.975))  # 1.959963984540054

# Fisher scoring for REML stops when tau² changes by less than this (metafor's default is
# 1e-5; tighter here so that six significant digits are reliable).
REML_TOLERANCE: float = 1e-12
REML_MAX_ITERATIONS: int = 200

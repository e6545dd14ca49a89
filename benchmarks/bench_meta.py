"""Benchmark the meta-analysis engine against R's metafor on the same data, in one run.

Times (1) 10,000 random-effects analyses (REML, 20 studies each) and (2) one analysis of
10,000 studies. Python is timed three ways for (1): the vectorised batch estimator, and the
full public API (``meta_analysis``: also Q-profile CIs, prediction interval, Egger) in a loop.
metafor is timed inside R with system.time() over the same loop of ``rma(yi, vi, method =
"REML")``; it is skipped (with the reason printed) when Rscript or metafor is missing.

    .venv/bin/python benchmarks/bench_meta.py [--analyses 10000] [--studies 20] [--big 10000]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis.stats import ContinuousData, meta_analysis  # noqa: E402
from analysis.stats.batch import random_effects_reml_batch  # noqa: E402
from analysis.stats.engine import study_effects  # noqa: E402
from analysis.stats.options import resolve_options  # noqa: E402

R_MANY = r"""
suppressMessages(library(metafor))
many <- as.matrix(read.csv(commandArgs(trailingOnly = TRUE)[1], header = FALSE))
m <- ncol(many) / 2
yi <- many[, 1:m, drop = FALSE]; vi <- many[, (m + 1):(2 * m), drop = FALSE]
n <- nrow(yi)
tau2 <- rep(NA_real_, n)
t_many <- system.time(for (i in seq_len(n)) {
  r <- tryCatch(rma(yi[i, ], vi[i, ], method = "REML"), error = function(e) NULL)
  if (!is.null(r)) tau2[i] <- r$tau2
})[["elapsed"]]
cat(jsonlite::toJSON(list(seconds = t_many, tau2 = tau2,
  metafor = as.character(packageVersion("metafor"))), digits = NA, auto_unbox = TRUE, na = "null"))
"""

# rma.uni works with k x k matrices, so one analysis of 10,000 studies takes many minutes and
# gigabytes in metafor; it runs in its own process under a time limit.
R_BIG = r"""
suppressMessages(library(metafor))
big <- read.csv(commandArgs(trailingOnly = TRUE)[1], header = FALSE)
t_big <- system.time(rb <- rma(big[[1]], big[[2]], method = "REML"))[["elapsed"]]
cat(jsonlite::toJSON(list(seconds = t_big, tau2 = rb$tau2), digits = NA, auto_unbox = TRUE))
"""


def simulate(rng: np.random.Generator, analyses: int, studies: int) -> dict[str, np.ndarray]:
    """Return continuous two-arm summary data with between-study heterogeneity."""
    shape = (analyses, studies)
    n_e = rng.integers(10, 200, size=shape).astype(float)
    n_c = rng.integers(10, 200, size=shape).astype(float)
    sd_e = rng.uniform(5, 15, size=shape)
    sd_c = rng.uniform(5, 15, size=shape)
    tau = rng.choice([0.0, 1.0, 3.0], size=(analyses, 1))
    theta = rng.normal(2.0, 1.0, size=(analyses, 1)) + rng.normal(0, 1, size=shape) * tau
    mean_c = rng.normal(50, 5, size=shape)
    mean_e = mean_c + theta + rng.normal(0, 1, size=shape) * np.sqrt(sd_e**2 / n_e + sd_c**2 / n_c)
    return {"mean_e": mean_e, "sd_e": sd_e, "n_e": n_e, "mean_c": mean_c, "sd_c": sd_c, "n_c": n_c}


def row_data(data: dict[str, np.ndarray], row: int) -> ContinuousData:
    k = data["n_e"].shape[1]
    return ContinuousData.of(
        study=[f"S{i}" for i in range(k)], **{c: v[row] for c, v in data.items()}
    )


def effects(data: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    yi = data["mean_e"] - data["mean_c"]
    vi = data["sd_e"] ** 2 / data["n_e"] + data["sd_c"] ** 2 / data["n_c"]
    return yi, vi


def run_r(script: str, matrix: np.ndarray, timeout: float | None) -> tuple[dict | None, str]:
    """Run an R script on ``matrix`` (CSV); return its JSON, or None and the reason."""
    if not shutil.which("Rscript"):
        return None, "Rscript is not installed"
    with tempfile.TemporaryDirectory() as tmp:
        data_path, script_path = Path(tmp, "data.csv"), Path(tmp, "bench.R")
        np.savetxt(data_path, matrix, delimiter=",", fmt="%.17g")
        script_path.write_text(script)
        try:
            done = subprocess.run(
                ["Rscript", str(script_path), str(data_path)],
                capture_output=True,
                text=True,
                check=False,
                timeout=timeout,
            )
        except subprocess.TimeoutExpired:
            return None, f"did not finish within {timeout:.0f} s (stopped)"
    if done.returncode != 0:
        return None, f"R failed: {done.stderr.strip()[-300:]}"
    return json.loads(done.stdout), ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--analyses", type=int, default=10_000)
    parser.add_argument("--studies", type=int, default=20)
    parser.add_argument("--big", type=int, default=10_000)
    parser.add_argument(
        "--loop", type=int, default=None, help="analyses for the full-API loop (default: all)"
    )
    parser.add_argument("--no-r", action="store_true", help="skip metafor")
    parser.add_argument(
        "--r-timeout", type=float, default=180, help="seconds for metafor's big analysis"
    )
    args = parser.parse_args()
    rng = np.random.default_rng(20261127)
    many = simulate(rng, args.analyses, args.studies)
    big = {c: v[0] for c, v in simulate(rng, 1, args.big).items()}
    yi, vi = effects(many)
    big_yi = big["mean_e"] - big["mean_c"]
    big_vi = big["sd_e"] ** 2 / big["n_e"] + big["sd_c"] ** 2 / big["n_c"]

    print(
        f"Data: {args.analyses:,} analyses x {args.studies} studies (MD, REML); one analysis of {args.big:,} studies"
    )
    start = time.perf_counter()
    batch = random_effects_reml_batch(yi, vi)
    t_batch = time.perf_counter() - start

    loop = args.loop or args.analyses
    start = time.perf_counter()
    full_tau2 = np.array(
        [meta_analysis(row_data(many, r), measure="MD").heterogeneity.tau2 for r in range(loop)]
    )
    t_loop = time.perf_counter() - start

    big_data = ContinuousData.of(study=[f"S{i}" for i in range(args.big)], **big)
    start = time.perf_counter()
    big_result = meta_analysis(big_data, measure="MD")
    t_big = time.perf_counter() - start
    assert np.allclose(full_tau2, batch.tau2[:loop], rtol=1e-8, atol=1e-12)
    assert np.allclose(study_effects(big_data, resolve_options(measure="MD")).yi, big_yi)

    print(f"{'':<46}{'total s':>10}{'ms/analysis':>14}")
    print(
        f"{'Python batch (vectorised REML)':<46}{t_batch:>10.3f}{1000 * t_batch / args.analyses:>14.4f}"
    )
    print(
        f"{'Python meta_analysis() loop (full output)':<46}{t_loop:>10.3f}{1000 * t_loop / loop:>14.4f}"
    )
    print(f"{f'Python meta_analysis(), one of {args.big} studies':<46}{t_big:>10.3f}")
    if args.no_r:
        return
    many_r, reason = run_r(R_MANY, np.hstack([yi, vi]), None)
    if many_r is None:
        print(f"metafor: skipped ({reason})")
        return
    per_r = 1000 * many_r["seconds"] / args.analyses
    label = f"metafor {many_r['metafor']} rma() loop"
    print(f"{label:<46}{many_r['seconds']:>10.3f}{per_r:>14.4f}")
    big_r, reason = run_r(R_BIG, np.column_stack([big_yi, big_vi]), args.r_timeout)
    label = f"metafor rma(), one of {args.big} studies"
    print(f"{label:<46}{big_r['seconds']:>10.3f}" if big_r else f"{label:<46}  {reason}")
    print(
        f"Speed-up per analysis vs metafor: batch {per_r / (1000 * t_batch / args.analyses):.0f}x, "
        f"full meta_analysis() loop {per_r / (1000 * t_loop / loop):.1f}x"
        + (f"; one big analysis {big_r['seconds'] / t_big:.0f}x" if big_r else "")
    )
    r_tau2 = np.array([np.nan if v is None else v for v in many_r["tau2"]], dtype=float)
    ok = np.isfinite(r_tau2)
    # metafor stops REML at |change| < 1e-5 (its default), so agreement is to about that.
    diff = np.abs(r_tau2[ok] - batch.tau2[ok]).max()
    print(
        f"Agreement: metafor fitted {ok.sum():,}/{args.analyses:,}; max |tau² difference| {diff:.2e}"
    )
    if big_r:
        print(
            f"Big analysis tau²: engine {big_result.heterogeneity.tau2:.8g}, metafor {big_r['tau2']:.8g}"
        )


if __name__ == "__main__":
    main()

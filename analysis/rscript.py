"""A runnable R script (metafor) that reproduces an analysis's numbers, with its data inline."""

from __future__ import annotations

from analysis.models import Analysis, AnalysisRun


def _r_vector(values: list) -> str:
    def one(v: object) -> str:
        if v is None:
            return "NA"
        if isinstance(v, str):
            return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
        return repr(float(v))

    return "c(" + ", ".join(one(v) for v in values) + ")"


def r_script(analysis: Analysis, run: AnalysisRun) -> str:
    """Return the script; run it with ``Rscript FILE.R`` (needs the metafor package)."""
    snap = run.input_snapshot
    studies = snap["studies"]
    measure = snap["measure"]
    cols = ["n_e", "n_c"] + (
        ["events_e", "events_c"] if measure == "RR" else ["mean_e", "sd_e", "mean_c", "sd_c"]
    )
    data = ",\n  ".join(
        [f"study = {_r_vector([s['study'] for s in studies])}"]
        + [f"{c} = {_r_vector([s[c] for s in studies])}" for c in cols]
    )
    if measure == "RR":
        escalc = (
            # Zero cells as RevMan: 0.5 added to studies with a zero cell; double zeros dropped.
            'escalc(measure = "RR", ai = events_e, n1i = n_e, ci = events_c, n2i = n_c, '
            "data = dat, drop00 = TRUE)"
        )
    elif measure == "SMD":
        # Hedges' g with RevMan 5's approximate correction and variance, written out so the
        # script does not depend on escalc's defaults (which use the exact correction).
        escalc = (
            "within(dat, {\n"
            "  N <- n_e + n_c\n"
            "  s <- sqrt(((n_e - 1) * sd_e^2 + (n_c - 1) * sd_c^2) / (N - 2))\n"
            "  yi <- (mean_e - mean_c) / s * (1 - 3 / (4 * N - 9))\n"
            "  vi <- N / (n_e * n_c) + yi^2 / (2 * (N - 3.94))\n"
            "})"
        )
    else:
        escalc = (
            'escalc(measure = "MD", m1i = mean_e, sd1i = sd_e, n1i = n_e, '
            "m2i = mean_c, sd2i = sd_c, n2i = n_c, data = dat)"
        )
    test = ', test = "knha"' if snap["hksj"] else ""
    back = "exp" if measure == "RR" else "identity"
    app = {model: run.result[model]["pooled"] for model in ("fixed", "random")}

    def r_numbers(pooled: dict) -> str:
        return _r_vector([pooled["estimate"], pooled["ci_low"], pooled["ci_high"]])

    return f"""# {analysis}
# Reproduces the app's result (engine {run.engine_version}, input {run.input_hash[:12]}).
# Run with: Rscript this-file.R   (install.packages("metafor") first if needed)
library(metafor)
dat <- data.frame(
  {data}
)
dat <- {escalc}
tight <- list(threshold = 1e-10, maxiter = 1000)  # converge beyond metafor's default 1e-5
# Fixed effect (inverse variance)
fe <- rma(yi, vi, data = dat, method = "EE", slab = study)
print(fe)
# Random effects ({snap["tau2_method"]} tau^2{", Hartung-Knapp" if snap["hksj"] else ""})
re <- rma(yi, vi, data = dat, method = "{snap["tau2_method"]}", slab = study, control = tight{test})
print(re)
back <- {back}
check <- function(fit, app) {{
  mine <- back(c(fit$b[1], fit$ci.lb, fit$ci.ub))
  cat(sprintf("CHECK %.15g %.15g %.15g\\n", mine[1], mine[2], mine[3]))
  isTRUE(all.equal(mine, app, tolerance = 1e-6))
}}
cat("Fixed effect agrees with the app:", check(fe, {r_numbers(app["fixed"])}), "\\n")
cat("Random effects agrees with the app:", check(re, {r_numbers(app["random"])}), "\\n")
forest(re{", atransf = exp" if measure == "RR" else ""})
"""

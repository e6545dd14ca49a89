"""Data for the screening benchmark: the words of its synthetic records (general words for every
record, topic words that make a record relevant to the demo protocol), and the replay of the real
labelled screening sets through ``simulate_screening``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REALDATA = ROOT.parent / "shared" / "realdata" / "screening"

WORDS = [
    "trial",
    "randomised",
    "cohort",
    "infant",
    "mother",
    "therapy",
    "outcome",
    "anxiety",
    "depression",
    "school",
    "adolescent",
    "hospital",
    "surgery",
    "diet",
    "cancer",
    "dental",
    "knee",
    "asthma",
    "mice",
    "rats",
    "protein",
    "gene",
    "cell",
    "blood",
    "pressure",
    "vaccine",
    "dose",
    "placebo",
    "review",
    "meta",
    "analysis",
    "quality",
    "children",
    "elderly",
    "women",
    "men",
    "nurse",
    "care",
    "primary",
    "secondary",
    "effect",
    "risk",
    "factor",
    "survey",
    "interview",
    "model",
    "network",
    "software",
    "policy",
]
TOPIC = [
    "parent",
    "infant",
    "psychotherapy",
    "dyadic",
    "attachment",
    "sensitivity",
    "randomised",
    "controlled",
]


def simulations() -> dict:
    if os.environ.get("BENCH_SKIP_SIMULATIONS") == "1":
        return {}
    if not REALDATA.exists():
        print(f"simulate_screening: skipped, real data not available at {REALDATA}")
        return {}
    results = {}
    for path in sorted(REALDATA.glob("*.csv")):
        out = subprocess.run(
            [sys.executable, "manage.py", "simulate_screening", str(path), "--json", "--seed", "0"],
            cwd=ROOT,
            env={**os.environ, "DEBUG": "1"},
            capture_output=True,
            text=True,
            check=True,
        )
        results[path.stem] = json.loads(out.stdout.strip().splitlines()[-1])
        print(path.stem, results[path.stem], flush=True)
    return results

"""Reproduce 150 published Cochrane analyses (Pairwise70 exports in ../shared/realdata/cochrane).

Per-study estimates, CIs and weights were published rounded to 6 decimals: they must agree to
within half a unit in the sixth decimal (plus float noise). Pooled numbers were recomputed the
RevMan 5 way and agree at 1e-6 relative.
"""

from __future__ import annotations

import json
import math

import pytest

from analysis.stats import meta_analysis
from analysis.stats.csv_input import read_studies_csv
from tests.conftest import REALDATA, realdata_path

PUBLISHED_ABS = 5e-7 + 1e-9  # half a unit in the 6th decimal, plus float noise
POOLED_REL = 1e-6
POOLED_ABS = 1e-12  # for pooled quantities that are exactly zero (e.g. I² = 0)


def _expected() -> list[dict]:
    path = REALDATA / "cochrane" / "expected.json"
    if not path.exists():
        return []
    return json.loads(path.read_text(encoding="utf-8"))


ANALYSES = _expected()


def test_realdata_is_complete():
    folder = realdata_path("cochrane")
    assert len(ANALYSES) == 150
    assert len(list((folder / "data").glob("*.csv"))) == 150


def _run(entry: dict) -> dict:
    folder = realdata_path("cochrane", "data")
    studies = read_studies_csv(folder / entry["file"], measure=entry["measure"])
    return meta_analysis(
        studies.data,
        measure=entry["measure"],
        model=entry["model"],
        method=entry["method"],
        tau2=entry.get("tau2"),
    ).to_dict()


@pytest.mark.parametrize("entry", ANALYSES or [None], ids=lambda e: e["file"] if e else "absent")
def test_published_analysis(entry):
    if entry is None:
        realdata_path("cochrane", "expected.json")  # skips, printing the reason
    out = _run(entry)
    assert out["k"] == entry["k"]
    estimable = [s for s in out["studies"] if s["estimate"] is not None]
    assert len(out["studies"]) == entry["k_rows"]
    assert [s["study"] for s in estimable] == [s["study"] for s in entry["published_studies"]]
    for got, published in zip(estimable, entry["published_studies"], strict=True):
        for key in ("estimate", "ci_low", "ci_high", "weight"):
            assert got[key] == pytest.approx(published[key], abs=PUBLISHED_ABS), (
                f"{entry['file']} {published['study']} {key}"
            )
    recomputed = entry["recomputed"]
    pooled, heterogeneity = out["pooled"], out["heterogeneity"]
    actual = {
        "estimate": pooled["estimate"],
        "ci_low": pooled["ci_low"],
        "ci_high": pooled["ci_high"],
        "yi": pooled["yi"],
        "se": pooled["se"],
        "Q": heterogeneity["Q"],
        "df": heterogeneity["df"],
        "I2": heterogeneity["I2"],
        "tau2": heterogeneity.get("tau2"),
    }
    for key, value in recomputed.items():
        if value is None:
            assert actual[key] is None, f"{entry['file']} {key}"
        else:
            assert math.isclose(actual[key], value, rel_tol=POOLED_REL, abs_tol=POOLED_ABS), (
                f"{entry['file']} pooled {key}: {actual[key]} != {value}"
            )

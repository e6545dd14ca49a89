"""The ``meta_analyze`` command-line contract (issue 6), exercised through call_command."""

from __future__ import annotations

import json
import math
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from analysis.stats.csv_input import MSG_UNKNOWN_COLUMN
from tests.analysis.stats.reference import dataset

CONTINUOUS_HEADER = "study,mean_e,sd_e,n_e,mean_c,sd_c,n_c"
DICHOTOMOUS_HEADER = "study,events_e,n_e,events_c,n_c"


def _reject_nan(constant):
    raise AssertionError(f"non-JSON number {constant} in the output")


def run(path: Path, *args: str) -> tuple[dict | str, str]:
    out, err = StringIO(), StringIO()
    call_command("meta_analyze", str(path), *args, stdout=out, stderr=err)
    text = out.getvalue()
    if "--json" in args:
        return json.loads(text, parse_constant=_reject_nan), err.getvalue()
    return text, err.getvalue()


def write(tmp_path: Path, text: str, name: str = "studies.csv", *, bom: bool = False) -> Path:
    path = tmp_path / name
    path.write_bytes((("\ufeff" if bom else "") + text).encode("utf-8"))
    return path


def csv_from_dataset(tmp_path: Path, name: str, extra: tuple[str, ...] = ()) -> Path:
    columns = dataset(name)
    order = ("study", "mean_e", "sd_e", "events_e", "n_e", "mean_c", "sd_c", "events_c", "n_c")
    keys = [k for k in order if k in columns] + list(extra)
    lines = [",".join(keys)]
    for i in range(len(columns["study"])):
        lines.append(
            ",".join(f'"{columns[k][i]}"' if k == "study" else str(columns[k][i]) for k in keys)
        )
    return write(tmp_path, "\n".join(lines) + "\n", f"{name}.csv")


@pytest.fixture
def bcg_csv(tmp_path):
    return csv_from_dataset(tmp_path, "bcg", ("alloc", "ablat"))


@pytest.fixture
def curtis_csv(tmp_path):
    return csv_from_dataset(tmp_path, "curtis_large", ("fungrp", "time"))


def test_json_has_every_documented_key(bcg_csv):
    out, _ = run(
        bcg_csv, "--measure", "RR", "--subgroup", "alloc", "--moderator", "ablat", "--json"
    )
    assert set(out) == {
        "k",
        "studies",
        "pooled",
        "heterogeneity",
        "prediction_interval",
        "egger",
        "subgroups",
        "subgroup_test",
        "meta_regression",
    }
    assert out["k"] == 13
    assert set(out["studies"][0]) == {
        "study",
        "yi",
        "se",
        "estimate",
        "ci_low",
        "ci_high",
        "weight",
    }
    assert set(out["pooled"]) == {"yi", "se", "estimate", "ci_low", "ci_high", "p"}
    assert set(out["heterogeneity"]) == {
        "Q", "df", "p", "I2", "tau2", "tau2_ci_low", "tau2_ci_high", "I2_ci_low", "I2_ci_high"
    }  # fmt: skip
    assert set(out["prediction_interval"]) == {"low", "high"}
    assert set(out["egger"]) == {"intercept", "se", "p"}
    assert set(out["subgroups"][0]) == {
        "name",
        "k",
        "yi",
        "se",
        "estimate",
        "ci_low",
        "ci_high",
        "tau2",
        "Q",
    }
    assert set(out["subgroup_test"]) == {"Q", "df", "p"}
    assert set(out["meta_regression"]) == {
        "intercept",
        "slope",
        "slope_se",
        "slope_p",
        "tau2",
        "QM",
        "QMp",
    }


def test_ratio_measures_report_ratio_scale_and_log_scale(bcg_csv):
    out, _ = run(bcg_csv, "--measure", "OR", "--json")
    for study in out["studies"]:
        assert study["estimate"] == pytest.approx(math.exp(study["yi"]), rel=1e-12)
        assert study["ci_low"] == pytest.approx(
            math.exp(study["yi"] - 1.959963984540054 * study["se"]), rel=1e-12
        )
    assert out["pooled"]["estimate"] == pytest.approx(math.exp(out["pooled"]["yi"]), rel=1e-12)
    assert out["pooled"]["ci_low"] < out["pooled"]["estimate"] < out["pooled"]["ci_high"]
    assert sum(s["weight"] for s in out["studies"]) == pytest.approx(100, rel=1e-12)


def test_defaults_are_random_reml_and_mh_for_fixed_dichotomous(bcg_csv):
    default, _ = run(bcg_csv, "--measure", "RR", "--json")
    explicit, _ = run(
        bcg_csv,
        "--measure",
        "RR",
        "--model",
        "random",
        "--method",
        "IV",
        "--tau2",
        "REML",
        "--json",
    )
    assert default == explicit
    fixed, _ = run(bcg_csv, "--measure", "RR", "--model", "fixed", "--json")
    mh, _ = run(bcg_csv, "--measure", "RR", "--model", "fixed", "--method", "MH", "--json")
    assert fixed == mh
    assert "tau2" not in fixed["heterogeneity"] and "prediction_interval" not in fixed
    mh_random, _ = run(bcg_csv, "--measure", "RR", "--method", "MH", "--json")
    dl, _ = run(bcg_csv, "--measure", "RR", "--method", "MH", "--tau2", "DL", "--json")
    assert mh_random == dl


def test_mh_random_refuses_another_tau2(bcg_csv):
    with pytest.raises(CommandError, match="DerSimonian-Laird"):
        run(bcg_csv, "--measure", "RR", "--method", "MH", "--model", "random", "--tau2", "REML")


def test_hksj_widens_to_t_and_keeps_the_estimate(curtis_csv):
    plain, _ = run(curtis_csv, "--measure", "SMD", "--json")
    hksj, _ = run(curtis_csv, "--measure", "SMD", "--hksj", "--json")
    assert hksj["pooled"]["yi"] == pytest.approx(plain["pooled"]["yi"], rel=1e-12)
    assert hksj["pooled"]["se"] != plain["pooled"]["se"]


def test_non_estimable_studies_are_listed_with_nulls(tmp_path):
    path = write(tmp_path, f"{DICHOTOMOUS_HEADER}\nA,0,20,0,21\nB,3,40,9,38\nC,5,50,11,52\n")
    out, _ = run(path, "--measure", "RR", "--json")
    assert out["k"] == 2
    assert out["studies"][0] == {
        "study": "A", "yi": None, "se": None, "estimate": None, "ci_low": None, "ci_high": None, "weight": None
    }  # fmt: skip
    assert sum(s["weight"] for s in out["studies"][1:]) == pytest.approx(100)
    rd, _ = run(path, "--measure", "RD", "--json")
    assert rd["k"] == 3 and rd["studies"][0]["estimate"] == 0.0


def test_bom_and_extra_columns_are_accepted(tmp_path):
    path = write(
        tmp_path,
        f"{CONTINUOUS_HEADER},country\nA,10,2,30,9,2,30,UK\nB,11,3,25,10,3,26,FR\nC,9,2,40,9.5,2,41,UK\n",
        bom=True,
    )
    out, _ = run(path, "--measure", "MD", "--model", "fixed", "--json")
    assert out["k"] == 3
    assert out["studies"][0]["estimate"] == pytest.approx(1.0)


def test_readable_output_is_a_revman_table(bcg_csv):
    text, _ = run(bcg_csv, "--measure", "RR", "--model", "fixed", "--subgroup", "alloc")
    assert "Risk Ratio" in text and "M-H, Fixed, 95% CI" in text
    assert "Total (95% CI)" in text and "Subtotal (95% CI)" in text
    assert "Heterogeneity: Chi² = " in text and "Test for overall effect: Z = " in text
    assert "Test for subgroup differences" in text
    assert "Aronson 1948" in text


@pytest.mark.parametrize(
    ("row", "needles"),
    [
        ("B,11,-3,25,10,3,26", ["'B'", "sd_e", "greater than zero"]),
        ("B,11,3,25,10,0,26", ["'B'", "sd_c", "greater than zero"]),
        ("B,11,3,1,10,3,26", ["'B'", "n_e", "at least 2"]),
        ("B,11,3,25,,3,26", ["'B'", "mean_c", "missing"]),
        ("B,11,3,25,ten,3,26", ["'B'", "mean_c", "'ten'", "not a number"]),
    ],
)
def test_bad_continuous_values_name_study_and_column(tmp_path, row, needles):
    path = write(tmp_path, f"{CONTINUOUS_HEADER}\nA,10,2,30,9,2,30\n{row}\nC,9,2,40,9.5,2,41\n")
    with pytest.raises(CommandError) as caught:
        run(path, "--measure", "SMD", "--json")
    for needle in needles:
        assert needle in str(caught.value)


def test_events_above_n_names_study_and_columns(tmp_path):
    path = write(tmp_path, f"{DICHOTOMOUS_HEADER}\nA,3,20,4,21\nB,41,40,9,38\n")
    with pytest.raises(
        CommandError, match=r"Study 'B': events_e \(41\) is greater than n_e \(40\)"
    ):
        run(path, "--measure", "OR")


def test_unknown_columns_are_refused(bcg_csv):
    with pytest.raises(CommandError) as caught:
        run(bcg_csv, "--measure", "RR", "--moderator", "latitude")
    assert str(caught.value).startswith(MSG_UNKNOWN_COLUMN.split("{")[0])
    assert "'latitude'" in str(caught.value) and "--moderator" in str(caught.value)
    with pytest.raises(CommandError, match="'region'.*--subgroup"):
        run(bcg_csv, "--measure", "RR", "--subgroup", "region")


def test_non_numeric_moderator_names_study(tmp_path):
    path = write(
        tmp_path, f"{DICHOTOMOUS_HEADER},dose\nA,3,20,4,21,1\nB,4,40,9,38,x\nC,5,30,6,31,3\n"
    )
    with pytest.raises(CommandError, match="Study 'B'.*dose"):
        run(path, "--measure", "RR", "--moderator", "dose")


def test_one_study_and_no_estimable_study_are_refused(tmp_path):
    one = write(tmp_path, f"{DICHOTOMOUS_HEADER}\nA,3,20,4,21\n", "one.csv")
    with pytest.raises(CommandError, match="At least two estimable studies.*found 1 \\('A'\\)"):
        run(one, "--measure", "RR")
    none = write(tmp_path, f"{DICHOTOMOUS_HEADER}\nA,0,20,0,21\nB,0,30,0,31\n", "none.csv")
    with pytest.raises(CommandError, match="not estimable: 'A', 'B'"):
        run(none, "--measure", "OR")


def test_wrong_data_for_measure_and_missing_file(tmp_path, bcg_csv):
    with pytest.raises(CommandError, match="--measure SMD needs the column"):
        run(bcg_csv, "--measure", "SMD")
    with pytest.raises(CommandError, match="Cannot read"):
        run(tmp_path / "absent.csv", "--measure", "RR")


def test_fallback_warnings_go_to_stderr_and_json(tmp_path):
    path = write(
        tmp_path, f"{DICHOTOMOUS_HEADER},arm\nA,3,20,4,21,x\nB,4,40,9,38,x\nC,5,30,6,31,x\n"
    )
    out, err = run(path, "--measure", "RR", "--subgroup", "arm", "--json")
    assert "Only one subgroup" in err
    assert out["subgroup_test"] == {"Q": 0.0, "df": 0, "p": None}
    assert out["warnings"] and "Only one subgroup" in out["warnings"][0]

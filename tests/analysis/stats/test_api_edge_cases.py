"""Edge cases of the public API: fallbacks with warnings, refusals with clear messages."""

from __future__ import annotations

import json
import math

import pytest

from analysis.stats import ContinuousData, DichotomousData, MetaAnalysisError, meta_analysis
from analysis.stats.csv_input import parse_studies_csv, read_studies_csv
from analysis.stats.errors import MSG_MODERATOR_CONSTANT
from analysis.stats.results import json_number


def dichotomous(rows):
    return DichotomousData.of(
        study=[r[0] for r in rows],
        events_e=[r[1] for r in rows],
        n_e=[r[2] for r in rows],
        events_c=[r[3] for r in rows],
        n_c=[r[4] for r in rows],
    )


ROWS = [
    ("A", 3, 40, 9, 41, "x", 10),
    ("B", 5, 50, 11, 52, "x", 12),
    ("C", 0, 30, 0, 31, "y", 14),
    ("D", 7, 60, 14, 58, "z", 20),
    ("E", 2, 25, 6, 24, "z", 8),
]


def test_json_number_never_emits_nan():
    assert json_number(float("nan")) is None
    assert json_number(float("inf")) is None
    assert json_number(None) is None
    assert json_number(2) == 2 and json_number(0.5) == 0.5


def test_subgroup_fallbacks_are_reported():
    result = meta_analysis(
        dichotomous(ROWS), measure="RR", hksj=True, subgroup=[r[5] for r in ROWS]
    )
    groups = {g.name: g for g in result.subgroups}
    assert groups["y"].k == 0 and groups["y"].estimate is None  # its only study is double-zero
    assert groups["x"].k == 2 and groups["z"].k == 2
    assert any("Subgroup 'y' has no estimable study" in w for w in result.warnings)
    assert result.subgroup_test.df == 1
    assert json.dumps(result.to_dict(), allow_nan=False)


def test_one_study_subgroup_reports_that_study():
    result = meta_analysis(
        dichotomous(ROWS), measure="RR", hksj=True, subgroup=["a", "b", "b", "b", "b"]
    )
    single = result.subgroups[0]
    study = result.studies[0]
    assert single.k == 1
    assert single.yi == pytest.approx(study.yi) and single.se == pytest.approx(study.se)
    assert single.tau2 == 0 and single.Q == 0
    assert any("HKSJ needs at least two studies (subgroup 'a')" in w for w in result.warnings)


def test_meta_regression_refusals():
    data = dichotomous(ROWS)
    with pytest.raises(MetaAnalysisError, match=MSG_MODERATOR_CONSTANT.format(column="dose")[:30]):
        meta_analysis(data, measure="RR", moderator=[5] * 5, moderator_name="dose")
    with pytest.raises(MetaAnalysisError, match="Study 'B': the moderator 'dose'"):
        meta_analysis(data, measure="RR", moderator=[1, math.nan, 3, 4, 5], moderator_name="dose")
    # The double-zero study C is not pooled, so its missing moderator does not matter.
    result = meta_analysis(data, measure="RR", moderator=[1, 2, math.nan, 4, 5])
    assert result.meta_regression.k == 4


def test_peto_and_mh_have_no_egger_and_fixed_has_no_tau2():
    rows = [(f"S{i}", 3 + i % 4, 40 + i, 6 + i % 5, 41 + i, "", 0) for i in range(12)]
    peto = meta_analysis(dichotomous(rows), measure="OR", model="fixed", method="PETO").to_dict()
    assert "egger" not in peto and "tau2" not in peto["heterogeneity"]
    iv = meta_analysis(dichotomous(rows), measure="OR").to_dict()
    assert set(iv["egger"]) == {"intercept", "se", "p"}


def test_wrong_kind_of_data_is_refused():
    data = ContinuousData.of(
        study=["A", "B"],
        mean_e=[1, 2],
        sd_e=[1, 1],
        n_e=[10, 10],
        mean_c=[0, 0],
        sd_c=[1, 1],
        n_c=[10, 10],
    )
    with pytest.raises(MetaAnalysisError, match="--measure RR needs dichotomous data"):
        meta_analysis(data, measure="RR")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "is empty"),
        ("name,events_e,n_e,events_c,n_c\nA,1,2,3,4\n", "no 'study' column"),
        ("study,events_e,n_e,events_c,n_c\n", "no studies"),
        ("study,events_e,n_e,events_c,n_c\nA,1,20,3\n", "Line 2: 4 fields"),
        (
            "study,events_e,n_e,events_c,n_c\nA,1,20,NA,20\n",
            "Study 'A' (line 2): events_c is missing",
        ),
        ("study,events_e,n_e,events_c,n_c\n,1,20,2,20\n", "Row 1: the study name is empty"),
        ("study,events_e,n_e,events_c,n_c\nA,1,20,2,20.5x\n", "n_c is '20.5x', not a number"),
    ],
)
def test_csv_problems_are_named(text, message):
    with pytest.raises(MetaAnalysisError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_studies_csv(text, measure="RR")


def test_csv_that_is_not_utf8(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes("study,events_e,n_e,events_c,n_c\nM\xfcller,1,20,2,20\n".encode("latin-1"))
    with pytest.raises(MetaAnalysisError, match="not UTF-8"):
        read_studies_csv(path, measure="RR")

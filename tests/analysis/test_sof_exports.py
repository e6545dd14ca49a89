"""The SoF table, the reviewers' GRADE decisions, and the DOCX/CSV/HTML files."""

import csv
import io
import re

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT

from analysis.engine import StudyData, meta_analyze
from analysis.models import Analysis, Comparison, GradeJudgement
from analysis.services import AnalysisError
from analysis.services.errors import MSG_FOOTNOTE_NEEDED
from analysis.services.options import analysis_update, grade_decide
from analysis.services.proposal import analyses_propose, comparisons_install_defaults
from analysis.sof.exports import formula_safe, sof_csv, sof_docx, sof_html
from analysis.sof.table import sof_table
from reviewapp.models import AuditEvent
from tests.analysis.conftest import BDI_STUDIES

pytestmark = pytest.mark.django_db


@pytest.fixture
def computed(consensus_review, lead, run_now):
    comparisons_install_defaults(actor=lead, review=consensus_review)
    analyses_propose(actor=lead, review=consensus_review)
    run_now(consensus_review)
    return consensus_review


def _table(review):
    return sof_table(Comparison.objects.get(review=review, order=0))


def _engine_md():
    studies = [
        StudyData(study=s, mean_e=e[0], sd_e=e[1], n_e=e[2], mean_c=c[0], sd_c=c[1], n_c=c[2])
        for s, e, c in BDI_STUDIES
    ]
    return meta_analyze(studies, measure="MD", model="random", tau2_method="REML")["pooled"]


def _engine_rr():
    studies = [
        StudyData(study=s, events_e=10 + i, n_e=e[2], events_c=6 + i, n_c=c[2])
        for i, (s, e, c) in enumerate(BDI_STUDIES)
    ]
    return meta_analyze(studies, measure="RR", model="random", tau2_method="REML")["pooled"]


def test_sof_rows_carry_the_engine_numbers(computed):
    table = _table(computed)
    md, rr = sorted(table.rows, key=lambda r: r.numbers["measure"])
    pooled = _engine_md()
    assert md.numbers["estimate"] == pytest.approx(pooled["estimate"], rel=1e-12)
    assert md.intervention == (
        f"MD {pooled['estimate']:.2f} ({pooled['ci_low']:.2f} to {pooled['ci_high']:.2f})"
    )
    assert md.participants == f"{sum(e[2] + c[2] for _, e, c in BDI_STUDIES)} (5 studies)"
    rr_pooled = _engine_rr()
    events_c = sum(6 + i for i in range(5))
    n_c = sum(c[2] for _, _, c in BDI_STUDIES)
    assert rr.control == f"{1000 * events_c / n_c:.0f} per 1000"
    assert (
        rr.relative
        == f"RR {rr_pooled['estimate']:.2f} ({rr_pooled['ci_low']:.2f} to {rr_pooled['ci_high']:.2f})"
    )
    rr_notes = [text for mark, text in table.footnotes if mark in rr.marks]
    assert any(text.startswith("Risk with control: events per 1000") for text in rr_notes)
    # Identical footnotes share one letter across the rows of a table.
    texts = [text for _, text in table.footnotes]
    assert len(texts) == len(set(texts))


def test_undecided_suggestions_count_and_are_flagged_in_footnotes(computed):
    table = _table(computed)
    md = next(r for r in table.rows if r.numbers["measure"] == "MD")
    suggested = {d.domain: d.suggested for d in md.domains}
    # Without risk-of-bias consensus, every study is 'unclear': the rule suggests a downgrade.
    assert suggested["risk_of_bias"] == 1
    assert md.numbers["certainty"] == 4 - sum(suggested.values())
    texts = [text for mark, text in table.footnotes if mark in md.marks]
    assert any("not yet reviewed" in t and t.startswith("Risk of bias") for t in texts)


def test_reviewers_override_a_suggestion_with_a_footnote(computed, lead):
    md = Analysis.objects.get(review=computed, effect_measure="MD")
    with pytest.raises(
        AnalysisError, match=re.escape(MSG_FOOTNOTE_NEEDED.format(domain="Risk of bias"))
    ):
        grade_decide(actor=lead, analysis=md, domain="risk_of_bias", suggested=1, accepted=0)
    grade_decide(
        actor=lead,
        analysis=md,
        domain="risk_of_bias",
        suggested=1,
        accepted=0,
        footnote="Blinded outcome assessment in all trials; unclear only on sequence generation.",
    )
    grade_decide(
        actor=lead,
        analysis=md,
        domain="indirectness",
        suggested=0,
        accepted=1,
        footnote="Two trials recruited only adolescent mothers.",
    )
    row = next(r for r in _table(computed).rows if r.analysis == md)
    decided = {d.domain: d for d in row.domains}
    assert decided["risk_of_bias"].accepted == 0 and decided["indirectness"].accepted == 1
    footnotes = [text for mark, text in _table(computed).footnotes if mark in row.marks]
    assert "Indirectness: Two trials recruited only adolescent mothers." in footnotes
    assert GradeJudgement.objects.filter(analysis=md).count() == 2
    assert AuditEvent.objects.filter(action="analysis.grade.decide").count() == 2


def test_models_disagreeing_is_said_in_the_comments(computed, lead, run_now):
    md = Analysis.objects.get(review=computed, effect_measure="MD")
    run = md.current_run
    result = {**run.result, "models_disagree": True}
    type(run).objects.filter(pk=run.pk).update(result=result)
    row = next(r for r in _table(computed).rows if r.analysis == md)
    assert "fixed-effect model disagrees" in row.comments


def test_docx_is_landscape_with_the_numbers_and_footnotes(computed):
    tables = [_table(computed)]
    doc = Document(io.BytesIO(sof_docx(tables, "Summary of findings: Review A")))
    assert doc.sections[0].orientation == WD_ORIENT.LANDSCAPE
    assert doc.sections[0].page_width > doc.sections[0].page_height
    cells = [c.text for row in doc.tables[0].rows for c in row.cells]
    pooled = _engine_md()
    assert (
        f"MD {pooled['estimate']:.2f} ({pooled['ci_low']:.2f} to {pooled['ci_high']:.2f})" in cells
    )
    paragraphs = [p.text for p in doc.paragraphs]
    assert any(p.startswith("a Overall risk of bias per study:") for p in paragraphs)
    assert any(p.startswith("b Risk of bias: downgraded by 1") for p in paragraphs)


def test_csv_neutralises_formulas_and_holds_the_numbers(computed, lead):
    md = Analysis.objects.get(review=computed, effect_measure="MD")
    analysis_update(actor=lead, analysis=md, options={"sof_comment": '=HYPERLINK("x")'})
    text = sof_csv([_table(computed)]).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "Comparison"
    md_row = next(r for r in rows if "MD " in r[3])
    assert md_row[-1] == '\'=HYPERLINK("x")'
    pooled = _engine_md()
    assert (
        md_row[3]
        == f"MD {pooled['estimate']:.2f} ({pooled['ci_low']:.2f} to {pooled['ci_high']:.2f})"
    )
    assert any(r[1].startswith("Footnote a:") for r in rows)


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_formula_safe_prefixes_dangerous_cells(value):
    assert formula_safe(value) == "'" + value


def test_formula_safe_leaves_plain_text():
    assert formula_safe("MD -1.20") == "MD -1.20"
    assert formula_safe(None) == ""


def test_html_is_standalone_and_escapes_text(computed, lead):
    md = Analysis.objects.get(review=computed, effect_measure="MD")
    analysis_update(actor=lead, analysis=md, options={"sof_comment": "<script>alert(1)</script>"})
    html = sof_html([_table(computed)], "Summary of findings").decode()
    assert html.startswith("<!doctype html>")
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html
    assert "⊕" in html and "Risk with control" in html


def test_funnel_asymmetry_shows_both_models_in_the_comments(computed):
    md = Analysis.objects.get(review=computed, effect_measure="MD")
    run = md.current_run
    result = dict(run.result)
    result["funnel_asymmetry"] = True
    result["random"] = {**result["random"], "egger": {"intercept": 2.0, "se": 0.5, "p": 0.04}}
    type(run).objects.filter(pk=run.pk).update(result=result)
    row = next(r for r in _table(computed).rows if r.analysis == md)
    fixed = result["fixed"]["pooled"]
    assert "Funnel plot asymmetric (Egger p = 0.040)" in row.comments
    assert f"MD {fixed['estimate']:.2f}" in row.comments

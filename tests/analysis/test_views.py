"""The analysis pages: who may do what, the run button, plots, scripts and downloads."""

import json
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from analysis.models import Analysis, Comparison, GradeJudgement
from analysis.services.proposal import analyses_propose, comparisons_install_defaults
from reviewapp.models import Job

pytestmark = pytest.mark.django_db


@pytest.fixture
def computed(consensus_review, lead, run_now):
    comparisons_install_defaults(actor=lead, review=consensus_review)
    analyses_propose(actor=lead, review=consensus_review)
    run_now(consensus_review)
    return consensus_review


def _md(review):
    return Analysis.objects.get(review=review, effect_measure="MD")


def _urls(review):
    md = _md(review)
    comparison = Comparison.objects.get(review=review, order=0)
    slug = review.slug
    return [
        reverse("analysis:index", args=[slug]),
        reverse("analysis:detail", args=[slug, md.pk]),
        reverse("analysis:plot_download", args=[slug, md.pk, "forest", "random", "svg"]),
        reverse("analysis:rscript", args=[slug, md.pk]),
        reverse("analysis:sof", args=[slug, comparison.pk]),
        reverse("analysis:sof_download", args=[slug, comparison.pk, "docx"]),
        reverse("analysis:sof_review_download", args=[slug, "csv"]),
    ]


def test_every_member_can_view_and_download(client, computed, reviewer_a):
    client.force_login(reviewer_a)
    for url in _urls(computed):
        assert client.get(url).status_code == 200, url


def test_outsiders_and_other_reviews_get_404(client, computed, outsider, other_review):
    client.force_login(outsider)
    for url in _urls(computed):
        assert client.get(url).status_code == 404, url
    # An analysis id of this review under another review's slug is not found either.
    owner = other_review.memberships.first().user
    client.force_login(owner)
    url = reverse("analysis:detail", args=[other_review.slug, _md(computed).pk])
    assert client.get(url).status_code == 404


def test_only_the_lead_configures(client, computed, reviewer_a, lead):
    md = _md(computed)
    url = reverse("analysis:detail", args=[computed.slug, md.pk])
    data = {
        "effect_measure": "MD",
        "model": "fixed",
        "tau2_method": "REML",
        "favours_left": "Favours PIP",
        "favours_right": "Favours control",
        "sof_comment": "",
    }
    client.force_login(reviewer_a)
    assert client.post(url, data).status_code == 404
    assert client.post(reverse("analysis:propose", args=[computed.slug])).status_code == 404
    client.force_login(lead)
    assert client.post(url, data).status_code == 302
    md.refresh_from_db()
    assert (md.model, md.favours_left) == ("fixed", "Favours PIP")


def test_lead_excludes_a_study_with_a_reason_in_the_form(client, computed, lead):
    md = _md(computed)
    study_id = md.current_run.input_snapshot["studies"][0]["study_id"]
    client.force_login(lead)
    url = reverse("analysis:detail", args=[computed.slug, md.pk])
    data = {
        "effect_measure": "MD",
        "model": "random",
        "tau2_method": "REML",
        "favours_left": "a",
        "favours_right": "b",
        "sof_comment": "",
        f"exclude_{study_id}": "Infants older than 24 months",
    }
    assert client.post(url, data).status_code == 302
    md.refresh_from_db()
    assert md.excluded_studies == {str(study_id): "Infants older than 24 months"}


def test_run_button_starts_a_job_and_htmx_gets_the_progress_fragment(
    client, computed, reviewer_b, django_capture_on_commit_callbacks
):
    client.force_login(reviewer_b)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("analysis:run", args=[computed.slug]), HTTP_HX_REQUEST="true"
        )
    assert response.status_code == 200
    assert 'class="job-status"' in response.content.decode()
    job = Job.objects.filter(review=computed, kind="analysis.run").first()
    job.refresh_from_db()
    assert job.status == "done" and job.result["reused"] == 2


def test_detail_embeds_the_forest_figure_as_json_not_as_a_script(client, computed, reviewer_a):
    client.force_login(reviewer_a)
    page = client.get(
        reverse("analysis:detail", args=[computed.slug, _md(computed).pk])
    ).content.decode()
    match = re.search(
        r'<script type="application/json" id="forest-random-data">(.*?)</script>', page, re.S
    )
    figure = json.loads(match.group(1))
    assert {t["name"] for t in figure["data"]} == {"Studies", "Pooled"}
    texts = " ".join(a["text"] for a in figure["layout"]["annotations"])
    assert "Cohen 1999" in texts and "Test for overall effect" in texts and "I²" in texts
    assert "js/analysis.js" in page and "vendor/plotly/plotly.min.js" in page
    assert "Excluding quasi-randomised trials" in page and "Test for subgroup differences" in page


def test_forest_svg_download(client, computed, reviewer_a):
    client.force_login(reviewer_a)
    md = _md(computed)
    response = client.get(
        reverse("analysis:plot_download", args=[computed.slug, md.pk, "forest", "random", "svg"])
    )
    if response.status_code == 503:
        pytest.skip(f"kaleido cannot draw here: {response.content.decode()}")
    assert response["Content-Type"] == "image/svg+xml"
    svg = response.content.decode()
    assert svg.lstrip().startswith("<svg") and "Cohen 1999" in svg
    pooled = md.current_run.result["random"]["pooled"]
    assert f"{pooled['estimate']:.2f} [{pooled['ci_low']:.2f}, {pooled['ci_high']:.2f}]" in svg
    png = client.get(
        reverse("analysis:plot_download", args=[computed.slug, md.pk, "forest", "fixed", "png"])
    )
    assert png["Content-Type"] == "image/png" and png.content.startswith(b"\x89PNG")
    funnel = reverse(
        "analysis:plot_download", args=[computed.slug, md.pk, "funnel", "random", "svg"]
    )
    assert client.get(funnel).status_code == 404  # five studies: no funnel plot


def test_funnel_plot_with_more_than_ten_studies(client, review, lead, many_studies, run_now):
    many_studies(review, k=12)
    comparisons_install_defaults(actor=lead, review=review)
    analyses_propose(actor=lead, review=review)
    run_now(review)
    md = _md(review)
    assert "egger" in md.current_run.result["random"]
    client.force_login(lead)
    page = client.get(reverse("analysis:detail", args=[review.slug, md.pk])).content.decode()
    assert 'id="funnel-data"' in page and "Egger" in page
    svg = client.get(
        reverse("analysis:plot_download", args=[review.slug, md.pk, "funnel", "random", "svg"])
    )
    if svg.status_code == 503:
        pytest.skip(f"kaleido cannot draw here: {svg.content.decode()}")
    assert svg.status_code == 200 and svg.content.count(b'class="point"') == 12


def test_r_script_has_the_data_inline(client, computed, reviewer_a):
    client.force_login(reviewer_a)
    md = _md(computed)
    script = client.get(reverse("analysis:rscript", args=[computed.slug, md.pk])).content.decode()
    assert "library(metafor)" in script and 'method = "REML"' in script
    assert '"Cohen 1999"' in script and "12.1" in script and "15.3" in script


def test_grade_decision_by_the_lead_and_refusal_without_footnote(
    client, computed, lead, reviewer_a
):
    md = _md(computed)
    comparison = md.comparison
    url = reverse("analysis:sof", args=[computed.slug, comparison.pk])
    data = {
        "analysis": md.pk,
        "domain": "risk_of_bias",
        "suggested": 1,
        "accepted": 0,
        "footnote": "",
    }
    client.force_login(reviewer_a)
    assert client.post(url, data).status_code == 404
    client.force_login(lead)
    response = client.post(url, data, follow=True)
    assert "needs a footnote" in response.content.decode()
    assert not GradeJudgement.objects.exists()
    data["footnote"] = "Sequence generation unclear only; low risk otherwise."
    client.post(url, data)
    assert GradeJudgement.objects.get(analysis=md).accepted_downgrade == 0
    page = client.get(url).content.decode()
    assert "Sequence generation unclear only" in page


def test_unknown_download_format_is_404(client, computed, reviewer_a):
    client.force_login(reviewer_a)
    assert (
        client.get(
            reverse("analysis:sof_review_download", args=[computed.slug, "xlsx"])
        ).status_code
        == 404
    )


def test_export_sof_command_writes_each_format(computed, tmp_path):
    for fmt in ("docx", "csv", "html"):
        out = tmp_path / f"sof.{fmt}"
        call_command("export_sof", computed.slug, "--format", fmt, "-o", str(out))
        assert out.stat().st_size > 0
    pooled = _md(computed).current_run.result["random"]["pooled"]
    assert f"MD {pooled['estimate']:.2f}" in (tmp_path / "sof.csv").read_text(encoding="utf-8-sig")


def test_export_sof_command_names_bad_input(review, tmp_path):
    with pytest.raises(CommandError, match="No review with the slug 'nope'"):
        call_command("export_sof", "nope", "-o", str(tmp_path / "x.docx"))
    with pytest.raises(CommandError, match="no analyses yet"):
        call_command("export_sof", review.slug, "-o", str(tmp_path / "x.docx"))


def test_dashboard_panel_counts(client, computed, reviewer_a):
    client.force_login(reviewer_a)
    page = client.get(reverse("reviewapp:review_dashboard", args=[computed.slug])).content.decode()
    assert "Analyses planned" in page
    analyses = Analysis.objects.filter(review=computed)
    counts = {
        "Analyses planned": analyses.count(),
        "With a result": analyses.filter(current_run__status="ok").count(),
        "Could not be analysed": analyses.filter(current_run__status="failed").count(),
    }
    assert counts["With a result"] > 0
    for label, count in counts.items():
        assert f'{label}</dt><dd class="col-4">{count}</dd>' in page


def test_sof_tables_leave_out_comparisons_without_analyses(computed):
    from analysis.selectors import sof_tables

    empty = Comparison.objects.create(
        review=computed, name="No data", comparator_label="X", order=9
    )
    tables = sof_tables(computed)
    assert tables and all(t.rows for t in tables)
    assert empty.pk not in {t.comparison.pk for t in tables}


def test_lead_adds_and_edits_comparisons(client, review, lead, reviewer_a):
    from reviewapp.models import ComparatorType

    comparisons_install_defaults(actor=lead, review=review)
    url = reverse("analysis:comparisons", args=[review.slug])
    client.force_login(reviewer_a)
    assert client.get(url).status_code == 404
    client.force_login(lead)
    tau = ComparatorType.objects.get(review=review, name="Treatment as usual")
    data = {
        "name": "PIP vs TAU",
        "intervention_label": "PIP",
        "comparator_label": "TAU",
        "comparator_types": [tau.pk],
    }
    assert client.post(url, data).status_code == 302
    added = Comparison.objects.get(review=review, name="PIP vs TAU")
    assert list(added.comparator_types.all()) == [tau]
    edit = reverse("analysis:comparison_edit", args=[review.slug, added.pk])
    client.post(edit, {**data, "name": "PIP vs treatment as usual"})
    added.refresh_from_db()
    assert added.name == "PIP vs treatment as usual"
    # A duplicate name is refused with a message, not a 500.
    response = client.post(url, {**data, "name": "PIP vs treatment as usual"})
    assert response.status_code == 200 and "already exists" in response.content.decode()
    assert Comparison.objects.filter(review=review).count() == 3


def test_a_result_older_than_its_options_or_data_says_so(client, computed, lead, reviewer_a):
    from analysis.services.options import analysis_update
    from extraction.models import Extraction

    client.force_login(reviewer_a)
    md = _md(computed)
    detail = reverse("analysis:detail", args=[computed.slug, md.pk])
    assert "run the analyses again" not in client.get(detail).content.decode()
    analysis_update(actor=lead, analysis=md, options={"favours_left": "Favours PIP"})
    assert "The options changed after this result" in client.get(detail).content.decode()
    index = client.get(reverse("analysis:index", args=[computed.slug])).content.decode()
    assert "Out of date" in index
    rr = Analysis.objects.get(review=computed, effect_measure="RR")
    Extraction.objects.filter(study__review=computed).first().save()
    page = client.get(reverse("analysis:detail", args=[computed.slug, rr.pk])).content.decode()
    assert "Consensus data changed after this result" in page


def test_subgroup_forest_plots_are_embedded(client, computed, reviewer_a):
    client.force_login(reviewer_a)
    page = client.get(
        reverse("analysis:detail", args=[computed.slug, _md(computed).pk])
    ).content.decode()
    match = re.search(
        r'<script type="application/json" id="subgroup-infant_age_band-data">(.*?)</script>',
        page,
        re.S,
    )
    figure = json.loads(match.group(1))
    assert len(figure["data"][0]["y"]) == 3
    assert "test for subgroup differences" in figure["layout"]["title"]["text"]

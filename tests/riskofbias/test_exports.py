"""Plot data, the plots' symbols and weights, and the CSV/DOCX tables."""

import csv
import io

import pytest
from docx import Document

from riskofbias import exports, plots
from riskofbias.models import ConsensusJudgement

from .conftest import domain

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_studies(review, make_study, judge, reviewer_a, reviewer_b):
    first = make_study("Cohen 1999")
    second = make_study("Murray 2003")
    for user in (reviewer_a, reviewer_b):
        judge(user, first, {"sequence_generation": "high"})
        judge(user, second, {"other_bias": "unclear"})
    return first, second


def test_plot_data_holds_complete_consensus_only(review, two_studies, make_study):
    make_study("Unassessed 2010")
    data = exports.plot_data(review)
    assert [label for _, label, _ in data.rows] == ["Cohen 1999", "Murray 2003"]
    assert len(data.columns) == 9
    assert data.overall == {two_studies[0].pk: "high", two_studies[1].pk: "low"}
    assert "key domain" in data.rule_description


def test_traffic_light_carries_symbols_as_well_as_colours(review, two_studies):
    fig = plots.traffic_light_figure(exports.plot_data(review))
    by_name = {trace.name: trace for trace in fig.data}
    assert set(by_name) == {"+ Low risk", "? Unclear risk", "− High risk"}
    high = by_name["− High risk"]
    assert set(high.text) == {"−"}
    # Cohen's sequence generation and its overall verdict are high
    assert list(zip(high.x, high.y, strict=True)) == [
        ("Sequence generation", "Cohen 1999"),
        ("Overall", "Cohen 1999"),
    ]
    assert list(fig.layout.xaxis.categoryarray)[-1] == "Overall"


def test_summary_gives_proportions_per_domain(review, two_studies):
    fig = plots.summary_figure(exports.plot_data(review))
    by_level = {trace.name: list(trace.x) for trace in fig.data}
    columns = list(fig.data[0].y)
    seq, other = columns.index("Sequence generation"), columns.index("Other bias")
    assert by_level["− High risk"][seq] == pytest.approx(50.0)
    assert by_level["? Unclear risk"][other] == pytest.approx(50.0)
    assert by_level["+ Low risk"][columns.index("Allocation concealment")] == pytest.approx(100.0)
    assert {trace.marker.pattern.shape for trace in fig.data} == {"", ".", "/"}


def test_summary_can_be_weighted_by_analysis_weights(review, two_studies):
    first, second = two_studies
    fig = plots.summary_figure(exports.plot_data(review), weights={first.pk: 3.0, second.pk: 1.0})
    by_level = {trace.name: list(trace.x) for trace in fig.data}
    seq = list(fig.data[0].y).index("Sequence generation")
    assert by_level["− High risk"][seq] == pytest.approx(75.0)
    assert "weighted" in fig.layout.title.text


def test_csv_has_every_cell_and_neutralises_formulas(review, two_studies):
    first, _ = two_studies
    ConsensusJudgement.objects.filter(study=first, domain=domain(review, "other_bias")).update(
        justification='=HYPERLINK("http://evil")', quote="+cmd|' /C calc'!A0", page="@1"
    )
    rows = list(csv.reader(io.StringIO(exports.rob_csv(review))))
    assert rows[0] == exports.CSV_HEADER
    assert len(rows) == 1 + 2 * 9
    other = [r for r in rows if r[0] == "Cohen 1999" and r[1] == "Other bias"][0]
    assert other[5].startswith("'+cmd")
    assert other[6] == "'@1"
    assert other[8].startswith("'=HYPERLINK")
    assert other[10] == "high"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("-2", "'-2"),
        ("+x", "'+x"),
        ("@A", "'@A"),
        ("plain", "plain"),
        (None, ""),
    ],
)
def test_neutralise(value, expected):
    assert exports.neutralise(value) == expected


def test_docx_has_one_table_per_study_with_support(review, two_studies):
    document = Document(io.BytesIO(exports.rob_docx(review)))
    assert len(document.tables) == 2
    header = [cell.text for cell in document.tables[0].rows[0].cells]
    assert header == ["Bias", "Authors' judgement", "Support for judgement"]
    first_row = [cell.text for cell in document.tables[0].rows[1].cells]
    assert first_row[0] == "Random sequence generation (Selection bias)"
    assert first_row[1] == "High risk"
    assert 'Quote: "Randomised by sequence_generation" (p. 4).' in first_row[2]
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Overall: High risk. By outcome group: Parent-report outcomes: High risk; " in text
    assert "Overall: Low risk." in text
    assert "high if any key domain is at high risk" in text.lower()


def test_plot_images_are_svg_and_png(review, two_studies):
    data = exports.plot_data(review)
    try:
        svg = plots.figure_image(plots.traffic_light_figure(data), "svg")
    except plots.PlotExportError as exc:
        pytest.skip(f"kaleido cannot run here: {exc}")
    assert svg.lstrip().startswith(b"<svg")
    assert b"Cohen 1999" in svg
    png = plots.figure_image(plots.summary_figure(data), "png")
    assert png.startswith(b"\x89PNG")


def test_plot_download_view(client, review, two_studies, reviewer_a):
    from django.urls import reverse

    client.force_login(reviewer_a)
    address = reverse(
        "riskofbias:plot_download",
        kwargs={"slug": review.slug, "kind": "traffic-light", "fmt": "svg"},
    )
    response = client.get(address)
    if response.status_code == 503:
        pytest.skip(f"kaleido cannot run here: {response.content.decode()}")
    assert response["Content-Type"] == "image/svg+xml"
    assert "attachment" in response["Content-Disposition"]

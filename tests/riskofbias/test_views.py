"""Pages: access for members only, assessors blind to each other on every endpoint, the flow."""

import io
import zipfile

import pytest
from django.urls import reverse

from extraction.models import Study
from riskofbias.models import ConsensusJudgement, RobJudgement

from .conftest import cell_entries, domain

pytestmark = pytest.mark.django_db

SECRET = "SECRET-A-JUSTIFICATION"


def url(name, review, **kwargs):
    return reverse(f"riskofbias:{name}", kwargs={"slug": review.slug, **kwargs})


def every_url(review, study):
    s = {"study_id": study.pk}
    return [
        url("index", review),
        url("settings", review),
        url("assess", review, **s),
        url("consensus", review, **s),
        url("assessors", review, **s),
        url("contact_investigators", review, **s),
        url("table", review),
        url("table_csv", review),
        url("table_docx", review),
        url("plots", review),
        url("plot_download", review, kind="summary", fmt="svg"),
    ]


def body(response) -> str:
    if response.get("Content-Type", "").startswith("application/vnd.openxml"):
        with zipfile.ZipFile(io.BytesIO(response.content)) as docx:
            return docx.read("word/document.xml").decode()
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def post_assessment(client, review, study, levels=None, complete=True, secret=""):
    data = {}
    for entry in cell_entries(review, levels):
        p = f"c{entry.domain_id}_{entry.outcome_group_id or 0}-"
        data.update(
            {
                f"{p}level": entry.level,
                f"{p}quote": entry.quote,
                f"{p}page": entry.page,
                f"{p}justification": entry.justification + secret,
            }
        )
    if complete:
        data["complete"] = "1"
    return client.post(url("assess", review, study_id=study.pk), data)


def test_anonymous_is_sent_to_login(client, review, study):
    for address in every_url(review, study):
        response = client.get(address)
        assert response.status_code == 302, address
        assert "/accounts/login/" in response["Location"]


def test_outsider_gets_404_everywhere(client, review, study, outsider):
    client.force_login(outsider)
    for address in every_url(review, study):
        assert client.get(address).status_code == 404, address
    assert client.post(url("resolve", review, study_id=study.pk), {}).status_code == 404
    assert client.post(url("reopen", review, study_id=study.pk)).status_code == 404


def test_study_of_another_review_is_404(client, review, other_review, reviewer_a, tool):
    foreign = Study.objects.create(review=other_review, label="Foreign 2001")
    client.force_login(reviewer_a)
    for name in ["assess", "consensus", "contact_investigators"]:
        assert client.get(url(name, review, study_id=foreign.pk)).status_code == 404, name


def test_lead_only_pages(client, review, study, reviewer_a, lead):
    client.force_login(reviewer_a)
    assert client.get(url("settings", review)).status_code == 404
    assert client.get(url("assessors", review, study_id=study.pk)).status_code == 404
    client.force_login(lead)
    assert client.get(url("settings", review)).status_code == 200
    assert client.get(url("assessors", review, study_id=study.pk)).status_code == 200


def test_assessor_sees_own_form_others_get_404(client, review, study, reviewer_a, adjudicator):
    client.force_login(reviewer_a)
    response = client.get(url("assess", review, study_id=study.pk))
    assert response.status_code == 200
    assert "Insufficient information: contact investigators" in response.content.decode()
    client.force_login(adjudicator)
    assert client.get(url("assess", review, study_id=study.pk)).status_code == 404


def test_assessment_posted_and_handed_in(client, review, study, reviewer_a):
    client.force_login(reviewer_a)
    response = post_assessment(client, review, study)
    assert response.status_code == 302
    assert RobJudgement.objects.filter(assignment__assessor=reviewer_a).count() == 9
    page = client.get(response["Location"]).content.decode()
    assert "handed in" in page


def test_missing_support_in_the_form_names_the_cell_and_saves_nothing(
    client, review, study, reviewer_a
):
    client.force_login(reviewer_a)
    sequence = domain(review, "sequence_generation")
    response = client.post(
        url("assess", review, study_id=study.pk),
        {f"c{sequence.pk}_0-level": "low", f"c{sequence.pk}_0-justification": ""},
    )
    assert response.status_code == 200
    assert (
        "Cohen 1999, Random sequence generation: a judgement needs its support"
        in response.content.decode()
    )
    assert RobJudgement.objects.count() == 0


def test_level_outside_the_tool_is_refused_by_the_form(client, review, study, reviewer_a):
    client.force_login(reviewer_a)
    response = post_assessment(client, review, study, {"other_bias": "medium"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert RobJudgement.objects.count() == 0


@pytest.fixture
def a_handed_in(client, review, study, reviewer_a):
    client.force_login(reviewer_a)
    post_assessment(client, review, study, {"allocation_concealment": "unclear"}, secret=SECRET)
    client.logout()
    return study


def test_assessor_b_never_sees_a_before_consensus(client, review, a_handed_in, reviewer_b):
    client.force_login(reviewer_b)
    for address in [
        *every_url(review, a_handed_in),
        reverse("reviewapp:review_dashboard", args=[review.slug]),
    ]:
        response = client.get(address)
        assert SECRET not in body(response), address
    # after B hands in too, the differences are the adjudicator's, not B's
    post_assessment(client, review, a_handed_in, {"allocation_concealment": "high"})
    for address in [
        *every_url(review, a_handed_in),
        reverse("reviewapp:review_dashboard", args=[review.slug]),
    ]:
        response = client.get(address)
        assert SECRET not in body(response), address
    assert client.get(url("consensus", review, study_id=a_handed_in.pk)).status_code == 404


def test_adjudicator_sees_differences_and_resolves(
    client, review, a_handed_in, reviewer_b, adjudicator
):
    client.force_login(reviewer_b)
    response = post_assessment(client, review, a_handed_in, {"allocation_concealment": "high"})
    told = client.get(response["Location"]).content.decode()
    assert "became the consensus automatically" in told
    client.force_login(adjudicator)
    page = client.get(url("consensus", review, study_id=a_handed_in.pk)).content.decode()
    assert "1 domain differed" in page
    assert "became the consensus automatically" in page
    assert SECRET in page
    ac = domain(review, "allocation_concealment")
    p = f"c{ac.pk}_0"
    response = client.post(
        url("resolve", review, study_id=a_handed_in.pk),
        {
            "prefix": p,
            f"{p}-domain_id": ac.pk,
            f"{p}-outcome_group_id": "",
            f"{p}-level": "high",
            f"{p}-quote": "Sealed envelopes, not opaque",
            f"{p}-page": "5",
            f"{p}-justification": "Envelopes could be read against the light",
        },
    )
    assert response.status_code == 302
    assert ConsensusJudgement.objects.filter(study=a_handed_in).count() == 9
    table = client.get(url("table", review)).content.decode()
    assert "Sealed envelopes, not opaque" in table
    assert "Cohen 1999" in table
    assert "Overall by outcome group" in table


def test_resolve_without_support_shows_the_message(
    client, review, a_handed_in, reviewer_b, adjudicator
):
    client.force_login(reviewer_b)
    post_assessment(client, review, a_handed_in, {"allocation_concealment": "high"})
    client.force_login(adjudicator)
    ac = domain(review, "allocation_concealment")
    p = f"c{ac.pk}_0"
    response = client.post(
        url("resolve", review, study_id=a_handed_in.pk),
        {"prefix": p, f"{p}-domain_id": ac.pk, f"{p}-level": "high", f"{p}-justification": ""},
    )
    assert response.status_code == 400
    assert "Allocation concealment: a judgement needs its support" in response.content.decode()
    assert ConsensusJudgement.objects.filter(study=a_handed_in).count() == 8


def test_resolve_before_two_assessments_is_refused(client, review, a_handed_in, adjudicator):
    client.force_login(adjudicator)
    page = client.get(url("consensus", review, study_id=a_handed_in.pk)).content.decode()
    assert "1 of 2 assessments" in page
    assert SECRET not in page
    ac = domain(review, "allocation_concealment")
    p = f"c{ac.pk}_0"
    response = client.post(
        url("resolve", review, study_id=a_handed_in.pk),
        {
            "prefix": p,
            f"{p}-domain_id": ac.pk,
            f"{p}-level": "high",
            f"{p}-page": "1",
            f"{p}-quote": "q",
            f"{p}-justification": "j",
        },
    )
    assert response.status_code == 400
    assert ConsensusJudgement.objects.count() == 0


def test_lead_changes_settings_and_the_rule_shows_on_the_pages(client, review, study, lead):
    client.force_login(lead)
    response = client.post(
        url("settings", review),
        {
            "rule": "key_domains_strict",
            "key_domains": ["sequence_generation", "allocation_concealment"],
            "outcome_groups": "Parent-report outcomes\nObserver-rated outcomes",
        },
    )
    assert response.status_code == 302
    for name in ["index", "table", "plots"]:
        assert (
            "Key domains, unclear counts as high" in client.get(url(name, review)).content.decode()
        )


def test_lead_assigns_assessors(client, review, study, lead, reviewer_a, adjudicator):
    client.force_login(lead)
    response = client.post(
        url("assessors", review, study_id=study.pk), {"assessors": [reviewer_a.pk, adjudicator.pk]}
    )
    assert response.status_code == 302
    response = client.post(
        url("assessors", review, study_id=study.pk), {"assessors": [reviewer_a.pk]}
    )
    assert "exactly two different assessors" in response.content.decode()


def test_contact_investigators_logs_an_author_contact(client, review, study, reviewer_a):
    client.force_login(reviewer_a)
    response = client.post(
        url("contact_investigators", review, study_id=study.pk),
        {
            "contacted": "Dr Cohen",
            "question": "How was allocation concealed?",
            "asked_on": "2026-11-01",
        },
    )
    assert response.status_code == 302
    assert study.author_contacts.get().question == "How was allocation concealed?"


def test_dashboard_shows_the_panel(client, review, study, reviewer_a):
    client.force_login(reviewer_a)
    page = client.get(reverse("reviewapp:review_dashboard", args=[review.slug])).content.decode()
    assert "Your assessments to hand in" in page


def test_unknown_plot_format_is_404(client, review, reviewer_a):
    client.force_login(reviewer_a)
    assert client.get(url("plot_download", review, kind="summary", fmt="gif")).status_code == 404
    assert client.get(url("plot_download", review, kind="forest", fmt="svg")).status_code == 404


def resolve_data(review, key="allocation_concealment", **changes):
    d = domain(review, key)
    p = f"c{d.pk}_0"
    data = {
        "prefix": p,
        f"{p}-domain_id": d.pk,
        f"{p}-level": "high",
        f"{p}-quote": "Sealed envelopes",
        f"{p}-page": "5",
        f"{p}-justification": "Could be foreseen",
    }
    data.update({f"{p}-{k}": v for k, v in changes.items()})
    return data


def test_htmx_resolve_returns_the_row_and_the_status(
    client, review, a_handed_in, reviewer_b, adjudicator
):
    client.force_login(reviewer_b)
    post_assessment(client, review, a_handed_in, {"allocation_concealment": "high"})
    client.force_login(adjudicator)
    address = url("resolve", review, study_id=a_handed_in.pk)
    bad = client.post(address, resolve_data(review, justification=""), HTTP_HX_REQUEST="true")
    assert bad.status_code == 200
    assert "a judgement needs its support" in bad.content.decode()
    assert "<html" not in bad.content.decode()
    good = client.post(address, resolve_data(review), HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in good
    assert 'id="compare-c' in good
    assert 'hx-swap-oob="true"' in good
    assert "The consensus is complete." in good


def test_assessor_cannot_post_a_resolve_even_with_htmx(client, review, a_handed_in, reviewer_b):
    client.force_login(reviewer_b)
    post_assessment(client, review, a_handed_in, {"allocation_concealment": "high"})
    response = client.post(
        url("resolve", review, study_id=a_handed_in.pk),
        resolve_data(review),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 404
    assert SECRET not in response.content.decode()
    assert ConsensusJudgement.objects.filter(study=a_handed_in).count() == 8


def test_plots_page_embeds_figures_as_json_data_blocks(client, review, a_handed_in, reviewer_b):
    client.force_login(reviewer_b)
    post_assessment(client, review, a_handed_in, {"allocation_concealment": "unclear"})
    page = client.get(url("plots", review)).content.decode()
    assert '<script id="rob-traffic-light-data" type="application/json">' in page
    assert '<script id="rob-summary-data" type="application/json">' in page
    assert "/static/vendor/plotly/plotly.min.js" in page
    # CSP: every other script has a src; the only bodies are the JSON data blocks
    assert page.count("<script") == page.count("<script src=") + 2
    csv_response = client.get(url("table_csv", review))
    assert csv_response["Content-Type"].startswith("text/csv")
    assert "Cohen 1999" in csv_response.content.decode()

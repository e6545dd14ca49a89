"""The comparison page, resolving over htmx, author contacts, form building and exports."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from extraction.models import AuthorContact, FormField, Study
from extraction.selectors import comparison_rows, consensus_outcome_data
from extraction.services import extraction_submit

pytestmark = pytest.mark.django_db


def url(name, study, **kwargs):
    return reverse(
        f"extraction:{name}", kwargs={"slug": study.review.slug, "study_id": study.pk, **kwargs}
    )


@pytest.fixture
def submitted(study, bdi, post, extract, reviewer_a, reviewer_b):
    a = extract(reviewer_a, study, bdi, post, answers={"country": "=HYPERLINK(1)"})
    b = extract(reviewer_b, study, bdi, post, answers={"country": "Norway"}, pip=(13.0, 5.0, 40))
    extraction_submit(actor=reviewer_a, extraction=a)
    extraction_submit(actor=reviewer_b, extraction=b)
    return study


def test_comparison_marks_each_difference_in_text(client, submitted, adjudicator):
    client.force_login(adjudicator)
    response = client.get(url("compare", submitted))
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("≠ Differs</span>") == 2
    assert "Norway" in page and "13" in page
    assert "2 differences; 2 still to resolve" in page


def test_adjudicator_resolves_over_htmx_and_the_analysis_reads_it(client, submitted, adjudicator):
    client.force_login(adjudicator)
    rows = [r for r in comparison_rows(submitted)[2] if r.needs_resolution]
    for row in rows:
        response = client.post(
            url("resolve", submitted), {"key": row.key, "choice": "b"}, HTTP_HX_REQUEST="true"
        )
        assert response.status_code == 200
        assert (
            "B&#x27;s value by nm" in response.content.decode()
            or "B's value" in response.content.decode()
        )
    assert "Consensus final" in response.content.decode()
    means = {r.arm_role: r.mean for r in consensus_outcome_data(submitted.review)}
    assert means == {"intervention": 13.0, "control": 16.0}


def test_a_reviewer_cannot_resolve_by_default(client, submitted, reviewer_a):
    client.force_login(reviewer_a)
    row = next(r for r in comparison_rows(submitted)[2] if r.needs_resolution)
    response = client.post(url("resolve", submitted), {"key": row.key, "choice": "a"}, follow=True)
    assert b"Only the adjudicator" in response.content
    assert consensus_outcome_data(submitted.review) == []


def test_exports_are_tidy_and_neutralise_formulas(client, submitted, adjudicator, lead):
    client.force_login(adjudicator)
    for row in [r for r in comparison_rows(submitted)[2] if r.needs_resolution]:
        client.post(url("resolve", submitted), {"key": row.key, "choice": "a"})
    client.force_login(lead)
    slug = submitted.review.slug
    outcomes = client.get(reverse("extraction:export", args=[slug, "outcomes", "csv"]))
    rows = list(csv.DictReader(io.StringIO(outcomes.content.decode())))
    assert [(r["arm_role"], r["mean"], r["n"]) for r in rows] == [
        ("intervention", "12.0", "40"),
        ("control", "16.0", "38"),
    ]
    characteristics = client.get(
        reverse("extraction:export", args=[slug, "characteristics", "csv"])
    )
    study_row = next(csv.DictReader(io.StringIO(characteristics.content.decode())))
    assert study_row["country"] == "'=HYPERLINK(1)"
    assert study_row["is_quasi_rct"] == "no"
    book = load_workbook(
        io.BytesIO(
            client.get(reverse("extraction:export", args=[slug, "consensus", "xlsx"])).content
        )
    )
    sheet = book["Study characteristics"]
    header = [c.value for c in sheet[1]]
    assert sheet.cell(row=2, column=header.index("country") + 1).value == "'=HYPERLINK(1)"
    assert book["Outcome data"].max_row == 3
    assert (
        client.get(reverse("extraction:export", args=[slug, "nothing", "csv"])).status_code == 404
    )


def test_author_contact_log_with_a_reply_before_the_question_refused(client, study, reviewer_a):
    client.force_login(reviewer_a)
    data = {
        "contacted": "Dr Cohen <cohen@example.org>",
        "question": "SD of the BDI at 6 months?",
        "asked_on": "2026-03-01",
        "reply": "Attached",
        "replied_on": "2026-02-01",
        "data_received": "",
    }
    response = client.post(url("author_contacts", study), data)
    assert response.status_code == 200
    assert not AuthorContact.objects.exists()
    data["replied_on"] = "2026-03-10"
    response = client.post(url("author_contacts", study), data)
    assert response.status_code == 302
    assert AuthorContact.objects.get().replied_on == datetime.date(2026, 3, 10)


def test_lead_builds_a_field_and_nobody_else_can(client, form_review, lead, reviewer_a):
    section = form_review.extraction_sections.first()
    data = {
        "section": section.pk,
        "label": "Attrition reasons",
        "key": "attrition_reasons",
        "kind": "multi_choice",
        "choices": "Moved\nWithdrew",
    }
    client.force_login(reviewer_a)
    assert (
        client.post(reverse("extraction:field_add", args=[form_review.slug]), data).status_code
        == 404
    )
    client.force_login(lead)
    response = client.post(reverse("extraction:field_add", args=[form_review.slug]), data)
    assert response.status_code == 302
    assert FormField.objects.get(key="attrition_reasons").choices == ["Moved", "Withdrew"]
    response = client.post(
        reverse("extraction:field_add", args=[form_review.slug]), {**data, "choices": ""}
    )
    assert response.status_code == 422
    assert b"List the choices" in response.content
    assert (
        client.get(reverse("extraction:form_builder", args=[form_review.slug])).status_code == 200
    )


def test_lead_groups_reports_into_studies(client, form_review, lead, make_records):
    from screening.models import ItemStatus, ScreeningItem, Stage

    records = make_records(form_review, 4, authors=["Fonagy, P."])
    for record in records[:3]:
        ScreeningItem.objects.create(
            review=form_review,
            record=record,
            stage=Stage.FULL_TEXT,
            status=ItemStatus.INCLUDED,
            final_verdict="include",
        )
    client.force_login(lead)
    page = reverse("extraction:study_group", args=[form_review.slug])
    listing = client.get(page).content.decode()
    assert records[0].title in listing and f'value="{records[3].pk}"' not in listing
    response = client.post(page, {"records": [records[3].pk], "action": "each"})
    assert response.status_code == 200 and not Study.objects.exists()  # not included
    client.post(
        page, {"records": [records[0].pk, records[1].pk], "label": "Fonagy 2000", "action": "merge"}
    )
    client.post(page, {"records": [records[2].pk], "action": "each"})
    studies = {s.label: s.reports.count() for s in Study.objects.filter(review=form_review)}
    assert studies == {"Fonagy 2000": 2, "Fonagy 2002": 1}
    client.post(page, {"action": "all"})  # nothing left to group: no study is made twice
    assert Study.objects.filter(review=form_review).count() == 2
    assert all(s.assignments.count() == 2 for s in Study.objects.all())


def test_a_typed_value_without_a_choice_counts_as_an_edit(client, submitted, adjudicator):
    client.force_login(adjudicator)
    row = next(r for r in comparison_rows(submitted)[2] if r.label == "Country")
    response = client.post(url("resolve", submitted), {"key": row.key, "value": "Denmark"})
    assert response.status_code == 302
    consensus = submitted.extractions.get(kind="consensus")
    assert consensus.resolutions[row.key]["how"] == "edited"
    assert consensus.answers["country"] == "Denmark"


def test_the_default_grouping_makes_one_study_per_included_report(
    client, form_review, lead, make_records
):
    from screening.models import ItemStatus, ScreeningItem, Stage

    records = make_records(form_review, 3, authors=["Sleed, M."])
    for record in records:
        ScreeningItem.objects.create(
            review=form_review,
            record=record,
            stage=Stage.FULL_TEXT,
            status=ItemStatus.INCLUDED,
            final_verdict="include",
        )
    client.force_login(lead)
    response = client.post(
        reverse("extraction:study_group", args=[form_review.slug]), {"action": "all"}, follow=True
    )
    assert b"3 studies created." in response.content
    assert sorted(Study.objects.values_list("label", flat=True)) == [
        "Sleed 2000",
        "Sleed 2001",
        "Sleed 2002",
    ]

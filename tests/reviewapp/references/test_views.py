"""The references pages: access rules, upload, decisions, queue, PRISMA."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reviewapp.models import AuditEvent, DuplicatePair, ImportBatch, Record
from reviewapp.references.services import batch_import
from tests.reviewapp.references.helpers import FIXTURES, upload
from tests.reviewapp.references.test_services_duplicates import A, B

pytestmark = pytest.mark.django_db


def url(name, review, *args):
    return (
        reverse(f"references:{name}", kwargs={"slug": review.slug})
        if not args
        else reverse(f"references:{name}", args=[review.slug, *args])
    )


def post_file(client, review, name, content=None, **extra):
    data = content if content is not None else (FIXTURES / name).read_bytes()
    form = {
        "database_name": "PubMed",
        "file_format": "auto",
        "file": SimpleUploadedFile(name, data),
        **extra,
    }
    return client.post(url("upload", review), form)


GET_PAGES = ["source_list", "upload", "record_list", "duplicate_queue", "prisma", "prisma_svg"]


@pytest.mark.parametrize("name", GET_PAGES)
def test_outsider_gets_404_everywhere(client, review, outsider, name):
    client.force_login(outsider)
    assert client.get(url(name, review)).status_code == 404


def test_outsider_cannot_see_or_decide_a_batch_or_record(client, review, outsider, lead):
    batch = upload(review, "ovid_medline.ris")
    batch_import(actor=lead, batch_id=batch.pk)
    record = Record.objects.filter(review=review).first()
    client.force_login(outsider)
    assert client.get(url("batch_detail", review, batch.pk)).status_code == 404
    assert (
        client.post(url("batch_decide", review, batch.pk), {"action": "cancel"}).status_code == 404
    )
    assert client.get(url("record_detail", review, record.pk)).status_code == 404
    assert client.post(url("record_unmerge", review, record.pk)).status_code == 404


def test_batch_of_another_review_is_404_for_its_non_members(client, review, other_review, lead):
    batch = upload(other_review, "ovid_medline.ris")
    client.force_login(lead)
    assert client.get(url("batch_detail", review, batch.pk)).status_code == 404


def test_adjudicator_may_read_but_not_import(client, review, adjudicator):
    client.force_login(adjudicator)
    assert client.get(url("record_list", review)).status_code == 200
    assert client.get(url("upload", review)).status_code == 404
    assert post_file(client, review, "pubmed.nbib").status_code == 404


@pytest.mark.parametrize("user", ["lead", "reviewer_a"])
def test_lead_and_reviewers_import_and_see_the_result(client, review, request, user):
    client.force_login(request.getfixturevalue(user))
    response = post_file(client, review, "pubmed.nbib")
    batch = ImportBatch.objects.get(review=review)
    assert response.url == url("batch_detail", review, batch.pk)
    page = client.get(response.url).content.decode()
    assert "<strong>2</strong> records imported" in page
    assert Record.objects.filter(review=review).count() == 2


def test_errors_are_shown_and_the_user_imports_the_good_records(client, review, lead):
    client.force_login(lead)
    response = post_file(client, review, "truncated_notitle.ris")
    page = client.get(response.url).content.decode()
    assert "Import the 1 good records" in page
    assert "Record 2 (line 7) has no title" in page
    assert not Record.objects.exists()
    batch = ImportBatch.objects.get()
    client.post(url("batch_decide", review, batch.pk), {"action": "import_good"})
    assert Record.objects.filter(review=review).count() == 1


def test_cancel_leaves_nothing(client, review, lead):
    client.force_login(lead)
    post_file(client, review, "truncated_notitle.ris")
    batch = ImportBatch.objects.get()
    client.post(url("batch_decide", review, batch.pk), {"action": "cancel"})
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.CANCELLED and not Record.objects.exists()


def test_file_over_the_limit_is_a_form_error(client, review, lead, settings):
    settings.UPLOAD_MAX_MEGABYTES = 0
    client.force_login(lead)
    response = post_file(client, review, "pubmed.nbib")
    assert response.status_code == 200
    assert "the limit is 0 MB" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_refused_file_shows_the_reason(client, review, lead):
    client.force_login(lead)
    response = post_file(client, review, "xxe.xml")
    page = client.get(response.url).content.decode()
    assert "Nothing was imported." in page and "never resolved" in page


def test_csv_mapping_form_changes_the_columns(client, review, lead):
    client.force_login(lead)
    response = post_file(
        client, review, "scopus.csv", content=(FIXTURES / "scopus.csv").read_bytes()
    )
    batch = ImportBatch.objects.get()
    batch.status = ImportBatch.Status.NEEDS_DECISION  # as if the user wants to fix the columns
    Record.objects.all().delete()
    batch.save()
    page = client.get(response.url).content.decode()
    assert "CSV columns" in page and 'value="Source title"' in page
    client.post(
        url("batch_mapping", review, batch.pk), {"title": "Source title", "authors": "Authors"}
    )
    assert Record.objects.filter(title="British Journal of Psychiatry").exists()


def test_duplicate_queue_merge_and_unmerge(client, review, reviewer_a, lead):
    batch_import(actor=lead, batch_id=upload(review, "a.ris", content=A.encode()).pk)
    batch_import(actor=lead, batch_id=upload(review, "b.ris", content=B.encode()).pk)
    pair = DuplicatePair.objects.get(status=DuplicatePair.Status.PENDING)
    client.force_login(reviewer_a)
    page = client.get(url("duplicate_queue", review)).content.decode()
    assert "Merge (m)" in page and "js/references.js" in page
    client.post(url("duplicate_decide", review, pair.pk), {"verdict": "merge"})
    pair.duplicate.refresh_from_db()
    assert pair.duplicate.duplicate_of_id == pair.kept_id
    assert "No possible duplicates" in client.get(url("duplicate_queue", review)).content.decode()
    client.post(url("record_unmerge", review, pair.duplicate_id))
    pair.duplicate.refresh_from_db()
    assert pair.duplicate.duplicate_of_id is None
    assert (
        AuditEvent.objects.filter(action__in=["references.merge", "references.unmerge"]).count()
        == 2
    )


def test_records_list_searches_and_pages(client, review, lead, make_records):
    make_records(review, 60)
    client.force_login(lead)
    page = client.get(url("record_list", review), {"q": "Record 42"}).content.decode()
    assert "1 record." in page
    assert "Page 1 of 2" in client.get(url("record_list", review)).content.decode()


def test_prisma_page_and_svg_download(client, review, lead):
    batch_import(actor=lead, batch_id=upload(review, "pubmed.nbib", database="PubMed").pk)
    client.force_login(lead)
    page = client.get(url("prisma", review)).content.decode()
    assert "<svg" in page and "PubMed (n = 2)" in page
    response = client.get(url("prisma_svg", review))
    assert response["Content-Type"] == "image/svg+xml"
    assert "attachment" in response["Content-Disposition"]
    assert response.content.startswith(b"<svg")


def test_dashboard_panel_counts_and_links(review, lead):
    from django.template.loader import render_to_string

    from reviewapp.dashboard import panel

    batch_import(actor=lead, batch_id=upload(review, "pubmed.nbib").pk)
    template, context = panel(review, lead)
    assert (context["records_total"], context["records_unique"], context["pairs_pending"]) == (
        2,
        2,
        0,
    )
    html = render_to_string(template, {"panel_context": {**context, "review": review}})
    assert url("upload", review) in html and url("prisma", review) in html

"""Full texts: PDF upload validated and served to members in a frame; links; not retrieved."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from screening.models import ItemStatus
from screening.services import ScreeningError, fulltext_attach, fulltext_mark_not_retrieved
from tests.screening.conftest import fulltext_item

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def ft(items, decide, reviewer_a, reviewer_b):
    decide(reviewer_a, items[0], "include")
    decide(reviewer_b, items[0], "include")
    return fulltext_item(items[0])


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_pdf_upload_and_frame(client, review, ft, reviewer_a, outsider, media):
    client.force_login(reviewer_a)
    upload = SimpleUploadedFile("report.pdf", PDF, content_type="application/pdf")
    client.post(
        reverse("screening:fulltext_attach", kwargs={"slug": review.slug}),
        {"item": ft.pk, "pdf": upload},
    )
    pdf_url = reverse(
        "screening:fulltext_pdf", kwargs={"slug": review.slug, "record_id": ft.record_id}
    )
    response = client.get(pdf_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    page = client.get(
        reverse("screening:screen", kwargs={"slug": review.slug, "stage": "ft"})
    ).content.decode()
    assert f'src="{pdf_url}"' in page
    client.force_login(outsider)
    assert client.get(pdf_url).status_code == 404


def test_not_a_pdf_is_refused(review, ft, reviewer_a, media):
    fake = SimpleUploadedFile(
        "report.pdf", b"<html>not a pdf</html>", content_type="application/pdf"
    )
    with pytest.raises(ScreeningError, match="report.pdf: this file is not a PDF"):
        fulltext_attach(actor=reviewer_a, review=review, item_id=ft.pk, pdf=fake)


def test_size_limit(review, ft, reviewer_a, media, settings):
    settings.UPLOAD_MAX_MEGABYTES = 0
    with pytest.raises(ScreeningError, match="the limit is 0 MB"):
        fulltext_attach(
            actor=reviewer_a, review=review, item_id=ft.pk, pdf=SimpleUploadedFile("a.pdf", PDF)
        )


def test_link_and_title_stage_refused(review, items, ft, reviewer_a, adjudicator):
    fulltext_attach(
        actor=reviewer_a, review=review, item_id=ft.pk, link="https://example.org/a.pdf"
    )
    with pytest.raises(ScreeningError, match="not reached full-text"):
        fulltext_attach(
            actor=reviewer_a, review=review, item_id=items[1].pk, link="https://example.org"
        )
    with pytest.raises(ScreeningError, match="lead and reviewers"):
        fulltext_attach(actor=adjudicator, review=review, item_id=ft.pk, link="https://example.org")


def test_not_retrieved_once(review, ft, lead):
    fulltext_mark_not_retrieved(actor=lead, review=review, item_id=ft.pk)
    ft.refresh_from_db()
    assert ft.status == ItemStatus.NOT_RETRIEVED
    with pytest.raises(ScreeningError, match="already resolved"):
        fulltext_mark_not_retrieved(actor=lead, review=review, item_id=ft.pk)


def test_lead_lists_full_texts_and_marks_not_retrieved(client, review, ft, lead):
    client.force_login(lead)
    page = client.get(reverse("screening:fulltexts", kwargs={"slug": review.slug})).content.decode()
    assert f'id="ft-{ft.pk}"' in page
    client.post(reverse("screening:not_retrieved", kwargs={"slug": review.slug, "item_id": ft.pk}))
    ft.refresh_from_db()
    assert ft.status == ItemStatus.NOT_RETRIEVED


def test_adjudicator_cannot_open_the_full_text_list(client, review, adjudicator):
    client.force_login(adjudicator)
    assert (
        client.get(reverse("screening:fulltexts", kwargs={"slug": review.slug})).status_code == 404
    )

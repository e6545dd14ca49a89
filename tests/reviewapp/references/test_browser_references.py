"""In a real browser: upload a file, then clear the duplicate queue with the keyboard."""

from __future__ import annotations

import pytest

from reviewapp.models import DuplicatePair, Record
from reviewapp.references.services import batch_import
from tests.reviewapp.references.helpers import FIXTURES, upload
from tests.reviewapp.references.test_services_duplicates import A, B

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_upload_page_imports_a_file(login_page, review, lead):
    page = login_page(lead)
    page.goto(f"/reviews/{review.slug}/references/upload/")
    page.get_by_label("Database or other source").fill("Ovid MEDLINE")
    page.get_by_label("File").set_input_files(str(FIXTURES / "ovid_medline.ris"))
    page.get_by_role("button", name="Upload and import").click()
    assert page.get_by_role("status").inner_text().startswith("2 records imported")
    assert Record.objects.filter(review=review).count() == 2


def test_duplicate_queue_answers_to_the_m_key(login_page, review, lead, reviewer_a):
    batch_import(actor=lead, batch_id=upload(review, "a.ris", content=A.encode()).pk)
    batch_import(actor=lead, batch_id=upload(review, "b.ris", content=B.encode()).pk)
    page = login_page(reviewer_a)
    page.goto(f"/reviews/{review.slug}/references/duplicates/")
    assert page.get_by_role("button", name="Merge (m)").is_visible()
    page.keyboard.press("m")
    page.wait_for_selector("text=No possible duplicates are waiting")
    assert DuplicatePair.objects.get().status == DuplicatePair.Status.MERGED

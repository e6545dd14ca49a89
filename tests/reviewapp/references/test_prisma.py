"""The PRISMA 2020 diagram's numbers come from the data, including the screening app's."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from reviewapp.models import ExclusionReason, Record
from reviewapp.references.prisma import prisma_counts, prisma_svg
from reviewapp.references.services import batch_import
from tests.reviewapp.references.helpers import upload

pytestmark = pytest.mark.django_db


def _seed(review, lead):
    """Two databases (one study in both) and reference lists; then screening outcomes."""
    batch_import(actor=lead, batch_id=upload(review, "pubmed.nbib", database="PubMed").pk)
    batch_import(
        actor=lead, batch_id=upload(review, "ovid_medline.ris", database="Ovid MEDLINE").pk
    )
    batch_import(
        actor=lead,
        batch_id=upload(
            review, "cochrane.ris", database="Reference lists", is_other_method=True
        ).pk,
    )
    screening = pytest.importorskip("screening.models", reason="the screening app is absent")
    ta, ft = screening.Stage.TITLE_ABSTRACT, screening.Stage.FULL_TEXT
    status = screening.ItemStatus
    unique = list(Record.objects.filter(review=review, duplicate_of__isnull=True).order_by("id"))
    assert len(unique) == 5
    reason = ExclusionReason.objects.create(review=review, name="Not a randomised trial")
    include, exclude = screening.Verdict.INCLUDE, screening.Verdict.EXCLUDE
    item = screening.ScreeningItem.objects.create
    for record in unique[:4]:  # four screened, one still open
        item(
            review=review,
            record=record,
            stage=ta,
            status=status.INCLUDED,
            final_verdict=include,
            decision_count=2,
        )
    item(review=review, record=unique[4], stage=ta, status=status.OPEN)
    item(review=review, record=unique[0], stage=ft, status=status.INCLUDED, final_verdict=include)
    item(
        review=review,
        record=unique[1],
        stage=ft,
        status=status.EXCLUDED,
        final_verdict=exclude,
        final_reason=reason,
    )
    item(review=review, record=unique[2], stage=ft, status=status.NOT_RETRIEVED)
    item(review=review, record=unique[3], stage=ft, status=status.OPEN)


def test_identification_counts_per_database_and_other_methods(review, lead):
    batch_import(actor=lead, batch_id=upload(review, "pubmed.nbib", database="PubMed").pk)
    batch_import(
        actor=lead, batch_id=upload(review, "ovid_medline.ris", database="Ovid MEDLINE").pk
    )
    batch_import(
        actor=lead,
        batch_id=upload(
            review, "cochrane.ris", database="Reference lists", is_other_method=True
        ).pk,
    )
    counts = prisma_counts(review)
    assert counts["databases"] == {"Ovid MEDLINE": 2, "PubMed": 2}
    assert counts["other_methods"] == {"Reference lists": 2}
    assert (counts["records_identified"], counts["records_other_methods"]) == (4, 2)
    assert counts["duplicates_removed"] == 1
    assert counts["records_after_duplicates"] == 5


def test_whole_diagram_against_a_seeded_review(review, lead):
    _seed(review, lead)
    counts = prisma_counts(review)
    assert counts["screening_available"] is True
    assert {
        k: counts[k]
        for k in (
            "records_screened",
            "records_excluded",
            "reports_sought",
            "reports_not_retrieved",
            "reports_assessed",
            "reports_excluded",
            "reports_included",
            "studies_included",
        )
    } == {
        "records_screened": 4,
        "records_excluded": 0,
        "reports_sought": 4,
        "reports_not_retrieved": 1,
        "reports_assessed": 2,
        "reports_excluded": 1,
        "reports_included": 1,
        "studies_included": 1,
    }
    assert counts["reports_excluded_by_reason"] == {"Not a randomised trial": 1}
    svg = prisma_svg(counts, title="Review <A> & B")
    root = ET.fromstring(svg)  # well-formed, with the title escaped
    text = " ".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text"))
    for expected in (
        "Records identified from databases (n = 4)",
        "PubMed (n = 2)",
        "Reference lists (n = 2)",
        "Duplicate records removed (n = 1)",
        "Records screened (n = 4)",
        "Reports not retrieved (n = 1)",
        "Not a randomised trial (n = 1)",
        "Studies included in review (n = 1)",
        "Review <A> & B",
    ):
        assert expected in text

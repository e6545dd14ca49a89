"""The demo review's extraction: the protocol's form and two studies to click through."""

from __future__ import annotations

from django.db import transaction

from extraction.models import Study
from extraction.services import form_install_protocol, study_create_from_records
from reviewapp.models import Measure, Review, Role
from reviewapp.selectors import review_members, unique_records

# Published ranges, so a mean outside the scale is caught at the field.
DEMO_SCALES = {"BDI": (0, 63), "BAI": (0, 63)}


@transaction.atomic
def seed_extraction_demo(review: Review) -> None:
    """Install the protocol's form and make two studies from demo reports (idempotent)."""
    lead = review_members(review, Role.LEAD).first()
    form_install_protocol(actor=lead, review=review)
    for abbreviation, (low, high) in DEMO_SCALES.items():
        Measure.objects.filter(
            review=review, abbreviation=abbreviation, scale_min__isnull=True, scale_max__isnull=True
        ).update(scale_min=low, scale_max=high)
    if Study.objects.filter(review=review).exists():
        return
    reports = unique_records(review).filter(title__icontains="psychotherapy").order_by("year", "id")
    for record in reports[:2]:
        study_create_from_records(
            actor=lead, review=review, records=[record], require_included=False
        )

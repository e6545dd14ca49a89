"""Access-checked getters the views share (never a bare .get() on review data)."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from extraction.models import Extraction, Study
from extraction.selectors import study_in_review
from extraction.services import ExtractionError, extraction_start
from reviewapp.models import Review, Role
from reviewapp.selectors import review_for_member

ALL_ROLES = [Role.LEAD, Role.REVIEWER, Role.ADJUDICATOR]


def study_for(request: HttpRequest, slug: str, study_id: int, roles=None) -> tuple[Review, Study]:
    review = review_for_member(request.user, slug, roles=roles)
    return review, study_in_review(review, study_id)


def my_extraction(
    request: HttpRequest, slug: str, study_id: int
) -> tuple[Review, Study, Extraction]:
    """Return the requester's own extraction of the study; 404 for anyone not assigned."""
    review, study = study_for(request, slug, study_id, roles=[Role.REVIEWER])
    try:
        extraction = extraction_start(actor=request.user, study=study)
    except ExtractionError as error:
        raise Http404(str(error)) from None
    return review, study, extraction

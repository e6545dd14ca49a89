"""The extraction panel of the review dashboard."""

from __future__ import annotations

from typing import Any

from extraction.models import Extraction, Study
from reviewapp.models import Review


def panel(review: Review, user: Any) -> tuple[str, dict[str, Any]]:
    """Studies, extractions waiting for the user, consensus progress."""
    studies = Study.objects.filter(review=review)
    consensus = Extraction.objects.filter(study__review=review, kind=Extraction.Kind.CONSENSUS)
    mine = studies.filter(assignments__user=user).exclude(
        extractions__extractor=user, extractions__status=Extraction.Status.SUBMITTED
    )
    return "extraction/panel.html", {
        "studies": studies.count(),
        "my_pending": mine.distinct().count(),
        "consensus_open": consensus.filter(status=Extraction.Status.DRAFT).count(),
        "consensus_final": consensus.filter(status=Extraction.Status.SUBMITTED).count(),
        "form_fields": review.extraction_fields.count(),
    }

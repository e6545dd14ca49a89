"""The demo review's analysis stage: the protocol's comparisons, and analyses once data agree."""

from __future__ import annotations

import contextlib

from analysis.services import AnalysisError
from analysis.services.proposal import analyses_propose, comparisons_install_defaults
from reviewapp.models import Review, Role
from reviewapp.selectors import review_members


def seed_analysis_demo(review: Review) -> None:
    """Install the protocol's two comparisons; propose analyses from any consensus data (idempotent)."""
    lead = review_members(review, Role.LEAD).first()
    comparisons_install_defaults(actor=lead, review=review)
    # Without consensus outcome data yet, the lead proposes them from the analyses page later.
    with contextlib.suppress(AnalysisError):
        analyses_propose(actor=lead, review=review)

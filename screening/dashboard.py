"""The screening panel of the review dashboard: progress, stage totals and agreement."""

from __future__ import annotations

from typing import Any

from reviewapp.models import Review, Role
from reviewapp.selectors import roles_in_review
from screening import selectors
from screening.agreement import agreement_by_pair
from screening.models import Stage


def panel(review: Review, user: Any) -> tuple[str, dict[str, Any]]:
    return "screening/panel.html", {
        "review": review,
        "is_reviewer": Role.REVIEWER in roles_in_review(user, review),
        "stages": [
            {"label": stage.label, "p": selectors.progress(review, user, stage)} for stage in Stage
        ],
        "agreement": agreement_by_pair(review),
    }

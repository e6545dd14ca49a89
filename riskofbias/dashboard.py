"""The risk-of-bias panel of the review dashboard."""

from __future__ import annotations

from typing import Any

from reviewapp.models import Review
from riskofbias import selectors


def panel(review: Review, user: Any) -> tuple[str, dict[str, Any]]:
    """Counts of studies assessed twice, differences open and consensus complete."""
    progress = selectors.progress_by_study(review, user)
    mine = [p for p in progress if p.my_assignment is not None]
    return "riskofbias/panel.html", {
        "studies": len(progress),
        "assessed_twice": sum(1 for p in progress if p.assessed_twice),
        "open_differences": sum(p.open_differences for p in progress),
        "consensus_complete": sum(1 for p in progress if p.consensus_complete),
        "my_pending": sum(1 for p in mine if not p.my_assignment.completed_at) if mine else None,
    }

"""Risk-of-bias data for the demo review: the protocol's tool and the default assessors."""

from __future__ import annotations

from reviewapp.models import Review
from riskofbias.services import assessors_assign_defaults, tool_install_default


def seed_riskofbias_demo(review: Review) -> None:
    """Install the protocol's tool and assign CB and JB to every study (idempotent)."""
    lead = review.memberships.filter(role="lead").select_related("user").first()
    actor = lead.user if lead else None
    tool_install_default(actor=actor, review=review)
    assessors_assign_defaults(actor=actor, review=review)

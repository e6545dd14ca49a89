"""Writes of the screening stage, one module per concern; import from here."""

from screening.services.conflicts import conflict_resolve
from screening.services.decisions import (
    ScreeningError,
    decision_record,
    decision_withdraw,
    items_sync,
)
from screening.services.fulltext import fulltext_attach, fulltext_mark_not_retrieved
from screening.services.ranking import ranking_start, retrain_every
from screening.services.settings import screening_blinding_lift, screening_settings_update

__all__ = [
    "ScreeningError",
    "conflict_resolve",
    "decision_record",
    "decision_withdraw",
    "fulltext_attach",
    "fulltext_mark_not_retrieved",
    "items_sync",
    "ranking_start",
    "retrain_every",
    "screening_blinding_lift",
    "screening_settings_update",
]

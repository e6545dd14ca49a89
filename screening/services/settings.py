"""The screening settings a lead changes: keywords, order, ranking batch, blinding."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from reviewapp.models import Review, Role
from reviewapp.selectors import roles_in_review
from reviewapp.services import review_update_settings
from screening.models import Stage
from screening.selectors import ORDER_RANDOM, ORDER_RANKED, stage_finished, unblinded_stages
from screening.services.decisions import ScreeningError

NOT_THE_LEAD = "Only the review's lead can change screening settings."
UNKNOWN_ORDER = "Choose ranked or random order."
STAGE_NOT_FINISHED = "{stage}: blinding can be lifted only when every record has all its decisions."
UNKNOWN_STAGE = "Unknown screening stage."


def _require_lead(actor: AbstractBaseUser, review: Review) -> None:
    if Role.LEAD not in roles_in_review(actor, review):
        raise ScreeningError(NOT_THE_LEAD)


def screening_settings_update(
    *,
    actor: AbstractBaseUser,
    review: Review,
    include_keywords: list[str],
    exclude_keywords: list[str],
    order: str,
    retrain_every: int,
) -> Review:
    """Save the keyword lists, the screening order and the ranking batch size (audited)."""
    _require_lead(actor, review)
    if order not in (ORDER_RANKED, ORDER_RANDOM):
        raise ScreeningError(UNKNOWN_ORDER)
    return review_update_settings(
        actor=actor,
        review=review,
        changes={
            "screening_include_keywords": [k.strip() for k in include_keywords if k.strip()],
            "screening_exclude_keywords": [k.strip() for k in exclude_keywords if k.strip()],
            "screening_order": order,
            "screening_retrain_every": max(1, int(retrain_every)),
        },
    )


@transaction.atomic
def screening_blinding_lift(*, actor: AbstractBaseUser, review: Review, stage: str) -> Review:
    """Let every member see all decisions of a finished stage (audited, not reversible here)."""
    _require_lead(actor, review)
    if stage not in Stage.values:
        raise ScreeningError(UNKNOWN_STAGE)
    if not stage_finished(review, stage):
        raise ScreeningError(STAGE_NOT_FINISHED.format(stage=Stage(stage).label))
    stages = sorted({*unblinded_stages(review), stage})
    return review_update_settings(
        actor=actor, review=review, changes={"screening_unblinded_stages": stages}
    )

"""Writes to a study's author-contact log when the report gives too little to judge."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from extraction.models import AuthorContact
from reviewapp.models import Review
from reviewapp.services import audit_record
from riskofbias.errors import RobError
from riskofbias.services.common import study_in_review

CONTACT_FIELDS_MISSING = "{study}: say whom you asked and what you asked them."


@transaction.atomic
def author_contact_request(
    *,
    actor: AbstractBaseUser,
    review: Review,
    study_id: int,
    contacted: str,
    question: str,
    asked_on: datetime.date,
) -> AuthorContact:
    """Log a request to the study's investigators for information the report lacks."""
    study = study_in_review(review, study_id)
    if not contacted.strip() or not question.strip():
        raise RobError(CONTACT_FIELDS_MISSING.format(study=study))
    contact = AuthorContact(
        study=study,
        contacted=contacted.strip(),
        question=question.strip(),
        asked_on=asked_on,
        created_by=actor,
    )
    contact.full_clean()
    contact.save()
    audit_record(
        actor=actor,
        review=review,
        action="riskofbias.author_contact.request",
        obj=contact,
        after={"study": study.label, "contacted": contact.contacted},
    )
    return contact

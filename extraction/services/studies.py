"""Studies made from included reports, their extractors, and the author-contact log."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence

from django.apps import apps
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet

from extraction.models import AuthorContact, Extraction, ExtractorAssignment, Study
from extraction.services.errors import (
    MSG_CONSENSUS_STARTED,
    MSG_EXTRACTOR_NOT_REVIEWER,
    MSG_EXTRACTORS_COUNT,
    MSG_LABEL_TAKEN,
    MSG_NO_RECORDS,
    MSG_RECORD_IN_STUDY,
    MSG_RECORD_NOT_INCLUDED,
    ExtractionError,
)
from reviewapp.models import Record, Review, Role
from reviewapp.selectors import review_members
from reviewapp.services import audit_record


def included_records(review: Review) -> QuerySet[Record] | None:
    """Return the records included at full text, or None while screening cannot say."""
    try:
        from screening.selectors import records_included
    except ImportError:
        return None
    return records_included(review)


def default_extractors(review: Review, records: Iterable[Record]) -> list[AbstractBaseUser]:
    """Return two extractors: the reports' full-text screeners, topped up with reviewers."""
    reviewers = list(review_members(review, Role.REVIEWER))
    chosen: list[AbstractBaseUser] = []
    try:
        decision_model = apps.get_model("screening", "ScreeningDecision")
    except LookupError:
        decision_model = None
    if decision_model is not None:
        screener_ids = set(
            decision_model.objects.filter(
                record__in=[r.pk for r in records], stage="ft"
            ).values_list("reviewer_id", flat=True)
        )
        chosen = [u for u in reviewers if u.pk in screener_ids][:2]
    for user in reviewers:
        if len(chosen) >= 2:
            break
        if user not in chosen:
            chosen.append(user)
    return chosen


def _unique_label(review: Review, wanted: str) -> str:
    label, suffix = wanted, 0
    while Study.objects.filter(review=review, label=label).exists():
        suffix += 1
        label = f"{wanted}{chr(ord('a') + suffix - 1)}" if suffix <= 26 else f"{wanted} ({suffix})"
    return label


@transaction.atomic
def study_create_from_records(
    *,
    actor: AbstractBaseUser | None,
    review: Review,
    records: Sequence[Record],
    label: str = "",
    require_included: bool = True,
) -> Study:
    """Make one study of the given reports, with its two default extractors.

    Without a label the first report's citation ('Cohen 1999', then 'Cohen 1999a', ...) is used.
    """
    records = [r for r in records if r.review_id == review.pk]
    if not records:
        raise ExtractionError(MSG_NO_RECORDS)
    if require_included:
        included = included_records(review)
        if included is not None:
            included_ids = set(included.values_list("pk", flat=True))
            for record in records:
                if record.pk not in included_ids:
                    raise ExtractionError(MSG_RECORD_NOT_INCLUDED.format(record=record.citation))
    for record in records:
        existing = record.studies.filter(review=review).first()
        if existing is not None:
            raise ExtractionError(
                MSG_RECORD_IN_STUDY.format(record=record.citation, study=existing.label)
            )
    if label.strip():
        label = label.strip()
        if Study.objects.filter(review=review, label=label).exists():
            raise ExtractionError(MSG_LABEL_TAKEN.format(label=label))
    else:
        label = _unique_label(review, records[0].citation)
    study = Study.objects.create(review=review, label=label)
    study.reports.set(records)
    extractors = default_extractors(review, records)
    for user in extractors:
        ExtractorAssignment.objects.create(study=study, user=user)
    audit_record(
        actor=actor,
        review=review,
        action="extraction.study.create",
        obj=study,
        after={
            "label": label,
            "reports": [r.pk for r in records],
            "extractors": [u.get_username() for u in extractors],
        },
    )
    return study


@transaction.atomic
def study_assign_extractors(
    *, actor: AbstractBaseUser, study: Study, users: Sequence[AbstractBaseUser]
) -> Study:
    """Replace the study's extractors by two reviewers of the review."""
    users = list(dict.fromkeys(users))
    if study.extractions.filter(kind=Extraction.Kind.CONSENSUS).exists():
        raise ExtractionError(MSG_CONSENSUS_STARTED.format(study=study.label))
    if len(users) != 2:
        raise ExtractionError(MSG_EXTRACTORS_COUNT.format(count=len(users)))
    reviewers = set(review_members(study.review, Role.REVIEWER).values_list("pk", flat=True))
    for user in users:
        if user.pk not in reviewers:
            raise ExtractionError(MSG_EXTRACTOR_NOT_REVIEWER.format(user=user.get_username()))
    before = sorted(study.assignments.values_list("user__username", flat=True))
    study.assignments.exclude(user__in=users).delete()
    for user in users:
        ExtractorAssignment.objects.get_or_create(study=study, user=user)
    audit_record(
        actor=actor,
        review=study.review,
        action="extraction.study.assign",
        obj=study,
        before={"extractors": before},
        after={"extractors": sorted(u.get_username() for u in users)},
    )
    return study


@transaction.atomic
def author_contact_record(
    *,
    actor: AbstractBaseUser,
    study: Study,
    contacted: str,
    question: str,
    asked_on: datetime.date,
    reply: str = "",
    replied_on: datetime.date | None = None,
    data_received: str = "",
    contact: AuthorContact | None = None,
) -> AuthorContact:
    """Log a request to the study's investigators, or update one with their reply."""
    is_new = contact is None
    contact = contact or AuthorContact(study=study, created_by=actor)
    before = (
        None
        if is_new
        else {
            "reply": contact.reply,
            "replied_on": contact.replied_on,
            "data": contact.data_received,
        }
    )
    contact.contacted, contact.question, contact.asked_on = contacted, question, asked_on
    contact.reply, contact.replied_on, contact.data_received = reply, replied_on, data_received
    try:
        contact.full_clean(exclude=["study", "created_by"])
    except ValidationError as error:
        raise ExtractionError(" ".join(error.messages)) from None
    contact.save()
    audit_record(
        actor=actor,
        review=study.review,
        action="extraction.author_contact." + ("create" if is_new else "update"),
        obj=contact,
        before=before,
        after={"contacted": contacted, "asked_on": asked_on, "replied_on": replied_on},
    )
    return contact

"""Writes of the core domain: reviews, memberships, the audit trail, vocabulary."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import AbstractBaseUser
from django.db import models, transaction

from reviewapp.models import AuditEvent, Membership, Review, Role


class ReviewError(Exception):
    """A rule of the review was broken; the message is shown to the user as it is."""


def _label(obj: models.Model | None) -> tuple[str, str]:
    if obj is None:
        return "", ""
    return obj._meta.label, str(obj.pk)


def audit_record(
    *,
    actor: AbstractBaseUser | None,
    review: Review | None,
    action: str,
    obj: models.Model | None = None,
    before: Any = None,
    after: Any = None,
) -> AuditEvent:
    """Append one event to the review's audit trail (call inside the change's transaction)."""
    object_type, object_id = _label(obj)
    return AuditEvent.objects.create(
        review=review,
        review_slug=review.slug if review else "",
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_username=getattr(actor, "username", "") or "",
        action=action,
        object_type=object_type,
        object_id=object_id,
        before=before,
        after=after,
    )


@transaction.atomic
def review_create(
    *,
    actor: AbstractBaseUser,
    title: str,
    slug: str,
    question: str = "",
    eligibility_criteria: str = "",
) -> Review:
    """Create a review with the creator as its lead, and the protocol's default vocabulary."""
    from reviewapp.vocabulary_defaults import vocabulary_install_defaults

    review = Review(
        title=title, slug=slug, question=question, eligibility_criteria=eligibility_criteria
    )
    review.full_clean()
    review.save()
    Membership.objects.create(review=review, user=actor, role=Role.LEAD)
    vocabulary_install_defaults(review)
    audit_record(
        actor=actor, review=review, action="review.create", obj=review, after={"title": title}
    )
    return review


@transaction.atomic
def membership_grant(
    *, actor: AbstractBaseUser | None, review: Review, user: AbstractBaseUser, role: str
) -> Membership:
    """Give the user a role in the review (idempotent)."""
    if role not in Role.values:
        raise ReviewError(f"Unknown role {role!r}: choose one of {', '.join(Role.values)}.")
    membership, created = Membership.objects.get_or_create(review=review, user=user, role=role)
    if created:
        audit_record(
            actor=actor,
            review=review,
            action="membership.grant",
            obj=membership,
            after={"user": user.get_username(), "role": role},
        )
    return membership


@transaction.atomic
def membership_revoke(
    *, actor: AbstractBaseUser, review: Review, user: AbstractBaseUser, role: str
) -> None:
    """Take a role away; the last lead of a review cannot be removed."""
    if role == Role.LEAD and Membership.objects.filter(review=review, role=Role.LEAD).count() <= 1:
        raise ReviewError("A review needs at least one lead: add another lead first.")
    deleted, _ = Membership.objects.filter(review=review, user=user, role=role).delete()
    if deleted:
        audit_record(
            actor=actor,
            review=review,
            action="membership.revoke",
            before={"user": user.get_username(), "role": role},
        )


def review_setting(review: Review, key: str, default: Any) -> Any:
    """Read a key of ``Review.settings`` with its default (an empty dict is always valid)."""
    return (review.settings or {}).get(key, default)


@transaction.atomic
def review_update_settings(
    *, actor: AbstractBaseUser, review: Review, changes: dict[str, Any]
) -> Review:
    """Change keys of the review's settings, auditing old and new values."""
    review = Review.objects.select_for_update().get(pk=review.pk)
    before = {key: (review.settings or {}).get(key) for key in changes}
    review.settings = {**(review.settings or {}), **changes}
    review.save(update_fields=["settings"])
    audit_record(
        actor=actor,
        review=review,
        action="review.settings",
        obj=review,
        before=before,
        after=changes,
    )
    return review


@transaction.atomic
def vocabulary_save(
    *, actor: AbstractBaseUser, review: Review, kind: str, formset: forms.BaseModelFormSet
) -> None:
    """Save a lead's edits to one kind of vocabulary, in one transaction with its audit row.

    Deleting an item that extracted data still uses raises ``ProtectedError`` and saves nothing.
    """
    instances = formset.save(commit=False)
    for instance in instances:
        instance.review = review
        instance.save()
    deleted = [str(obj) for obj in formset.deleted_objects]
    for obj in formset.deleted_objects:
        obj.delete()
    audit_record(
        actor=actor,
        review=review,
        action=f"vocabulary.{kind}.edit",
        after={"saved": [str(i) for i in instances], "deleted": deleted},
    )

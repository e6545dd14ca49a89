"""Reads of the core domain, with the membership check built in."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet
from django.http import Http404

from reviewapp.models import AuditEvent, Job, Membership, Record, Review, Role

NOT_A_MEMBER = "No review here, or you are not a member of it."


def reviews_for_user(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Review]:
    """Return the reviews the user is a member of, in any role."""
    if not user.is_authenticated:
        return Review.objects.none()
    return Review.objects.filter(memberships__user=user).distinct()


def roles_in_review(user: AbstractBaseUser | AnonymousUser, review: Review) -> set[str]:
    """Return the user's roles in the review (empty for outsiders)."""
    if not user.is_authenticated:
        return set()
    cache = getattr(user, "_review_roles_cache", None)
    if cache is None:
        cache = {}
        user._review_roles_cache = cache  # one query per review per request
    if review.pk not in cache:
        cache[review.pk] = set(
            Membership.objects.filter(user=user, review=review).values_list("role", flat=True)
        )
    return cache[review.pk]


def review_for_member(
    user: AbstractBaseUser | AnonymousUser, slug: str, roles: Iterable[str] | None = None
) -> Review:
    """Return the review if the user is a member (holding one of ``roles``, if given).

    Outsiders and members without the role both get 404, so a review's existence
    is not revealed to people outside it.
    """
    review = Review.objects.filter(slug=slug).first()
    if review is None:
        raise Http404(NOT_A_MEMBER)
    held = roles_in_review(user, review)
    if not held or (roles is not None and not held.intersection(roles)):
        raise Http404(NOT_A_MEMBER)
    return review


def is_lead(user: AbstractBaseUser | AnonymousUser, review: Review) -> bool:
    return Role.LEAD in roles_in_review(user, review)


def review_members(review: Review, role: str | None = None) -> QuerySet:
    """Return the users who are members of the review (with ``role``, if given)."""
    from django.contrib.auth import get_user_model

    memberships = Membership.objects.filter(review=review)
    if role is not None:
        memberships = memberships.filter(role=role)
    return get_user_model().objects.filter(pk__in=memberships.values("user")).order_by("username")


def unique_records(review: Review) -> QuerySet[Record]:
    """Return the review's records that are not duplicates of another record."""
    return Record.objects.filter(review=review, duplicate_of__isnull=True)


def audit_trail(review: Review, limit: int = 200) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(review=review).select_related("actor")[:limit]


def jobs_for_review(review: Review, kind: str | None = None) -> QuerySet[Job]:
    jobs = Job.objects.filter(review=review)
    return jobs.filter(kind=kind) if kind else jobs

import pytest

from reviewapp.models import AuditEvent, Membership, Role
from reviewapp.services import ReviewError, membership_grant, membership_revoke, review_create

pytestmark = pytest.mark.django_db


def test_review_create_makes_creator_lead_and_installs_protocol_vocabulary(lead):
    review = review_create(actor=lead, title="T", slug="t")
    assert Membership.objects.filter(review=review, user=lead, role=Role.LEAD).exists()
    assert set(review.time_points.values_list("name", flat=True)) == {
        "Post-intervention",
        "6 months",
        "12 months",
        "24 months",
    }
    assert review.measures.filter(abbreviation="BDI", higher_is_better=False).exists()
    assert review.comparator_types.filter(name="Waiting list").exists()
    assert review.exclusion_reasons.count() >= 5


def test_user_can_hold_several_roles_and_grant_is_idempotent(review, reviewer_a, lead):
    membership_grant(actor=lead, review=review, user=reviewer_a, role=Role.ADJUDICATOR)
    membership_grant(actor=lead, review=review, user=reviewer_a, role=Role.ADJUDICATOR)
    roles = set(
        Membership.objects.filter(review=review, user=reviewer_a).values_list("role", flat=True)
    )
    assert roles == {Role.REVIEWER, Role.ADJUDICATOR}


def test_unknown_role_is_refused_with_message(review, reviewer_a, lead):
    with pytest.raises(ReviewError, match="Unknown role 'boss'"):
        membership_grant(actor=lead, review=review, user=reviewer_a, role="boss")


def test_last_lead_cannot_be_removed(review, lead):
    with pytest.raises(ReviewError, match="at least one lead"):
        membership_revoke(actor=lead, review=review, user=lead, role=Role.LEAD)


def test_audit_events_cannot_be_changed_or_deleted(review):
    event = AuditEvent.objects.filter(review=review).first()
    event.action = "tampered"
    with pytest.raises(TypeError, match="append-only"):
        event.save()
    with pytest.raises(TypeError, match="append-only"):
        event.delete()
    with pytest.raises(TypeError, match="append-only"):
        AuditEvent.objects.filter(review=review).update(action="x")
    with pytest.raises(TypeError, match="append-only"):
        AuditEvent.objects.filter(review=review).delete()


def test_audit_trail_survives_review_deletion(review):
    from reviewapp.models import Review

    count = AuditEvent.objects.filter(review=review).count()
    Review.objects.filter(pk=review.pk).delete()
    assert AuditEvent.objects.filter(review_slug="review-a", review__isnull=True).count() == count


def test_membership_role_constraint_in_database(review, reviewer_a):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.bulk_create([Membership(review=review, user=reviewer_a, role="boss")])

import pytest
from django.core.management import call_command

from reviewapp.demo import DEMO_SLUG
from reviewapp.models import Membership, Record, Review

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent():
    call_command("seed_demo")
    call_command("seed_demo")
    review = Review.objects.get(slug=DEMO_SLUG)
    assert Review.objects.filter(slug=DEMO_SLUG).count() == 1
    assert Record.objects.filter(review=review).count() == 40
    roles = {(m.user.username, m.role) for m in Membership.objects.filter(review=review)}
    assert roles == {
        ("lead", "lead"),
        ("cb", "reviewer"),
        ("jb", "reviewer"),
        ("nm", "adjudicator"),
    }


def test_demo_login_works_through_the_login_form(client):
    from reviewapp.demo import DEMO_PASSWORD

    call_command("seed_demo")
    response = client.post("/accounts/login/", {"username": "cb", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert client.get(f"/reviews/{DEMO_SLUG}/").status_code == 200

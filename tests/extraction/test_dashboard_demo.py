"""The dashboard panel and the demo review's extraction data."""

import pytest
from django.urls import reverse

from extraction.dashboard import panel
from extraction.models import FormField, Study

pytestmark = pytest.mark.django_db


def test_panel_counts_what_waits_for_the_user(study, reviewer_a, adjudicator, client):
    template, context = panel(study.review, reviewer_a)
    assert template == "extraction/panel.html"
    assert context["studies"] == 1 and context["my_pending"] == 1
    assert panel(study.review, adjudicator)[1]["my_pending"] == 0
    client.force_login(reviewer_a)
    page = client.get(reverse("reviewapp:review_dashboard", args=[study.review.slug]))
    assert b"Waiting for your extraction" in page.content


def test_demo_gets_the_protocol_form_and_two_studies_once():
    from reviewapp.demo import seed_demo

    review = seed_demo()
    seed_demo()
    assert Study.objects.filter(review=review).count() == 2
    keys = set(FormField.objects.filter(review=review).values_list("key", flat=True))
    assert {
        "design",
        "allocation_method",
        "cluster_icc",
        "duration_weeks",
        "comparator_type",
    } <= keys
    comparator = FormField.objects.get(review=review, key="comparator_type")
    assert "Waiting list" in comparator.choice_list()
    for study in Study.objects.filter(review=review):
        assert {a.user.username for a in study.assignments.all()} == {"cb", "jb"}

"""Agreement statistics and the dashboard panel."""

from __future__ import annotations

import pytest
from django.urls import reverse

from screening.agreement import agreement_by_pair, cohen_kappa


def test_kappa_textbook_example():
    # 50 pairs: 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no → p_o = 0.7, p_e = 0.5, κ = 0.4
    pairs = [("y", "y")] * 20 + [("y", "n")] * 5 + [("n", "y")] * 10 + [("n", "n")] * 15
    assert cohen_kappa(pairs) == pytest.approx(0.4)


def test_kappa_undefined_and_perfect():
    assert cohen_kappa([]) is None
    assert cohen_kappa([("a", "a")] * 3) is None
    assert cohen_kappa([("a", "a"), ("b", "b")]) == pytest.approx(1.0)


def test_agreement_counts_resolved_records_only(review, items, decide, reviewer_a, reviewer_b):
    decide(reviewer_a, items[0], "include")
    decide(reviewer_b, items[0], "include")
    decide(reviewer_a, items[1], "exclude")
    decide(reviewer_b, items[1], "exclude")
    decide(reviewer_a, items[2], "include")
    decide(reviewer_b, items[2], "exclude")  # an open conflict: not counted yet
    decide(reviewer_a, items[3], "exclude")  # one vote: not counted
    rows = agreement_by_pair(review)
    assert rows == [
        {
            "stage": "Title and abstract",
            "reviewers": "cb / jb",
            "n": 2,
            "percent_agreement": 100.0,
            "kappa": 1.0,
        }
    ]


def test_panel_on_dashboard(client, review, items, reviewer_a):
    client.force_login(reviewer_a)
    page = client.get(
        reverse("reviewapp:review_dashboard", kwargs={"slug": review.slug})
    ).content.decode()
    assert "Agreement (resolved records)" in page and "Mine done / to do" in page

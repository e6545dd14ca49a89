"""Screening pages: access, the htmx flow, clear messages for bad input, blinding per endpoint."""

from __future__ import annotations

import pytest
from django.urls import reverse

from screening.models import ScreeningConflict, ScreeningDecision, ScreeningItem
from screening.services import screening_blinding_lift

SECRET_NOTE = "zebra-secret-note"


def url(review, name, **kwargs):
    return reverse(f"screening:{name}", kwargs={"slug": review.slug, **kwargs})


def get_urls(review, item, conflict_id=1):
    return [
        url(review, "home"),
        url(review, "settings"),
        url(review, "conflicts"),
        url(review, "screen", stage="ta"),
        url(review, "screen", stage="ta") + f"?item={item.pk}",
        url(review, "mine", stage="ta"),
        url(review, "mine", stage="ta") + "?format=csv",
        url(review, "decisions", stage="ta"),
        url(review, "fulltext_pdf", record_id=item.record_id),
    ]


def post_urls(review, item, conflict_id=1):
    return [
        url(review, "decide", stage="ta"),
        url(review, "undo", stage="ta"),
        url(review, "resolve", conflict_id=conflict_id),
        url(review, "fulltext_attach"),
        url(review, "not_retrieved", item_id=item.pk),
        url(review, "unblind", stage="ta"),
        url(review, "rerank"),
        url(review, "settings"),
    ]


def test_outsider_gets_404_everywhere(client, review, items, outsider):
    client.force_login(outsider)
    for address in get_urls(review, items[0]):
        assert client.get(address).status_code == 404, address
    for address in post_urls(review, items[0]):
        assert (
            client.post(address, {"item": items[0].pk, "verdict": "include"}).status_code == 404
        ), address


def test_anonymous_is_sent_to_login(client, review, items):
    for address in get_urls(review, items[0])[:3]:
        assert client.get(address).status_code == 302


@pytest.mark.parametrize(
    ("persona", "name", "kwargs"),
    [
        ("lead", "screen", {"stage": "ta"}),
        ("adjudicator", "screen", {"stage": "ta"}),
        ("reviewer_a", "conflicts", {}),
        ("lead", "conflicts", {}),
        ("reviewer_a", "settings", {}),
        ("adjudicator", "settings", {}),
    ],
)
def test_members_without_the_role_get_404(client, review, items, request, persona, name, kwargs):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(url(review, name, **kwargs)).status_code == 404


def test_home_and_screen_render(client, review, items, reviewer_a):
    client.force_login(reviewer_a)
    assert client.get(url(review, "home")).status_code == 200
    page = client.get(url(review, "screen", stage="ta")).content.decode()
    assert 'id="decision-form"' in page
    assert "<kbd>I</kbd>" in page and "<kbd>Z</kbd>" in page and "<kbd>N</kbd>" in page
    assert 'id="prefetched-record"' in page  # the next record is already on the page
    assert "<script>" not in page  # CSP: no inline scripts


def test_htmx_decision_returns_the_next_record(client, review, items, reviewer_a):
    client.force_login(reviewer_a)
    first = ScreeningItem.objects.filter(review=review).order_by("id").first()
    response = client.post(
        url(review, "decide", stage="ta"),
        {"item": first.pk, "verdict": "include"},
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body  # a fragment
    assert ScreeningDecision.objects.filter(reviewer=reviewer_a, item=first).exists()
    assert f'data-item="{first.pk}"' not in body
    assert 'id="mine-done">1<' in body


def test_stale_form_on_resolved_record_gets_a_message(
    client, review, items, decide, reviewer_a, reviewer_b, make_user
):
    from reviewapp.services import membership_grant

    third = make_user("third")
    membership_grant(actor=None, review=review, user=third, role="reviewer")
    decide(reviewer_a, items[0], "exclude")
    decide(reviewer_b, items[0], "exclude")
    client.force_login(third)
    response = client.post(
        url(review, "decide", stage="ta"),
        {"item": items[0].pk, "verdict": "include"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "already resolved" in response.content.decode()


def test_garbage_input_never_500(client, review, items, reviewer_a):
    client.force_login(reviewer_a)
    for data in (
        {"item": "x", "verdict": "include"},
        {"item": items[0].pk, "verdict": "maybe"},
        {},
        {"item": 999999, "verdict": "include"},
    ):
        response = client.post(
            url(review, "decide", stage="ta"), data, headers={"HX-Request": "true"}
        )
        assert response.status_code == 200
        assert 'role="alert"' in response.content.decode()
    assert client.get(url(review, "screen", stage="zz")).status_code == 404
    assert client.get(url(review, "screen", stage="ta") + "?item=abc").status_code == 200


def test_keywords_highlighted_and_escaped(client, review, make_records, reviewer_a):
    from screening.services import items_sync

    make_records(review, 1, abstract="<script>alert(1)</script> a randomised trial in adolescents")
    items_sync(review=review)
    client.force_login(reviewer_a)
    page = client.get(url(review, "screen", stage="ta")).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page
    assert '<mark class="kw kw-include" title="inclusion keyword">randomised</mark>' in page
    assert '<mark class="kw kw-exclude" title="exclusion hint">adolescents</mark>' in page


# --- Blinding: reviewer B never sees reviewer A's vote on an open record, anywhere ----------


@pytest.fixture
def a_voted(review, items, decide, reviewer_a):
    decide(reviewer_a, items[0], "exclude", note=SECRET_NOTE)
    return items[0]


def _all_pages(client, review, item):
    pages = [client.get(u) for u in get_urls(review, item)]
    pages.append(client.get(reverse("reviewapp:review_dashboard", kwargs={"slug": review.slug})))
    pages.append(
        client.get(
            url(review, "screen", stage="ta") + f"?item={item.pk}", headers={"HX-Request": "true"}
        )
    )
    pages.append(
        client.post(
            url(review, "decide", stage="ta"),
            {"item": item.pk, "verdict": "unsure"},
            headers={"HX-Request": "true"},
        )
    )
    return pages


def test_reviewer_b_never_sees_a_vote(client, review, a_voted, reviewer_b):
    client.force_login(reviewer_b)
    # B now decides Unsure: Unsure + Exclude is a conflict, still not resolved, still blind
    for response in _all_pages(client, review, a_voted):
        body = response.content.decode(errors="replace")
        assert SECRET_NOTE not in body, response.request["PATH_INFO"]
        assert "cb:" not in body and "cb</strong>" not in body, response.request["PATH_INFO"]


def test_adjudicator_sees_both_sides(client, review, a_voted, decide, reviewer_b, adjudicator):
    decide(reviewer_b, a_voted, "include", note="looks eligible")
    client.force_login(adjudicator)
    page = client.get(url(review, "conflicts")).content.decode()
    assert SECRET_NOTE in page and "looks eligible" in page


def test_votes_visible_once_resolved(client, review, a_voted, decide, reviewer_b):
    decide(reviewer_b, a_voted, "exclude")
    client.force_login(reviewer_b)
    page = client.get(url(review, "decisions", stage="ta")).content.decode()
    assert SECRET_NOTE in page


def test_lead_lifts_blinding_only_when_finished(
    client, review, items, decide, reviewer_a, reviewer_b, lead
):
    from screening.services import ScreeningError

    decide(reviewer_a, items[0], "exclude", note=SECRET_NOTE)
    with pytest.raises(ScreeningError, match="blinding can be lifted"):
        screening_blinding_lift(actor=lead, review=review, stage="ta")
    decide(reviewer_b, items[0], "include")  # a conflict, not yet adjudicated
    for item in items[1:]:
        decide(reviewer_a, item, "include")
        decide(reviewer_b, item, "include")
    assert ScreeningConflict.objects.filter(resolved_at__isnull=True).count() == 1
    client.force_login(reviewer_b)
    assert SECRET_NOTE not in client.get(url(review, "decisions", stage="ta")).content.decode()
    client.force_login(lead)
    client.post(url(review, "unblind", stage="ta"))
    client.force_login(reviewer_b)
    assert SECRET_NOTE in client.get(url(review, "decisions", stage="ta")).content.decode()


def test_csv_export_has_only_my_decisions(client, review, a_voted, decide, reviewer_b):
    decide(reviewer_b, a_voted, "include", note="mine-b")
    client.force_login(reviewer_b)
    body = client.get(url(review, "mine", stage="ta") + "?format=csv").content.decode()
    assert "mine-b" in body and SECRET_NOTE not in body


def test_csv_export_neutralises_formulas(client, review, items, decide, reviewer_a):
    decide(reviewer_a, items[0], "include", note="=HYPERLINK(1)")
    client.force_login(reviewer_a)
    body = client.get(url(review, "mine", stage="ta") + "?format=csv").content.decode()
    assert "'=HYPERLINK(1)" in body


def test_full_text_conflict_offers_the_exclusion_reasons(
    client, review, items, decide, reviewer_a, reviewer_b, adjudicator
):
    from tests.screening.conftest import fulltext_item

    decide(reviewer_a, items[0], "include")
    decide(reviewer_b, items[0], "include")
    ft = fulltext_item(items[0])
    decide(reviewer_a, ft, "include")
    decide(reviewer_b, ft, "unsure")  # a conflict at full text
    client.force_login(adjudicator)
    page = client.get(url(review, "conflicts")).content.decode()
    reason = review.exclusion_reasons.first()
    assert f'<option value="{reason.pk}">{reason.name}</option>' in page


def test_adjudicator_resolves_through_the_page(
    client, review, a_voted, decide, reviewer_b, adjudicator
):
    decide(reviewer_b, a_voted, "include")
    conflict = ScreeningConflict.objects.get()
    client.force_login(adjudicator)
    response = client.post(
        url(review, "resolve", conflict_id=conflict.pk),
        {"verdict": "include", "note": "ok"},
        follow=True,
    )
    assert "no-conflicts" in response.content.decode()
    assert ScreeningItem.objects.filter(record_id=a_voted.record_id, stage="ft").exists()


def test_settings_saved_by_lead(client, review, lead):
    client.force_login(lead)
    client.post(
        url(review, "settings"),
        {
            "include_keywords": "dyad*\ninfant",
            "exclude_keywords": "rat",
            "order": "random",
            "retrain_every": 5,
        },
    )
    review.refresh_from_db()
    assert review.settings["screening_include_keywords"] == ["dyad*", "infant"]
    assert review.settings["screening_order"] == "random"

"""The dashboard in a real browser: a member sees the review; assets load from this server."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_member_sees_dashboard_with_local_assets(login_page, live_server, review, reviewer_a):
    page = login_page(reviewer_a)
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"/reviews/{review.slug}/")
    assert page.get_by_role("heading", name=review.title).is_visible()
    assert page.evaluate("typeof htmx") == "object"
    assert all(url.startswith(live_server.url) for url in requests), requests


def test_login_form_takes_a_reviewer_to_the_review_list(browser, live_server, review, reviewer_a):
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.goto("/")
    page.get_by_label("Username").fill("cb")
    page.get_by_label("Password").fill("pw-for-tests-123")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name=review.title).click()
    assert page.get_by_role("heading", name=review.title).is_visible()
    context.close()

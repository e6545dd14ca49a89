"""Every review-scoped URL of the project, as anonymous, outsider and member of another review.

The routes are read from the URLconf, so a new view is covered the day it is added.
"""

import pytest

from tests.security.urlwalk import review_routes

pytestmark = pytest.mark.django_db

ROUTES = review_routes()
ROUTE_IDS = [r.name or r.pattern for r in ROUTES]


def test_the_walk_finds_the_review_pages():
    names = {r.name for r in ROUTES}
    assert "reviewapp:review_dashboard" in names
    assert len(ROUTES) >= 4


@pytest.mark.parametrize("route", ROUTES, ids=ROUTE_IDS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_is_sent_to_login(client, review, route, method):
    response = getattr(client, method)(route.url(review.slug))
    assert response.status_code in (302, 405), (route.pattern, response.status_code)
    if response.status_code == 302:
        assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("route", ROUTES, ids=ROUTE_IDS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_outsider_gets_404(client, review, outsider, route, method):
    client.force_login(outsider)
    response = getattr(client, method)(route.url(review.slug))
    assert response.status_code in (404, 405), (route.pattern, response.status_code)


@pytest.mark.parametrize("route", ROUTES, ids=ROUTE_IDS)
def test_member_of_another_review_gets_404(client, review, other_review, route):
    from reviewapp.models import Membership

    stranger = Membership.objects.filter(review=other_review, role="reviewer").first().user
    client.force_login(stranger)
    response = client.get(route.url(review.slug))
    assert response.status_code in (404, 405), (route.pattern, response.status_code)

import pytest

pytestmark = pytest.mark.django_db


def test_login_locks_after_repeated_failures(client, reviewer_a, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "cb", "password": "wrong"})
    response = client.post("/accounts/login/", {"username": "cb", "password": "pw-for-tests-123"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_state_changing_requests_need_csrf(reviewer_a, review):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(reviewer_a)
    response = client.post("/accounts/logout/")
    assert response.status_code == 403

"""Fixtures shared by the security tests."""

import pytest


@pytest.fixture
def personas(reviewer_a, adjudicator, lead):
    """The member of each role, keyed as in ``test_permission_roles.ROLES``."""
    return {"reviewer": reviewer_a, "adjudicator": adjudicator, "lead": lead}

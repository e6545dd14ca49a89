"""Every review-scoped route as reviewer, adjudicator and lead, with real objects behind its ids.

``MATRIX`` is the expected GET status per role, keyed by URL name: a new route fails
``test_every_review_route_is_classified`` until someone decides who may open it. The IDOR
tests put the id of an object of ANOTHER review into each route and expect 404.
"""

from __future__ import annotations

import pytest

from reviewapp.models import Role
from tests.security.urlwalk import Route, review_routes
from tests.security.world import World, build_world

pytestmark = pytest.mark.django_db

ROUTES = review_routes()
ROLES = ("reviewer", "adjudicator", "lead")
OK, NO, POST_ONLY, REDIRECT = 200, 404, 405, 302
P = (POST_ONLY,) * 3

# Expected GET status for (reviewer, adjudicator, lead). 404 hides a page from a member
# who lacks the role, as from a stranger.
MATRIX: dict[str, tuple[int, int, int]] = {
    "reviewapp:review_dashboard": (OK, OK, OK),
    "reviewapp:vocabulary_edit": (NO, NO, OK),
    "reviewapp:audit_log": (NO, NO, OK),
    "reviewapp:job_status": (OK, OK, OK),
    "references:source_list": (OK, OK, OK),
    "references:upload": (OK, NO, OK),
    "references:batch_detail": (OK, OK, OK),
    "references:batch_decide": P,
    "references:batch_mapping": P,
    "references:record_list": (OK, OK, OK),
    "references:record_detail": (OK, OK, OK),
    "references:record_unmerge": P,
    "references:duplicate_queue": (OK, OK, OK),
    "references:duplicate_decide": P,
    "references:prisma": (OK, OK, OK),
    "references:prisma_svg": (OK, OK, OK),
    "screening:home": (OK, OK, OK),
    "screening:settings": (NO, NO, OK),
    "screening:rerank": P,
    "screening:conflicts": (NO, OK, NO),
    "screening:resolve": P,
    "screening:fulltexts": (OK, NO, OK),
    "screening:fulltext_attach": P,
    "screening:not_retrieved": P,
    # no PDF is attached in the world: 404 for everyone (the file itself is not built)
    "screening:fulltext_pdf": (NO, NO, NO),
    "screening:screen": (OK, NO, NO),
    "screening:decide": P,
    "screening:undo": P,
    "screening:mine": (OK, NO, NO),
    "screening:decisions": (OK, OK, OK),
    "screening:unblind": P,
    "extraction:study_list": (OK, OK, OK),
    "extraction:study_group": (NO, NO, OK),
    "extraction:study_extractors": P,
    "extraction:author_contacts": (OK, OK, OK),
    "extraction:extract": (OK, NO, NO),
    "extraction:autosave": P,
    "extraction:arm_add": P,
    "extraction:arm_delete": P,
    "extraction:comparison_add": P,
    "extraction:comparison_delete": P,
    "extraction:result_add": P,
    # results are edited in one's own extraction; the world's results are consensus rows
    "extraction:result_edit": (NO, NO, NO),
    "extraction:result_delete": P,
    "extraction:submit": P,
    # nothing to compare until both extractors submit: the page sends you back
    "extraction:compare": (REDIRECT, REDIRECT, REDIRECT),
    "extraction:resolve": P,
    "extraction:form_builder": (NO, NO, OK),
    "extraction:section_add": P,
    "extraction:field_add": P,
    "extraction:field_edit": (NO, NO, OK),
    "extraction:field_delete": P,
    "extraction:form_install": P,
    "extraction:resolver_setting": P,
    "extraction:export": (OK, OK, OK),
    "riskofbias:index": (OK, OK, OK),
    "riskofbias:settings": (NO, NO, OK),
    "riskofbias:assess": (OK, NO, NO),
    "riskofbias:reopen": P,
    "riskofbias:consensus": (NO, OK, OK),
    "riskofbias:resolve": P,
    "riskofbias:assessors": (NO, NO, OK),
    "riskofbias:contact_investigators": (OK, OK, OK),
    "riskofbias:table": (OK, OK, OK),
    "riskofbias:table_csv": (OK, OK, OK),
    "riskofbias:table_docx": (OK, OK, OK),
    "riskofbias:plots": (OK, OK, OK),
    "riskofbias:plot_download": (OK, OK, OK),
    "analysis:index": (OK, OK, OK),
    "analysis:propose": P,
    "analysis:run": P,
    "analysis:comparisons": (NO, NO, OK),
    "analysis:comparison_edit": (NO, NO, OK),
    "analysis:detail": (OK, OK, OK),
    # the world's analyses are proposed, not run: no plot and no script exist yet
    "analysis:plot_download": (NO, NO, NO),
    "analysis:rscript": (NO, NO, NO),
    "analysis:sof": (OK, OK, OK),
    "analysis:sof_download": (OK, OK, OK),
    "analysis:sof_review_download": (OK, OK, OK),
}

# Settings and configuration pages: a plain reviewer must not even learn they exist.
LEAD_ONLY = {
    "reviewapp:vocabulary_edit",
    "reviewapp:audit_log",
    "screening:settings",
    "extraction:study_group",
    "extraction:form_builder",
    "extraction:field_edit",
    "riskofbias:settings",
    "riskofbias:assessors",
    "analysis:comparisons",
    "analysis:comparison_edit",
}


@pytest.fixture
def world(review) -> World:
    return build_world(review)


def test_every_review_route_is_classified():
    names = {r.name for r in ROUTES}
    unclassified = sorted(names - MATRIX.keys())
    assert not unclassified, (
        f"new review routes: add them to MATRIX with who may GET them: {unclassified}"
    )
    assert not sorted(MATRIX.keys() - names), "MATRIX names routes that no longer exist"


def test_lead_only_pages_are_in_the_matrix_as_lead_only():
    for name in LEAD_ONLY:
        reviewer, adjudicator, lead = MATRIX[name]
        assert (reviewer, adjudicator, lead) == (NO, NO, OK), name


def test_the_personas_hold_the_roles_the_matrix_assumes(review, personas):
    from reviewapp.selectors import roles_in_review

    for role, user in personas.items():
        assert set(roles_in_review(user, review)) == {getattr(Role, role.upper())}, role


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_what_the_matrix_says_and_never_a_5xx(client, world, personas, role):
    client.force_login(personas[role])
    column = ROLES.index(role)
    wrong = []
    for route in ROUTES:
        response = client.get(world.url(route))
        expected = MATRIX.get(route.name, (None,) * 3)[column]
        if response.status_code >= 500 or response.status_code != expected:
            wrong.append((route.name, world.url(route), expected, response.status_code))
    assert not wrong, wrong


def test_a_plain_reviewer_gets_404_on_every_lead_only_page(client, world, reviewer_a):
    client.force_login(reviewer_a)
    for route in ROUTES:
        if route.name in LEAD_ONLY:
            for method in ("get", "post"):
                status = getattr(client, method)(world.url(route)).status_code
                assert status in (403, 404), (route.name, method, status)


# --- IDOR: ids of another review's objects, in this review's URLs --------------------------

ID_ROUTES = [r for r in ROUTES if any(c == "int" for c in r.converters.values())]


def _foreign_url(route: Route, mine: World, theirs: World) -> str:
    """This review's URL for ``route`` with every id taken from the other review."""
    foreign = World(mine.review, ids=theirs.ids, overrides=theirs.overrides)
    return foreign.url(route)


@pytest.fixture
def two_worlds(review, other_review, make_user):
    from reviewapp.services import membership_grant

    owner = other_review.memberships.get(role=Role.LEAD).user
    # a second reviewer, so the other review also has a conflict and a full-text row
    membership_grant(
        actor=owner, review=other_review, user=make_user("other-reviewer-2"), role=Role.REVIEWER
    )
    return build_world(review), build_world(other_review)


def test_the_other_review_has_its_own_object_for_every_id(two_worlds):
    mine, theirs = two_worlds
    for param in {p for r in ID_ROUTES for p, c in r.converters.items() if c == "int"}:
        assert param in mine.ids and param in theirs.ids, param
        assert theirs.ids[param] != mine.ids[param], param


def _fingerprint(review) -> tuple:
    """What a successful write would change: the audit trail of either review."""
    from reviewapp.models import AuditEvent

    return tuple(AuditEvent.objects.filter(review=review).values_list("id", flat=True))


@pytest.mark.parametrize("role", ROLES)
def test_another_reviews_ids_give_404_and_change_nothing(client, two_worlds, personas, role):
    """GET with a foreign id is 404; POST is refused (404, or a redirect with an error message
    from the service, which filters by review) and writes nothing to either review."""
    mine, theirs = two_worlds
    client.force_login(personas[role])
    leaks = []
    for route in ID_ROUTES:
        url = _foreign_url(route, mine, theirs)
        get = client.get(url).status_code
        before = (_fingerprint(mine.review), _fingerprint(theirs.review))
        post = client.post(url, {}).status_code
        after = (_fingerprint(mine.review), _fingerprint(theirs.review))
        if get not in (404, 405) or post >= 500 or before != after:
            leaks.append((route.name, url, get, post, "wrote" if before != after else ""))
    assert not leaks, leaks

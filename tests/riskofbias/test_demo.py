"""The demo review gets the protocol's tool, and its studies get CB and JB as assessors."""

import pytest

from extraction.models import Study
from reviewapp.demo import seed_demo
from riskofbias.models import AssessorAssignment, RobDomain, RobTool

pytestmark = pytest.mark.django_db


def test_seed_demo_installs_the_tool_and_assessors_idempotently():
    review = seed_demo()
    Study.objects.get_or_create(review=review, label="Demo trial 2001")
    seed_demo()
    assert RobTool.objects.filter(review=review).count() == 1
    assert RobDomain.objects.filter(tool__review=review).count() == 7
    assessors = set(
        AssessorAssignment.objects.filter(study__label="Demo trial 2001").values_list(
            "assessor__username", flat=True
        )
    )
    assert assessors == {"cb", "jb"}

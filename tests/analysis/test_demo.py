import pytest

from analysis.demo import seed_analysis_demo
from analysis.models import Analysis, Comparison
from tests.analysis.conftest import add_study

pytestmark = pytest.mark.django_db


def test_demo_installs_comparisons_and_proposes_when_data_agree(review):
    seed_analysis_demo(review)
    assert Comparison.objects.filter(review=review).count() == 2
    assert not Analysis.objects.filter(review=review).exists()
    for label in ("A 2001", "B 2002"):
        add_study(
            review,
            label,
            results=[("BDI", "Post-intervention", "continuous", (10, 5, 20), (12, 5, 20))],
        )
    seed_analysis_demo(review)
    seed_analysis_demo(review)
    assert Comparison.objects.filter(review=review).count() == 2
    assert Analysis.objects.filter(review=review).count() == 1


def test_seed_demo_runs_with_the_analysis_stage():
    from reviewapp.demo import seed_demo

    review = seed_demo()
    assert Comparison.objects.filter(review=review).count() == 2

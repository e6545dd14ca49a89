"""The extraction pages over HTTP: access, blinding, autosave, and bad input at the field."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from extraction.models import Extraction, OutcomeResult
from extraction.services import extraction_submit
from extraction.services.errors import (
    MSG_EVENTS_ABOVE_N,
    MSG_MEAN_OUT_OF_RANGE,
    MSG_N_ABOVE_RANDOMISED,
    MSG_SD_NEGATIVE,
)
from extraction.values import MSG_N_NOT_POSITIVE

pytestmark = pytest.mark.django_db


def url(name, study, **kwargs):
    return reverse(
        f"extraction:{name}", kwargs={"slug": study.review.slug, "study_id": study.pk, **kwargs}
    )


def test_outsider_and_other_reviews_get_404_on_every_study_page(
    client, study, outsider, other_review, reviewer_a
):
    client.force_login(outsider)
    for name in ["extract", "compare", "author_contacts"]:
        assert client.get(url(name, study)).status_code == 404
    assert client.get(reverse("extraction:study_list", args=[study.review.slug])).status_code == 404
    client.force_login(reviewer_a)
    wrong = reverse("extraction:extract", kwargs={"slug": other_review.slug, "study_id": study.pk})
    assert client.get(wrong).status_code == 404


def test_only_assigned_extractors_open_the_extraction_page(client, study, adjudicator, reviewer_a):
    client.force_login(adjudicator)
    assert client.get(url("extract", study)).status_code == 404
    client.force_login(reviewer_a)
    response = client.get(url("extract", study))
    assert response.status_code == 200
    assert b"Study design" in response.content


def test_an_extractor_never_sees_the_others_values_before_both_submit(
    client, study, bdi, post, extract, reviewer_a, reviewer_b
):
    a = extract(reviewer_a, study, bdi, post, answers={"country": "Atlantis-A"}, pip=(11.11, 5, 40))
    extraction_submit(actor=reviewer_a, extraction=a)
    client.force_login(reviewer_b)
    pages = [
        client.get(url("extract", study)),
        client.get(url("compare", study), follow=True),
        client.get(reverse("extraction:study_list", args=[study.review.slug])),
        client.get(reverse("extraction:export", args=[study.review.slug, "outcomes", "csv"])),
        client.get(
            reverse("extraction:export", args=[study.review.slug, "characteristics", "csv"])
        ),
    ]
    for response in pages:
        assert response.status_code == 200
        assert b"Atlantis-A" not in response.content
        assert b"11.11" not in response.content
    assert b"both extractors have submitted" in pages[1].content


def test_autosave_keeps_good_answers_and_names_the_bad_one(client, study, reviewer_a):
    client.force_login(reviewer_a)
    client.get(url("extract", study))
    response = client.post(
        url("autosave", study),
        {"f-country": "Sweden", "f-total_randomised": "lots", "f-notes__nr": "on"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert b'id="err-total_randomised"' in response.content
    assert b"Enter a whole number" in response.content
    extraction = Extraction.objects.get(study=study, extractor=reviewer_a)
    assert extraction.answers["country"] == "Sweden"
    assert extraction.answers["notes"] == {"not_reported": True}
    assert "total_randomised" not in extraction.answers


def _arms(client, study):
    client.post(url("arm_add", study), {"arm-label": "PIP", "arm-n_randomised": "40"})
    client.post(url("arm_add", study), {"arm-label": "TAU", "arm-n_randomised": "40"})


def _result(client, study, bdi, post, **numbers):
    extraction = study.extractions.get(kind="extractor")
    arm = extraction.arms.get(label="PIP")
    data = {
        "res-arm": arm.pk,
        "res-measure": bdi.pk,
        "res-time_point": post.pk,
        "res-data_type": numbers.pop("data_type", "continuous"),
        "res-change_or_final": "final",
        "res-higher_is_better": "",
        **{f"res-{k}": v for k, v in numbers.items()},
    }
    return client.post(url("result_add", study), data)


@pytest.mark.parametrize(
    ("numbers", "message"),
    [
        ({"mean": "10", "sd": "-1", "n": "30"}, MSG_SD_NEGATIVE.format(value=-1)),
        ({"mean": "10", "sd": "2", "n": "2.5"}, MSG_N_NOT_POSITIVE.format(value="2.5")),
        ({"mean": "10", "sd": "2", "n": "0"}, MSG_N_NOT_POSITIVE.format(value="0")),
        (
            {"data_type": "dichotomous", "events": "31", "n": "30"},
            MSG_EVENTS_ABOVE_N.format(events=31, n=30),
        ),
        (
            {"mean": "70", "sd": "2", "n": "30"},
            MSG_MEAN_OUT_OF_RANGE.format(mean=70, measure="BDI", low=0, high=63),
        ),
        (
            {"mean": "10", "sd": "2", "n": "41"},
            MSG_N_ABOVE_RANDOMISED.format(n=41, randomised=40, arm="PIP"),
        ),
    ],
)
def test_bad_numbers_get_a_message_at_the_field_and_the_typed_values_stay(
    client, study, bdi, post, reviewer_a, numbers, message
):
    client.force_login(reviewer_a)
    client.get(url("extract", study))
    _arms(client, study)
    response = _result(client, study, bdi, post, **numbers)
    assert response.status_code == 422
    assert escape(message) in response.content.decode()
    for value in numbers.values():
        assert f'value="{value}"' in response.content.decode()
    assert not OutcomeResult.objects.exists()


def test_not_reported_numbers_are_kept_apart_from_empty_ones(client, study, bdi, post, reviewer_a):
    client.force_login(reviewer_a)
    client.get(url("extract", study))
    _arms(client, study)
    response = _result(client, study, bdi, post, mean="10", sd="NR", n="30", **{"src_mean": "p. 4"})
    assert response.status_code == 302
    result = OutcomeResult.objects.get()
    assert result.sd is None and result.not_reported == ["sd"]
    assert result.se is None and "se" not in result.not_reported
    assert result.sources == {"mean": "p. 4"}


def test_submitting_without_required_answers_says_which(client, study, reviewer_a):
    client.force_login(reviewer_a)
    client.get(url("extract", study))
    response = client.post(url("submit", study), follow=True)
    assert b"Study design" in response.content and b"before submitting" in response.content
    assert Extraction.objects.get(study=study).status == "draft"


def test_a_result_row_is_edited_with_nr_shown_as_typed(client, study, bdi, post, reviewer_a):
    client.force_login(reviewer_a)
    client.get(url("extract", study))
    _arms(client, study)
    _result(client, study, bdi, post, mean="10", sd="NR", n="30")
    result = OutcomeResult.objects.get()
    edit = url("result_edit", study, result_id=result.pk)
    page = client.get(edit).content.decode()
    assert 'value="NR"' in page and 'value="10"' in page
    data = {
        "res-arm": result.arm_id,
        "res-measure": bdi.pk,
        "res-time_point": post.pk,
        "res-data_type": "continuous",
        "res-change_or_final": "final",
        "res-mean": "11",
        "res-sd": "3",
        "res-n": "30",
    }
    assert client.post(edit, data).status_code == 302
    result.refresh_from_db()
    assert (result.mean, result.sd, result.not_reported) == (11.0, 3.0, [])
    assert client.post(edit, {**data, "res-sd": "-3"}).status_code == 422


def test_the_lead_reassigns_extractors_from_the_study_list(
    client, study, lead, reviewer_a, reviewer_b, make_user
):
    client.force_login(lead)
    listing = client.get(reverse("extraction:study_list", args=[study.review.slug]))
    assert b"Save extractors" in listing.content
    response = client.post(
        url("study_extractors", study), {"extractors": [reviewer_a.pk]}, follow=True
    )
    assert b"Assign exactly two different extractors (got 1)." in response.content
    client.force_login(reviewer_a)
    assert client.post(url("study_extractors", study), {}).status_code == 404

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_dashboard_shows_review_to_member(client, review, reviewer_a):
    client.force_login(reviewer_a)
    response = client.get(reverse("reviewapp:review_dashboard", args=[review.slug]))
    assert response.status_code == 200
    assert review.title in response.content.decode()


def test_dashboard_is_404_for_outsider(client, review, outsider):
    client.force_login(outsider)
    response = client.get(reverse("reviewapp:review_dashboard", args=[review.slug]))
    assert response.status_code == 404


def test_dashboard_redirects_anonymous_to_login(client, review):
    response = client.get(reverse("reviewapp:review_dashboard", args=[review.slug]))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_review_list_shows_only_own_reviews(client, review, other_review, reviewer_a):
    client.force_login(reviewer_a)
    body = client.get(reverse("reviewapp:review_list")).content.decode()
    assert review.title in body
    assert other_review.title not in body


def test_vocabulary_editor_is_for_leads_only(client, review, lead, reviewer_a):
    url = reverse("reviewapp:vocabulary_edit", args=[review.slug, "time-points"])
    client.force_login(reviewer_a)
    assert client.get(url).status_code == 404
    client.force_login(lead)
    response = client.get(url)
    assert response.status_code == 200
    assert "Post-intervention" in response.content.decode()


def test_lead_adds_a_time_point_and_it_is_audited(client, review, lead):
    from reviewapp.models import AuditEvent, TimePoint

    url = reverse("reviewapp:vocabulary_edit", args=[review.slug, "time-points"])
    client.force_login(lead)
    existing = list(TimePoint.objects.filter(review=review))
    data = {
        "time-points-TOTAL_FORMS": str(len(existing) + 1),
        "time-points-INITIAL_FORMS": str(len(existing)),
        "time-points-MIN_NUM_FORMS": "0",
        "time-points-MAX_NUM_FORMS": "1000",
    }
    for i, tp in enumerate(existing):
        data[f"time-points-{i}-id"] = str(tp.pk)
        data[f"time-points-{i}-name"] = tp.name
        data[f"time-points-{i}-order"] = str(tp.order)
        if tp.months_after_intervention is not None:
            data[f"time-points-{i}-months_after_intervention"] = str(tp.months_after_intervention)
    n = len(existing)
    data[f"time-points-{n}-name"] = "36 months"
    data[f"time-points-{n}-months_after_intervention"] = "36"
    data[f"time-points-{n}-order"] = "9"
    response = client.post(url, data)
    assert response.status_code == 302
    assert TimePoint.objects.filter(
        review=review, name="36 months", months_after_intervention=36
    ).exists()
    assert AuditEvent.objects.filter(review=review, action="vocabulary.time-points.edit").exists()


def test_unknown_vocabulary_is_404(client, review, lead):
    client.force_login(lead)
    url = reverse("reviewapp:vocabulary_edit", args=[review.slug, "nonsense"])
    assert client.get(url).status_code == 404


def test_audit_log_lists_events_for_lead(client, review, lead):
    client.force_login(lead)
    body = client.get(reverse("reviewapp:audit_log", args=[review.slug])).content.decode()
    assert "review.create" in body
    assert "membership.grant" in body


def test_deleting_a_measure_that_data_uses_is_refused_with_a_message(
    client, review, lead, monkeypatch
):
    from django.db.models import ProtectedError

    from reviewapp.models import Measure

    measure = Measure.objects.filter(review=review).first()

    def protected(self, *args, **kwargs):
        raise ProtectedError("in use", {measure})

    monkeypatch.setattr(Measure, "delete", protected)
    measures = list(Measure.objects.filter(review=review))
    data = {
        "measures-TOTAL_FORMS": str(len(measures)),
        "measures-INITIAL_FORMS": str(len(measures)),
        "measures-MIN_NUM_FORMS": "0",
        "measures-MAX_NUM_FORMS": "1000",
    }
    for i, m in enumerate(measures):
        data.update(
            {
                f"measures-{i}-id": str(m.pk),
                f"measures-{i}-name": m.name,
                f"measures-{i}-abbreviation": m.abbreviation,
                f"measures-{i}-domain": str(m.domain_id),
                f"measures-{i}-order": str(m.order),
                f"measures-{i}-higher_is_better": "unknown",
            }
        )
    data["measures-0-DELETE"] = "on"
    # an edit in the same submission must be rolled back with the refused delete
    data["measures-1-name"] = "Renamed in the refused submission"
    client.force_login(lead)
    url = reverse("reviewapp:vocabulary_edit", args=[review.slug, "measures"])
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    assert "Nothing was saved" in response.content.decode()
    assert Measure.objects.filter(pk=measure.pk).exists()
    assert Measure.objects.get(pk=measures[1].pk).name == measures[1].name

"""Relevance ranking: the replay's figures, the command, and the re-rank service."""

from __future__ import annotations

import csv
import json
import random

import pytest
from django.core.management import CommandError, call_command

from screening.models import ItemStatus, RankingState, ScreeningItem
from screening.ranking.model import simulate
from screening.selectors import next_items
from screening.services.ranking import ranking_retrain
from tests.conftest import realdata_path

RELEVANT = "parent infant psychotherapy randomised trial mother dyad attachment"
NOISE = ["iron", "school", "asthma", "surgery", "adolescent", "knee", "diet", "rats", "dental"]


def synthetic(n=300, n_rel=20, seed=1):
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        words = rng.sample(NOISE, 4)
        if i < n_rel:
            words += RELEVANT.split()
        rows.append(
            {"title": " ".join(words[:3]), "abstract": " ".join(words), "included": int(i < n_rel)}
        )
    rng.shuffle(rows)
    return rows


def test_simulation_finds_the_relevant_records_early():
    rows = synthetic()
    result = simulate(
        [r["title"] + " " + r["abstract"] for r in rows], [r["included"] for r in rows], seed=3
    )
    assert result.n == 300 and result.n_included == 20
    assert result.screened_for_95pct_recall <= 40
    assert result.wss_at_95 > 0.8
    assert result.recall_at_10pct >= 0.95


def test_command_prints_exactly_the_keys(tmp_path, capsys):
    path = tmp_path / "set.csv"
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["title", "abstract", "included"])
        writer.writeheader()
        writer.writerows(synthetic())
    call_command("simulate_screening", str(path), "--seed", "2", "--json")
    payload = json.loads(capsys.readouterr().out)
    assert set(payload) == {
        "n",
        "n_included",
        "wss_at_95",
        "recall_at_10pct",
        "screened_for_95pct_recall",
    }


def test_command_names_the_bad_line(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("title,abstract,included\na,b,1\nc,d,yes\n")
    with pytest.raises(CommandError, match="line 3"):
        call_command("simulate_screening", str(path))


def test_real_data_beats_random_order():
    path = realdata_path("screening", "Kitchenham_2010.csv")
    from screening.management.commands.simulate_screening import read_labelled

    texts, labels = read_labelled(path)
    result = simulate(texts, labels, seed=0)
    assert result.wss_at_95 > 0.4  # ASReview's reference is 0.67; random order gives 0


def test_retrain_orders_the_queue_in_sql(review, make_records, decide, reviewer_a, reviewer_b):
    from screening.services import items_sync

    make_records(review, 10, abstract="school asthma diet")
    make_records(review, 10, abstract=RELEVANT)
    items_sync(review=review)
    rows = list(ScreeningItem.objects.filter(review=review).select_related("record").order_by("id"))
    noise, relevant = rows[:10], rows[10:]
    for item, verdict in ((noise[0], "exclude"), (relevant[0], "include")):
        decide(reviewer_a, item, verdict)
        decide(reviewer_b, item, verdict)
    result = ranking_retrain(review_id=review.pk)
    assert result["trained"] and result["ranked"] == 18
    state = RankingState.objects.get(review=review)
    assert 0 < state.estimated_relevant_remaining < 18
    first, second = next_items(review, reviewer_a, "ta")
    assert first.record.abstract == RELEVANT and second.record.abstract == RELEVANT
    assert ScreeningItem.objects.get(pk=noise[1].pk).rank_score < first.rank_score


def test_retrain_needs_both_classes(review, items):
    assert ranking_retrain(review_id=review.pk)["trained"] is False


def test_random_order_is_stable_and_per_reviewer(
    review, make_records, reviewer_a, reviewer_b, lead
):
    from screening.services import items_sync, screening_settings_update

    make_records(review, 30)
    items_sync(review=review)
    screening_settings_update(
        actor=lead,
        review=review,
        include_keywords=[],
        exclude_keywords=[],
        order="random",
        retrain_every=5,
    )
    review.refresh_from_db()
    from screening.selectors import queue_for

    order_a = [i.pk for i in queue_for(review, reviewer_a, "ta")]
    assert order_a == [i.pk for i in queue_for(review, reviewer_a, "ta")]
    assert order_a != [i.pk for i in queue_for(review, reviewer_b, "ta")]
    assert sorted(order_a) != order_a


def test_batch_of_resolutions_starts_a_job(
    review, make_records, decide, reviewer_a, reviewer_b, lead, django_capture_on_commit_callbacks
):
    from reviewapp.models import Job
    from screening.services import items_sync, screening_settings_update

    screening_settings_update(
        actor=lead,
        review=review,
        include_keywords=[],
        exclude_keywords=[],
        order="ranked",
        retrain_every=2,
    )
    review.refresh_from_db()
    make_records(review, 4)
    items_sync(review=review)
    rows = list(ScreeningItem.objects.filter(review=review).order_by("id"))
    with django_capture_on_commit_callbacks(execute=True):
        for item, verdict in zip(rows[:2], ("include", "exclude"), strict=True):
            decide(reviewer_a, item, verdict)
            decide(reviewer_b, item, verdict)
    job = Job.objects.get(review=review, kind="screening.rerank")
    assert job.status == Job.Status.DONE and job.result["trained"]
    assert (
        ScreeningItem.objects.filter(review=review, status=ItemStatus.OPEN)
        .exclude(rank_score=0)
        .count()
        == 2
    )


def test_many_reviewers_are_paired_into_lanes(
    review, make_records, make_user, reviewer_a, reviewer_b
):
    from reviewapp.services import membership_grant
    from screening.selectors import reviewer_lane
    from screening.services import items_sync

    extra = [make_user(f"r{i}") for i in range(2)]
    for user in extra:
        membership_grant(actor=None, review=review, user=user, role="reviewer")
    make_records(review, 12)
    items_sync(review=review)
    lanes = {u.username: reviewer_lane(review, u) for u in (reviewer_a, reviewer_b, *extra)}
    assert sorted(lanes.values()) == [(0, 2), (0, 2), (1, 2), (1, 2)]
    firsts = {
        name: next_items(review, u, "ta")[0].pk % 2
        for name, u in zip(lanes, (reviewer_a, reviewer_b, *extra), strict=True)
    }
    assert all(firsts[name] == lane[0] for name, lane in lanes.items())


def test_two_reviewers_share_one_lane(review, reviewer_a):
    from screening.selectors import reviewer_lane

    assert reviewer_lane(review, reviewer_a) is None

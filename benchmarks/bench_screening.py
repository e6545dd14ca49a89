"""Screening benchmark: 100,000 records, 10 reviewers at once, gunicorn + PostgreSQL.

    make bench-screening                      # full size
    BENCH_RECORDS=5000 BENCH_SECONDS=10 .venv/bin/python benchmarks/bench_screening.py

Creates a scratch database (BENCH_DB, default h_screening_bench; dropped and re-created),
seeds one review with BENCH_RECORDS synthetic records, times the relevance model's retrain and
re-rank, starts gunicorn on 127.0.0.1, and lets BENCH_REVIEWERS simulated reviewers screen for
BENCH_SECONDS (each: load the next record as the htmx fragment, then submit a decision, then
think BENCH_THINK seconds, default 1 s; real reviewers take several seconds per title, and
BENCH_THINK=0.05 shows the saturated box instead). BENCH_REUSE=1 reuses the seeded database
and runs the load test only. Reports p50/p95 latency of both requests and decisions lost (acknowledged
by the server but not in the database; must be 0). Finally replays the real labelled data sets
with simulate_screening (skipped, with the reason, where ../shared/realdata is absent).
"""

from __future__ import annotations

import json
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from screening_data import TOPIC, WORDS, simulations  # noqa: E402

sys.path.insert(0, str(ROOT))

N_RECORDS = int(os.environ.get("BENCH_RECORDS", 100_000))
N_REVIEWERS = int(os.environ.get("BENCH_REVIEWERS", 10))
SECONDS = float(os.environ.get("BENCH_SECONDS", 60))
THINK = float(os.environ.get("BENCH_THINK", 1.0))
REUSE = os.environ.get("BENCH_REUSE") == "1"
WORKERS = int(os.environ.get("BENCH_WORKERS", 4))
PORT = int(os.environ.get("BENCH_PORT", 8765))
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
DB = os.environ.get("BENCH_DB", "h_screening_bench")

ENV = {
    **os.environ,
    "DATABASE_URL": f"{PG}/{DB}",
    "DJANGO_SETTINGS_MODULE": "reviewapp.settings",
    "SECRET_KEY": "bench-only-secret-key-" + "x" * 40,
    "DEBUG": "0",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SECURE_SSL_REDIRECT": "0",
    "SESSION_COOKIE_SECURE": "0",
    "CSRF_COOKIE_SECURE": "0",
    "VAR_DIR": str(ROOT / "var" / "bench-screening"),
    "LOG_LEVEL": "ERROR",
}
ENV.pop("REDIS_URL", None)  # seeding runs re-rank jobs in-process; the benchmark times them itself
os.environ.update(ENV)
os.environ.pop("REDIS_URL", None)
# gunicorn only enqueues re-rank jobs (no worker runs here; the queue is purged at the end), so
# the latencies measured are the web requests', as in production with a Celery worker
BENCH_REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/3")


def fresh_database() -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB}"')


def sessions_for(reviewers: list) -> list[str]:
    from django.contrib.sessions.backends.db import SessionStore

    keys = []
    for user in reviewers:
        store = SessionStore()
        store["_auth_user_id"] = str(user.pk)
        store["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
        store["_auth_user_hash"] = user.get_session_auth_hash()
        store.create()
        keys.append(store.session_key)
    return keys


def reuse() -> dict:
    """Log the reviewers of an earlier run's database in again (BENCH_REUSE=1)."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connections

    from reviewapp.models import Review
    from screening.models import ScreeningDecision

    review = Review.objects.get(slug="bench")
    reviewers = list(get_user_model().objects.filter(username__startswith="bench-r").order_by("pk"))
    before = ScreeningDecision.objects.filter(review=review).count()
    info = {
        "records": review.records.count(),
        "seed_seconds": None,
        "rerank_seconds": None,
        "rerank_cold_seconds": None,
        "sessions": sessions_for(reviewers),
        "reviewer_ids": [u.pk for u in reviewers],
        "review_id": review.pk,
        "decisions_before": before,
    }
    connections.close_all()
    return info


def seed() -> dict:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from reviewapp.models import Record, Role
    from reviewapp.services import membership_grant, review_create
    from screening.models import ScreeningItem
    from screening.services import decision_record, items_sync

    call_command("migrate", verbosity=0)
    User = get_user_model()
    lead = User.objects.create_user("bench-lead", password="x")
    review = review_create(actor=lead, title="Benchmark", slug="bench")
    # the seed times its re-ranks itself; during the load test jobs are only enqueued
    review.settings = {"screening_retrain_every": 10**6}
    review.save()
    reviewers = []
    for i in range(N_REVIEWERS):
        user = User.objects.create_user(f"bench-r{i}", password="x")
        membership_grant(actor=lead, review=review, user=user, role=Role.REVIEWER)
        reviewers.append(user)
    rng = random.Random(7)
    t = time.perf_counter()
    batch = []
    for i in range(N_RECORDS):
        relevant = rng.random() < 0.03
        words = rng.choices(WORDS, k=60) + (rng.sample(TOPIC, 5) if relevant else [])
        rng.shuffle(words)
        batch.append(
            Record(
                review=review,
                title=" ".join(words[:10]).capitalize(),
                abstract=" ".join(words),
                authors=[f"Author{i % 997}, A."],
                year=1990 + i % 35,
                journal="Journal of Benchmarks",
                keywords=words[:3],
                raw="",
            )
        )
        if len(batch) == 5000:
            Record.objects.bulk_create(batch)
            batch = []
    Record.objects.bulk_create(batch)
    items_sync(review=review)
    from django.db import connection

    with connection.cursor() as cursor:  # what autovacuum does a moment after a bulk import
        cursor.execute("ANALYZE")
    seed_seconds = time.perf_counter() - t
    # a first batch of resolved records so the model has both classes to learn from
    items = list(ScreeningItem.objects.filter(review=review).select_related("record")[:60])
    for item in items:
        verdict = "include" if "psychotherapy" in item.record.abstract else "exclude"
        for user in reviewers[:2]:
            decision_record(actor=user, review=review, item_id=item.pk, verdict=verdict)
    from screening.services.ranking import ranking_retrain

    if not any("psychotherapy" in i.record.abstract for i in items):
        raise SystemExit("seed: no relevant record in the first batch; change the seed")
    t = time.perf_counter()
    cold = ranking_retrain(review_id=review.pk)
    cold_seconds = time.perf_counter() - t
    t = time.perf_counter()
    warm = ranking_retrain(review_id=review.pk)
    warm_seconds = time.perf_counter() - t
    review.settings = {"screening_retrain_every": 50}
    review.save()
    sessions = sessions_for(reviewers)
    from django.db import connections

    connections.close_all()
    return {
        "records": N_RECORDS,
        "seed_seconds": round(seed_seconds, 1),
        "rerank_cold_seconds": round(cold_seconds, 2),
        "rerank_seconds": round(warm_seconds, 2),
        "rerank_result": warm,
        "cold_result": cold,
        "sessions": sessions,
        "reviewer_ids": [u.pk for u in reviewers],
        "review_id": review.pk,
        "decisions_before": 120,  # the seed's 60 records × 2 decisions
    }


ITEM = re.compile(r'id="current-record" data-item="(\d+)"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def warm_up(info: dict) -> None:
    """Send a few requests so every worker has opened its database connection."""
    import requests

    http = requests.Session()
    http.cookies.set("sessionid", info["sessions"][0], domain="127.0.0.1")
    for _ in range(4 * WORKERS):
        http.get(f"http://127.0.0.1:{PORT}/reviews/bench/screening/ta/", timeout=60)


def reviewer_loop(session_key: str, stop: float, out: dict, rng: random.Random) -> None:
    import requests

    base = f"http://127.0.0.1:{PORT}/reviews/bench/screening/ta/"
    http = requests.Session()
    http.cookies.set("sessionid", session_key, domain="127.0.0.1")
    page = http.get(base, timeout=30)
    csrf = CSRF.search(page.text).group(1)
    headers = {"HX-Request": "true", "X-CSRFToken": csrf, "Referer": base}
    while time.monotonic() < stop:
        t = time.perf_counter()
        response = http.get(base, headers=headers, timeout=30)
        out["next"].append(time.perf_counter() - t)
        match = ITEM.search(response.text)
        if response.status_code != 200 or match is None:
            out["errors"].append(f"GET {response.status_code}")
            break
        verdict = rng.choices(["include", "exclude", "unsure"], weights=[8, 88, 4])[0]
        t = time.perf_counter()
        response = http.post(
            base + "decide/",
            {"item": match.group(1), "verdict": verdict},
            headers=headers,
            timeout=30,
        )
        out["decide"].append(time.perf_counter() - t)
        if response.status_code != 200:
            out["errors"].append(f"POST {response.status_code}")
        elif 'id="screen-error"' in response.text:
            out["refused"] += 1  # e.g. a third reviewer reached a record already resolved
        else:
            out["acknowledged"] += 1
        time.sleep(THINK)


def _purge_queue() -> None:
    try:
        import redis

        redis.Redis.from_url(BENCH_REDIS).delete("celery")
    except Exception as exc:  # a missing Redis only means nothing was enqueued
        print(f"(could not purge {BENCH_REDIS}: {exc})")


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return 1000 * values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def load_test(info: dict) -> dict:
    log = open(ROOT / "var" / "bench-gunicorn.log", "w")  # noqa: SIM115
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "reviewapp.wsgi",
            "-b",
            f"127.0.0.1:{PORT}",
            "-w",
            str(WORKERS),
            "--timeout",
            "120",
            "--preload",
        ],
        cwd=ROOT,
        env={**ENV, "REDIS_URL": BENCH_REDIS},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        import requests

        for _ in range(100):
            try:
                requests.get(f"http://127.0.0.1:{PORT}/accounts/login/", timeout=10)
                break
            except requests.RequestException:
                time.sleep(0.2)
        warm_up(info)
        outs = [
            {"next": [], "decide": [], "errors": [], "refused": 0, "acknowledged": 0}
            for _ in info["sessions"]
        ]
        stop = time.monotonic() + SECONDS
        threads = [
            threading.Thread(target=reviewer_loop, args=(key, stop, out, random.Random(i)))
            for i, (key, out) in enumerate(zip(info["sessions"], outs, strict=True))
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        log.close()
        _purge_queue()
    nexts = [v for o in outs for v in o["next"]]
    decides = [v for o in outs for v in o["decide"]]
    acknowledged = sum(o["acknowledged"] for o in outs)
    import django

    django.setup()
    from screening.models import ScreeningDecision

    stored = (
        ScreeningDecision.objects.filter(
            review_id=info["review_id"], reviewer_id__in=info["reviewer_ids"]
        ).count()
        - info["decisions_before"]
    )
    return {
        "reviewers": len(outs),
        "seconds": SECONDS,
        "think_seconds": THINK,
        "gunicorn_workers": WORKERS,
        "next_record_ms": {
            "n": len(nexts),
            "p50": round(pct(nexts, 0.5), 1),
            "p95": round(pct(nexts, 0.95), 1),
        },
        "submit_decision_ms": {
            "n": len(decides),
            "p50": round(pct(decides, 0.5), 1),
            "p95": round(pct(decides, 0.95), 1),
        },
        "decisions_acknowledged": acknowledged,
        "decisions_stored": stored,
        "decisions_lost": acknowledged - stored,
        "refused_with_message": sum(o["refused"] for o in outs),
        "errors": [e for o in outs for e in o["errors"]][:10],
    }


def main() -> None:
    if REUSE:
        info = reuse()
    else:
        print(f"Seeding {N_RECORDS} records, {N_REVIEWERS} reviewers in {DB} …", flush=True)
        fresh_database()
        info = seed()
    print(
        f"re-rank: cold {info['rerank_cold_seconds']} s (features built), warm {info['rerank_seconds']} s",
        flush=True,
    )
    load = load_test(info)
    print(json.dumps(load, indent=2), flush=True)
    sims = simulations()
    report = {
        "records": info["records"],
        "seed_seconds": info["seed_seconds"],
        "rerank_seconds": info["rerank_seconds"],
        "rerank_cold_seconds": info["rerank_cold_seconds"],
        "load": load,
        "simulate_screening": sims,
    }
    print(json.dumps(report, indent=2))
    ok = (
        load["decisions_lost"] == 0
        and load["next_record_ms"]["p95"] < 100
        and load["submit_decision_ms"]["p95"] < 100
    )
    rerank_ok = info["rerank_seconds"] is None or info["rerank_seconds"] < 10
    print("TARGETS MET" if ok and rerank_ok else "TARGETS NOT MET")


if __name__ == "__main__":
    main()

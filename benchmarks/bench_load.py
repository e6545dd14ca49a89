"""Load: 20 simulated reviewers each submitting 500 screening decisions at once, gunicorn + PostgreSQL.

    make bench-load                                          # 20 reviewers x 500 decisions
    LOAD_DECISIONS=20 .venv/bin/python benchmarks/bench_load.py   # a short run

Reuses benchmarks/bench_screening.py's setup (scratch database, seeded review, reviewers'
sessions): it creates the scratch database LOAD_DB (default h_load_bench), seeds one review with
enough synthetic records for every decision, starts gunicorn (BENCH_WORKERS workers, default 4)
on 127.0.0.1:LOAD_PORT, and lets LOAD_REVIEWERS reviewers (threads) screen without think time as
the page does: one GET of the screening page, then one htmx POST per decision whose response
carries the next record. A reviewer goes on until the server has acknowledged LOAD_DECISIONS of
their decisions; a decision the server refuses with a message (another reviewer resolved the
record first) is counted and the reviewer moves on.

Reports decisions sent, acknowledged, refused and persisted (must equal acknowledged), 5xx
responses and connection errors (must be 0), and p50/p95/p99 latency of the decision POST. The
scratch database is dropped at the end (LOAD_KEEP_DB=1 keeps it). Re-rank jobs are only enqueued
(on LOAD_REDIS_URL, purged at the end): no worker runs, as the web requests are what is measured.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REVIEWERS = int(os.environ.get("LOAD_REVIEWERS", 20))
DECISIONS = int(os.environ.get("LOAD_DECISIONS", 500))
PORT = int(os.environ.get("LOAD_PORT", 8766))
KEEP_DB = os.environ.get("LOAD_KEEP_DB") == "1"
# bench_screening reads its configuration from the environment when imported.
os.environ["BENCH_DB"] = os.environ.get("LOAD_DB", "h_load_bench")
os.environ["BENCH_REVIEWERS"] = str(REVIEWERS)
# Two decisions resolve a record, so this many records outlast every decision, refusals included.
os.environ["BENCH_RECORDS"] = str(max(2000, REVIEWERS * DECISIONS * 3 // 4))
os.environ["BENCH_PORT"] = str(PORT)
os.environ["BENCH_REDIS_URL"] = os.environ.get("LOAD_REDIS_URL", "redis://127.0.0.1:6379/10")

sys.path.insert(0, str(ROOT / "benchmarks"))
import bench_screening as screening  # noqa: E402

VAR_DIR = str(ROOT / "var" / "bench-load")
screening.ENV["VAR_DIR"] = VAR_DIR
os.environ["VAR_DIR"] = VAR_DIR
BASE = f"http://127.0.0.1:{PORT}/reviews/bench/screening/ta/"


def start_gunicorn(log) -> subprocess.Popen:
    """Start gunicorn on the scratch database and wait until it answers."""
    import requests

    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "reviewapp.wsgi",
            "-b",
            f"127.0.0.1:{PORT}",
            "-w",
            str(screening.WORKERS),
            "--timeout",
            "120",
            "--preload",
        ],
        cwd=ROOT,
        env={**screening.ENV, "REDIS_URL": screening.BENCH_REDIS},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    for _ in range(150):
        try:
            requests.get(f"http://127.0.0.1:{PORT}/accounts/login/", timeout=10)
            return server
        except requests.RequestException:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not answer within 30 s; see var/bench-load-gunicorn.log")


def reviewer(session_key: str, out: dict, rng: random.Random, start: threading.Event) -> None:
    """Screen until DECISIONS decisions are acknowledged, as the htmx page does."""
    import requests

    http = requests.Session()
    http.cookies.set("sessionid", session_key, domain="127.0.0.1")
    page = http.get(BASE, timeout=60)
    headers = {
        "HX-Request": "true",
        "X-CSRFToken": screening.CSRF.search(page.text).group(1),
        "Referer": BASE,
    }
    match = screening.ITEM.search(page.text)
    start.wait()
    while out["acknowledged"] < DECISIONS and out["sent"] < 2 * DECISIONS:
        if match is None:
            out["errors"].append("no record offered")
            return
        verdict = rng.choices(["include", "exclude", "unsure"], weights=[8, 88, 4])[0]
        out["sent"] += 1
        t = time.perf_counter()
        try:
            response = http.post(
                BASE + "decide/",
                {"item": match.group(1), "verdict": verdict},
                headers=headers,
                timeout=60,
            )
        except requests.RequestException as exc:
            out["errors"].append(f"POST {exc.__class__.__name__}")
            return
        out["latency"].append(time.perf_counter() - t)
        if response.status_code >= 500:
            out["status_5xx"] += 1
        elif response.status_code != 200:
            out["errors"].append(f"POST {response.status_code}")
        elif 'id="screen-error"' in response.text:
            out["refused"] += 1
        else:
            out["acknowledged"] += 1
        match = screening.ITEM.search(response.text)


def run_load(info: dict) -> dict:
    outs = [
        {"sent": 0, "acknowledged": 0, "refused": 0, "status_5xx": 0, "errors": [], "latency": []}
        for _ in info["sessions"]
    ]
    start = threading.Event()
    threads = [
        threading.Thread(target=reviewer, args=(key, out, random.Random(i), start))
        for i, (key, out) in enumerate(zip(info["sessions"], outs, strict=True))
    ]
    for thread in threads:
        thread.start()
    time.sleep(2)  # every reviewer has loaded the page: the decisions start together
    t = time.perf_counter()
    start.set()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - t
    latency = [v for o in outs for v in o["latency"]]
    acknowledged = sum(o["acknowledged"] for o in outs)
    return {
        "reviewers": len(outs),
        "decisions_per_reviewer": DECISIONS,
        "gunicorn_workers": screening.WORKERS,
        "seconds": round(seconds, 1),
        "decisions_per_second": round(acknowledged / seconds, 1),
        "sent": sum(o["sent"] for o in outs),
        "acknowledged": acknowledged,
        "refused_with_message": sum(o["refused"] for o in outs),
        "status_5xx": sum(o["status_5xx"] for o in outs),
        "errors": [e for o in outs for e in o["errors"]][:10],
        "decision_ms": {
            "n": len(latency),
            "p50": round(screening.pct(latency, 0.50), 1),
            "p95": round(screening.pct(latency, 0.95), 1),
            "p99": round(screening.pct(latency, 0.99), 1),
            "max": round(1000 * max(latency, default=float("nan")), 1),
        },
    }


def persisted(info: dict) -> int:
    """Count the reviewers' decisions in the database, less those the seed wrote."""
    import django

    django.setup()
    from screening.models import ScreeningDecision

    stored = ScreeningDecision.objects.filter(
        review_id=info["review_id"], reviewer_id__in=info["reviewer_ids"]
    ).count()
    return stored - info["decisions_before"]


def drop_database() -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    with psycopg.connect(f"{screening.PG}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{screening.DB}" WITH (FORCE)')


def main() -> None:
    print(
        f"Seeding {screening.N_RECORDS} records and {REVIEWERS} reviewers in {screening.DB} …",
        flush=True,
    )
    screening.fresh_database()
    try:
        info = screening.seed()
        log = open(ROOT / "var" / "bench-load-gunicorn.log", "w")  # noqa: SIM115
        server = start_gunicorn(log)
        try:
            screening.warm_up(info)
            load = run_load(info)
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
            log.close()
            screening._purge_queue()
        load["persisted"] = persisted(info)
        load["lost"] = load["acknowledged"] - load["persisted"]
    finally:
        if not KEEP_DB:
            drop_database()
    print(json.dumps(load, indent=2))
    ok = (
        load["persisted"] == load["acknowledged"] == REVIEWERS * DECISIONS
        and load["status_5xx"] == 0
        and not load["errors"]
    )
    print("TARGETS MET" if ok else "TARGETS NOT MET")
    if not ok:
        sys.exit(1)


if __name__ == "__main__":
    main()

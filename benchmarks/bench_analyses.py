"""Analyses benchmark: a review of 40 analyses, from "Run analyses" to the SoF table ready.

    make bench-analyses
    BENCH_STUDIES=16 .venv/bin/python benchmarks/bench_analyses.py

Creates a scratch PostgreSQL database (BENCH_DB, default h_analysis_bench; dropped and
re-created), seeds one review whose consensus data give 40 analyses (2 comparisons × 5 outcome
domains × 4 time points; BENCH_STUDIES trials, about two thirds against a control), starts ONE
real Celery worker on Redis (BENCH_REDIS, default db 8), then times: the click (the service the
button calls) → the job done → every SoF table built and written as DOCX. It then presses the
button again (every input unchanged: all results reused) and times that too. Target: < 10 s.
Last, it times as many empty jobs as there are analyses through the same worker: what one job
per analysis would add over the one grouped job per click the app uses.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

N_STUDIES = int(os.environ.get("BENCH_STUDIES", 16))
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
DB = os.environ.get("BENCH_DB", "h_analysis_bench")
REDIS = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/8")
DOMAINS = 5
TIME_POINTS = ["Post-intervention", "6 months", "12 months", "24 months"]

ENV = {
    **os.environ,
    "DATABASE_URL": f"{PG}/{DB}",
    "REDIS_URL": REDIS,
    "DJANGO_SETTINGS_MODULE": "reviewapp.settings",
    "SECRET_KEY": "bench-only-secret-key-" + "x" * 40,
    "DEBUG": "0",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SECURE_SSL_REDIRECT": "0",
    "VAR_DIR": str(ROOT / "var" / "bench-analyses"),
    "LOG_LEVEL": "ERROR",
}
os.environ.update(ENV)


def fresh_database() -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB}"')


def seed():  # noqa: ANN201
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from analysis.services.proposal import analyses_propose, comparisons_install_defaults
    from reviewapp.models import Measure, OutcomeDomain
    from reviewapp.services import review_create
    from tests.analysis.conftest import add_study

    lead = get_user_model().objects.create_user("bench-lead", password="bench-pw-12345")
    review = review_create(actor=lead, title="Benchmark review", slug="bench-analyses")
    measures = []
    for domain in OutcomeDomain.objects.filter(review=review).order_by("order"):
        first = (
            Measure.objects.filter(review=review, domain=domain).exclude(abbreviation="").first()
        )
        if first is not None:
            measures.append(first.abbreviation)
    measures = measures[:DOMAINS]
    rng = random.Random(2026)
    for i in range(N_STUDIES):
        comparator = "Other active therapy" if i % 3 == 2 else "Waiting list"
        results = []
        for abbreviation in measures:
            for time_point in TIME_POINTS:
                n = rng.randint(20, 90)
                mean_c = rng.uniform(20, 40)
                results.append(
                    (
                        abbreviation,
                        time_point,
                        "continuous",
                        (mean_c + rng.gauss(2, 2), rng.uniform(5, 10), n),
                        (mean_c, rng.uniform(5, 10), n + rng.randint(-3, 3)),
                    )
                )
        add_study(
            review,
            f"Trial {i + 1:02d}",
            comparator=comparator,
            duration_weeks=rng.choice([8, 12, 20, 30, 52]),
            infant_age_months=rng.uniform(1, 22),
            results=results,
        )
    comparisons_install_defaults(actor=lead, review=review)
    created = analyses_propose(actor=lead, review=review)
    return lead, review, len(created)


def start_worker() -> subprocess.Popen:
    from reviewapp.celery import app

    app.control.purge()
    log = open(ROOT / "var" / "bench-analyses-worker.log", "w")  # noqa: SIM115 - lives with the worker
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "reviewapp",
            "worker",
            "--pool=solo",
            "--loglevel=warning",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=ROOT,
        env={**ENV, "CELERY_WORKER": "1"},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit("The worker exited; see var/bench-analyses-worker.log")
        if app.control.ping(timeout=1):
            return proc
    proc.kill()
    raise SystemExit("The worker did not answer within 60 s")


def click_to_sof(lead, review) -> dict:  # noqa: ANN001
    from analysis.selectors import sof_tables
    from analysis.services.runs import analyses_run
    from analysis.sof.exports import sof_docx
    from reviewapp.models import Job

    started = time.perf_counter()
    job = analyses_run(actor=lead, review=review)
    while True:
        job.refresh_from_db()
        if job.status in (Job.Status.DONE, Job.Status.FAILED):
            break
        time.sleep(0.05)
    done = time.perf_counter()
    if job.status == Job.Status.FAILED:
        raise SystemExit(f"The job failed: {job.error}")
    tables = sof_tables(review)
    docx = sof_docx(tables, "Summary of findings")
    ready = time.perf_counter()
    job_seconds = (job.finished_at - job.started_at).total_seconds()
    return {
        "result": job.result,
        "click_to_done": done - started,
        "job_on_worker": job_seconds,
        "sof": ready - done,
        "click_to_sof": ready - started,
        "rows": sum(len(t.rows) for t in tables),
        "docx_bytes": len(docx),
    }


def job_overhead(review, n: int) -> float:  # noqa: ANN001
    """Return the seconds n empty jobs take from enqueue to done: the cost of one job per analysis."""
    from django.db import transaction

    from reviewapp.jobs import job_start
    from reviewapp.models import Job

    started = time.perf_counter()
    with transaction.atomic():
        ids = [
            job_start(review=review, kind="bench.empty", task_name="reviewapp.worker_health").pk
            for _ in range(n)
        ]
    while Job.objects.filter(
        pk__in=ids, status__in=[Job.Status.WAITING, Job.Status.RUNNING]
    ).exists():
        time.sleep(0.05)
    return time.perf_counter() - started


def main() -> None:
    fresh_database()
    t = time.perf_counter()
    lead, review, analyses = seed()
    print(f"Seeded {N_STUDIES} studies, {analyses} analyses in {time.perf_counter() - t:.1f} s")
    worker = start_worker()
    try:
        for label in ("first run (all computed)", "second run (all reused)"):
            r = click_to_sof(lead, review)
            print(
                f"{label}: {r['result']}; click → job done {r['click_to_done']:.2f} s "
                f"(on the worker {r['job_on_worker']:.2f} s, {1000 * r['job_on_worker'] / analyses:.0f} ms "
                f"per analysis); SoF tables + DOCX {r['sof']:.2f} s; click → SoF ready "
                f"{r['click_to_sof']:.2f} s (target < 10 s); {r['rows']} SoF rows, DOCX {r['docx_bytes']} bytes"
            )
        overhead = job_overhead(review, analyses)
        print(
            f"{analyses} empty jobs through the same worker: {overhead:.2f} s "
            f"({1000 * overhead / analyses:.0f} ms per job) — the extra cost of one job per analysis "
            "over one grouped job per click"
        )
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()


if __name__ == "__main__":
    main()

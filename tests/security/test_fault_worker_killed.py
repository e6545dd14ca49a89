"""Fault: the Celery worker is killed (SIGKILL) in the middle of "Run analyses".

The analysis task is ``acks_late``, so the message of a killed worker stays unacknowledged in
Redis and is delivered again; ``job_run`` runs a job it finds RUNNING again, and the unique
input hash per analysis (``analysis_run_one_per_input``) lets the second attempt reuse what the
first one stored. The test shows the job finishing on a new worker with exactly one result per
analysis.

Redis gives an unacknowledged message back only after the broker's ``visibility_timeout``
(3600 s in settings), so the second worker here runs with a visibility timeout of 2 s; in
production the job finishes within the hour, or at once if an operator restores it. The worker
processes are started by a small launcher (``WORKER``) that applies those test-only options, and,
for the first worker, slows each analysis down so that there is a "mid-way" to kill it in. No
application code is involved in either.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from tests.analysis.conftest import BDI_STUDIES, add_study
from tests.conftest import ROOT, current_database_url, require_full_stack, wait_for_worker

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

SLOW_SECONDS = 3.0  # per analysis on the first worker: time to see it running and kill it

# Runs a Celery worker (solo pool, as in tests/conftest.py) after applying the test-only options.
WORKER = """
import os, time
import django

django.setup()
from reviewapp.celery import app

visibility = os.environ.get("FAULT_VISIBILITY_TIMEOUT")
if visibility:
    app.conf.broker_transport_options = {
        **app.conf.broker_transport_options,
        "visibility_timeout": float(visibility),
        "unacked_restore_interval": 1,
        "unacked_restore_throttle": 1,
    }
delay = float(os.environ.get("FAULT_SLOW_ANALYSIS", "0"))
if delay:
    import analysis.services.runs as runs

    compute = runs.compute_result

    def slow_compute(snapshot):
        time.sleep(delay)
        return compute(snapshot)

    runs.compute_result = slow_compute
app.worker_main(
    ["worker", "--pool=solo", "--loglevel=info", "--without-gossip", "--without-mingle",
     "--without-heartbeat"]
)
"""


@pytest.fixture
def start_worker(transactional_db, settings):
    """Return ``start(name, **env) -> Popen``: a real worker on the test database and Redis."""
    require_full_stack()
    from reviewapp.celery import app

    url = current_database_url()
    app.control.purge()
    with app.connection_for_write() as conn:
        # Messages left unacknowledged by an earlier, interrupted run must not come back here.
        conn.default_channel.client.delete("unacked", "unacked_index")
    app.conf.task_always_eager = False
    settings.CELERY_TASK_ALWAYS_EAGER = False
    procs = []

    def start(name: str, **extra: str) -> subprocess.Popen:
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "CELERY_WORKER": "1",
            **extra,
        }
        log = open(ROOT / "var" / f"test-worker-{name}.log", "w")  # noqa: SIM115
        proc = subprocess.Popen(
            [sys.executable, "-c", WORKER],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        procs.append((proc, log))
        wait_for_worker(app, proc, f"var/test-worker-{name}.log")
        return proc

    try:
        yield start
    finally:
        app.conf.task_always_eager = True
        for proc, log in procs:
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
            log.close()


def _wait_until(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"{what} within {timeout} s")


def test_a_killed_worker_s_analysis_job_completes_on_a_new_worker_with_one_result_each(
    start_worker, review, lead
):
    from analysis.models import Analysis, AnalysisRun
    from analysis.services.proposal import analyses_propose, comparisons_install_defaults
    from analysis.services.runs import analyses_run
    from reviewapp.models import Job

    for label, e, c in BDI_STUDIES:
        add_study(
            review,
            label,
            results=[
                ("BDI", "Post-intervention", "continuous", e, c),
                ("CARE-Index", "6 months", "dichotomous", (12, e[2]), (7, c[2])),
            ],
        )
    comparisons_install_defaults(actor=lead, review=review)
    analyses_propose(actor=lead, review=review)
    analyses = list(Analysis.objects.filter(review=review))
    assert len(analyses) == 2

    first = start_worker("first", FAULT_SLOW_ANALYSIS=str(SLOW_SECONDS))
    job = analyses_run(actor=lead, review=review)  # commits, then enqueues

    # Kill it after the first analysis is stored, while the second is being computed.
    _wait_until(
        lambda: Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING, progress_done=1).exists(),
        timeout=30 + 2 * SLOW_SECONDS,
        what="the first worker did not store the first analysis",
    )
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    job.refresh_from_db()
    assert job.status == Job.Status.RUNNING  # nothing marks a killed worker's job as finished
    assert job.attempts == 1
    assert AnalysisRun.objects.filter(analysis__review=review).count() == 1

    start_worker("second", FAULT_VISIBILITY_TIMEOUT="2")
    _wait_until(
        lambda: Job.objects.filter(pk=job.pk, status__in=["done", "failed"]).exists(),
        timeout=60,
        what="the job did not finish on the new worker",
    )
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.error
    assert job.attempts == 2  # delivered again, and run again from the RUNNING state
    # The second attempt reuses the stored result and computes only what was interrupted.
    assert job.result == {"computed": 1, "reused": 1, "failed": 0}
    runs = AnalysisRun.objects.filter(analysis__review=review)
    assert runs.count() == len(analyses)
    for analysis in analyses:
        analysis.refresh_from_db()
        (run,) = AnalysisRun.objects.filter(analysis=analysis)
        assert run.status == AnalysisRun.Status.OK
        assert analysis.current_run_id == run.pk

    # No third delivery: once done, the job stays done with the same results.
    time.sleep(3)
    job.refresh_from_db()
    assert job.attempts == 2
    assert AnalysisRun.objects.filter(analysis__review=review).count() == len(analyses)

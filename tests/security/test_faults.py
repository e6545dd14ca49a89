"""Faults with the real services: the task queue unreachable, PostgreSQL restarted.

These start the app as a separate server process, as an operator would run it, and talk to it
over HTTP; they need PostgreSQL (DATABASE_URL) and run in the full-stack pass of CI.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from tests.conftest import ROOT, current_database_url, require_full_stack

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

DEAD_REDIS = "redis://127.0.0.1:6399/0"  # nothing listens here: the queue is "down"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def app_server():
    """Start ``manage.py runserver`` on the test database; yield ``start(redis_url) -> base_url``."""
    require_full_stack()
    procs = []

    def start(redis_url: str) -> str:
        port = _free_port()
        env = {
            **os.environ,
            "DATABASE_URL": current_database_url(),
            "REDIS_URL": redis_url,
            "DJANGO_SETTINGS_MODULE": "reviewapp.settings",
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",
            "SESSION_COOKIE_SECURE": "0",
            "CSRF_COOKIE_SECURE": "0",
        }
        log = open(Path(ROOT, "var", f"test-server-{port}.log"), "w")  # noqa: SIM115
        proc = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        procs.append((proc, log))
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                requests.get(base + "/accounts/login/", timeout=2)
                return base
            except requests.ConnectionError:
                time.sleep(0.3)
        raise RuntimeError(
            f"the server on port {port} did not start; see var/test-server-{port}.log"
        )

    yield start
    for proc, log in procs:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()


def _session_for(user) -> dict[str, str]:
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    return {settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value}


def test_queue_down_pages_load_and_jobs_wait(app_server, review, reviewer_a):
    from reviewapp.models import Job

    base = app_server(DEAD_REDIS)
    cookies = _session_for(reviewer_a)
    response = requests.get(f"{base}/reviews/{review.slug}/", cookies=cookies, timeout=10)
    assert response.status_code == 200
    assert review.title in response.text

    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "manage.py", "check_worker", "--timeout", "3"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={
            **os.environ,
            "DATABASE_URL": current_database_url(),
            "REDIS_URL": DEAD_REDIS,
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "CELERY_TASK_ALWAYS_EAGER": "0",
        },
    )
    assert time.monotonic() - started < 30, "publishing to a dead broker must give up quickly"
    assert result.returncode != 0
    assert "unreachable" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    job = Job.objects.get(kind="health")
    assert job.status == Job.Status.WAITING

    Job.objects.filter(pk=job.pk).update(review=review)  # shown on the review's job page
    page = requests.get(f"{base}/reviews/{review.slug}/jobs/{job.pk}/", cookies=cookies, timeout=10)
    assert page.status_code == 200
    assert "Waiting for a worker" in page.text


def test_app_reconnects_after_postgresql_restart(app_server, review, reviewer_a):
    cluster = shutil.which("pg_ctlcluster")
    if cluster is None or os.geteuid() != 0 or not Path("/etc/postgresql").exists():
        pytest.skip("fault test: needs root and Debian's pg_ctlcluster to restart PostgreSQL")
    from django.db import connection

    base = app_server(os.environ["REDIS_URL"])
    cookies = _session_for(reviewer_a)
    url = f"{base}/reviews/{review.slug}/"
    assert requests.get(url, cookies=cookies, timeout=10).status_code == 200

    version = sorted(os.listdir("/etc/postgresql"))[0]
    connection.close()
    subprocess.run([cluster, "--skip-systemctl-redirect", version, "main", "restart"], check=True)
    for _ in range(60):
        if subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1"]).returncode == 0:
            break
        time.sleep(0.5)

    response = requests.get(url, cookies=cookies, timeout=10)
    assert response.status_code == 200, "the server must reconnect without a restart"
    assert review.title in response.text

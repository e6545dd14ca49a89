"""Shared fixtures: personas, reviews, a real Celery worker, and a real browser.

Personas (as in healthchecks' tests): the lead, two reviewers (cb and jb, blind to each
other), the adjudicator (nm), and an outsider with no membership.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls from the same
# thread are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
REALDATA = SHARED / "realdata"
CHROMIUM_PATHS = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
FULL_STACK = bool(os.environ.get("DATABASE_URL", "").startswith("postgres")) and bool(
    os.environ.get("REDIS_URL")
)


def realdata_path(*parts: str) -> Path:
    """Return a path under ../shared/realdata, skipping the test (with the reason) if absent."""
    path = REALDATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"real data not available here: {path}")
    return path


@pytest.fixture(scope="session", autouse=True)
def _stop_kaleido_at_the_end():
    """Leave no kaleido Chromium (figure downloads) running after the tests."""
    yield
    from reviewapp.figures import figure_export_shutdown

    figure_export_shutdown()


@pytest.fixture
def make_user(db):
    from django.contrib.auth import get_user_model

    def make(username: str, password: str = "pw-for-tests-123"):
        user = get_user_model().objects.create_user(username=username, password=password)
        return user

    return make


@pytest.fixture
def lead(make_user):
    return make_user("lead")


@pytest.fixture
def reviewer_a(make_user):
    return make_user("cb")


@pytest.fixture
def reviewer_b(make_user):
    return make_user("jb")


@pytest.fixture
def adjudicator(make_user):
    return make_user("nm")


@pytest.fixture
def outsider(make_user):
    return make_user("outsider")


@pytest.fixture
def make_review(lead, reviewer_a, reviewer_b, adjudicator):
    from reviewapp.models import Role
    from reviewapp.services import membership_grant, review_create

    def make(slug: str = "review-a", title: str = "Review A"):
        review = review_create(actor=lead, title=title, slug=slug)
        membership_grant(actor=lead, review=review, user=reviewer_a, role=Role.REVIEWER)
        membership_grant(actor=lead, review=review, user=reviewer_b, role=Role.REVIEWER)
        membership_grant(actor=lead, review=review, user=adjudicator, role=Role.ADJUDICATOR)
        return review

    return make


@pytest.fixture
def review(make_review):
    """A review with the four personas as members (the outsider is not)."""
    return make_review()


@pytest.fixture
def other_review(make_user):
    """A second review whose members are strangers to the first: for IDOR tests."""
    from reviewapp.models import Role
    from reviewapp.services import membership_grant, review_create

    owner = make_user("other-lead")
    other = review_create(actor=owner, title="Review B", slug="review-b")
    membership_grant(
        actor=owner, review=other, user=make_user("other-reviewer"), role=Role.REVIEWER
    )
    return other


@pytest.fixture
def make_records(db):
    from reviewapp.models import Record

    def make(review, n: int = 5, **fields):
        return Record.objects.bulk_create(
            Record(review=review, title=f"Record {i} about infants", year=2000 + i, **fields)
            for i in range(n)
        )

    return make


# --- A real Celery worker (integration) -----------------------------------------------------


@pytest.fixture
def celery_worker_process(transactional_db, settings):
    """Start a real Celery worker on the test database and Redis; tasks stop running eagerly."""
    yield from _celery_worker(settings, ["--pool=solo"])


@pytest.fixture
def celery_prefork_worker_process(transactional_db, settings):
    """A real worker with production's pool: tasks run in daemonic prefork child processes."""
    yield from _celery_worker(settings, ["--pool=prefork", "--concurrency=1"])


def require_full_stack() -> None:
    """Skip the calling test, with the reason, unless PostgreSQL and Redis are configured."""
    if not FULL_STACK:
        pytest.skip("integration: set DATABASE_URL=postgres://… and REDIS_URL=redis://… to run")


def current_database_url() -> str:
    """The test database's URL, for processes started by a test (servers, workers)."""
    from django.db import connection

    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _celery_worker(settings, pool: list[str]):  # noqa: ANN001, ANN202
    require_full_stack()
    from reviewapp.celery import app

    env = {
        **os.environ,
        "DATABASE_URL": current_database_url(),
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "CELERY_WORKER": "1",
    }
    app.control.purge()
    log = open(ROOT / "var" / "test-worker.log", "w")  # noqa: SIM115 - closed at teardown
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "reviewapp",
            "worker",
            *pool,
            "--loglevel=info",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    app.conf.task_always_eager = False
    settings.CELERY_TASK_ALWAYS_EAGER = False
    try:
        wait_for_worker(app, proc, "var/test-worker.log")
        yield proc
    finally:
        app.conf.task_always_eager = True
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def wait_for_worker(app, proc: subprocess.Popen, log: str, timeout: float = 40) -> None:  # noqa: ANN001
    """Return once a worker answers a ping; raise, pointing at ``log``, if it exits or is silent."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"Celery worker exited with {proc.returncode}; see {log}")
        if app.control.ping(timeout=1):
            return
    raise RuntimeError(f"Celery worker did not answer a ping within {timeout} s; see {log}")


def wait_for_job(job, timeout: float = 60):  # noqa: ANN001, ANN201
    """Poll a job until it is done or failed, or the time is up; return it as it then is."""
    from reviewapp.models import Job

    deadline = time.monotonic() + timeout
    while True:
        job.refresh_from_db()
        if job.status in (Job.Status.DONE, Job.Status.FAILED) or time.monotonic() > deadline:
            return job
        time.sleep(0.2)


# --- A real browser ---------------------------------------------------------------------------


def chromium_path() -> str | None:
    for path in CHROMIUM_PATHS:
        if Path(path).exists():
            return path
    return shutil.which("chromium")


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright; skipped, with the reason, where it is missing."""
    path = chromium_path()
    if path is None:
        pytest.skip(
            "browser: Debian's chromium is not installed (make test tries apt-get install chromium)"
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("browser: the playwright package is not installed")
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=path,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def login_page(browser, live_server):
    """Return ``open(user) -> page``: a fresh browser context logged in as ``user``."""
    from django.conf import settings as dj_settings
    from django.test import Client

    contexts = []

    def open_as(user):
        client = Client()
        client.force_login(user)
        cookie = client.cookies[dj_settings.SESSION_COOKIE_NAME]
        context = browser.new_context(base_url=live_server.url)
        context.add_cookies(
            [
                {
                    "name": dj_settings.SESSION_COOKIE_NAME,
                    "value": cookie.value,
                    "url": live_server.url,
                }
            ]
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    yield open_as
    for context in contexts:
        context.close()

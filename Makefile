# The two commands a new user needs are `make run` and `make test`; the rest serve them.
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
PYTEST_ARGS ?=

.PHONY: run test lint format install browser metafor migrations-check worker clean \
        bench-import bench-meta bench-screening bench-analyses bench-load

# Create the virtual environment and install the project with its test tools (once per change
# of pyproject.toml).
$(STAMP): pyproject.toml
	test -x $(PY) || python3.11 -m venv $(VENV) || python3 -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Debian's Chromium for the browser tests (Playwright's own download does not work offline);
# failure is not fatal: the browser tests then skip and print why.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  (apt-get update -qq && apt-get install -y -qq chromium >/dev/null) \
	  || echo "Could not install Debian's chromium: browser tests will be skipped."; }

# R with Debian's metafor, which the downloadable R scripts are checked against (and bench-meta
# times); failure is not fatal: those tests then skip and print why.
metafor:
	@Rscript -e 'library(metafor)' >/dev/null 2>&1 || { \
	  (apt-get update -qq && apt-get install -y -qq --no-install-recommends \
	     r-base-core r-cran-metafor >/dev/null) \
	  || echo "Could not install R and metafor: the R script tests will be skipped."; }

# Set up, migrate, seed the demo review and serve it on http://127.0.0.1:8000 (embedded default).
run: $(STAMP)
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py seed_demo
	@echo "Open http://127.0.0.1:8000/ and log in with one of the demo logins above."
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:8000

# The whole suite. SQLite and in-process tasks by default; with DATABASE_URL and REDIS_URL set,
# PostgreSQL and Redis, plus the integration tests that start a real Celery worker.
test: $(STAMP) browser metafor
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Models and migrations must agree before anything lands.
migrations-check: $(STAMP)
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run

# A Celery worker for the full stack (needs REDIS_URL and DATABASE_URL).
worker: $(STAMP)
	$(VENV)/bin/celery -A reviewapp worker --loglevel=info --concurrency=2

clean:
	rm -rf $(VENV) var/*.sqlite3 var/test .pytest_cache

# Benchmarks: figures for the closing notes, never part of the test suite.
bench-import: $(STAMP)
	$(PY) benchmarks/bench_import.py

bench-meta: $(STAMP)
	$(PY) benchmarks/bench_meta.py

bench-screening: $(STAMP)
	$(PY) benchmarks/bench_screening.py

bench-analyses: $(STAMP)
	$(PY) benchmarks/bench_analyses.py

bench-load: $(STAMP)
	$(PY) benchmarks/bench_load.py

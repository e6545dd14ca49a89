"""Import benchmark: 100,000 RIS records with 10% planted duplicates, into SQLite and PostgreSQL.

    make bench-import                                   # full size
    BENCH_RECORDS=10000 .venv/bin/python benchmarks/bench_import.py

Generates realistic RIS (``import_data.py``: authors, journals, DOIs, abstracts, keywords); a
tenth of the records are copies of others with a typo in the title, changed case or punctuation,
the author written another way, and often no DOI. Each database is measured in a child process
(so peak memory is that run's own): end-to-end records/s (parse, bulk insert, de-duplicate,
audit), de-duplication time, peak RSS, and precision/recall of the automatic merges against the
planted truth. On PostgreSQL the file is parsed in a child process of the import
(``services/reading.py``): its CPU time and peak RSS are reported beside the importer's, and the
memory target is checked against their sum.

PostgreSQL: DATABASE_URL if set (e.g. postgres://postgres@127.0.0.1:5432/h_import), otherwise a
scratch database (BENCH_PG server, created and dropped). SQLite: a scratch file.
Targets: >= 5,000 records/s into PostgreSQL, peak < 500 MB, de-dup < 60 s, precision >= 0.99,
recall >= 0.95.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from import_data import DUPLICATE_SHARE, generate  # noqa: E402

N_RECORDS = int(os.environ.get("BENCH_RECORDS", 100_000))
PG_SERVER = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")

# --- The measured run (a child process per database) -------------------------------------------


def child(path: Path, truth_path: Path) -> None:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from reviewapp.models import Record
    from reviewapp.references.services import batch_create, batch_import
    from reviewapp.references.services import imports as imports_module
    from reviewapp.services import review_create

    call_command("migrate", verbosity=0)
    user, _ = get_user_model().objects.get_or_create(username="bench-import")
    review = review_create(actor=user, title="Import benchmark", slug=f"bench-import-{os.getpid()}")
    timings = {}
    real_find = imports_module.duplicates_find

    def timed_find(**kwargs):  # noqa: ANN003, ANN202
        started = time.perf_counter()
        result = real_find(**kwargs)
        timings["dedup"] = time.perf_counter() - started
        return result

    imports_module.duplicates_find = timed_find
    usage = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    batch = batch_create(
        actor=user,
        review=review,
        database_name="Synthetic RIS",
        file_name=path.name,
        chunks=(),
        size=path.stat().st_size,
        stored_path=path,
    )
    summary = batch_import(actor=user, batch_id=batch.pk, on_error="skip")
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (after.ru_utime - usage.ru_utime) + (after.ru_stime - usage.ru_stime)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    parser_cpu = children.ru_utime + children.ru_stime
    group = {int(k): v for k, v in json.loads(truth_path.read_text()).items()}
    merged = list(
        Record.objects.filter(review=review, duplicate_of__isnull=False).values_list(
            "position_in_source", "duplicate_of__position_in_source"
        )
    )
    correct = sum(1 for dup, kept in merged if group[dup] == group[kept])
    planted = len(group) - len(set(group.values()))
    print(
        json.dumps(
            {
                "records": summary["imported"],
                "errors": len(summary["errors"]),
                "seconds": round(elapsed, 2),
                "records_per_second": round(summary["imported"] / elapsed),
                "python_cpu_seconds": round(cpu, 2),
                "parser_cpu_seconds": round(parser_cpu, 2),
                "dedup_seconds": round(timings.get("dedup", 0.0), 2),
                "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
                # PostgreSQL: the parser runs in a child process; its peak counts too
                "parser_peak_rss_mb": round(
                    resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
                ),
                "merged": len(merged),
                "precision": round(correct / max(1, len(merged)), 4),
                "recall": round(correct / max(1, planted), 4),
            }
        )
    )


def run(label: str, database_url: str, path: Path, truth_path: Path) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "reviewapp.settings",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-secret-key-" + "x" * 40),
        "DEBUG": "0",  # DEBUG would keep every SQL query in memory
        "SECURE_SSL_REDIRECT": "0",
        "LOG_LEVEL": "ERROR",
        "UPLOAD_MAX_MEGABYTES": "2000",  # the web upload limit is not what is measured here
    }
    env.pop("REDIS_URL", None)
    done = subprocess.run(
        [sys.executable, __file__, "--child", str(path), str(truth_path)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"{label} run failed:\n{done.stderr[-3000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"{label:<11} {json.dumps(result)}", flush=True)
    return result


def _scratch_postgres() -> tuple[str, str | None]:
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        return os.environ["DATABASE_URL"], None
    import psycopg

    name = f"bench_import_{os.getpid()}"
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{PG_SERVER}/{name}", name


def _drop_postgres(name: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp:
        tmp_path = Path(tmp)
        path, truth_path = tmp_path / "synthetic.ris", tmp_path / "truth.json"
        started = time.perf_counter()
        truth = generate(path, N_RECORDS)
        truth_path.write_text(json.dumps(truth))
        size = path.stat().st_size / 1024 / 1024
        print(
            f"Generated {N_RECORDS:,} RIS records ({size:.0f} MB, "
            f"{int(N_RECORDS * DUPLICATE_SHARE):,} planted duplicates) in "
            f"{time.perf_counter() - started:.1f} s",
            flush=True,
        )
        results = {
            "sqlite": run("SQLite", f"sqlite:///{tmp_path / 'bench.sqlite3'}", path, truth_path)
        }
        pg_url, scratch = _scratch_postgres()
        try:
            results["postgresql"] = run("PostgreSQL", pg_url, path, truth_path)
        finally:
            if scratch:
                _drop_postgres(scratch)
    pg = results["postgresql"]
    checks = {
        ">= 5,000 records/s into PostgreSQL": pg["records_per_second"] >= 5000,
        "peak memory < 500 MB (importer + parser process)": max(
            r["peak_rss_mb"] + r["parser_peak_rss_mb"] for r in results.values()
        )
        < 500,
        "de-duplication < 60 s": max(r["dedup_seconds"] for r in results.values()) < 60,
        "precision >= 0.99": min(r["precision"] for r in results.values()) >= 0.99,
        "recall >= 0.95": min(r["recall"] for r in results.values()) >= 0.95,
    }
    for name, ok in checks.items():
        print(f"{'PASS' if ok else 'FAIL'}  {name}")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(Path(sys.argv[2]), Path(sys.argv[3]))
    else:
        main()

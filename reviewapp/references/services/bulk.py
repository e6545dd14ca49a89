"""Write many records fast: COPY on PostgreSQL, executemany on SQLite, ids chosen up front.

The import holds its transaction's write lock (PostgreSQL: ids from the sequence; SQLite:
the IMMEDIATE transaction), so ids taken here are not taken by anyone else.
"""

from __future__ import annotations

import json
import queue
import threading
from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.utils import timezone

from reviewapp.models import Record

COLUMNS = (
    "review_id",
    "source_id",
    "batch_id",
    "position_in_source",
    "title",
    "abstract",
    "authors",
    "year",
    "journal",
    "volume",
    "issue",
    "pages",
    "doi",
    "pmid",
    "keywords",
    "language",
    "url",
    "source_database",
    "raw",
    "created_at",
)
UPDATE_CHUNK = 2000


def record_row(
    *,
    created_at: object,
    review_id: int,
    source_id: int,
    batch_id: int,
    position: int,
    fields: dict[str, Any],
    database: str,
    raw: str,
) -> tuple:
    """Return one record as a row in ``COLUMNS`` order."""
    return (
        review_id,
        source_id,
        batch_id,
        position,
        fields["title"],
        fields["abstract"],
        json.dumps(fields["authors"], ensure_ascii=False),
        fields["year"],
        fields["journal"],
        fields["volume"],
        fields["issue"],
        fields["pages"],
        fields["doi"],
        fields["pmid"],
        json.dumps(fields["keywords"], ensure_ascii=False),
        fields["language"],
        fields["url"],
        database,
        fields_raw(raw),
        created_at,
    )


def created_now() -> object:
    """Return now, adapted for the database once, for every row of an import."""
    return connection.ops.adapt_datetimefield_value(timezone.now())


def fields_raw(raw: str) -> str:
    return raw.replace("\x00", "")  # PostgreSQL text cannot hold NUL


def _table() -> str:
    return connection.ops.quote_name(Record._meta.db_table)


def records_insert(rows: list[tuple]) -> list[int]:
    """Insert rows (inside the caller's transaction) and return their new ids, in order."""
    if not rows:
        return []
    if connection.vendor == "postgresql":
        connection.ensure_connection()
        return _copy(connection.connection, rows)
    columns = ", ".join(("id",) + COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {_table()}")
        first = cursor.fetchone()[0] + 1
        ids = list(range(first, first + len(rows)))
        marks = ", ".join(["%s"] * (len(COLUMNS) + 1))
        cursor.executemany(
            f"INSERT INTO {_table()} ({columns}) VALUES ({marks})",
            [(pk, *row) for pk, row in zip(ids, rows, strict=True)],
        )
        return ids


def _copy(raw_connection: Any, rows: list[tuple]) -> list[int]:
    """COPY the rows on a psycopg connection; ids come from the table's sequence first."""
    columns = ", ".join(("id",) + COLUMNS)
    with raw_connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [Record._meta.db_table, len(rows)],
        )
        ids = [row[0] for row in cursor.fetchall()]
        with cursor.copy(f"COPY {_table()} ({columns}) FROM STDIN") as copy:
            for pk, row in zip(ids, rows, strict=True):
                copy.write_row((pk, *row))
    return ids


class RecordWriter:
    """Insert batches of rows in order; on PostgreSQL from a writer thread, so that parsing the
    next batch overlaps the server's work on this one (same connection, same transaction:
    psycopg connections are thread-safe and the importing thread does not use it meanwhile).
    """

    def __init__(self) -> None:
        self.ids: list[int] = []
        self._threaded = connection.vendor == "postgresql"
        self._error: BaseException | None = None
        if self._threaded:
            connection.ensure_connection()
            self._raw = connection.connection
            self._queue: queue.Queue[list[tuple] | None] = queue.Queue(maxsize=2)
            self._thread = threading.Thread(target=self._run, daemon=True)
            self._thread.start()

    def write(self, rows: list[tuple]) -> None:
        if not rows:
            return
        if not self._threaded:
            self.ids.extend(records_insert(rows))
            return
        if self._error is not None:
            raise self._error
        self._queue.put(list(rows))

    def _run(self) -> None:
        while (rows := self._queue.get()) is not None:
            if self._error is None:
                try:
                    self.ids.extend(_copy(self._raw, rows))
                except BaseException as exc:  # noqa: BLE001 - handed to the importing thread
                    self._error = exc

    def __enter__(self) -> RecordWriter:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:  # noqa: ANN001
        if self._threaded:
            self._queue.put(None)
            self._thread.join()
        if exc_type is None and self._error is not None:
            raise self._error


def records_set_duplicate_of(merges: Iterable[tuple[int, int]]) -> None:
    """Set ``duplicate_of`` for many (record id, kept id) pairs with a few UPDATE ... FROM VALUES."""
    merges = list(merges)
    with connection.cursor() as cursor:
        for start in range(0, len(merges), UPDATE_CHUNK):
            chunk = merges[start : start + UPDATE_CHUNK]
            values = ", ".join(["(%s, %s)"] * len(chunk))
            params = [value for pair in chunk for value in pair]
            cast = "::bigint" if connection.vendor == "postgresql" else ""
            cursor.execute(
                f"UPDATE {_table()} SET duplicate_of_id = v.column2{cast} "
                f"FROM (VALUES {values}) AS v WHERE {_table()}.id = v.column1{cast}",
                params,
            )

"""Write many records fast: one COPY on PostgreSQL, executemany on SQLite.

Rows go in without ids; the ids the database chose are read back by the records' positions
in their file (``ids_by_position``), which are unique within an import batch.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable
from typing import Any, NamedTuple

from django.db import connection
from django.utils import timezone

from reviewapp.models import Record

# The columns every row of an import shares come first, then the text columns, which COPY
# escapes in one go (``copy_line``); SQLite rows use the same order.
COLUMNS = (
    "review_id",
    "source_id",
    "batch_id",
    "created_at",
    "position_in_source",
    "year",
    "title",
    "abstract",
    "authors",
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
)
NULL = "\\N"
UPDATE_CHUNK = 2000


class RowConstants(NamedTuple):
    """What every row of one import shares."""

    review_id: int
    source_id: int
    batch_id: int
    database: str
    created_at: Any  # adapted for the database once (``created_now``)


# JSON lists as PostgreSQL and SQLite read them back; one encoder, not json.dumps per call
_json = json.JSONEncoder(ensure_ascii=False).encode


def _texts(fields: dict[str, Any], raw: str, database: str) -> tuple[str, ...]:
    """The record's text columns, in ``COLUMNS`` order."""
    return (
        fields["title"],
        fields["abstract"],
        _json(fields["authors"]),
        fields["journal"],
        fields["volume"],
        fields["issue"],
        fields["pages"],
        fields["doi"],
        fields["pmid"],
        _json(fields["keywords"]),
        fields["language"],
        fields["url"],
        database,
        raw,
    )


def record_row(constants: RowConstants, position: int, fields: dict[str, Any], raw: str) -> tuple:
    """Return one record as a row in ``COLUMNS`` order."""
    return (
        constants.review_id,
        constants.source_id,
        constants.batch_id,
        constants.created_at,
        position,
        fields["year"],
        *_texts(fields, raw.replace("\x00", ""), constants.database),  # text cannot hold NUL
    )


def created_now() -> object:
    """Return now, adapted for the database once, for every row of an import."""
    return connection.ops.adapt_datetimefield_value(timezone.now())


def _copy_value(value: Any) -> str:
    if value is None:
        return NULL
    if value.__class__ is not str:
        return str(value)
    return _copy_escape(value)


def _copy_escape(text: str) -> str:
    # str.replace scans in C: four passes cost less than one translate() with a mapping
    if "\\" in text or "\n" in text or "\r" in text or "\t" in text:
        text = text.replace("\\", "\\\\").replace("\n", "\\n")
        text = text.replace("\r", "\\r").replace("\t", "\\t")
    return text


def copy_prefix(constants: RowConstants) -> str:
    """The start every COPY line of one import shares (``COLUMNS`` order)."""
    shared = (constants.review_id, constants.source_id, constants.batch_id, constants.created_at)
    return "".join(f"{_copy_value(value)}\t" for value in shared)


def copy_line(prefix: str, position: int, fields: dict[str, Any], raw: str, database: str) -> str:
    """Return one record as a COPY text line in ``COLUMNS`` order.

    The text columns are joined with NUL (which no cleaned field holds) and escaped in one go:
    a record then costs a few C-level passes instead of a Python call per column.
    """
    texts = _texts(fields, raw, database)
    joined = "\x00".join(texts)
    if joined.count("\x00") == len(texts) - 1:
        joined = _copy_escape(joined).replace("\x00", "\t")
    else:  # a NUL slipped into a field: strip it, column by column
        joined = "\t".join(_copy_escape(text.replace("\x00", "")) for text in texts)
    year = fields["year"]
    return f"{prefix}{position}\t{NULL if year is None else year}\t{joined}\n"


def _table() -> str:
    return connection.ops.quote_name(Record._meta.db_table)


class RecordWriter:
    """Insert chunks of rows inside the caller's transaction: COPY text on PostgreSQL (one COPY
    for the whole import), row tuples on SQLite.
    """

    def __init__(self) -> None:
        self.copy_text = connection.vendor == "postgresql"
        self._copy_context: Any = None
        self._copy: Any = None

    def write(self, rows: list[tuple] | bytes) -> None:
        if not rows:
            return
        if not self.copy_text:
            marks = ", ".join(["%s"] * len(COLUMNS))
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"INSERT INTO {_table()} ({', '.join(COLUMNS)}) VALUES ({marks})", rows
                )
            return
        if self._copy is None:
            connection.ensure_connection()
            self._cursor = connection.connection.cursor()
            self._copy_context = self._cursor.copy(
                f"COPY {_table()} ({', '.join(COLUMNS)}) FROM STDIN"
            )
            self._copy = self._copy_context.__enter__()
        self._copy.write(rows)

    def __enter__(self) -> RecordWriter:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:  # noqa: ANN001
        if self._copy_context is not None:
            try:
                self._copy_context.__exit__(exc_type, exc, tb)
            finally:
                self._cursor.close()


class ForeignKeysCheckedMeanwhile:
    """On PostgreSQL, have the server check the import's deferred foreign keys now, from a
    thread, while this one does pure-Python work; they would otherwise all be checked at
    COMMIT, with nothing else to do meanwhile. Nothing may use the connection inside the block.
    """

    def __enter__(self) -> ForeignKeysCheckedMeanwhile:
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None
        if connection.vendor == "postgresql":
            connection.ensure_connection()
            raw = connection.connection  # psycopg connections may be shared between threads
            self._thread = threading.Thread(target=self._check, args=(raw,), daemon=True)
            self._thread.start()
        return self

    def _check(self, raw: Any) -> None:
        try:
            raw.execute("SET CONSTRAINTS ALL IMMEDIATE")
        except BaseException as exc:  # noqa: BLE001 - raised in the importing thread
            self._error = exc

    def __exit__(self, exc_type, exc, tb) -> None:  # noqa: ANN001
        if self._thread is None:
            return
        self._thread.join()
        if self._error is not None and exc_type is None:
            with connection.wrap_database_errors:  # as Django's IntegrityError, like a COMMIT's
                raise self._error
        if exc_type is None:
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # as Django expects them


def ids_by_position(batch_id: int) -> dict[int, int]:
    """Return the batch's record ids by their position in the file."""
    rows = Record.objects.filter(batch_id=batch_id).values_list("position_in_source", "id")
    return dict(rows.iterator(chunk_size=20000))


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

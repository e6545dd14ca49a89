"""Read an export into chunks of rows ready to insert, in a child process where that pays.

Parsing is pure Python and costs about as much CPU as PostgreSQL spends storing the rows, so
on PostgreSQL a large file is parsed in a forked child process while this one streams the
child's rows into COPY: parsing and storing run on different cores instead of taking turns
under one interpreter lock. The child gets its own copy of the loaded code for free, only
reads the file and writes to a pipe (it never touches the database), and is killed and
reaped whenever the import ends, however it ends. Rows travel as ready-made COPY text, so
this process does little more than pass them on.
"""

from __future__ import annotations

import os
import signal
import traceback
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from reviewapp.references.parsers import FileRefused, RecordError, open_records
from reviewapp.references.services.bulk import RowConstants, copy_line, copy_prefix, record_row
from reviewapp.references.services.duplicates import key_from_fields

CHUNK_RECORDS = 5000
ERRORS_KEPT = 500  # a broken file can have 100,000 errors; the first 500 tell the story
PARSER_DIED = "The parsing process stopped unexpectedly (exit code {code}); nothing was imported."
PARSER_FAILED = "The file could not be parsed: {error}"


class ParserStopped(Exception):
    """The child process parsing the file died or hit a bug: the import fails, nothing is kept."""


@dataclass
class Chunk:
    """Up to CHUNK_RECORDS records: rows to insert, their de-duplication keys, the errors."""

    rows: list | bytes  # tuples; or COPY lines, joined into bytes when the chunk is full
    keys: list[tuple]  # DedupKey fields with the record's position in place of its id
    good: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    error_count: int = 0
    read: int = 0  # characters of the file read so far, for the progress bar


@dataclass
class Parsed:
    format: str
    encoding: str
    chunks: Iterator[Chunk]


def chunks_from_items(
    items: Iterable[Any], constants: RowConstants, *, as_copy_text: bool
) -> Iterator[Chunk]:
    """Group parsed items into chunks of rows and keys."""
    chunk = Chunk(rows=[], keys=[])
    read = kept = 0
    prefix = copy_prefix(constants)
    for item in items:
        read += len(item.raw) + 1
        if isinstance(item, RecordError):
            chunk.error_count += 1
            if kept < ERRORS_KEPT:
                chunk.errors.append(item.as_dict())
                kept += 1
            continue
        chunk.good += 1
        if as_copy_text:
            line = copy_line(prefix, item.index, item.fields, item.raw, constants.database)
            chunk.rows.append(line)
        else:
            chunk.rows.append(record_row(constants, item.index, item.fields, item.raw))
        key = key_from_fields(item.index, item.fields)
        chunk.keys.append(tuple(getattr(key, name) for name in key.__slots__))
        if chunk.good >= CHUNK_RECORDS:
            yield _finished(chunk, read, as_copy_text)
            chunk = Chunk(rows=[], keys=[])
    yield _finished(chunk, read, as_copy_text)


def _finished(chunk: Chunk, read: int, as_copy_text: bool) -> Chunk:
    chunk.read = read
    if as_copy_text:
        chunk.rows = "".join(chunk.rows).encode("utf-8")
    return chunk


@contextmanager
def parsed_chunks(
    path: Path,
    fmt: str,
    options: dict | None,
    constants: RowConstants,
    *,
    as_copy_text: bool,
    in_child: bool,
) -> Iterator[Parsed]:
    """Open the file and yield its format, encoding and chunks (read lazily).

    Raises FileRefused or OSError as ``open_records`` does, wherever the parsing runs.
    """
    if in_child and hasattr(os, "fork"):
        with _parsed_in_child(path, fmt, options, constants, as_copy_text) as parsed:
            yield parsed
        return
    with open_records(path, fmt, options) as opened:
        yield Parsed(
            opened.format,
            opened.encoding,
            chunks_from_items(opened.items, constants, as_copy_text=as_copy_text),
        )


@dataclass
class _Child:
    pid: int
    exit_code: int | None = None

    def stop(self) -> None:
        """Kill the child if it still runs (it holds nothing worth a clean exit) and reap it."""
        if self.exit_code is not None:
            return
        with suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        self.wait()

    def wait(self) -> None:
        if self.exit_code is None:
            _, status = os.waitpid(self.pid, 0)
            self.exit_code = os.waitstatus_to_exitcode(status)


@contextmanager
def _parsed_in_child(path, fmt, options, constants, as_copy_text):  # noqa: ANN001, ANN202
    # os.fork rather than multiprocessing: Celery's prefork workers are daemonic processes,
    # which multiprocessing does not allow to have children
    read_end, write_end = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        raise
    if pid == 0:  # the child: parse, report, exit without running the parent's clean-ups
        code = 1
        try:
            os.close(read_end)
            signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the worker's handlers
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            _parse_to_pipe(
                Connection(write_end, readable=False), path, fmt, options, constants, as_copy_text
            )
            code = 0
        finally:
            os._exit(code)
    os.close(write_end)  # only the child writes: its exit then ends our reads
    receiving, child = Connection(read_end, writable=False), _Child(pid)
    try:
        message = _receive(receiving, child)
        yield Parsed(message[1], message[2], _received_chunks(receiving, child))
    finally:
        receiving.close()
        child.stop()


def _received_chunks(receiving: Connection, child: _Child) -> Iterator[Chunk]:
    while (message := _receive(receiving, child))[0] == "chunk":
        yield message[1]


def _receive(receiving: Connection, child: _Child) -> tuple:
    try:
        message = receiving.recv()
    except (EOFError, OSError):  # the child ended, perhaps in the middle of a message
        child.wait()
        raise ParserStopped(PARSER_DIED.format(code=child.exit_code)) from None
    kind = message[0]
    if kind == "refused":
        raise FileRefused(message[1])
    if kind == "oserror":
        raise OSError(message[1], message[2])
    if kind == "crashed":
        raise ParserStopped(PARSER_FAILED.format(error=message[1]))
    return message


def _parse_to_pipe(sending: Connection, path, fmt, options, constants, as_copy_text) -> None:  # noqa: ANN001
    """The child: parse the file and send ('opened', ...), ('chunk', ...)..., ('done',)."""
    try:
        with open_records(path, fmt, options) as opened:
            sending.send(("opened", opened.format, opened.encoding))
            for chunk in chunks_from_items(opened.items, constants, as_copy_text=as_copy_text):
                sending.send(("chunk", chunk))
        message: tuple = ("done",)
    except FileRefused as exc:
        message = ("refused", str(exc))
    except BrokenPipeError:
        return  # the importing process has stopped listening: it is ending the import
    except OSError as exc:
        message = ("oserror", exc.errno, exc.strerror)
    except Exception as exc:  # noqa: BLE001 - a parser bug: the job fails with its name
        # the worker's log keeps the whole story; os.write, not sys.stderr, whose lock another
        # thread of the parent may have held when it forked
        os.write(2, traceback.format_exc().encode("utf-8", "replace"))
        message = ("crashed", f"{type(exc).__name__}: {exc}")
    try:
        sending.send(message)
    except OSError:
        pass  # nobody is listening any more
    finally:
        sending.close()

"""Reading an export into chunks, in this process or in a child process that parses the file."""

from __future__ import annotations

import os

import pytest
from django.db import connection

from reviewapp.models import ImportBatch, Record
from reviewapp.references.parsers import FileRefused, ParsedRecord
from reviewapp.references.services import batch_import
from reviewapp.references.services import imports as imports_module
from reviewapp.references.services import reading as reading_module
from reviewapp.references.services.bulk import COLUMNS, RowConstants, copy_line, copy_prefix
from reviewapp.references.services.reading import ParserStopped, parsed_chunks
from tests.reviewapp.references.helpers import FIXTURES, parse, upload

CONSTANTS = RowConstants(7, 8, 9, "Ovid MEDLINE", "2026-11-27 10:00:00+00:00")
NASTY_RIS = (
    "TY  - JOUR\r\n"
    "TI  - Back\\slash and\ttab: a trial\r\n"
    "AU  - O'Brien, Siobhán\r\n"
    "PY  - 2019\r\n"
    "AB  - First line of the abstract\r\n"
    "continued on a line of its own with a tab\there and a backslash \\N\r\n"
    'KW  - "quoted" keyword\r\n'
    "ER  - \r\n"
    "TY  - JOUR\r\n"
    "TI  - No year, no abstract\r\n"
    "ER  - \r\n"
).encode()


def _fields(**overrides):  # noqa: ANN003, ANN202
    fields = {
        "title": "Title",
        "abstract": "",
        "authors": [],
        "year": None,
        "journal": "",
        "volume": "",
        "issue": "",
        "pages": "",
        "doi": "",
        "pmid": "",
        "keywords": [],
        "language": "",
        "url": "",
    }
    return fields | overrides


def _columns(line: str) -> list[str]:
    assert line.endswith("\n") and line.count("\n") == 1  # one record, one line
    return line[:-1].split("\t")


def test_copy_line_escapes_what_the_copy_text_format_reserves():
    line = copy_line(
        copy_prefix(CONSTANTS),
        3,
        _fields(title="A\tB", abstract="one\ntwo\r\nthree \\N", authors=["Smith, J"]),
        "TI  - A\tB",
        "Ovid MEDLINE",
    )
    columns = _columns(line)
    assert columns[:6] == ["7", "8", "9", "2026-11-27 10:00:00+00:00", "3", "\\N"]
    assert columns[6] == "A\\tB"
    assert columns[7] == "one\\ntwo\\r\\nthree \\\\N"
    assert columns[8] == '["Smith, J"]'
    assert columns[-1] == "TI  - A\\tB"


def test_copy_line_strips_a_nul_that_slipped_into_a_field():
    columns = _columns(copy_line("", 1, _fields(journal="J\x00ournal", year=2001), "raw", "X"))
    assert columns[0:2] == ["1", "2001"]
    assert "Journal" in columns and "\x00" not in "".join(columns)
    assert len(columns) == 16


@pytest.mark.parametrize("in_child", [False, True])
def test_chunks_hold_rows_keys_and_the_first_errors(in_child, monkeypatch):
    monkeypatch.setattr(reading_module, "CHUNK_RECORDS", 1)
    path = FIXTURES / "truncated_notitle.ris"
    _, good, bad = parse(path)
    with parsed_chunks(path, "auto", {}, CONSTANTS, as_copy_text=False, in_child=in_child) as p:
        assert p.format == "ris"
        chunks = list(p.chunks)
    assert sum(chunk.good for chunk in chunks) == len(good)
    assert sum(chunk.error_count for chunk in chunks) == len(bad) > 0
    errors = [error for chunk in chunks for error in chunk.errors]
    assert errors == [error.as_dict() for error in bad]
    rows = [row for chunk in chunks for row in chunk.rows]
    position = COLUMNS.index("position_in_source")
    assert [row[position] for row in rows] == [record.index for record in good]
    assert [key[0] for chunk in chunks for key in chunk.keys] == [r.index for r in good]
    assert chunks[-1].read >= chunks[0].read > 0


def test_a_file_refused_in_the_child_is_refused_here(tmp_path):
    path = tmp_path / "junk.ris"
    path.write_bytes(b"%PDF-1.7 not an export")
    reading = parsed_chunks(path, "auto", {}, CONSTANTS, as_copy_text=True, in_child=True)
    with pytest.raises(FileRefused, match="PDF"), reading as parsed:
        list(parsed.chunks)


def test_a_parser_bug_in_the_child_stops_the_reading_with_its_name(monkeypatch):
    def broken(items, constants, *, as_copy_text):  # noqa: ANN001, ANN202
        raise ZeroDivisionError("a bug")
        yield  # pragma: no cover

    monkeypatch.setattr(reading_module, "chunks_from_items", broken)
    with pytest.raises(ParserStopped, match="ZeroDivisionError: a bug"):
        path = FIXTURES / "ovid_medline.ris"
        with parsed_chunks(path, "auto", {}, CONSTANTS, as_copy_text=True, in_child=True) as p:
            list(p.chunks)


def test_a_child_that_dies_stops_the_reading_with_its_exit_code(monkeypatch):
    def dies(items, constants, *, as_copy_text):  # noqa: ANN001, ANN202
        os._exit(9)
        yield  # pragma: no cover

    monkeypatch.setattr(reading_module, "chunks_from_items", dies)
    with pytest.raises(ParserStopped, match="exit code 9"):
        path = FIXTURES / "ovid_medline.ris"
        with parsed_chunks(path, "auto", {}, CONSTANTS, as_copy_text=True, in_child=True) as p:
            list(p.chunks)


def test_the_child_is_stopped_when_the_import_stops_early(monkeypatch, tmp_path):
    monkeypatch.setattr(reading_module, "CHUNK_RECORDS", 1)
    path = tmp_path / "many.ris"  # more than a pipe holds: the child waits for us to read
    path.write_text("".join(f"TY  - JOUR\nTI  - Trial {i}\nER  - \n" for i in range(3000)))
    children = []
    real = reading_module._Child
    monkeypatch.setattr(
        reading_module, "_Child", lambda pid: children.append(real(pid)) or children[-1]
    )
    with parsed_chunks(path, "auto", {}, CONSTANTS, as_copy_text=True, in_child=True) as p:
        next(p.chunks)
        assert os.waitpid(children[0].pid, os.WNOHANG) == (0, 0)  # still parsing
    assert children[0].exit_code is not None  # stopped and reaped
    with pytest.raises(ChildProcessError):
        os.waitpid(children[0].pid, os.WNOHANG)


# --- Whole imports on PostgreSQL, where large files are parsed in a child process ------------


@pytest.fixture
def parsed_in_child(monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("child-process parsing: used with COPY on PostgreSQL (set DATABASE_URL)")
    monkeypatch.setattr(imports_module, "CHILD_PARSER_MIN_BYTES", 0)
    started = []
    real = reading_module._parsed_in_child

    def spy(*args):  # noqa: ANN002, ANN202
        started.append(args[1])
        return real(*args)

    monkeypatch.setattr(reading_module, "_parsed_in_child", spy)
    return started


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "name",
    sorted(p.name for p in FIXTURES.iterdir() if p.name not in ("xxe.xml",)) + ["nasty.ris"],
)
def test_records_stored_through_copy_are_the_records_parsed(name, review, lead, parsed_in_child):
    content = NASTY_RIS if name == "nasty.ris" else None
    batch = upload(review, name, actor=lead, content=content)
    if name.endswith(".csv"):
        header = imports_module.batch_csv_header(batch)[1]
        imports_module.batch_set_mapping(actor=lead, batch=batch, mapping=header)
    summary = batch_import(actor=lead, batch_id=batch.pk, on_error="skip")
    assert parsed_in_child, "the file was not parsed in a child process"
    _, good, bad = parse(imports_module._media_path(batch), "auto")
    assert summary["imported"] == len(good) and summary["skipped"] == len(bad)
    stored = {r.position_in_source: r for r in Record.objects.filter(batch=batch)}
    assert sorted(stored) == [record.index for record in good]
    for record in good:
        _assert_stored_as_parsed(stored[record.index], record)


def _assert_stored_as_parsed(stored: Record, parsed: ParsedRecord) -> None:
    for name, value in parsed.fields.items():
        assert getattr(stored, name) == value, (parsed.index, name)
    assert stored.raw == parsed.raw


@pytest.mark.django_db(transaction=True)
def test_a_parser_that_dies_fails_the_import_and_keeps_nothing(
    review, lead, parsed_in_child, monkeypatch
):
    real = reading_module.chunks_from_items

    def then_die(items, constants, *, as_copy_text):  # noqa: ANN001, ANN202
        yield from real(items, constants, as_copy_text=as_copy_text)  # every record is sent ...
        os._exit(1)  # ... then the parser dies before saying it is done

    monkeypatch.setattr(reading_module, "chunks_from_items", then_die)
    batch = upload(review, "ovid_medline.ris", actor=lead)
    summary = batch_import(actor=lead, batch_id=batch.pk, on_error="skip")
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED
    assert "parsing process stopped unexpectedly" in batch.message
    assert summary["imported"] == 0
    assert not Record.objects.filter(review=review).exists()

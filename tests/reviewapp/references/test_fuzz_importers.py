"""Fuzz the importers: any bytes give records, per-record errors or FileRefused, nothing else.

The entry point is ``open_records(path, fmt)`` (format and encoding detection, then the
parser). Inputs are random bytes, and near-valid files: the fixture exports with bytes and
lines mutated, cut short, duplicated or re-encoded.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reviewapp.references.parsers import (
    FORMATS,
    FileRefused,
    ParsedRecord,
    RecordError,
    open_records,
)
from tests.reviewapp.references.helpers import FIXTURES

TEXT_FIXTURES = sorted(p.name for p in FIXTURES.iterdir() if p.name != "xxe.xml")
FIXTURE_BYTES = {name: (FIXTURES / name).read_bytes() for name in TEXT_FIXTURES}
FORMAT_NAMES = sorted(FORMATS)
FUZZ = settings(
    deadline=None, max_examples=300, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)

# Tokens that steer the detector and the parsers into their edge cases.
TOKENS = [
    b"TY  - ",
    b"ER  - ",
    b"PMID- 1",
    b"TI  - ",
    b"AU  - ",
    b"@article{",
    b"}",
    b"{",
    b'"',
    b",",
    b"\t",
    b"\n",
    b"\r\n",
    b"<record>",
    b"</record>",
    b"<records>",
    b"<?xml version='1.0'?>",
    b"<!DOCTYPE x [<!ENTITY e 'a'>]>",
    b"&e;",
    b"FN ",
    b"PT J\n",
    b"PT\tAU\tTI\n",
    b"Title,Authors,Year\n",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\x00",
    b"\xc3",
    b"\xe9",
    b"%PDF",
]


def _read_all(data: bytes, fmt: str = "auto") -> list[ParsedRecord | RecordError] | None:
    """Feed ``data`` to the importer; return its items, or None when it refused the file."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "upload.dat"
        path.write_bytes(data)
        try:
            with open_records(path, fmt) as opened:
                items = list(opened.items)
        except FileRefused as refused:
            assert str(refused).strip(), "a refusal must say why"
            return None
    for item in items:
        assert isinstance(item, ParsedRecord | RecordError), type(item)
        if isinstance(item, RecordError):
            assert item.reason.strip()
        else:
            assert isinstance(item.fields, dict)
            # PostgreSQL refuses NUL in text: a parsed field must never carry one
            assert not any("\x00" in str(v) for v in item.fields.values()), item.fields
            assert "\x00" not in item.raw
    return items


@st.composite
def mutated_fixture(draw: st.DrawFn) -> bytes:
    data = bytearray(FIXTURE_BYTES[draw(st.sampled_from(TEXT_FIXTURES))])
    for _ in range(draw(st.integers(1, 6))):
        where = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["flip", "insert", "delete", "cut", "token", "dup"]))
        if action == "flip" and data:
            data[min(where, len(data) - 1)] = draw(st.integers(0, 255))
        elif action == "insert":
            data[where:where] = draw(st.binary(min_size=1, max_size=8))
        elif action == "delete":
            del data[where : where + draw(st.integers(1, 40))]
        elif action == "cut":
            del data[where:]
        elif action == "token":
            data[where:where] = draw(st.sampled_from(TOKENS))
        else:
            lines = bytes(data).split(b"\n")
            i = draw(st.integers(0, len(lines) - 1))
            lines.insert(i, lines[i])
            data = bytearray(b"\n".join(lines))
    return bytes(data)


@pytest.mark.parametrize("name", TEXT_FIXTURES)
def test_every_fixture_reads_without_an_unexpected_exception(name):
    # a sanity anchor for the fuzzing below: the unmutated files parse
    items = _read_all(FIXTURE_BYTES[name])
    assert items, "an unmutated fixture is neither refused nor empty"
    assert any(isinstance(i, ParsedRecord) for i in items)


def test_a_nul_in_a_bom_marked_export_does_not_reach_the_fields():
    # found by the fuzzing below: a UTF-8 BOM skipped the binary check, and PostgreSQL
    # refuses NUL in text, so the import would have failed at the database
    data = FIXTURE_BYTES["wos_tab.txt"].replace(b"\tPrevention", b"\t\x00Prevention", 1)
    assert data.startswith(b"\xef\xbb\xbf") and b"\x00" in data
    items = _read_all(data)
    assert items and any("Prevention" in i.fields["title"] for i in items if hasattr(i, "fields"))


@FUZZ
@given(data=st.binary(max_size=2048))
def test_any_bytes_give_records_or_a_clear_refusal(data):
    _read_all(data)


@FUZZ
@given(parts=st.lists(st.sampled_from(TOKENS) | st.binary(max_size=12), max_size=30))
def test_token_soup_gives_records_or_a_clear_refusal(parts):
    _read_all(b"".join(parts))


@FUZZ
@given(data=mutated_fixture())
def test_mutated_exports_give_records_or_a_clear_refusal(data):
    _read_all(data)


@FUZZ
@given(data=mutated_fixture(), fmt=st.sampled_from(FORMAT_NAMES))
def test_a_format_chosen_by_hand_gives_records_or_a_clear_refusal(data, fmt):
    _read_all(data, fmt)


@FUZZ
@given(
    name=st.sampled_from(TEXT_FIXTURES),
    encoding=st.sampled_from(["utf-16", "utf-16-le", "utf-16-be", "latin-1", "cp1252"]),
)
def test_re_encoded_exports_give_records_or_a_clear_refusal(name, encoding):
    text = FIXTURE_BYTES[name].decode("utf-8", errors="replace")
    _read_all(text.encode(encoding, errors="replace"))


@pytest.mark.django_db
@settings(
    deadline=None,
    max_examples=60,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=mutated_fixture() | st.binary(min_size=1, max_size=512))
def test_the_import_service_imports_or_fails_the_batch_with_a_message(review, lead, data):
    """Through the service the upload page uses: a batch ends imported, waiting or failed."""
    from reviewapp.models import ImportBatch
    from reviewapp.references.services import ImportError_, batch_create, batch_import

    def upload():  # noqa: ANN202
        return batch_create(
            actor=lead,
            review=review,
            database_name="Fuzz",
            file_name="fuzz.txt",
            chunks=[data],
            size=len(data),
        )

    if not data:  # a mutation can cut a file down to nothing: refused at the upload
        with pytest.raises(ImportError_, match="empty"):
            upload()
        return
    batch = upload()
    summary = batch_import(actor=lead, batch_id=batch.pk, on_error="skip")
    batch.refresh_from_db()
    assert batch.status in (ImportBatch.Status.IMPORTED, ImportBatch.Status.FAILED), batch.status
    if batch.status == ImportBatch.Status.FAILED:
        assert batch.message.strip()
    else:
        assert summary["imported"] == batch.records_imported

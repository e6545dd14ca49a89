"""Find a file's text encoding, and refuse files that are not text at all."""

from __future__ import annotations

import codecs
import io
from pathlib import Path
from typing import TextIO

from reviewapp.references.parsers.base import FileRefused

EMPTY_FILE = "The file is empty: there is nothing to import."
NOT_TEXT = "The file is not a text export ({what}); export the records as RIS, PubMed, EndNote XML, BibTeX, Web of Science or CSV."
SAMPLE = 256 * 1024
MAGIC = {
    b"PK\x03\x04": "a ZIP archive or Word/Excel file",
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"\xd0\xcf\x11\xe0": "an old Word/Excel/EndNote library file",
    b"SQLite format": "a database file",
}


def _utf8_valid(path: Path) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                return False
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def detect_encoding(path: Path) -> str:
    """Return the codec to read ``path`` with; raise FileRefused for empty or binary files."""
    with path.open("rb") as handle:
        sample = handle.read(SAMPLE)
    if not sample.strip(b" \t\r\n\x00"):
        raise FileRefused(EMPTY_FILE)
    for magic, what in MAGIC.items():
        if sample.startswith(magic):
            raise FileRefused(NOT_TEXT.format(what=what))
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in sample:
        even, odd = sample[0::2], sample[1::2]
        # UTF-16 without a BOM: every other byte of ASCII text is NUL
        if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
            return "utf-16-le"
        if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
            return "utf-16-be"
        raise FileRefused(NOT_TEXT.format(what="it contains binary data"))
    if _utf8_valid(path):
        return "utf-8"
    try:
        sample.decode("cp1252")
    except UnicodeDecodeError:
        return "latin-1"
    return "cp1252"


def open_text(path: Path) -> tuple[TextIO, str]:
    """Open ``path`` as text with universal newlines (CRLF, LF and lone CR all end a line)."""
    encoding = detect_encoding(path)
    handle = io.TextIOWrapper(path.open("rb"), encoding=encoding, errors="replace", newline=None)
    head = handle.read(SAMPLE // 4)
    controls = sum(1 for ch in head if ord(ch) < 32 and ch not in "\t\n\r\f")
    if head and controls > 0.01 * len(head):
        handle.close()
        raise FileRefused(NOT_TEXT.format(what="it contains binary data"))
    handle.seek(0)
    return handle, encoding

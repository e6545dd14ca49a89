"""Parsers for every export format, with format and encoding detection.

``open_records(path, fmt)`` returns the detected format, the encoding and an iterator of
``ParsedRecord`` / ``RecordError`` items, reading the file once.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from reviewapp.references.parsers import bibtex, csv_table, endnote_xml, nbib, ris, wos
from reviewapp.references.parsers.base import FileRefused, ParsedRecord, RecordError
from reviewapp.references.parsers.encoding import open_text

FORMATS = {
    "auto": "Detect automatically",
    "ris": "RIS",
    "nbib": "PubMed / MEDLINE (.nbib, .txt)",
    "endnote-xml": "EndNote XML",
    "bibtex": "BibTeX",
    "wos": "Web of Science plain text (.ciw)",
    "wos-tab": "Web of Science tab-delimited",
    "csv": "CSV (with a column mapping)",
}
UNKNOWN_FORMAT = (
    "The file's format was not recognised: it is not RIS, PubMed/MEDLINE, EndNote XML, BibTeX, "
    "Web of Science or CSV with a title column. Choose the format by hand or export again."
)
NOT_ENDNOTE = "This XML file is not an EndNote XML export (no <record> elements)."
WRONG_FORMAT = "The file does not look like {fmt}: no records were found in it."

__all__ = ["FORMATS", "FileRefused", "ParsedRecord", "RecordError", "detect_format", "open_records"]


def detect_format(head: str) -> str:
    """Return the format of a file from its first characters."""
    text = head.lstrip("\ufeff \t\r\n")
    if text.startswith("<"):
        if re.search(r"<(records|record|xml)\b", text):
            return "endnote-xml"
        raise FileRefused(NOT_ENDNOTE)
    first = text.split("\n", 1)[0]
    if (
        first.startswith("FN ")
        or re.search(r"^PT [A-Z]\s*$", text, re.M)
        and re.search(r"^ER\s*$", text, re.M)
    ):
        return "wos"
    codes = set(first.split("\t"))
    if {"PT", "AU", "TI"} <= codes:
        return "wos-tab"
    if re.search(r"^TY {1,2}- ", text, re.M):
        return "ris"
    if re.search(r"^PMID ?- ?\d", text, re.M):
        return "nbib"
    if re.search(r"^\s*@\s*[A-Za-z]+\s*[{(]|\}\s*@[A-Za-z]+\{", text, re.M):
        return "bibtex"
    try:
        csv_table.find_header(text.split("\n")[: csv_table.HEADER_SEARCH_LINES])
    except FileRefused:
        raise FileRefused(UNKNOWN_FORMAT) from None
    return "csv"


@dataclass
class Opened:
    format: str
    encoding: str
    items: Iterator[ParsedRecord | RecordError]


@contextmanager
def open_records(path: Path, fmt: str = "auto", options: dict | None = None):
    """Open ``path`` and yield an ``Opened`` whose items are read lazily; close it on exit."""
    handle, encoding = open_text(path)
    try:
        if fmt in ("", "auto"):
            fmt = detect_format(handle.read(64 * 1024))
            handle.seek(0)
        if fmt not in FORMATS or fmt == "auto":
            raise FileRefused(f"Unknown format {fmt!r}: choose one of {', '.join(FORMATS)}.")
        yield Opened(fmt, encoding, _items(path, handle, fmt, options or {}))
    finally:
        handle.close()


def _items(path: Path, handle, fmt: str, options: dict) -> Iterator[ParsedRecord | RecordError]:  # noqa: ANN001
    if fmt == "ris":
        items = ris.parse(handle)
    elif fmt == "nbib":
        items = nbib.parse(handle)
    elif fmt == "endnote-xml":
        items = endnote_xml.parse(path)
    elif fmt == "bibtex":
        items = bibtex.parse(handle.read())
    elif fmt == "wos":
        items = wos.parse_plain(handle)
    elif fmt == "wos-tab":
        items = wos.parse_tab(handle)
    else:
        items = csv_table.parse(handle, options.get("mapping"))
    found = False
    for item in items:
        found = True
        yield item
    if not found:
        raise FileRefused(WRONG_FORMAT.format(fmt=FORMATS[fmt]))

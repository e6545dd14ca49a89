"""What every parser yields: a parsed record or an error naming the record and line."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any

FIELDS = (
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
)
NO_TITLE = "Record {index} (line {line}) has no title; it was not imported."

_DOI = re.compile(r"10\.\d{4,9}/[^\s\"<>\x00]+", re.IGNORECASE)
_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)")
_SPACES = re.compile(r"\s+")
# NUL too: PostgreSQL cannot store it in text, and a few slip past the binary-file check
_NEEDS_CLEANING = re.compile(r"&|\s\s|[\n\t\r\x0b\x0c\u00a0\u2028\x00]")


@dataclass
class ParsedRecord:
    index: int
    line: int
    fields: dict[str, Any]
    raw: str


@dataclass
class RecordError:
    index: int
    line: int
    reason: str
    raw: str = field(default="", repr=False)

    def as_dict(self) -> dict[str, Any]:
        return {"record": self.index, "line": self.line, "reason": self.reason}


class FileRefused(Exception):
    """The whole file cannot be read (wrong format, junk, unsafe XML): nothing is imported."""


def clean(text: str | None) -> str:
    if not text:
        return ""
    if _NEEDS_CLEANING.search(text) is None:
        return text.strip()  # the common case, checked in C: no entity, no odd whitespace
    text = text.replace("\x00", "")
    return _SPACES.sub(" ", html.unescape(text).replace("\u00a0", " ")).strip()


def doi_normalise(text: str | None) -> str:
    """Return the DOI found in ``text`` in lower case, without resolver prefix or trailing dot."""
    if not text:
        return ""
    match = _DOI.search(text.replace("%2F", "/").replace("%2f", "/"))
    if not match:
        return ""
    return match.group(0).rstrip(".,;)]}").lower()[:255]


def year_from(text: Any) -> int | None:
    if text is None:
        return None
    match = _YEAR.search(str(text))
    return int(match.group(1)) if match else None


def pmid_from(text: str | None) -> str:
    text = (text or "").strip()
    match = re.fullmatch(r"(?:PMID:?\s*|PUBMED\s+)?(\d{1,9})", text, re.IGNORECASE)
    return match.group(1) if match else ""


def split_authors(text: str) -> list[str]:
    """Split an author string written in one cell: 'A; B' or PubMed's 'Smith J, Jones K.'."""
    text = clean(text).rstrip(".")
    if not text:
        return []
    if ";" in text:
        return [a.strip() for a in text.split(";") if a.strip()]
    parts = [p.strip() for p in text.split(",") if p.strip()]
    # 'Smith J, Jones K' (every part has a space and ends in initials) vs 'Smith, John'
    if len(parts) > 1 and all(
        re.fullmatch(r"[^\s,]+(?: [^\s,]+)* (?:[A-Z]\.?-?){1,4}", p) for p in parts
    ):
        return parts
    return [text]


def pages_join(start: str, end: str) -> str:
    start, end = clean(start), clean(end)
    return f"{start}-{end}" if start and end and end != start else start or end


def build(values: dict[str, Any]) -> dict[str, Any]:
    """Return the record's fields with every value cleaned and cut to its column's size."""
    authors = [a for a in map(clean, values.get("authors") or []) if a]
    keywords = [k for k in map(clean, values.get("keywords") or []) if k]
    url = clean(values.get("url"))
    return {
        "title": clean(values.get("title")),
        "abstract": html.unescape(values.get("abstract") or "").replace("\x00", "").strip(),
        "authors": authors,
        "year": values.get("year") if isinstance(values.get("year"), int) else None,
        "journal": clean(values.get("journal"))[:500],
        "volume": clean(values.get("volume"))[:50],
        "issue": clean(values.get("issue"))[:50],
        "pages": clean(values.get("pages"))[:50],
        "doi": doi_normalise(values.get("doi")),
        "pmid": pmid_from(values.get("pmid")),
        "keywords": keywords,
        "language": clean(values.get("language"))[:50],
        "url": url[:2000] if url.lower().startswith(("http://", "https://")) else "",
    }


def finish(index: int, line: int, values: dict[str, Any], raw: str) -> ParsedRecord | RecordError:
    """Turn collected values into a record, or an error if the record cannot be screened."""
    fields = build(values)
    if not fields["title"]:
        return RecordError(index, line, NO_TITLE.format(index=index, line=line), raw)
    return ParsedRecord(index, line, fields, raw.replace("\x00", ""))

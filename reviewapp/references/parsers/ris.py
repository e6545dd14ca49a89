"""RIS in all its flavours (PubMed-via-Zotero, Ovid, EBSCO, ProQuest, WoS, Scopus, Cochrane, EndNote).

Written by hand rather than with rispy so that every record keeps its raw text and line
number, and so that the vendors' quirks are tolerated: 'TY  -  JOUR', lone CR line ends,
untagged continuation lines inside abstracts, and non-RIS lines between records
(Ovid's '2. ', Cochrane's 'Record #3 of 18').
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Iterator

from reviewapp.references.parsers.base import (
    ParsedRecord,
    RecordError,
    doi_normalise,
    finish,
    pages_join,
    pmid_from,
    year_from,
)

TAG = re.compile(r"^([A-Z][A-Z0-9]) {1,2}-(?: {1,2}(.*))?$")
TAGS = frozenset(
    a + b for a in string.ascii_uppercase for b in string.ascii_uppercase + string.digits
)
RECORD_BOUNDARIES = frozenset(("TY", "ER"))
TRUNCATED = "Record {index} (line {line}) ends without an 'ER  -' line: the file looks truncated."
NO_TY = "Record {index} (line {line}) does not start with a 'TY  -' line."


def _first(tags: dict[str, list[str]], *names: str) -> str:
    for name in names:
        for value in tags.get(name, []):
            if value.strip():
                return value
    return ""


def values_from_tags(tags: dict[str, list[str]]) -> dict:
    """Map RIS tags to record fields, trying each vendor's tag for a field in turn."""
    authors = tags.get("AU") or tags.get("A1") or []
    doi = ""
    for name in ("DO", "DI", "L3", "UR", "M3", "N1"):
        for value in tags.get(name, []):
            doi = doi_normalise(value)
            if doi:
                break
        if doi:
            break
    pmid = ""
    for value in tags.get("C3", []) + tags.get("PM", []):
        pmid = pmid_from(value)
        if pmid:
            break
    databases = " ".join(tags.get("DB", []) + tags.get("DP", [])).lower()
    if not pmid and ("pubmed" in databases or "medline" in databases) and "embase" not in databases:
        pmid = pmid_from(_first(tags, "AN"))
    urls = [u for u in tags.get("UR", []) if u.strip().lower().startswith("http")]
    end_page = _first(tags, "EP")
    return {
        "title": _first(tags, "TI", "T1", "CT", "BT"),
        "abstract": "\n".join(v for v in tags.get("AB", []) or tags.get("N2", []) if v.strip()),
        "authors": authors,
        "year": year_from(_first(tags, "PY", "Y1", "DA", "Y2")),
        "journal": _first(tags, "JF", "T2", "JO", "JA", "J2", "J1"),
        "volume": _first(tags, "VL"),
        "issue": _first(tags, "IS", "CP"),
        "pages": pages_join(_first(tags, "SP"), end_page),
        "doi": doi,
        "pmid": pmid,
        "keywords": tags.get("KW", []),
        "language": _first(tags, "LA"),
        "url": urls[0] if urls else "",
    }


def parse(lines: Iterable[str]) -> Iterator[ParsedRecord | RecordError]:
    """Yield one item per record, reading the lines once (large files stream)."""
    index = 0
    tags: dict[str, list[str]] | None = None
    raw: list[str] = []
    start = 0
    last_tag = ""
    has_ty = False
    for number, line in enumerate(lines, start=1):
        line = line.rstrip("\r\n")
        tag = line[:2]
        if line.startswith("  -", 2) and tag in TAGS and (len(line) == 5 or line[5] == " "):
            value = line[5:].strip()  # the usual 'XX  - value', without the regex
            if tags is not None and tag not in RECORD_BOUNDARIES:  # most lines stop here
                raw.append(line)
                values = tags.get(tag)
                if values is None:
                    tags[tag] = [value]
                else:
                    values.append(value)
                last_tag = tag
                continue
        else:
            line = line.lstrip("\ufeff")  # a BOM, also where two exports were concatenated
            match = TAG.match(line)
            if match is None:
                if tags is not None and line.strip():
                    raw.append(line)
                    if last_tag:
                        joiner = "\n" if last_tag in ("AB", "N2") else " "
                        tags[last_tag][-1] = f"{tags[last_tag][-1]}{joiner}{line.strip()}".strip()
                continue
            tag, value = match.group(1), (match.group(2) or "").strip()
        if tag == "ER":
            if tags is not None:
                raw.append(line)
                yield _close(index, start, tags, raw, has_ty)
                tags = None
            continue
        if tags is None or tag == "TY" and has_ty:
            if tags is not None:  # a TY without the previous record's ER: close that record
                yield _close(index, start, tags, raw, has_ty)
            index += 1
            tags, raw, start, has_ty = {}, [], number, False
        if tag == "TY":
            has_ty = True
        raw.append(line)
        tags.setdefault(tag, []).append(value)
        last_tag = tag
    if tags is not None:
        reason = TRUNCATED if has_ty else NO_TY
        yield RecordError(index, start, reason.format(index=index, line=start), "\n".join(raw))


def _close(
    index: int, start: int, tags: dict[str, list[str]], raw: list[str], has_ty: bool
) -> ParsedRecord | RecordError:
    text = "\n".join(raw)
    if not has_ty:
        return RecordError(index, start, NO_TY.format(index=index, line=start), text)
    return finish(index, start, values_from_tags(tags), text)

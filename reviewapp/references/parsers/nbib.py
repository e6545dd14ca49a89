"""PubMed / MEDLINE format (.nbib, or 'PubMed format' saved as .txt).

Tags are up to four letters padded to column 4, then '- '; continuation lines start with
six spaces; a record starts at 'PMID- ' and ends at a blank line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from reviewapp.references.parsers.base import ParsedRecord, RecordError, finish, year_from

TAG = re.compile(r"^([A-Z][A-Z0-9]{1,3}) *- ?(.*)$")
NO_PMID = "Record {index} (line {line}) does not start with a 'PMID- ' line."


def values_from_tags(tags: dict[str, list[str]]) -> dict:
    def first(*names: str) -> str:
        for name in names:
            if tags.get(name):
                return tags[name][0]
        return ""

    doi = next((v for v in tags.get("LID", []) + tags.get("AID", []) if v.endswith("[doi]")), "")
    return {
        "title": first("TI", "BTI"),
        "abstract": first("AB"),
        "authors": tags.get("FAU") or tags.get("AU") or [],
        "year": year_from(first("DP", "DEP", "DA")),
        "journal": first("JT", "TA"),
        "volume": first("VI"),
        "issue": first("IP"),
        "pages": first("PG"),
        "doi": doi,
        "pmid": first("PMID"),
        "keywords": tags.get("OT") or tags.get("MH") or [],
        "language": first("LA"),
        "url": f"https://pubmed.ncbi.nlm.nih.gov/{first('PMID')}/" if first("PMID") else "",
    }


def parse(lines: Iterable[str]) -> Iterator[ParsedRecord | RecordError]:
    index = 0
    tags: dict[str, list[str]] | None = None
    raw: list[str] = []
    start = 0
    last_tag = ""
    for number, line in enumerate(lines, start=1):
        line = line.rstrip("\r\n").lstrip("\ufeff")
        if not line.strip():
            if tags is not None:
                yield _close(index, start, tags, raw)
                tags = None
            continue
        match = TAG.match(line)
        if match is None or line.startswith(" "):
            if tags is not None and last_tag:
                raw.append(line)
                tags[last_tag][-1] = f"{tags[last_tag][-1]} {line.strip()}"
            continue
        tag, value = match.group(1), match.group(2).strip()
        if tags is None or tag == "PMID" and "PMID" in tags:
            if tags is not None:
                yield _close(index, start, tags, raw)
            index += 1
            tags, raw, start = {}, [], number
        raw.append(line)
        tags.setdefault(tag, []).append(value)
        last_tag = tag
    if tags is not None:
        yield _close(index, start, tags, raw)


def _close(index: int, start: int, tags: dict[str, list[str]], raw: list[str]):
    text = "\n".join(raw)
    if "PMID" not in tags:
        return RecordError(index, start, NO_PMID.format(index=index, line=start), text)
    return finish(index, start, values_from_tags(tags), text)

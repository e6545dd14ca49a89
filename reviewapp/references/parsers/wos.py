"""Web of Science: plain text ('Other reference software', .ciw) and tab-delimited (savedrecs.txt).

Both use the same two-letter field codes; plain text has 3-space continuation lines and
'ER' after each record, tab-delimited has one row per record under a header of codes.
"""

from __future__ import annotations

import csv
import re
import sys
from collections.abc import Iterable, Iterator

from reviewapp.references.parsers.base import (
    ParsedRecord,
    RecordError,
    finish,
    pages_join,
    split_authors,
    year_from,
)

TAG = re.compile(r"^([A-Z][A-Z0-9])(?: (.*))?$")
TRUNCATED = "Record {index} (line {line}) ends without an 'ER' line: the file looks truncated."
HEADER_ONLY = {"FN", "VR", "EF"}
csv.field_size_limit(sys.maxsize)


def values_from_codes(get) -> dict:  # noqa: ANN001 - a lookup: code -> list of values
    def first(*codes: str) -> str:
        for code in codes:
            values = [v for v in get(code) if v.strip()]
            if values:
                return values[0]
        return ""

    keywords = []
    for code in ("DE", "ID"):
        for value in get(code):
            keywords.extend(k for k in value.split(";") if k.strip())
    return {
        "title": first("TI"),
        "abstract": first("AB"),
        "authors": get("AF") or get("AU"),
        "year": year_from(first("PY", "EA", "PD")),
        "journal": first("SO", "SE"),
        "volume": first("VL"),
        "issue": first("IS"),
        "pages": pages_join(first("BP"), first("EP")) or first("AR"),
        "doi": first("DI", "D2"),
        "pmid": first("PM"),
        "keywords": keywords,
        "language": first("LA"),
        "url": "",
    }


def parse_plain(lines: Iterable[str]) -> Iterator[ParsedRecord | RecordError]:
    index = 0
    tags: dict[str, list[str]] | None = None
    raw: list[str] = []
    start = 0
    last = ""
    for number, line in enumerate(lines, start=1):
        line = line.rstrip("\r\n").lstrip("\ufeff")
        if not line.strip():
            continue
        if line.startswith("   ") and tags is not None and last:
            raw.append(line)
            value = line.strip()
            if last in ("AU", "AF", "CR", "C1"):
                tags[last].append(value)  # one author (or reference) per continuation line
            else:
                tags[last][-1] = f"{tags[last][-1]} {value}"
            continue
        match = TAG.match(line)
        if match is None:
            continue
        tag, value = match.group(1), (match.group(2) or "").strip()
        if tag in HEADER_ONLY and tags is None:
            continue
        if tag == "ER":
            if tags is not None:
                raw.append(line)
                yield finish(
                    index, start, values_from_codes(lambda c, t=tags: t.get(c, [])), "\n".join(raw)
                )
                tags = None
            continue
        if tags is None:
            index += 1
            tags, raw, start = {}, [], number
        raw.append(line)
        tags.setdefault(tag, []).append(value)
        last = tag
    if tags is not None:
        yield RecordError(index, start, TRUNCATED.format(index=index, line=start), "\n".join(raw))


def parse_tab(lines: Iterable[str]) -> Iterator[ParsedRecord | RecordError]:
    rows = csv.reader(
        (line.lstrip("\ufeff") for line in lines), delimiter="\t", quoting=csv.QUOTE_NONE
    )
    header = [h.strip() for h in next(rows, [])]
    for index, row in enumerate(rows, start=1):
        if not any(cell.strip() for cell in row):
            continue
        cells = dict(zip(header, row, strict=False))

        def get(code: str, cells: dict = cells) -> list[str]:
            value = cells.get(code, "").strip()
            if not value:
                return []
            return split_authors(value) if code in ("AU", "AF") else [value]

        yield finish(index, index + 1, values_from_codes(get), "\t".join(row))

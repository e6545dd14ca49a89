"""CSV exports (Scopus, Cochrane Library, PubMed, Zotero, Embase, ...) read through a column mapping.

The mapping is guessed from the header (a preamble above it, as embase.com writes, is
skipped) and the user may change it in the browser before importing.
"""

from __future__ import annotations

import csv
import itertools
import sys
from collections.abc import Iterable, Iterator

from reviewapp.references.parsers.base import (
    FileRefused,
    ParsedRecord,
    RecordError,
    finish,
    pages_join,
    split_authors,
    year_from,
)

csv.field_size_limit(sys.maxsize)
NO_HEADER = (
    "No header row with a title column was found in the first {n} lines of the CSV file; "
    "choose the columns by hand, or export with column headers."
)
TARGETS = {
    "title": "Title",
    "authors": "Authors",
    "year": "Year",
    "journal": "Journal / source",
    "volume": "Volume",
    "issue": "Issue",
    "pages": "Pages (or first page)",
    "pages_end": "Last page (if in its own column)",
    "doi": "DOI",
    "pmid": "PubMed ID",
    "abstract": "Abstract",
    "keywords": "Keywords",
    "language": "Language",
    "url": "URL",
}
ALIASES = {
    "title": ["title", "article title", "document title", "primary title", "ti"],
    "authors": ["authors", "author", "author(s)", "author names", "au", "author full names"],
    "year": ["year", "publication year", "py", "pubyear", "date of publication", "date"],
    "journal": [
        "source title",
        "journal",
        "journal/book",
        "publication title",
        "journal title",
        "source",
        "so",
    ],
    "volume": ["volume", "vl"],
    "issue": ["issue", "number", "is"],
    "pages": ["pages", "page start", "first page", "bp"],
    "pages_end": ["page end", "last page", "ep"],
    "doi": ["doi", "di"],
    "pmid": ["pmid", "pubmed id", "medline pmid", "pm"],
    "abstract": ["abstract", "abstract note", "ab"],
    "keywords": ["author keywords", "keywords", "manual tags", "kw", "de"],
    "language": ["language", "language of original document", "la"],
    "url": ["url", "link"],
}
HEADER_SEARCH_LINES = 30


def guess_mapping(header: list[str]) -> dict[str, str]:
    """Return target field -> column name, from the header's names."""
    by_name = {h.strip().lower(): h for h in header}
    mapping = {}
    for target, aliases in ALIASES.items():
        for alias in aliases:
            if alias in by_name and by_name[alias] not in mapping.values():
                mapping[target] = by_name[alias]
                break
    return mapping


def _split(line: str, delimiter: str) -> list[str]:
    return next(csv.reader([line], delimiter=delimiter), [])


def find_header(lines: list[str]) -> tuple[int, str, list[str]]:
    """Return (line index, delimiter, header) of the first line that names a title column."""
    for number, line in enumerate(lines):
        for delimiter in (",", ";", "\t"):
            header = [h.lstrip("\ufeff").strip() for h in _split(line, delimiter)]
            if len(header) > 1 and "title" in guess_mapping(header):
                return number, delimiter, header
    raise FileRefused(NO_HEADER.format(n=HEADER_SEARCH_LINES))


def inspect(lines: Iterable[str]) -> tuple[list[str], dict[str, str]]:
    """Return the header and the guessed mapping (for the mapping form)."""
    head = list(itertools.islice(lines, HEADER_SEARCH_LINES))
    _, _, header = find_header(head)
    return header, guess_mapping(header)


def parse(
    lines: Iterable[str], mapping: dict[str, str] | None = None
) -> Iterator[ParsedRecord | RecordError]:
    lines = iter(lines)
    head = list(itertools.islice(lines, HEADER_SEARCH_LINES))
    skip, delimiter, header = find_header(head)
    mapping = {k: v for k, v in (mapping or guess_mapping(header)).items() if v in header}
    rest = itertools.chain(head[skip + 1 :], lines)
    reader = csv.reader(rest, delimiter=delimiter)
    index = 0
    for row in reader:
        if not any(cell.strip() for cell in row):
            continue
        index += 1
        line = skip + 1 + reader.line_num
        cells = dict(zip(header, row, strict=False))

        def get(target: str, cells: dict = cells) -> str:
            return cells.get(mapping.get(target, ""), "") or ""

        values = {
            "title": get("title"),
            "abstract": get("abstract"),
            "authors": split_authors(get("authors")),
            "year": year_from(get("year")),
            "journal": get("journal"),
            "volume": get("volume"),
            "issue": get("issue"),
            "pages": pages_join(get("pages"), get("pages_end")),
            "doi": get("doi"),
            "pmid": get("pmid"),
            "keywords": [k for k in get("keywords").replace(",", ";").split(";") if k.strip()],
            "language": get("language"),
            "url": get("url"),
        }
        raw = delimiter.join(f'"{c}"' if delimiter in c else c for c in row)
        yield finish(index, line, values, raw)

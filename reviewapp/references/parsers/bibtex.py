"""BibTeX from Scopus, Web of Science, Zotero and reference managers.

A small tolerant scanner instead of bibtexparser's grammar: bibtexparser 1.x silently drops
Scopus entries whose keys or field names contain spaces ('@ARTICLE{Inês Silva2023,',
'funding_text 1={...}') and entries that begin mid-line ('}@ARTICLE{...'). Its LaTeX
decoder is still used for the values.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator

from bibtexparser.latexenc import latex_to_unicode

from reviewapp.references.parsers.base import ParsedRecord, RecordError, finish, year_from

ENTRY = re.compile(r"@\s*([A-Za-z]+)\s*([{(])")
TRUNCATED = "Record {index} (line {line}) is not closed: the file looks truncated."
BROKEN = "Record {index} (line {line}): {detail}."
MONTHS = frozenset(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
)
# a bare value (a number, a month, a @string macro) ends at the entry's closing brace or paren
BARE_VALUE = {close: re.compile(r"[^\s,#}" + re.escape(close) + r"]+") for close in "})"}


class _Broken(Exception):
    pass


def _balanced(text: str, pos: int, close: str) -> int:
    """Return the index just past the brace/paren closing the group opened before ``pos``."""
    depth = 0
    while pos < len(text):
        char = text[pos]
        if char == "\\":
            pos += 2
            continue
        if char == "{":
            depth += 1
        elif char == "}" and (depth > 0 or close == ")"):
            depth -= 1
            if depth < 0:
                raise _Broken("unbalanced braces")
        elif char == close and depth == 0:
            return pos + 1
        pos += 1
    raise EOFError


def _value(text: str, pos: int, close: str, macros: dict[str, str]) -> tuple[str, int]:
    parts = []
    while True:
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if pos >= len(text):
            raise EOFError
        char = text[pos]
        if char == "{":
            end = _balanced(text, pos + 1, "}")
            parts.append(text[pos + 1 : end - 1])
            pos = end
        elif char == '"':
            end, depth = pos + 1, 0
            while end < len(text) and not (text[end] == '"' and depth == 0):
                depth += {"{": 1, "}": -1}.get(text[end], 0)
                end += 1
            if end >= len(text):
                raise EOFError
            parts.append(text[pos + 1 : end])
            pos = end + 1
        else:
            match = BARE_VALUE[close].match(text, pos)
            if not match:
                raise _Broken(f"a field value is missing near {text[pos : pos + 20]!r}")
            word = match.group(0).lower()
            parts.append(macros.get(word, word if word in MONTHS else match.group(0)))
            pos = match.end()
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if pos < len(text) and text[pos] == "#":
            pos += 1
            continue
        return "".join(parts), pos


def _fields(text: str, pos: int, close: str, macros: dict[str, str]) -> tuple[dict, int]:
    fields: dict[str, str] = {}
    while True:
        while pos < len(text) and (text[pos].isspace() or text[pos] == ","):
            pos += 1
        if pos >= len(text):
            raise EOFError
        if text[pos] == close or text[pos] == "}":
            return fields, pos + 1
        equals = text.find("=", pos)
        if equals < 0:
            raise EOFError
        name = text[pos:equals].strip().lower()
        if not name or "\n\n" in name or "}" in name:
            raise _Broken(f"a field has no name near {text[pos : pos + 20]!r}")
        value, pos = _value(text, equals + 1, close, macros)
        if name in fields and name in ("keywords", "author_keywords"):
            fields[name] = f"{fields[name]}; {value}"
        else:
            fields.setdefault(name, value)


def _clean(value: str) -> str:
    with contextlib.suppress(Exception):  # a value the decoder cannot read is kept as written
        value = latex_to_unicode(value)
    return re.sub(r"\s+", " ", value.replace("{", "").replace("}", "")).strip()


def values_from_fields(fields: dict[str, str]) -> dict:
    def get(*names: str) -> str:
        for name in names:
            if fields.get(name, "").strip():
                return _clean(fields[name])
        return ""

    authors = [_clean(a) for a in re.split(r"\s+and\s+", fields.get("author", "")) if a.strip()]
    keywords = [
        k.strip() for k in re.split(r"[;,]", get("keywords", "author_keywords")) if k.strip()
    ]
    return {
        "title": get("title"),
        "abstract": get("abstract"),
        "authors": authors,
        "year": year_from(get("year", "date")),
        "journal": get("journal", "journaltitle", "booktitle", "source_title"),
        "volume": get("volume"),
        "issue": get("number", "issue"),
        "pages": get("pages").replace("--", "-"),
        "doi": get("doi"),
        "pmid": get("pmid"),
        "keywords": keywords,
        "language": get("language", "langid"),
        "url": get("url"),
    }


def parse(text: str) -> Iterator[ParsedRecord | RecordError]:
    macros: dict[str, str] = {}
    index, pos, line, counted = 0, 0, 1, 0
    while match := ENTRY.search(text, pos):
        line += text.count("\n", counted, match.start())
        counted = match.start()
        kind, close = match.group(1).lower(), ")" if match.group(2) == "(" else "}"
        body = match.end()
        try:
            if kind in ("comment", "preamble"):
                pos = _balanced(text, body, close)
                continue
            if kind == "string":
                fields, pos = _fields(text, body, close, macros)
                macros.update(fields)
                continue
            index += 1
            comma = text.find(",", body)
            end_of_key = (
                min(i for i in (comma, text.find(close, body)) if i >= 0) if comma >= 0 else -1
            )
            if end_of_key < 0:
                raise EOFError
            fields, pos = _fields(text, end_of_key, close, macros)
            yield finish(index, line, values_from_fields(fields), text[match.start() : pos])
        except EOFError:
            yield RecordError(
                index or 1,
                line,
                TRUNCATED.format(index=index or 1, line=line),
                text[match.start() :],
            )
            return
        except _Broken as exc:
            yield RecordError(index, line, BROKEN.format(index=index, line=line, detail=exc))
            pos = body

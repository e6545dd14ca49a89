"""EndNote XML (from EndNote itself, or Zotero's EndNote XML export).

Read with defusedxml so that entity declarations and external entities are refused, never
resolved; streamed with iterparse so large libraries do not build a whole tree.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError, tostring

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from reviewapp.references.parsers.base import (
    FileRefused,
    ParsedRecord,
    RecordError,
    finish,
    year_from,
)

UNSAFE_XML = (
    "The XML file declares entities or a DTD ({detail}); for safety they are never resolved. "
    "Export the library again as plain EndNote XML."
)
BROKEN_XML = "The XML is broken after record {index} (line {line}, column {column}): {detail}."


def _text(element: Element | None) -> str:
    return "".join(element.itertext()).strip() if element is not None else ""


def values_from_record(record: Element) -> dict:
    def text(path: str) -> str:
        return _text(record.find(path))

    return {
        "title": text("titles/title"),
        "abstract": text("abstract"),
        "authors": [_text(a) for a in record.findall("contributors/authors/author")],
        "year": year_from(text("dates/year") or text("dates/pub-dates/date")),
        "journal": text("titles/secondary-title")
        or text("periodical/full-title")
        or text("periodical/abbr-1"),
        "volume": text("volume"),
        "issue": text("number") or text("issue"),
        "pages": text("pages"),
        "doi": text("electronic-resource-num"),
        "pmid": "",
        "keywords": [_text(k) for k in record.findall("keywords/keyword")],
        "language": text("language"),
        "url": text("urls/related-urls/url") or text("urls/web-urls/url"),
    }


def parse(path: Path) -> Iterator[ParsedRecord | RecordError]:
    index = 0
    root = None
    try:
        for event, element in iterparse(str(path), events=("start", "end")):
            if root is None and event == "start":
                root = element
            if event != "end" or element.tag != "record":
                continue
            index += 1
            raw = tostring(element, encoding="unicode")
            yield finish(index, 1, values_from_record(element), raw)
            if root is not None:
                root.clear()  # keep memory flat: records already yielded are dropped
    except DefusedXmlException as exc:
        raise FileRefused(UNSAFE_XML.format(detail=exc.__class__.__name__)) from exc
    except ParseError as exc:
        line, column = getattr(exc, "position", (0, 0))
        detail = str(exc).split(":")[0]
        yield RecordError(
            index + 1,
            line,
            BROKEN_XML.format(index=index, line=line, column=column, detail=detail),
        )

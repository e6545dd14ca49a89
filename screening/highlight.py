"""Server-side keyword highlighting: escape the text, mark inclusion and exclusion keywords.

A keyword may end (or start) with ``*`` for any word ending ("random*" matches "randomised").
Marks carry a symbol and a title as well as a colour, so they never rely on colour alone.
"""

from __future__ import annotations

import re
from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


def _pattern_part(keyword: str) -> str:
    body = re.escape(keyword.strip("*"))
    start = r"\w*" if keyword.startswith("*") else r"(?<!\w)"
    end = r"\w*" if keyword.endswith("*") else r"(?!\w)"
    return f"{start}{body}{end}"


@lru_cache(maxsize=64)
def _compiled(include: tuple[str, ...], exclude: tuple[str, ...]) -> re.Pattern | None:
    parts = [
        f"(?P<{kind}{i}>{_pattern_part(k)})"
        for kind, keywords in (("inc", include), ("exc", exclude))
        for i, k in enumerate(keywords)
        if k.strip("*").strip()
    ]
    return re.compile("|".join(parts), re.IGNORECASE) if parts else None


def highlight(text: str, include: list[str], exclude: list[str]) -> SafeString:
    """Return ``text`` escaped, with keyword matches wrapped in <mark> elements."""
    pattern = _compiled(tuple(include), tuple(exclude))
    if pattern is None or not text:
        return mark_safe(escape(text or ""))  # noqa: S308 - escaped just here
    out, position = [], 0
    for match in pattern.finditer(text):
        if match.start() == match.end():
            continue
        out.append(escape(text[position : match.start()]))
        kind = "include" if (match.lastgroup or "").startswith("inc") else "exclude"
        label = "inclusion keyword" if kind == "include" else "exclusion hint"
        out.append(f'<mark class="kw kw-{kind}" title="{label}">{escape(match.group(0))}</mark>')
        position = match.end()
    out.append(escape(text[position:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece is escaped above

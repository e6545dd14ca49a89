"""Find duplicate records: exact DOI / PMID, then similar title + year + first author.

Pure functions over small ``DedupKey`` tuples, so the same code runs on 20 records in a
request and on 100,000 in the benchmark. Candidate pairs come from blocks (same title
start, same title end, same first author and year) so the work stays close to linear;
blocks too big to compare in full are compared as a sorted neighbourhood instead.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein
from rapidfuzz.fuzz import partial_ratio, ratio

AUTO_TITLE = 95.0  # title similarity at or above which, with agreeing fields, pairs merge alone
QUEUE_TITLE = 85.0  # below this a pair is not shown to reviewers at all
MIN_AUTO_TITLE_LENGTH = 25  # shorter titles ('Editorial') merge alone only if volume and page agree
MIN_PARTIAL_LENGTH = 40  # a title this long found inside a longer one ('... : a randomised trial')
PARTIAL_FLOOR = (
    45.0  # partial matching is slow: only for pairs whose plain similarity is not hopeless
)
BLOCK_FULL = 40  # blocks up to this size are compared pair by pair
BLOCK_CHARS = 20  # letters of the title's start and end that form its blocks
WINDOW = 6  # bigger blocks: each record against its next WINDOW neighbours in title order

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_DIGITS = re.compile(r"\d+")
_INITIALS = re.compile(r"[A-Z]{1,4}")
_FIRST_PAGE = re.compile(r"\s*[A-Za-z]*(\d+)")


@dataclass(slots=True, frozen=True)
class DedupKey:
    id: int
    title: str
    year: int | None
    author: str
    doi: str
    pmid: str
    volume: str
    first_page: str


@dataclass(slots=True, frozen=True)
class Match:
    kept: int
    duplicate: int
    method: str  # "doi", "pmid" or "fuzzy"
    score: float
    auto: bool


def normalise(text: str) -> str:
    """Lower-case ASCII letters and digits separated by single spaces."""
    text = text or ""
    if text.isascii():
        return _NON_ALNUM.sub(" ", text.lower()).strip()
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return _NON_ALNUM.sub(" ", text).strip()


def surname(author: str) -> str:
    """Return the normalised surname of 'Smith, John', 'Smith JA', 'Smith J.A.' or 'John Smith'."""
    author = (author or "").strip()
    if not author:
        return ""
    if "," in author:
        return normalise(author.split(",")[0]).replace(" ", "")
    words = author.replace(".", " ").split()
    if len(words) > 1 and _INITIALS.fullmatch(words[-1]):
        while len(words) > 1 and _INITIALS.fullmatch(words[-1]):
            words.pop()  # 'Barlow J A' -> 'Barlow'
        return normalise(" ".join(words)).replace(" ", "")
    return normalise(words[-1]).replace(" ", "")


def make_key(
    *,
    id: int,  # noqa: A002 - the record's id
    title: str,
    year: int | None,
    authors: list[str] | None,
    doi: str = "",
    pmid: str = "",
    volume: str = "",
    pages: str = "",
) -> DedupKey:
    first_page = _FIRST_PAGE.match(pages or "")
    return DedupKey(
        id=id,
        title=normalise(title),
        year=year,
        author=surname(authors[0]) if authors else "",
        doi=(doi or "").lower(),
        pmid=pmid or "",
        volume=normalise(volume),
        first_page=first_page.group(1).lstrip("0") if first_page else "",
    )


def compare(a: DedupKey, b: DedupKey) -> Match | None:
    """Return the match between two records, or None if they are not worth a reviewer's time."""
    kept, dup = (a, b) if a.id < b.id else (b, a)
    score = ratio(a.title, b.title) if a.title and b.title else 0.0
    if a.doi and a.doi == b.doi:
        return Match(kept.id, dup.id, "doi", score, auto=score >= 60 or not (a.title and b.title))
    if a.pmid and a.pmid == b.pmid:
        return Match(kept.id, dup.id, "pmid", score, auto=score >= 60 or not (a.title and b.title))
    same_place = bool(
        a.volume and a.volume == b.volume and a.first_page and a.first_page == b.first_page
    )
    contained = False
    if (
        PARTIAL_FLOOR <= score < AUTO_TITLE
        and min(len(a.title), len(b.title)) >= MIN_PARTIAL_LENGTH
    ):
        # a translated or extended title: the shorter one reappears inside the longer one
        short, long = (a.title, b.title) if len(a.title) <= len(b.title) else (b.title, a.title)
        # cheap tests before the slow one: the short title's two ends both reappear, in a longer one
        if len(long) > len(short) and short[:24] in long and short[-24:] in long:
            contained = partial_ratio(short, long) >= 97
    if score < QUEUE_TITLE and not contained:
        return None
    year_gap = abs(a.year - b.year) if a.year and b.year else 0
    author_ok = not a.author or not b.author or _same_name(a.author, b.author)
    if year_gap > 1 or (not author_ok and score < AUTO_TITLE):
        return None
    conflict = (
        _numbers_differ(a.title, b.title)
        or (a.doi and b.doi and a.doi != b.doi)
        or (a.first_page and b.first_page and a.first_page != b.first_page)
        or (a.volume and b.volume and a.volume != b.volume)
    )
    if contained:
        # containment alone is weaker evidence than a near-identical title: ask for the journal place
        auto = same_place and year_gap == 0 and author_ok and not conflict
        return Match(kept.id, dup.id, "fuzzy", score, auto=bool(auto))
    auto = (
        score >= AUTO_TITLE
        and (author_ok or same_place and year_gap == 0)
        and not conflict
        and (year_gap == 0 or same_place)
        and (len(a.title) >= MIN_AUTO_TITLE_LENGTH or same_place)
    )
    return Match(kept.id, dup.id, "fuzzy", score, auto=bool(auto))


def _numbers_differ(a: str, b: str) -> bool:
    """True for 'Part 1' vs 'Part 2'; an extra number ('abstract no 134') is not a conflict."""
    numbers_a, numbers_b = _DIGITS.findall(a), _DIGITS.findall(b)
    return len(numbers_a) == len(numbers_b) and numbers_a != numbers_b


def _same_name(a: str, b: str) -> bool:
    return a == b or Levenshtein.distance(a, b) <= (1 if min(len(a), len(b)) < 6 else 2)


def _blocks(keys: list[DedupKey]) -> Iterable[list[DedupKey]]:
    blocks: dict[str, list[DedupKey]] = defaultdict(list)
    for key in keys:
        compact = key.title.replace(" ", "")
        if len(compact) >= 10:
            # a typo spoils at most one of the two ends; 'theeffectof' alone is not selective
            blocks["s" + compact[:BLOCK_CHARS]].append(key)
            blocks["e" + compact[-BLOCK_CHARS:]].append(key)
        if key.author:
            blocks[f"a{key.author} {key.year}"].append(key)
        if key.doi:
            blocks["d" + key.doi].append(key)
        if key.pmid:
            blocks["p" + key.pmid].append(key)
    return (block for block in blocks.values() if len(block) > 1)


def _pairs(block: list[DedupKey]) -> Iterable[tuple[DedupKey, DedupKey]]:
    if len(block) <= BLOCK_FULL:
        for i, a in enumerate(block):
            for b in block[i + 1 :]:
                yield a, b
        return
    ordered = sorted(block, key=lambda k: k.title)
    for i, a in enumerate(ordered):
        for b in ordered[i + 1 : i + 1 + WINDOW]:
            yield a, b


def find_matches(
    keys: list[DedupKey],
    *,
    new_ids: set[int] | None = None,
    known_pairs: set[tuple[int, int]] | None = None,
) -> list[Match]:
    """Return every candidate match; only pairs touching ``new_ids`` if given (an import)."""
    known = known_pairs or set()
    seen: set[tuple[int, int]] = set()
    matches = []
    for block in _blocks(keys):
        for a, b in _pairs(block):
            pair = (a.id, b.id) if a.id < b.id else (b.id, a.id)
            if pair in seen or pair in known or a.id == b.id:
                continue
            if new_ids is not None and a.id not in new_ids and b.id not in new_ids:
                continue
            seen.add(pair)
            match = compare(a, b)
            if match is not None:
                matches.append(match)
    return matches


def resolve(
    matches: list[Match], *, new_ids: set[int] | None = None
) -> tuple[dict[int, int], list[Match]]:
    """Turn matches into merges (duplicate id -> kept id) and the pairs left for reviewers.

    Records merge into the earliest record of their group. Two records that were already
    in the review are never merged with each other through a new record: that pair goes
    to the reviewers instead.
    """
    parent: dict[int, int] = {}

    def root(x: int) -> int:
        while parent.get(x, x) != x:
            parent[x] = parent.get(parent[x], parent[x])
            x = parent[x]
        return x

    def is_old(x: int) -> bool:
        return new_ids is not None and x not in new_ids

    queued = []
    for match in sorted(matches, key=lambda m: (-m.auto, -m.score, m.kept, m.duplicate)):
        if not match.auto:
            queued.append(match)
            continue
        ra, rb = root(match.kept), root(match.duplicate)
        if ra == rb:
            continue
        if is_old(ra) and is_old(rb):
            queued.append(Match(match.kept, match.duplicate, match.method, match.score, False))
            continue
        low, high = (ra, rb) if ra < rb else (rb, ra)
        parent[high] = low
    merges = {x: root(x) for x in list(parent) if root(x) != x}
    queued = [m for m in queued if root(m.kept) != root(m.duplicate)]
    return merges, queued

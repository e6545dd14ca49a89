"""The PRISMA 2020 flow diagram (Page et al., BMJ 2021;372:n71, figure 1), drawn as SVG on the server.

Identification comes from the imported sources; the screening half comes from
``screening.selectors.prisma_screening_counts`` so the diagram is always current.
"""

from __future__ import annotations

import textwrap
from typing import Any
from xml.sax.saxutils import escape

from django.db.models import Count, Q

from reviewapp.models import Record, Review

SCREENING_KEYS = {
    "records_screened": 0,
    "records_excluded": 0,
    "reports_sought": 0,
    "reports_not_retrieved": 0,
    "reports_assessed": 0,
    "reports_excluded_by_reason": {},
    "reports_included": 0,
    "studies_included": 0,
}


def _screening_counts(review: Review) -> tuple[dict[str, Any], bool]:
    try:
        from screening.selectors import prisma_screening_counts
    except ImportError:  # the screening app is optional for the top of the flow
        return dict(SCREENING_KEYS), False
    return {**SCREENING_KEYS, **prisma_screening_counts(review)}, True


def prisma_counts(review: Review) -> dict[str, Any]:
    """Return every number of the flow diagram, from the data."""
    rows = (
        Record.objects.filter(review=review)
        .values("source__database_name", "source__is_other_method")
        .annotate(n=Count("id"), dups=Count("id", filter=Q(duplicate_of__isnull=False)))
        .order_by("source__database_name")
    )
    databases: dict[str, int] = {}
    other: dict[str, int] = {}
    duplicates = 0
    for row in rows:
        name = row["source__database_name"] or "Added by hand"
        target = other if row["source__is_other_method"] else databases
        target[name] = target.get(name, 0) + row["n"]
        duplicates += row["dups"]
    screening, available = _screening_counts(review)
    return {
        "databases": databases,
        "other_methods": other,
        "records_identified": sum(databases.values()),
        "records_other_methods": sum(other.values()),
        "duplicates_removed": duplicates,
        "records_after_duplicates": sum(databases.values()) + sum(other.values()) - duplicates,
        "screening_available": available,
        **screening,
        "reports_excluded": sum(screening["reports_excluded_by_reason"].values()),
    }


# --- Drawing ------------------------------------------------------------------------------------

LINE = 17
PAD = 10
WRAP = 44


class _Canvas:
    def __init__(self) -> None:
        self.parts: list[str] = []

    def box(
        self,
        x: int,
        y: int,
        width: int,
        lines: list[str],
        *,
        shade: str = "#fff",
        min_height: int = 0,
    ) -> int:
        """Draw a box of text lines (first line bold); return its height."""
        wrapped: list[tuple[str, bool]] = []
        for i, line in enumerate(lines):
            for piece in textwrap.wrap(line, WRAP) or [""]:
                wrapped.append((piece, i == 0))
        height = max(min_height, 2 * PAD + LINE * len(wrapped))
        self.parts.append(
            f'<rect x="{x}" y="{y}" width="{width}" height="{height}" rx="4" '
            f'fill="{shade}" stroke="#222" stroke-width="1.2"/>'
        )
        for i, (text, bold) in enumerate(wrapped):
            weight = ' font-weight="bold"' if bold else ""
            self.parts.append(
                f'<text x="{x + PAD}" y="{y + PAD + LINE * (i + 1) - 4}"{weight}>{escape(text)}</text>'
            )
        return height

    def arrow(self, points: list[tuple[int, int]]) -> None:
        path = " ".join(f"{x},{y}" for x, y in points)
        self.parts.append(
            f'<polyline points="{path}" fill="none" stroke="#222" stroke-width="1.4" '
            'marker-end="url(#arrow)"/>'
        )

    def band(self, y: int, height: int, label: str) -> None:
        self.parts.append(
            f'<rect x="4" y="{y}" width="26" height="{height}" rx="3" fill="#cfe2ff" stroke="#084298"/>'
            f'<text x="17" y="{y + height / 2}" transform="rotate(-90 17 {y + height / 2})" '
            f'text-anchor="middle" font-weight="bold">{escape(label)}</text>'
        )


def prisma_svg(counts: dict[str, Any], title: str = "") -> str:
    """Return the flow diagram as a standalone SVG document."""
    c = _Canvas()
    main_x, main_w, side_x, side_w, other_x, other_w = 44, 330, 420, 310, 770, 310
    y = 50
    db_lines = [f"Records identified from databases (n = {counts['records_identified']})"] + [
        f"{name} (n = {n})" for name, n in counts["databases"].items()
    ]
    other_lines = [
        f"Records identified from other methods (n = {counts['records_other_methods']})"
    ] + [f"{name} (n = {n})" for name, n in counts["other_methods"].items()]
    top = y
    h_db = c.box(main_x, y, main_w, db_lines)
    h_dup = c.box(
        side_x,
        y,
        side_w,
        [
            "Records removed before screening",
            f"Duplicate records removed (n = {counts['duplicates_removed']})",
        ],
    )
    h_other = c.box(other_x, y, other_w, other_lines, shade="#f1f3f5")
    c.arrow([(main_x + main_w, y + h_dup // 2), (side_x, y + h_dup // 2)])
    y += max(h_db, h_dup, h_other) + 50
    c.band(top, y - top - 20, "Identification")
    steps = [
        (
            [f"Records screened (n = {counts['records_screened']})"],
            [f"Records excluded (n = {counts['records_excluded']})"],
        ),
        (
            [f"Reports sought for retrieval (n = {counts['reports_sought']})"],
            [f"Reports not retrieved (n = {counts['reports_not_retrieved']})"],
        ),
        (
            [f"Reports assessed for eligibility (n = {counts['reports_assessed']})"],
            [f"Reports excluded (n = {counts['reports_excluded']})"]
            + [f"{reason} (n = {n})" for reason, n in counts["reports_excluded_by_reason"].items()],
        ),
    ]
    screening_top = y
    previous_bottom = top + h_db
    # other methods join the flow from above, through the gap between the two rows
    join_x, gap_y = main_x + main_w * 3 // 4, y - 20
    c.arrow(
        [
            (other_x + other_w // 2, top + h_other),
            (other_x + other_w // 2, gap_y),
            (join_x, gap_y),
            (join_x, y),
        ]
    )
    for main_lines, side_lines in steps:
        c.arrow([(main_x + main_w // 2, previous_bottom), (main_x + main_w // 2, y)])
        h_main = c.box(main_x, y, main_w, main_lines)
        h_side = c.box(side_x, y, side_w, side_lines)
        c.arrow([(main_x + main_w, y + h_main // 2), (side_x, y + h_main // 2)])
        previous_bottom = y + h_main
        y += max(h_main, h_side) + 30
    c.band(screening_top, y - screening_top - 10, "Screening")
    c.arrow([(main_x + main_w // 2, previous_bottom), (main_x + main_w // 2, y)])
    h_inc = c.box(
        main_x,
        y,
        main_w,
        [
            f"Studies included in review (n = {counts['studies_included']})",
            f"Reports of included studies (n = {counts['reports_included']})",
        ],
        shade="#d1e7dd",
        min_height=80,
    )
    c.band(y, h_inc, "Included")
    y += h_inc + 20
    width, height = other_x + other_w + 10, y
    heading = escape(title or "PRISMA 2020 flow diagram")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-labelledby="prisma-title" '
        'font-family="Helvetica, Arial, sans-serif" font-size="13">'
        f'<title id="prisma-title">{heading}</title>'
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#222"/>'
        "</marker></defs>"
        f'<rect width="{width}" height="{height}" fill="#fff"/>'
        f'<text x="{main_x}" y="28" font-size="15" font-weight="bold">{heading}</text>'
        + "".join(c.parts)
        + "</svg>"
    )

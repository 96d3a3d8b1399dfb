"""Files for spreadsheets: formulas neutralised, Chinese text intact, in CSV and XLSX."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook

from handlers.kit.spreadsheet_cells import neutral
from handlers.kit.spreadsheets import XLSX_CELL_LIMIT, SheetFormat, write_sheet

HOSTILE = ['=HYPERLINK("http://evil")', "+1+2", "-3", "@SUM(A1)", "\tx", "\rx"]


@pytest.mark.parametrize("cell", HOSTILE)
def test_a_cell_a_spreadsheet_would_run_is_written_as_text(cell: str) -> None:
    assert neutral(cell) == "'" + cell


def test_plain_text_numbers_and_times_are_kept() -> None:
    assert neutral("手袋 a-b") == "手袋 a-b"
    assert neutral(-3) == -3
    assert neutral(datetime(2026, 11, 18, 20, 0, tzinfo=UTC)) == "2026-11-18T20:00:00+00:00"


def test_csv_reads_back_neutralised_and_chinese_intact() -> None:
    data = write_sheet(SheetFormat.CSV, ("a", "b"), [(HOSTILE[0], "仿冒品"), ("ok", 7)])
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows == [["a", "b"], ["'" + HOSTILE[0], "仿冒品"], ["ok", "7"]]


def test_xlsx_reads_back_neutralised_with_no_formula() -> None:
    data = write_sheet(SheetFormat.XLSX, ("a", "b"), [(cell, "仿冒品") for cell in HOSTILE])
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    values = [tuple(cell.value for cell in row) for row in sheet.iter_rows()]
    # XML reads a carriage return back as a line feed; what matters is the apostrophe before it.
    assert values[1:] == [("'" + cell.replace("\r", "\n"), "仿冒品") for cell in HOSTILE]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_xlsx_says_where_a_cell_over_excels_limit_was_shortened() -> None:
    data = write_sheet(SheetFormat.XLSX, ("a",), [("x" * (XLSX_CELL_LIMIT + 5) + "\x01",)])
    value = str(load_workbook(io.BytesIO(data)).worksheets[0]["A2"].value)
    assert len(value) <= XLSX_CELL_LIMIT
    assert value.endswith("characters more; the CSV export holds them all)")

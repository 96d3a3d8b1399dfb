"""Rows to a file a spreadsheet opens: CSV (UTF-8 with a byte order mark, so that Excel reads
Chinese text as such) or XLSX. Rows are written as they come, so a long export is never held
as rows in memory; every cell is neutralised (see `spreadsheet_cells`)."""

from __future__ import annotations

import csv
import io
import re
import tempfile
from collections.abc import Iterable, Sequence
from enum import StrEnum
from typing import Any

from handlers.kit.spreadsheet_cells import neutral_row

# Characters XML 1.0 cannot hold (C0 controls but tab, line feed and carriage return): openpyxl
# refuses a cell holding one, so each is written as U+FFFD.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
XLSX_CELL_LIMIT = 32_767  # Excel's "Excel specifications and limits": characters in a cell


class SheetFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"

    @property
    def content_type(self) -> str:
        if self is SheetFormat.CSV:
            return "text/csv"
        return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def write_sheet(
    kind: SheetFormat, columns: Sequence[str], rows: Iterable[Sequence[Any]], title: str = "export"
) -> bytes:
    """The file's bytes: a header row of `columns`, then `rows`."""
    if kind is SheetFormat.CSV:
        return _csv(columns, rows)
    return _xlsx(columns, rows, title)


def _csv(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for row in rows:
        writer.writerow(neutral_row(list(row)))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _xlsx(columns: Sequence[str], rows: Iterable[Sequence[Any]], title: str) -> bytes:
    from openpyxl import Workbook  # only an XLSX export pays for importing it

    workbook = Workbook(write_only=True)  # rows go to a temporary file as they are appended
    sheet = workbook.create_sheet(title[:31])  # Excel allows 31 characters in a sheet's name
    sheet.append(list(columns))
    for row in rows:
        sheet.append([_xml_safe(value) for value in neutral_row(list(row))])
    with tempfile.TemporaryFile() as file:
        workbook.save(file)
        file.seek(0)
        return file.read()


def _xml_safe(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    value = _NOT_XML.sub("\ufffd", value)
    if len(value) > XLSX_CELL_LIMIT:  # said in the cell itself: never cut silently
        kept = XLSX_CELL_LIMIT - 100
        value = value[:kept] + f" … ({len(value) - kept:,} characters more; the CSV export holds them all)"
    return value

"""Cells written to CSV and XLSX files that people open in a spreadsheet.

A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is read by Excel, LibreOffice
and Google Sheets as a formula (OWASP, "CSV Injection"): a listing's text pasted by anyone could
then run in the reader's spreadsheet. Such a cell is written with a leading apostrophe, which the
spreadsheet shows as text.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutral(value: Any) -> Any:
    """The value as it is safe to write in a cell: text that a spreadsheet would take for a
    formula gets a leading apostrophe; a date and time is written in ISO form; numbers stay numbers."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, str):  # a closed-set word (an enum member) is written as its plain text
        return "'" + value if value.startswith(FORMULA_STARTS) else str(value)
    return value


def neutral_row(row: tuple[Any, ...] | list[Any]) -> list[Any]:
    return [neutral(value) for value in row]

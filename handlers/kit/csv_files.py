"""Reading CSV files members send: size and encoding checked, every bad row reported by line."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass

from handlers.kit.errors import UserError
from handlers.kit.i18n import _

MAX_CSV_BYTES = 20 * 1024 * 1024
MAX_CSV_ROWS = 200_000
MAX_FIELD = 4_000


@dataclass(frozen=True, slots=True)
class RowProblem:
    line: int
    column: str
    problem: str

    def __str__(self) -> str:
        return _("line {line}, column {column}: {problem}", line=self.line, column=self.column, problem=self.problem)


@dataclass(frozen=True, slots=True)
class CsvRow:
    line: int
    values: dict[str, str]


def read_csv(content: bytes, name: str, *, required: Sequence[str], optional: Sequence[str] = ()) -> list[CsvRow]:
    """Rows of a CSV file with a header; columns are matched case-insensitively.

    Raises UserError for a file that cannot be read at all (too big, not UTF-8, no header, a
    required column missing); problems within rows are left to the caller, row by row.
    """
    if len(content) > MAX_CSV_BYTES:
        raise UserError(
            _("{name} is {size:,} bytes; the limit is {limit:,}.", name=name, size=len(content), limit=MAX_CSV_BYTES)
        )
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UserError(
            _("{name} is not UTF-8 text (byte {byte} cannot be read).", name=name, byte=error.start),
            hint=_("Save it as 'CSV UTF-8' and send it again."),
        ) from None
    if "\x00" in text:
        raise UserError(_("{name} contains binary data; send a CSV text file.", name=name))
    csv.field_size_limit(MAX_FIELD)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise UserError(_("{name} is empty.", name=name)) from None
    except csv.Error as error:
        raise UserError(_("{name} line {line} cannot be read: {error}.", name=name, line=1, error=error)) from None
    columns = [column.strip().lower() for column in header]
    missing = [column for column in required if column not in columns]
    if missing:
        wanted = ", ".join(list(required) + [_("{column} (optional)", column=c) for c in optional])
        raise UserError(
            _("{name} has no column named {column}.", name=name, column=missing[0]),
            hint=_("Its header must name: {columns}.", columns=wanted),
        )
    known = set(required) | set(optional)
    rows: list[CsvRow] = []
    while True:
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            raise UserError(
                _("{name} line {line} cannot be read: {error}.", name=name, line=reader.line_num, error=error)
            ) from None
        if len(rows) >= MAX_CSV_ROWS:
            raise UserError(
                _("{name} has more than {limit:,} rows; split it into several files.", name=name, limit=MAX_CSV_ROWS)
            )
        if not any(value.strip() for value in values):
            continue
        row = {column: value.strip() for column, value in zip(columns, values, strict=False) if column in known}
        rows.append(CsvRow(reader.line_num, row))
    return rows

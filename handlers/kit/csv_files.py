"""Reading CSV files members send: size and encoding checked, every bad row reported by line."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from handlers.kit.errors import UserError
from handlers.kit.i18n import _

MAX_CSV_BYTES = 20 * 1024 * 1024
MAX_CSV_ROWS = 200_000
MAX_FIELD = 4_000
# The files we read have a handful of columns (link, title, date, note...). The csv module builds a
# list of every field of a row before we pick our columns, so a line of 20 million commas is a list of
# 20 million strings (half a gigabyte); the commas of a row are counted before it is parsed instead.
# Commas inside quoted values count too (they cannot be told apart before parsing): 500 leaves room
# for notes full of commas and spreadsheets with a few hundred unused columns.
MAX_COLUMNS = 500


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
    lines = _CountedLines(text)
    reader = csv.reader(lines)
    try:
        header = next(reader)
    except StopIteration:
        raise UserError(_("{name} is empty.", name=name)) from None
    except csv.Error as error:
        raise UserError(_("{name} line {line} cannot be read: {error}.", name=name, line=1, error=error)) from None
    except _TooManyColumns as error:
        raise _too_many_columns(name, error.line) from None
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
        lines.start_row()
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            raise UserError(
                _("{name} line {line} cannot be read: {error}.", name=name, line=reader.line_num, error=error)
            ) from None
        except _TooManyColumns as error:
            raise _too_many_columns(name, error.line) from None
        if len(rows) >= MAX_CSV_ROWS:
            raise UserError(
                _("{name} has more than {limit:,} rows; split it into several files.", name=name, limit=MAX_CSV_ROWS)
            )
        if not any(value.strip() for value in values):
            continue
        row = {column: value.strip() for column, value in zip(columns, values, strict=False) if column in known}
        rows.append(CsvRow(reader.line_num, row))
    return rows


def _too_many_columns(name: str, line: int) -> UserError:
    return UserError(
        _("{name} line {line} has more than {limit:,} columns.", name=name, line=line, limit=MAX_COLUMNS),
        hint=_("Delete the empty columns, or commas at the ends of its lines, and send it again."),
    )


class _TooManyColumns(Exception):
    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line


class _CountedLines:
    """The lines of a CSV text, handed to csv.reader one by one: the commas of the row being read are
    counted before csv.reader sees each line, and a row that would exceed MAX_COLUMNS is refused."""

    def __init__(self, text: str) -> None:
        self._lines = io.StringIO(text, newline="")
        self._line = 0
        self._commas = 0

    def start_row(self) -> None:
        """csv.reader asks for a row's lines only while it reads that row: the count starts again."""
        self._commas = 0

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        self._line += 1
        self._commas += line.count(",")
        if self._commas >= MAX_COLUMNS:
            raise _TooManyColumns(self._line)
        return line

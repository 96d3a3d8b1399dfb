"""Inserting thousands of rows into one table in few statements, as filing a long paste does.

SQLAlchemy's own bulk insert (executemany, "insertmanyvalues") builds, then converts for the
database, every parameter of every row, which costs more than the database's work of storing
them. Here each statement is rendered once per shape and kept; the values every row shares
(the complaint, the time, the status) are converted once with their column's own type; each
row's own values are passed on as they are (converted per row only for a column whose type
converts, which the filing columns do not); and the rows go in pages of multi-row VALUES, the
way SQLAlchemy's "insertmanyvalues" sends them (on SQLite that is also faster than the driver's
executemany), so what is stored is the same.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from itertools import chain
from typing import Any

from sqlalchemy import Connection, Dialect, Table

# The drivers' placeholder for one positional value: sqlite3's qmark, psycopg's format/pyformat.
_PLACEHOLDERS = {"qmark": "?", "format": "%s", "pyformat": "%s"}


def insert_rows(
    connection: Connection,
    table: Table,
    shared: Mapping[str, Any],
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    skip_conflicts_on: Sequence[str] = (),
    returning: Sequence[str] = (),
) -> list[Sequence[Any]]:
    """Insert one row per item of `rows` (its values of `columns`, in order) with `shared`'s values
    in every row, in the transaction of `connection`; the `returning` columns of the rows inserted.

    With `skip_conflicts_on`, a row whose values there are already stored is left out
    (ON CONFLICT DO NOTHING, on SQLite and PostgreSQL alike) and returns nothing. A column named
    in neither gets the database's default, not the model's: name every column the model fills.
    """
    if not rows:
        return []
    dialect = connection.dialect
    names = (*shared, *columns)
    shared_values = tuple(convert(value) if convert else value for convert, value in _converted(table, shared, dialect))
    own_converters = [(n, convert) for n, (convert, _) in enumerate(_converted(table, columns, dialect)) if convert]
    if not returning and dialect.name == "postgresql":
        # psycopg reads a statement's placeholders in Python, every time for one of more than 50
        # values: there one short statement, run for each row (pipelined), is the faster way.
        statement = _statement(dialect, table, names, 1, tuple(skip_conflicts_on), ())
        connection.exec_driver_sql(statement, [(*shared_values, *row) for row in _converted_rows(rows, own_converters)])
        return []
    page_size = max(1, min(dialect.insertmanyvalues_page_size, dialect.insertmanyvalues_max_parameters // len(names)))
    returned: list[Sequence[Any]] = []
    for start in range(0, len(rows), page_size):
        page = _converted_rows(rows[start : start + page_size], own_converters)
        parameters = tuple(chain.from_iterable((*shared_values, *row) for row in page))
        statement = _statement(dialect, table, names, len(page), tuple(skip_conflicts_on), tuple(returning))
        result = connection.exec_driver_sql(statement, parameters)
        if returning:
            # Plain tuples: each page's rows are let go of at once, however many pages there are.
            returned.extend(tuple(row) for row in result.all())
    return returned


def _converted(
    table: Table, names: Mapping[str, Any] | Sequence[str], dialect: Dialect
) -> list[tuple[Callable[[Any], Any] | None, Any]]:
    """For each column named: its type's conversion for the database (None: passed as it is), and
    its value in `names` when that is a mapping."""
    values = names if isinstance(names, Mapping) else dict.fromkeys(names)
    return [(_converter(table, name, dialect), value) for name, value in values.items()]


@functools.lru_cache(maxsize=256)
def _converter(table: Table, name: str, dialect: Dialect) -> Callable[[Any], Any] | None:
    """Looked up once per column and dialect: every filing inserts into a few tables, each time."""
    column_type = table.c[name].type
    return column_type.dialect_impl(dialect).bind_processor(dialect)


def _converted_rows(
    rows: Sequence[Sequence[Any]], converters: list[tuple[int, Callable[[Any], Any]]]
) -> Sequence[Sequence[Any]]:
    """`rows`, with the values of the columns whose type converts converted (mostly none do)."""
    if not converters:
        return rows
    converted = []
    for row in rows:
        values = list(row)
        for index, convert in converters:
            values[index] = convert(values[index])
        converted.append(tuple(values))
    return converted


@functools.lru_cache(maxsize=64)
def _statement(
    dialect: Dialect,
    table: Table,
    names: tuple[str, ...],
    count: int,
    skip_conflicts_on: tuple[str, ...],
    returning: tuple[str, ...],
) -> str:
    """INSERT INTO table (names) VALUES (...), ... for `count` rows, in the driver's placeholders."""
    quote = dialect.identifier_preparer.quote
    placeholder = _PLACEHOLDERS[dialect.paramstyle]
    row = "(" + ", ".join([placeholder] * len(names)) + ")"
    statement = (
        f"INSERT INTO {dialect.identifier_preparer.format_table(table)} ({', '.join(map(quote, names))}) "
        f"VALUES {', '.join([row] * count)}"
    )
    if skip_conflicts_on:
        statement += f" ON CONFLICT ({', '.join(map(quote, skip_conflicts_on))}) DO NOTHING"
    if returning:
        statement += f" RETURNING {', '.join(map(quote, returning))}"
    return statement

"""Statements run on the driver's cursor: the few that every command runs.

SQLAlchemy's execution of a statement it has compiled before still looks the compiled form up by
the statement's cache key, builds and converts every parameter and wraps the result: about 50 µs a
statement, where SQLite runs one of these in about 6 µs. The statements on the way of every
command (writing it down, reading the caller's membership, the request's record, marking it done)
are rendered here once per dialect instead, with their bound values' conversions and their result
columns' conversions looked up once, and run on the transaction's own driver connection.

What they return is what SQLAlchemy would return for the same statement: each value converted by
its column's type for that dialect (`tests/storage/test_direct.py` checks them against SQLAlchemy's
own execution). They do not flush the ORM session: use them where the session holds no pending
change they should see.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import BindParameter, Connection, Dialect, bindparam
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.base import Executable

Convert = Callable[[Any], Any]
# Stands for a bound value the statement needs and the caller did not give.
_MISSING = object()


@dataclass(frozen=True, slots=True)
class _Rendered:
    sql: str
    positional: bool
    # Per placeholder, in order: the name of its bound value, its name in the rendered text, the
    # value it has when the caller gives none (already converted), and its type's conversion (None:
    # passed as it is).
    binds: tuple[tuple[str, str, Any, Convert | None], ...]
    # The result columns whose type converts the driver's value: (index in the row, conversion).
    results: tuple[tuple[int, Convert], ...]


class Direct:
    """A Core statement (`select`, `insert`, `update`, `delete`, with `bindparam`s for what changes
    from one run to the next) rendered once per dialect and run on the driver's cursor."""

    def __init__(self, statement: Executable) -> None:
        self.statement = statement
        self._rendered: dict[str, _Rendered] = {}

    def rows(self, connection: Connection, values: Mapping[str, Any] | None = None) -> list[tuple[Any, ...]]:
        """Every row the statement returns, its values converted as SQLAlchemy converts them."""
        rendered, cursor = self._run(connection, values or {})
        found = cursor.fetchall()
        cursor.close()
        if not rendered.results:
            return [tuple(row) for row in found]
        return [_converted(rendered.results, row) for row in found]

    def first(self, connection: Connection, values: Mapping[str, Any] | None = None) -> tuple[Any, ...] | None:
        found = self.rows(connection, values)
        return found[0] if found else None

    def scalar(self, connection: Connection, values: Mapping[str, Any] | None = None) -> Any:
        """The first column of the first row, or None when there is no row."""
        row = self.first(connection, values)
        return row[0] if row is not None else None

    def count(self, connection: Connection, values: Mapping[str, Any] | None = None) -> int:
        """Run a statement that returns nothing; how many rows it changed."""
        _, cursor = self._run(connection, values or {})
        changed = int(cursor.rowcount)
        cursor.close()
        return changed

    def _run(self, connection: Connection, values: Mapping[str, Any]) -> tuple[_Rendered, Any]:
        dialect = connection.dialect
        rendered = self._rendered.get(dialect.name)
        if rendered is None:
            rendered = self._rendered[dialect.name] = _render(self.statement, dialect)
        parameters = [
            (convert(values[name]) if convert is not None and values[name] is not None else values[name])
            if name in values
            else fixed
            for name, _, fixed, convert in rendered.binds
        ]
        if any(value is _MISSING for value in parameters):
            missing = [bind[0] for bind, value in zip(rendered.binds, parameters, strict=True) if value is _MISSING]
            raise KeyError(f"no value given for {', '.join(missing)}")
        driver = connection.connection.driver_connection
        assert driver is not None
        cursor = driver.cursor()
        given: Any = parameters
        if not rendered.positional:
            given = {bind[1]: value for bind, value in zip(rendered.binds, parameters, strict=True)}
        try:
            cursor.execute(rendered.sql, given)
        except dialect.loaded_dbapi.Error as error:
            # Raised as SQLAlchemy raises the driver's errors (IntegrityError, OperationalError, ...),
            # so that callers handle a conflict or an unreachable database here as anywhere else.
            raise DBAPIError.instance(rendered.sql, given, error, dialect.loaded_dbapi.Error) from error
        return rendered, cursor


def _render(statement: Executable, dialect: Dialect) -> _Rendered:
    compiled = statement.compile(dialect=dialect)  # type: ignore[attr-defined]
    names = list(compiled.positiontup or ()) if compiled.positional else list(compiled.bind_names.values())
    escaped = dict(compiled.escaped_bind_names or {})
    binds = []
    for name in names:
        bind: BindParameter[Any] = compiled.binds[name]
        if bind.expanding or getattr(bind, "literal_execute", False):
            raise ValueError(f"{name}: a list cannot be rendered once; bind it value by value (`numbered`)")
        convert = bind.type.dialect_impl(dialect).bind_processor(dialect)
        fixed = _MISSING if bind.required else bind.effective_value
        if fixed is not None and fixed is not _MISSING and convert is not None:
            fixed = convert(fixed)
        binds.append((name, escaped.get(name, name), fixed, convert))
    columns = list(getattr(statement, "exported_columns", ()))
    converters = (column.type.dialect_impl(dialect).result_processor(dialect, None) for column in columns)
    results = tuple((index, convert) for index, convert in enumerate(converters) if convert is not None)
    return _Rendered(
        sql=compiled.string,
        positional=bool(compiled.positional),
        binds=tuple(binds),
        results=results,
    )


def _converted(conversions: tuple[tuple[int, Convert], ...], row: Any) -> tuple[Any, ...]:
    """A row with each converting column's value converted (None stays None); a page of rows is read
    on every list, so only the columns that convert are visited."""
    values = list(row)
    for index, convert in conversions:
        value = values[index]
        if value is not None:
            values[index] = convert(value)
    return tuple(values)


def numbered(name: str, count: int) -> list[BindParameter[Any]]:
    """`count` bound values `name0`, `name1`, ...: a list a statement rendered once can take
    (`column.in_(numbered("id", 3))`), one statement per length of the list."""
    return [bindparam(f"{name}{number}") for number in range(count)]


def numbered_values(name: str, values: Sequence[Any]) -> dict[str, Any]:
    """The values of `numbered(name, len(values))`."""
    return {f"{name}{number}": value for number, value in enumerate(values)}

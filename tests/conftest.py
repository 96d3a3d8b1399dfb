"""Fixtures shared by every suite: a migrated database per test on each back-end, a fake clock,
and the harness that drives the real router and delivery the way a chat platform does."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from storage.database import Database
from support.clock import FakeClock
from support.databases import (
    BACKENDS,
    create_schema,
    drop_schema,
    empty_all_tables,
    migrated_sqlite_template,
    postgres_schema_url,
    sqlite_copy,
)
from support.harness import Harness


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return migrated_sqlite_template(tmp_path_factory.mktemp("template"))


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[Database]:
    schema = f"marketsafe_test_{os.getpid()}"
    create_schema(schema)
    database = Database(postgres_schema_url(schema))
    database.upgrade()
    yield database
    database.dispose()
    drop_schema(schema)


@pytest.fixture(params=BACKENDS)
def database(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> Iterator[Database]:
    """A freshly migrated, empty database, on SQLite and (when configured) PostgreSQL."""
    if request.param == "sqlite":
        database = sqlite_copy(sqlite_template, tmp_path)
        yield database
        database.dispose()
    else:
        database = request.getfixturevalue("postgres_database")
        empty_all_tables(database)
        yield database


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def bot(database: Database, clock: FakeClock) -> Harness:
    """The bot with an empty program: only the operator (an admin) exists."""
    return Harness(database, clock)


@pytest.fixture
def program(bot: Harness) -> Harness:
    """The bot with two brands (acme, globex), each with a verified right, and a team member."""
    bot.set_up_program()
    return bot

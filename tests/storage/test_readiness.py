"""Readiness: a process takes requests only while its database answers and is migrated."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from sqlalchemy import text

from storage.database import Database


def test_a_migrated_database_is_ready(database: Database) -> None:
    assert database.unready() is None


def test_pending_migrations_make_a_process_unready(tmp_path: Path) -> None:
    fresh = Database(f"sqlite:///{tmp_path / 'fresh.db'}")
    try:
        assert fresh.unready() == "migrations are pending"
        fresh.upgrade("0001")
        assert fresh.unready() == "migrations are pending"
        fresh.upgrade()
        assert fresh.unready() is None
    finally:
        fresh.dispose()


def test_an_unreachable_database_makes_a_process_unready() -> None:
    nowhere = Database("postgresql+psycopg://postgres@127.0.0.1:1/nowhere?connect_timeout=2")
    try:
        assert nowhere.unready() == "the database is unreachable"
    finally:
        nowhere.dispose()


NEWER = "0099_from_a_newer_release"


def test_a_database_a_newer_release_migrated_is_ready_and_left_as_it_is(
    database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    """During a rolling upgrade the replicas still on the previous release keep serving, and one
    of them restarting (or a rollback) starts on the newer database instead of failing."""
    with database.engine.begin() as connection:
        (current,) = connection.execute(text("SELECT version_num FROM alembic_version")).one()
        connection.execute(text("UPDATE alembic_version SET version_num = :newer"), {"newer": NEWER})
    try:
        assert database.unready() is None
        with caplog.at_level(logging.WARNING, logger="storage.database"):
            database.upgrade()
        assert f"the database is at revision {NEWER}, newer than this release knows" in caplog.text
        with database.engine.connect() as connection:
            assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == NEWER
    finally:
        with database.engine.begin() as connection:
            connection.execute(text("UPDATE alembic_version SET version_num = :current"), {"current": current})
    assert database.unready() is None

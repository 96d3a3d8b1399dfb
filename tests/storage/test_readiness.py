"""Readiness: a process takes requests only while its database answers and is migrated."""

from __future__ import annotations

from pathlib import Path

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

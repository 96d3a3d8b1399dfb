"""The databases storage and handler tests run on: SQLite always, PostgreSQL when configured.

`MARKETSAFE_TEST_DATABASE_URL` names a PostgreSQL database; the tests work in a schema of their
own inside it, created for the session and dropped at its end, so they never touch other data.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import create_engine, text
from sqlmodel import SQLModel

from storage.database import Database

POSTGRES_URL = os.environ.get("MARKETSAFE_TEST_DATABASE_URL")
BACKENDS = ["sqlite", "postgresql"] if POSTGRES_URL else ["sqlite"]


def migrated_sqlite_template(directory: Path) -> Path:
    path = directory / "template.db"
    database = Database(f"sqlite:///{path}")
    database.upgrade()
    database.dispose()
    return path


def sqlite_copy(template: Path, directory: Path) -> Database:
    path = directory / "bot.db"
    shutil.copyfile(template, path)
    return Database(f"sqlite:///{path}")


def postgres_schema_url(schema: str) -> str:
    assert POSTGRES_URL is not None
    separator = "&" if "?" in POSTGRES_URL else "?"
    return f"{POSTGRES_URL}{separator}options={quote(f'-csearch_path={schema}')}"


def create_schema(schema: str) -> None:
    assert POSTGRES_URL is not None
    engine = create_engine(POSTGRES_URL)
    with engine.begin() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()


def drop_schema(schema: str) -> None:
    assert POSTGRES_URL is not None
    engine = create_engine(POSTGRES_URL)
    with engine.begin() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()


def empty_all_tables(database: Database) -> None:
    """Every table of ours, and the scheduler's job table when a test created it."""
    names = [f'"{table.name}"' for table in SQLModel.metadata.sorted_tables]
    with database.engine.begin() as connection:
        if connection.execute(text("SELECT to_regclass('apscheduler_jobs')")).scalar() is not None:
            names.append("apscheduler_jobs")
        connection.execute(text(f"TRUNCATE {', '.join(names)} RESTART IDENTITY CASCADE"))

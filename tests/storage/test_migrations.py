"""The migrations build exactly the schema the models describe, on every back-end."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlmodel import SQLModel

from storage.database import FOREIGN_TABLES, Database, alembic_config, include_name


def schema_differences(database: Database) -> list[object]:
    with database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_name": include_name, "compare_type": True})
        return list(compare_metadata(context, SQLModel.metadata))


def test_migrated_database_matches_the_models(database: Database) -> None:
    assert schema_differences(database) == []


def test_upgrading_an_up_to_date_database_changes_nothing(database: Database) -> None:
    database.upgrade()
    database.upgrade()
    assert schema_differences(database) == []


def test_downgrade_removes_every_table_and_upgrade_restores_them(database: Database) -> None:
    with database.engine.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, "base")
    remaining = set(inspect(database.engine).get_table_names()) - {"alembic_version"} - FOREIGN_TABLES
    assert remaining == set()
    database.upgrade()
    assert set(SQLModel.metadata.tables) <= set(inspect(database.engine).get_table_names())


def test_the_scheduler_job_table_is_not_ours_to_migrate() -> None:
    assert include_name("apscheduler_jobs", "table", {}) is False
    assert include_name("complaint", "table", {}) is True

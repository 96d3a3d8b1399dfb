"""The migrations build exactly the schema the models describe, on every back-end."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import JSON, ColumnClause, Connection, column, inspect, text
from sqlalchemy import table as sa_table
from sqlalchemy.exc import IntegrityError
from sqlmodel import SQLModel
from sqlmodel.sql.sqltypes import UTCDateTime

from storage.database import FOREIGN_TABLES, MIGRATIONS, Database, alembic_config, include_name
from storage.models import Notice
from support.databases import BACKENDS, create_schema, drop_schema, postgres_schema_url


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
    database.downgrade("base")
    remaining = set(inspect(database.engine).get_table_names()) - {"alembic_version"} - FOREIGN_TABLES
    assert remaining == set()
    database.upgrade()
    assert set(SQLModel.metadata.tables) <= set(inspect(database.engine).get_table_names())


def test_the_scheduler_job_table_is_not_ours_to_migrate() -> None:
    assert include_name("apscheduler_jobs", "table", {}) is False
    assert include_name("complaint", "table", {}) is True


# Revisions deployed databases may already be at. Editing one would leave those databases with a
# schema no revision describes: change the schema in a new revision, and list it here once released.
RELEASED_REVISIONS = {
    "0001_initial_schema.py": "69ba7281850af70b37cdb4dcfc2d76028d65822ccb1bea1a11707d2e9c10abe7",
}


def test_a_released_revision_is_never_edited() -> None:
    versions = MIGRATIONS / "versions"
    digests = {name: hashlib.sha256((versions / name).read_bytes()).hexdigest() for name in RELEASED_REVISIONS}
    assert digests == RELEASED_REVISIONS


# --- upgrading a database that holds data ------------------------------------------------------

FIRST_REVISION = "0001"
NOW = datetime(2026, 11, 18, 20, 0, tzinfo=UTC)
TABLES = (
    "organisation", "member", "ip_right", "listing", "complaint", "complaint_item", "audit_entry", "notice",
    "delivery", "posted_message", "reminder", "channel_mapping",
)  # fmt: skip


@pytest.fixture(params=BACKENDS)
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A database with no tables at all, on each back-end."""
    if request.param == "sqlite":
        database = Database(f"sqlite:///{tmp_path / 'old.db'}")
        yield database
        database.dispose()
    else:
        schema = f"marketsafe_migrations_{os.getpid()}"
        create_schema(schema)
        database = Database(postgres_schema_url(schema))
        yield database
        database.dispose()
        drop_schema(schema)


def insert(connection: Connection, table: str, **values: object) -> None:
    """A row written as the schema of its revision has it: only the columns given, typed by value."""

    def typed(name: str, value: object) -> ColumnClause[object]:
        if isinstance(value, datetime):
            return column(name, UTCDateTime())
        return column(name, JSON()) if isinstance(value, dict) else column(name)

    connection.execute(sa_table(table, *(typed(name, value) for name, value in values.items())).insert(), values)


def fill_first_revision(database: Database) -> None:
    """A small program as revision 0001 stored it: a brand, a case with two items and its notices."""
    with database.engine.begin() as connection:
        row = partial(insert, connection)
        row(
            "organisation",
            id=1,
            slug="acme",
            name="ACME Corp",
            iacc_member=True,
            good_faith=True,
            active=True,
            created_at=NOW,
        )
        row(
            "member",
            id=1,
            platform="slack",
            user_id="U0BRAND1",
            organisation_id=1,
            role="representative",
            active=True,
            created_at=NOW,
        )
        row("member", id=2, platform="slack", user_id="U0TEAM1", role="team", active=True, created_at=NOW)
        row(
            "ip_right",
            id=1,
            organisation_id=1,
            kind="trademark",
            mark="ACME",
            registration_number="12345678",
            jurisdiction="CN",
            status="verified",
            luxury=False,
            created_at=NOW,
        )
        for listing in (1, 2):
            row(
                "listing",
                id=listing,
                platform="taobao",
                external_id=f"100{listing}",
                canonical_url=f"https://item.taobao.com/item.htm?id=100{listing}",
                first_seen_at=NOW,
            )
        row(
            "complaint",
            id=1,
            organisation_id=1,
            filed_by_id=1,
            ip_right_id=1,
            platform="taobao",
            kind="listing",
            reason_code="counterfeit",
            status="partially_actioned",
            item_count=2,
            assigned_to_id=2,
            created_at=NOW,
            updated_at=NOW,
        )
        for position, status in ((1, "removed"), (2, "reported")):
            row(
                "complaint_item",
                id=position,
                complaint_id=1,
                position=position,
                organisation_id=1,
                platform="taobao",
                kind="listing",
                listing_id=position,
                original_text=f"taobao 100{position}",
                canonical_url=f"https://item.taobao.com/item.htm?id=100{position}",
                status=status,
                reported_at=NOW,
                reported_month=202611,
                counter_rounds=0,
            )
        row(
            "audit_entry",
            id=1,
            at=NOW,
            actor="slack:U0TEAM1",
            entity="item",
            entity_id=1,
            action="status",
            from_status="reported",
            to_status="removed",
        )
        row(
            "audit_entry",
            id=2,
            at=NOW,
            actor="slack:U0TEAM1",
            entity="complaint",
            entity_id=1,
            action="status",
            from_status="submitted",
            to_status="partially_actioned",
            note="one listing is still up",
        )
        payload = {"fields": [["Items", "2"]], "buttons": [], "replace": False}
        for notice, channel, kind in (
            (1, "team", "case_opened"),
            (2, "org:acme", "case_opened"),
            (3, "dm:slack:U0TEAM1", "case_assigned"),
            (4, "working-group", "proposal"),
        ):
            row(
                "notice",
                id=notice,
                created_at=NOW,
                channel=channel,
                case_id="MS-000001" if notice < 4 else None,
                kind=kind,
                text=f"notice {notice}",
                payload=payload,
            )
        row(
            "delivery",
            id=1,
            notice_id=1,
            platform="slack",
            status="sent",
            attempts=1,
            next_attempt_at=NOW,
            message_ref="1763496000.000100",
            uncertain=False,
            sent_at=NOW,
        )
        row(
            "delivery",
            id=2,
            notice_id=2,
            platform="slack",
            status="pending",
            attempts=0,
            next_attempt_at=NOW,
            uncertain=False,
        )
        row(
            "delivery",
            id=3,
            notice_id=3,
            platform="discord",
            status="failed",
            attempts=12,
            next_attempt_at=NOW,
            last_error="403 Missing Access",
            uncertain=True,
        )
        row(
            "posted_message",
            id=1,
            platform="slack",
            channel="team",
            case_id="MS-000001",
            channel_ref="C0TEAM01",
            message_ref="1763496000.000100",
            created_at=NOW,
        )
        row(
            "reminder",
            id=1,
            member_id=1,
            target="org:acme",
            text="send the monthly figures",
            first_at=NOW,
            recurrence="weekly:0:09:00",
            timezone="America/New_York",
            active=True,
            created_at=NOW,
        )
        row("channel_mapping", id=1, platform="slack", logical_name="working-group", external_id="C0WORKGRP",
            updated_by="slack:U0ADMIN", updated_at=NOW)  # fmt: skip


def every_row(database: Database) -> dict[str, list[tuple[object, ...]]]:
    with database.engine.connect() as connection:
        return {
            table: [tuple(row) for row in connection.execute(text(f"SELECT * FROM {table} ORDER BY id"))]
            for table in TABLES
        }


def current_revision(database: Database) -> str | None:
    with database.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def test_upgrading_a_database_of_the_first_revision_keeps_every_row(empty_database: Database) -> None:
    empty_database.upgrade(FIRST_REVISION)
    fill_first_revision(empty_database)
    before = every_row(empty_database)
    empty_database.upgrade()
    assert current_revision(empty_database) == ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert every_row(empty_database) == before
    assert schema_differences(empty_database) == []
    with empty_database.transaction() as session:
        notice = session.get(Notice, 3)
        assert notice is not None
        assert (notice.channel, notice.kind, notice.payload["fields"]) == (
            "dm:slack:U0TEAM1",
            "case_assigned",
            [["Items", "2"]],
        )


@pytest.mark.parametrize(
    ("table", "values", "constraint"),
    [
        ("notice", {"kind": "legacy_digest", "dedupe_key": None}, "ck_notice_kind"),
        ("notice", {"channel": "general", "dedupe_key": None}, "ck_notice_channel"),
        ("notice", {"channel": "ORG:acme", "dedupe_key": None}, "ck_notice_channel"),
        ("audit_entry", {"entity": "widget"}, "ck_audit_entry_entity"),
        ("reminder", {"target": "Team"}, "ck_reminder_target"),
        ("channel_mapping", {"logical_name": "working_group"}, "ck_channel_mapping_logical_name"),
        ("posted_message", {"channel": "random"}, "ck_posted_message_channel"),
    ],
)
def test_the_upgraded_database_refuses_values_outside_the_vocabulary(
    empty_database: Database, table: str, values: dict[str, object], constraint: str
) -> None:
    empty_database.upgrade(FIRST_REVISION)
    fill_first_revision(empty_database)
    empty_database.upgrade()
    with empty_database.engine.connect() as connection:
        good = connection.execute(text(f"SELECT * FROM {table} WHERE id = 1")).mappings().one()
    with pytest.raises(IntegrityError, match=constraint), empty_database.engine.begin() as connection:
        insert(connection, table, **(dict(good) | {"id": 100} | values))


def test_the_upgrade_leaves_references_enforced(empty_database: Database) -> None:
    empty_database.upgrade(FIRST_REVISION)
    fill_first_revision(empty_database)
    empty_database.upgrade()
    with pytest.raises(IntegrityError), empty_database.engine.begin() as connection:
        insert(connection, "delivery", id=100, notice_id=999, platform="slack", status="pending", attempts=0,
               next_attempt_at=NOW, uncertain=False)  # fmt: skip


def test_an_unknown_value_stops_the_upgrade_naming_it_and_changes_nothing(empty_database: Database) -> None:
    empty_database.upgrade(FIRST_REVISION)
    fill_first_revision(empty_database)
    with empty_database.engine.begin() as connection:
        connection.execute(text("UPDATE notice SET kind = 'legacy_digest' WHERE id IN (1, 2)"))
        connection.execute(text("UPDATE audit_entry SET entity = 'widget' WHERE id = 1"))
    before = every_row(empty_database)
    with pytest.raises(RuntimeError) as refused:
        empty_database.upgrade()
    message = str(refused.value)
    assert "notice.kind = 'legacy_digest' (2 rows)" in message
    assert "audit_entry.entity = 'widget' (1 rows)" in message
    assert "The database was not changed." in message
    assert current_revision(empty_database) == FIRST_REVISION
    assert every_row(empty_database) == before
    with empty_database.engine.begin() as connection:
        connection.execute(text("UPDATE notice SET kind = 'weekly_digest' WHERE kind = 'legacy_digest'"))
        connection.execute(text("UPDATE audit_entry SET entity = 'item' WHERE entity = 'widget'"))
    empty_database.upgrade()
    assert schema_differences(empty_database) == []

"""The migrations build exactly the schema the models describe, on every back-end, and upgrade a
database that holds data without losing a row."""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, timedelta
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import SQLModel, col, select

from handlers.kit.audit_trail import note_columns, note_text
from handlers.kit.i18n import Message, deferred, in_language
from handlers.kit.outbox import NoticePayload
from storage.database import FOREIGN_TABLES, MIGRATIONS, Database, alembic_config, include_name
from storage.models import Application, AuditEntry, OutboxNotice, Proposal
from storage.queries.figures import monthly_figures, service_by_platform
from storage.queries.proposals import next_number
from storage.stats_counts import DAY, ItemFigures, Key, stored_counts
from storage.vocabulary import Language, ProposalKind
from support.databases import BACKENDS, create_schema, drop_schema, postgres_schema_url
from support.first_revision import FIRST_REVISION, NOW, as_before, every_row, fill_first_revision, insert


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
    "0002_closed_vocabularies.py": "a1ec52f867be91b82816cb209ce59825b2a0439988943026280301ee3b5af4b1",
    "0003_practice_numbers.py": "8ac583a6200e0c415ee7a0086e99c0e725616c89bb6eacfb40dd67c5b6a59a8b",
    "0004_outcome_words.py": "206ddb41b9a1b4928869cd28926f0763b34df82bcf9afa474b4df4625fcfeea6",
    "0005_reported_items_by_kind.py": "a1221d0768f955d97c35d8e9b0c2e3dc4921eb5db42c47c147c7340284f2735a",
    "0006_case_list_indexes.py": "4000ff9df6abb9a50dc3bd1d82445b4cfe8f1e97c2da3e5821055c0d94762c15",
    "0007_case_record.py": "5191da0e6c3ecc4889d13f2c9e788b29211502ba25744a7946b7e2bb128b8166",
    "0008_scheduled_occurrences.py": "4ebe787c9edda418681d466d6b62ff17ee24c8d3ef1d98cd74c5ec7f27596f99",
    "0009_delivery_workers.py": "49c6247b5176a60f7da29e2326232f1d7866a145315ad6bae462796fcc22dabd",
    "0010_accepted_commands.py": "7f66e6c1e7d58de9e21d7794e44de073be7896201d2b8b1066aac4d5dd75a663",
    "0011_languages.py": "1a3579ac42ff8a43ad1097f1bf9dcc77113ff2f8e3bc37c38039f03873113c19",
    "0012_audit_messages.py": "7adfbd625d6543830034efd3c109685499342eac8ff6bac3e2d08d3596279259",
    "0013_stats_counts.py": "5f016a34442a72225f1d811b98dc141e9a7476175b88cb4f3ac30060d5a0abf3",
    "0014_organisation_case_counts.py": "2f538f0491ab21a73452d64d56d4961608db4a95018d3e2bd738ed420118f5c0",
}


def test_a_released_revision_is_never_edited() -> None:
    versions = MIGRATIONS / "versions"
    digests = {name: hashlib.sha256((versions / name).read_bytes()).hexdigest() for name in RELEASED_REVISIONS}
    assert digests == RELEASED_REVISIONS


# --- upgrading a database that holds data ------------------------------------------------------


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


def current_revision(database: Database) -> str | None:
    with database.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def test_upgrading_a_database_of_the_first_revision_keeps_every_row(empty_database: Database) -> None:
    empty_database.upgrade(FIRST_REVISION)
    fill_first_revision(empty_database)
    before = every_row(empty_database)
    empty_database.upgrade()
    assert current_revision(empty_database) == ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert as_before(every_row(empty_database), before) == before
    assert schema_differences(empty_database) == []
    with empty_database.transaction() as session:
        notice = session.get(OutboxNotice, 3)
        assert notice is not None
        assert (notice.channel, notice.kind, notice.payload["fields"]) == (
            "dm:slack:U0TEAM1",
            "case_assigned",
            [["Items", "2"]],
        )
        assert NoticePayload.model_validate(notice.payload).fields == (("Items", "2"),), "old rows still read"
    with empty_database.engine.connect() as connection:
        counted = stored_counts(connection)
    # The case's two listings, reported in 2026-11 and not decided, counted for ACME and the program.
    assert counted == {(scope, "reported", 202611, "taobao", "listing", 0): 2 for scope in (1, 0)}


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
    assert "audit_entry.entity = 'widget' (1 row)" in message
    assert "The database was not changed." in message
    assert current_revision(empty_database) == FIRST_REVISION
    assert every_row(empty_database) == before
    with empty_database.engine.begin() as connection:
        connection.execute(text("UPDATE notice SET kind = 'weekly_digest' WHERE kind = 'legacy_digest'"))
        connection.execute(text("UPDATE audit_entry SET entity = 'item' WHERE entity = 'widget'"))
    empty_database.upgrade()
    assert schema_differences(empty_database) == []


# --- revision 0003: best practices numbered apart from proposals --------------------------------


def test_upgrading_keeps_every_proposal_and_practice_reference_and_numbers_each_kind_on_its_own(
    empty_database: Database,
) -> None:
    empty_database.upgrade("0002")
    fill_first_revision(empty_database)
    with empty_database.engine.begin() as connection:
        for number, kind, status in ((1, "proposal", "open"), (2, "proposal", "accepted"), (3, "practice", "shared")):
            insert(connection, "proposal", id=number, kind=kind, member_id=1, organisation_id=1, title=f"item {number}",
                   text="some words of text", tags="", status=status, created_at=NOW, updated_at=NOW)  # fmt: skip
        insert(connection, "proposal_vote", id=1, proposal_id=3, member_id=1, value=1, updated_at=NOW)
    empty_database.upgrade()
    assert schema_differences(empty_database) == []
    with empty_database.transaction() as session:
        stored = session.exec(select(Proposal).order_by(col(Proposal.id))).all()
        assert [(p.reference, p.title) for p in stored] == [
            ("P-0001", "item 1"), ("P-0002", "item 2"), ("BP-0003", "item 3"),
        ]  # fmt: skip
        assert next_number(session, ProposalKind.PROPOSAL) == 3
        assert next_number(session, ProposalKind.PRACTICE) == 4
    with (
        pytest.raises(IntegrityError, match=r"uq_proposal_kind_number|proposal\.kind, proposal\.number"),
        empty_database.engine.begin() as c,
    ):
        insert(c, "proposal", id=4, number=3, kind="practice", member_id=1, title="again", text="some words of text",
               tags="", status="shared", created_at=NOW, updated_at=NOW)  # fmt: skip


# --- revision 0004: outcomes stored in the words the team types ---------------------------------


def test_upgrading_renames_appeal_outcomes_to_the_words_the_team_types_in_items_appeals_and_history(
    empty_database: Database,
) -> None:
    empty_database.upgrade("0003")
    fill_first_revision(empty_database)
    with empty_database.engine.begin() as connection:
        connection.execute(
            text("UPDATE complaint_item SET status = 'counter_noticed', counter_rounds = 2 WHERE id = 1")
        )
        connection.execute(text("UPDATE complaint_item SET status = 'removal_upheld', counter_rounds = 1 WHERE id = 2"))
        for number, item, round_, status in (
            (1, 1, 1, "removal_upheld"),
            (2, 1, 2, "open"),
            (3, 2, 1, "removal_upheld"),
        ):
            insert(connection, "counter_notice", id=number, item_id=item, round=round_, received_at=NOW, due_at=NOW,
                   status=status)  # fmt: skip
        for number, entity, from_status, to_status in (
            (3, "item", "removed", "counter_noticed"), (4, "item", "counter_noticed", "removal_upheld"),
            (5, "complaint", "partially_actioned", "actioned"),
        ):  # fmt: skip
            insert(connection, "audit_entry", id=number, at=NOW, actor="slack:U0TEAM1", entity=entity, entity_id=1,
                   action="status", from_status=from_status, to_status=to_status)  # fmt: skip
    empty_database.upgrade()
    assert schema_differences(empty_database) == []
    with empty_database.engine.connect() as connection:
        items = connection.execute(text("SELECT id, status, counter_rounds FROM complaint_item ORDER BY id")).all()
        appeals = connection.execute(text("SELECT id, status FROM counter_notice ORDER BY id")).all()
        history = connection.execute(text("SELECT id, from_status, to_status FROM audit_entry ORDER BY id")).all()
    assert [tuple(row) for row in items] == [(1, "counter_notice", 2), (2, "upheld", 1)]
    assert [tuple(row) for row in appeals] == [(1, "upheld"), (2, "open"), (3, "upheld")]
    assert [tuple(row) for row in history] == [
        (1, "reported", "removed"), (2, "submitted", "partially_actioned"), (3, "removed", "counter_notice"),
        (4, "counter_notice", "upheld"), (5, "partially_actioned", "actioned"),
    ]  # fmt: skip
    for table, constraint in (
        ("complaint_item", "ck_complaint_item_status"),
        ("counter_notice", "ck_counter_notice_status"),
    ):
        with pytest.raises(IntegrityError, match=constraint), empty_database.engine.begin() as connection:
            connection.execute(text(f"UPDATE {table} SET status = 'removal_upheld' WHERE id = 1"))


def test_the_outcome_words_revision_keeps_the_figures_indexes_partial(empty_database: Database) -> None:
    empty_database.upgrade("0003")
    before = partial_index_conditions(empty_database)
    empty_database.upgrade()
    after = partial_index_conditions(empty_database)
    assert {name: after.get(name) for name in before} == before  # later revisions add partial indexes of their own
    assert len(before) == 6


def partial_index_conditions(database: Database) -> dict[str, str]:
    """Each partial index of complaint_item, with the condition that makes it partial."""
    with database.engine.connect() as connection:
        indexes = inspect(connection).get_indexes("complaint_item")
    return {
        str(index["name"]): str(index.get("dialect_options", {}).get(f"{database.engine.dialect.name}_where"))
        for index in indexes
        if index.get("dialect_options", {}).get(f"{database.engine.dialect.name}_where") is not None
    }


def test_upgrading_gives_items_decided_before_their_time_to_a_first_decision(empty_database: Database) -> None:
    empty_database.upgrade("0005")
    fill_first_revision(empty_database)
    decided = NOW + timedelta(hours=30, seconds=7)
    with empty_database.engine.begin() as connection:
        connection.execute(
            text("UPDATE complaint_item SET status = 'removed', decided_at = :at, decided_month = 202611 WHERE id = 1"),
            {"at": decided if empty_database.is_postgresql else decided.replace(tzinfo=None).isoformat(sep=" ")},
        )
    empty_database.upgrade()
    with empty_database.engine.connect() as connection:
        times: dict[int, int | None] = dict(
            connection.execute(text("SELECT id, decision_seconds FROM complaint_item ORDER BY id")).all()
        )
    assert times[1] == 30 * 3600 + 7
    assert all(seconds is None for item, seconds in times.items() if item != 1), "undecided items have no time"


# An application as every revision before 0012 stored it.
APPLICATION: dict[str, object] = {
    "id": 1, "applicant_platform": "slack", "applicant_user_id": "U0APPLY", "legal_name": "Widgetco",
    "country": "US", "region": "north-america", "size_band": "large", "contact": "Jo", "is_rights_holder": True,
    "good_faith": False, "marks": "WIDGETCO", "group_key": "north-america:large", "arrival_seq": 1,
    "status": "queued", "submitted_at": NOW, "updated_at": NOW,
}  # fmt: skip


def test_upgrading_keeps_plain_notes_readable_and_applications_in_the_programs_language(
    empty_database: Database,
) -> None:
    """Revision 0012: entries keep their plain note and have no message; applications have no language."""
    empty_database.upgrade("0011")
    fill_first_revision(empty_database)
    with empty_database.engine.begin() as connection:
        insert(connection, "application", **APPLICATION)
    empty_database.upgrade()
    with empty_database.engine.connect() as connection:
        notes = connection.execute(text("SELECT id, note, note_message FROM audit_entry ORDER BY id")).all()
        languages = connection.execute(text("SELECT id, language FROM application")).all()
    assert [tuple(row) for row in notes] == [(1, None, None), (2, "one listing is still up", None)]
    assert [tuple(row) for row in languages] == [(1, None)]
    with empty_database.transaction() as session:
        entry = session.get(AuditEntry, 2)
        assert entry is not None
        with in_language("zh"):
            assert note_text(entry) == "one listing is still up", "an old note reads as it was stored"
        # The new columns keep what the program writes.
        entry.note, entry.note_message = note_columns(deferred("application #{number}", number=1))
        application = session.get(Application, 1)
        assert application is not None and application.language is None
        application.language = Language.ZH
    with empty_database.transaction() as session:
        entry = session.get(AuditEntry, 2)
        application = session.get(Application, 1)
        assert entry is not None and application is not None
        assert Message.from_json(entry.note_message) == Message("application #{number}", {"number": 1}, domain=None)
        assert application.language == Language.ZH


def test_an_applications_language_is_one_of_the_bots(empty_database: Database) -> None:
    empty_database.upgrade()
    with pytest.raises(IntegrityError, match="ck_application_language"), empty_database.engine.begin() as connection:
        insert(connection, "application", **(APPLICATION | {"language": "fr"}))


# --- revision 0013: running counts of stats -----------------------------------------------------


def test_upgrading_counts_the_items_already_stored_into_the_running_counts_of_stats(
    empty_database: Database,
) -> None:
    empty_database.upgrade("0011")
    fill_first_revision(empty_database)
    # Decided items of two months and two platforms, with times on either side of the buckets' bounds.
    decided = (  # status, decided month, seconds to the first decision, seconds to removal
        ("removed", 202611, 0, 0), ("removed", 202611, 3600, 3600), ("not_found", 202611, 86400, None),
        ("counter_notice", 202612, 86401, 86401), ("upheld", 202612, 259200, 259200),
        ("reinstated", 202612, 700_000, None), ("removed", 202701, 9_000_000, 9_000_000),
        ("withdrawn", None, None, None),
    )  # fmt: skip
    with empty_database.engine.begin() as connection:
        insert(connection, "complaint", id=2, organisation_id=1, filed_by_id=1, ip_right_id=1, platform="tmall",
               kind="listing", reason_code="counterfeit", status="in_review", item_count=len(decided),
               created_at=NOW, updated_at=NOW)  # fmt: skip
        for position, (status, month, decision, removal) in enumerate(decided, start=1):
            insert(
                connection,
                "listing",
                id=10 + position,
                platform="tmall",
                external_id=f"20{position}",
                canonical_url=f"https://detail.tmall.com/item.htm?id=20{position}",
                first_seen_at=NOW,
            )
            insert(connection, "complaint_item", id=10 + position, complaint_id=2, position=position,
                   organisation_id=1, platform="tmall", kind="listing", listing_id=10 + position,
                   original_text="t", canonical_url="t", status=status, reported_at=NOW, reported_month=202611,
                   decided_at=NOW if month else None, decided_month=month, removal_seconds=removal,
                   decision_seconds=decision, counter_rounds=0)  # fmt: skip
        items = [dict(row) for row in connection.execute(text("SELECT * FROM complaint_item")).mappings()]
    empty_database.upgrade()
    expected: Counter[Key] = Counter()
    for item in items:
        expected.update(ItemFigures.of(item).counts())
    with empty_database.engine.connect() as connection:
        assert stored_counts(connection) == dict(expected)
    assert expected[(1, "decision_time", 202611, "tmall", "", DAY)] == 1, "86,400 s is within the day"
    assert expected[(0, "reported", 202611, "tmall", "listing", 0)] == len(decided)
    with empty_database.transaction() as session:
        service = {row.platform: row for row in service_by_platform(session, None, 202611, 202611)}
        figures = monthly_figures(session, organisation_id=1, first_month=202611, last_month=202612, zone=UTC)
    assert (service["tmall"].decided, service["tmall"].within_day, service["tmall"].within_three_days) == (7, 3, 5)
    assert service["tmall"].median_decision_seconds == 86401, "the 4th of 7 times"
    assert [(f.reported, f.removed, f.decided, f.median_removal_seconds) for f in figures] == [
        (2 + len(decided), 2, 3, 1800.0), (0, 2, 3, (86401 + 259200) / 2),
    ]  # fmt: skip

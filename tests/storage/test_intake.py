"""Accepted commands are kept until answered, taken over only once their owner's lease ran out,
and never taken by two processes at once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import Session, select

from storage.database import Database
from storage.models import AcceptedCommand
from storage.queries.intake import (
    Accepted,
    accept_command,
    accept_commands,
    claim_orphans,
    finish_command,
    finish_commands,
    prune_finished,
    release_command,
    renew_leases,
    waiting_commands,
)
from storage.vocabulary import IntakeStatus

NOW = datetime(2026, 11, 18, 20, 0, tzinfo=UTC)
LEASE = timedelta(seconds=5)
URL = "https://hooks.slack.com/commands/T0TEAM/1/abc"


def accept(session: Session, key: str, owner: str | None, *, now: datetime = NOW) -> Accepted | None:
    return accept_command(
        session, platform="slack", kind="command", request_key=key, payload={"user_id": "U1", "text": "cases"},
        response_url=URL, owner=owner, now=now, lease_until=now + LEASE if owner else now,
    )  # fmt: skip


def test_a_retried_request_is_accepted_once(database: Database) -> None:
    with database.transaction() as session:
        first = accept(session, "slack:command:1", "a")
    with database.transaction() as session:
        again = accept(session, "slack:command:1", "b")
    assert first is not None and first.attempts == 1 and first.payload["text"] == "cases"
    assert again is None
    with database.transaction() as session:
        assert waiting_commands(session) == 1


def test_a_living_owners_commands_are_not_taken_over(database: Database) -> None:
    with database.transaction() as session:
        accept(session, "slack:command:1", "a")
    later = NOW + LEASE - timedelta(seconds=1)
    with database.transaction() as session:
        assert renew_leases(session.connection(), "a", later + LEASE) == 1
    with database.transaction() as session:
        assert claim_orphans(session.connection(), "b", later + timedelta(seconds=2), later + 2 * LEASE, 10) == []


def test_a_dead_owners_command_is_taken_over_once_with_its_answer_address(database: Database) -> None:
    with database.transaction() as session:
        accepted = accept(session, "slack:command:1", "a")
    assert accepted is not None
    expired = NOW + LEASE + timedelta(seconds=1)
    with database.transaction() as session:
        (taken,) = claim_orphans(session.connection(), "b", expired, expired + LEASE, 10)
    with database.transaction() as session:
        assert claim_orphans(session.connection(), "c", expired, expired + LEASE, 10) == []
    assert (taken.id, taken.response_url, taken.attempts) == (accepted.id, URL, 2)
    with database.transaction() as session:
        assert not finish_command(session, accepted.id, "a", expired)  # the dead owner no longer holds it
        assert finish_command(session, accepted.id, "b", expired)
    with database.transaction() as session:
        row = session.get(AcceptedCommand, accepted.id)
        assert row is not None and row.status is IntakeStatus.DONE and row.response_url is None
        assert waiting_commands(session) == 0


def test_a_queued_command_is_taken_by_the_first_process_with_room_oldest_first(database: Database) -> None:
    with database.transaction() as session:
        for number in range(3):
            accept(session, f"slack:command:{number}", None, now=NOW + timedelta(milliseconds=number))
    later = NOW + timedelta(seconds=1)
    with database.transaction() as session:
        taken = claim_orphans(session.connection(), "b", later, later + LEASE, 2)
    with database.transaction() as session:
        rest = claim_orphans(session.connection(), "c", later, later + LEASE, 5)
    assert [command.request_key for command in taken] == ["slack:command:0", "slack:command:1"]
    assert [command.request_key for command in rest] == ["slack:command:2"]


def test_a_released_command_waits_until_its_retry_time(database: Database) -> None:
    with database.transaction() as session:
        accepted = accept(session, "slack:command:1", "a")
    assert accepted is not None
    with database.transaction() as session:
        assert release_command(session, accepted.id, "a", NOW + timedelta(seconds=30))
    later = NOW + timedelta(seconds=40)
    with database.connection() as connection:
        assert claim_orphans(connection, "b", NOW + timedelta(seconds=29), later, 5) == []
        assert len(claim_orphans(connection, "b", NOW + timedelta(seconds=31), later, 5)) == 1


def test_answered_commands_are_forgotten_after_a_while_and_waiting_ones_never(database: Database) -> None:
    with database.transaction() as session:
        done, waiting = accept(session, "slack:command:1", "a"), accept(session, "slack:command:2", "a")
    assert done is not None and waiting is not None
    with database.transaction() as session:
        finish_command(session, done.id, "a", NOW)
    with database.transaction() as session:
        assert prune_finished(session, NOW + timedelta(days=1)) == 1
    with database.transaction() as session:
        assert session.get(AcceptedCommand, done.id) is None
        assert session.get(AcceptedCommand, waiting.id) is not None


def test_a_sweep_skips_commands_another_process_is_taking(database: Database) -> None:
    """On PostgreSQL the rows one sweep is taking are skipped by another (SKIP LOCKED); on SQLite
    the second sweep waits for the first and then finds them taken."""
    with database.transaction() as session:
        accept(session, "slack:command:1", None)
    later = NOW + timedelta(seconds=1)
    if not database.is_postgresql:
        with database.transaction() as first:
            assert len(claim_orphans(first.connection(), "b", later, later + LEASE, 5)) == 1
        with database.transaction() as second:
            assert claim_orphans(second.connection(), "c", later, later + LEASE, 5) == []
        return
    with database.transaction() as first:
        assert len(claim_orphans(first.connection(), "b", later, later + LEASE, 5)) == 1
        with database.transaction() as second:  # while the first has not committed
            assert claim_orphans(second.connection(), "c", later, later + LEASE, 5) == []


def values(key: str, owner: str | None) -> dict[str, object]:
    return {
        "platform": "slack", "kind": "command", "request_key": key, "payload": {"user_id": "U1", "text": key},
        "response_url": URL, "owner": owner, "now": NOW, "lease_until": NOW + LEASE if owner else NOW,
    }  # fmt: skip


def test_commands_accepted_together_each_get_their_row_and_a_repeated_request_none(database: Database) -> None:
    with database.transaction() as session:
        accept(session, "slack:command:0", "a")
    with database.transaction() as session:
        arrivals = [values("slack:command:1", "a"), values("slack:command:0", "a"), values("slack:command:2", None)]
        results = accept_commands(session.connection(), [*arrivals, values("slack:command:1", None)])
    first, repeated, queued, again = results
    assert repeated is None and again is None  # accepted before, and earlier in the same batch
    assert first is not None and queued is not None and first.id != queued.id
    assert (first.request_key, first.attempts, queued.request_key, queued.attempts) == (
        "slack:command:1", 1, "slack:command:2", 0,
    )  # fmt: skip
    with database.transaction() as session:
        rows = {row.request_key: row for row in session.exec(select(AcceptedCommand)).all()}
    assert set(rows) == {"slack:command:0", "slack:command:1", "slack:command:2"}
    assert (rows["slack:command:1"].id, rows["slack:command:1"].owner) == (first.id, "a")
    assert (rows["slack:command:2"].id, rows["slack:command:2"].owner) == (queued.id, None)
    assert rows["slack:command:2"].payload == {"user_id": "U1", "text": "slack:command:2"}


def test_answered_commands_are_marked_done_only_by_their_owner(database: Database) -> None:
    with database.transaction() as session:
        mine, theirs = accept(session, "slack:command:1", "a"), accept(session, "slack:command:2", "b")
    assert mine is not None and theirs is not None
    with database.transaction() as session:
        assert finish_commands(session.connection(), [(mine.id, "a", NOW), (theirs.id, "a", NOW)]) == {mine.id}
    with database.transaction() as session:
        assert finish_commands(session.connection(), [(mine.id, "a", NOW)]) == set()  # already done
        statuses = {row.id: row.status for row in session.exec(select(AcceptedCommand)).all()}
    assert statuses == {mine.id: IntakeStatus.DONE, theirs.id: IntakeStatus.ACCEPTED}

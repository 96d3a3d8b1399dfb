"""Notices committed out of the order of their ids: the delivery worker posts each one once."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from bot.delivery import DeliveryWorker
from storage.database import Database
from storage.models import DeliveryCursor, OutboxNotice
from storage.queries.outbox import SETTLED, write_notice
from storage.vocabulary import NoticeKind
from support.clock import FakeClock
from support.databases import POSTGRES_URL, empty_all_tables
from support.harness import RecordingPoster


def add_notice(session: Session, clock: FakeClock, text: str) -> None:
    assert write_notice(
        session, channel="team", text=text, kind=NoticeKind.INFO, case_id=None, payload={}, dedupe_key=None, now=clock()
    )


def low_water_mark(database: Database) -> int:
    with database.transaction() as session:
        cursor = session.get(DeliveryCursor, "test")
        assert cursor is not None
        return cursor.last_notice_id


@pytest.fixture
def poster() -> RecordingPoster:
    return RecordingPoster()


@pytest.fixture
def running(database: Database, clock: FakeClock, poster: RecordingPoster) -> DeliveryWorker:
    started = DeliveryWorker(database, poster, resolve=lambda logical: f"#{logical}", clock=clock)
    started.start()
    return started


if POSTGRES_URL:  # SQLite lets one transaction write at a time, so there its commits follow the order of ids

    def test_a_notice_committed_after_a_later_one_was_posted_is_still_posted_once(
        postgres_database: Database, clock: FakeClock, poster: RecordingPoster
    ) -> None:
        database = postgres_database
        empty_all_tables(database)
        running = DeliveryWorker(database, poster, resolve=lambda logical: f"#{logical}", clock=clock)
        running.start()
        with Session(database.engine) as slow:
            add_notice(slow, clock, "written first, committed last")
            slow.flush()  # the notice has its id; its transaction stays open
            with database.transaction() as quick:
                add_notice(quick, clock, "written second, committed first")
            assert running.run_once() == 1
            slow.commit()
        assert running.run_once() == 1
        clock.advance(seconds=SETTLED.total_seconds() + 1)
        assert running.run_once() == 0
        assert [p.text for p in poster.posted] == ["written second, committed first", "written first, committed last"]


def test_the_cursor_passes_a_gap_in_the_ids_only_once_it_is_settled(
    database: Database, clock: FakeClock, poster: RecordingPoster, running: DeliveryWorker
) -> None:
    def notice(notice_id: int) -> OutboxNotice:
        return OutboxNotice(
            id=notice_id, created_at=clock(), channel="team", kind=NoticeKind.INFO, text=f"n{notice_id}"
        )

    with database.transaction() as session:
        session.add_all([notice(1), notice(3)])
    assert running.run_once() == 2
    assert low_water_mark(database) == 0, "the missing id 2 may belong to a transaction still open"
    with database.transaction() as session:
        session.add(notice(2))
    assert running.run_once() == 1
    clock.advance(seconds=SETTLED.total_seconds() + 1)
    assert running.run_once() == 0
    assert low_water_mark(database) == 3
    assert [p.text for p in poster.posted] == ["n1", "n3", "n2"]

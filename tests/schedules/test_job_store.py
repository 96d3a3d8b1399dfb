"""The job store holds plain JSON documents: jobs read back as written, and a planted row (a pickle,
stray bytes, a document naming other code) is logged and removed, never run, never unpickled."""

from __future__ import annotations

import json
import pickle
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import insert, select

from handlers.kit.context import ProgramRules
from schedules.job_document import RefusedJob, decode
from schedules.job_store import DocumentJobStore
from schedules.jobs import fire
from schedules.service import SchedulerService
from storage.database import Database
from storage.models import Milestone
from support.clock import FakeClock
from support.databases import sqlite_copy
from support.harness import Harness
from support.scheduling import ManualScheduler, drive_scheduler_time

DEADLINE = datetime(2026, 12, 15, 17, 0, tzinfo=UTC)
ANNOUNCEMENT = "milestone:1:0:20261215T170000Z"  # the job the tables call for: the deadline itself
STORE_LOG = "schedules.job_store"


@pytest.fixture(autouse=True)
def scheduler_time(monkeypatch: pytest.MonkeyPatch, clock: FakeClock) -> None:
    drive_scheduler_time(monkeypatch, clock)


@pytest.fixture
def store(database: Database) -> Iterator[DocumentJobStore]:
    scheduler = ManualScheduler(timezone=UTC)
    store = DocumentJobStore(database)
    scheduler.add_jobstore(store)
    scheduler.start(paused=True)
    yield store
    scheduler.shutdown()


@pytest.fixture
def scheduler(bot: Harness) -> Iterator[SchedulerService]:
    """The scheduler leading, with the deadline's announcement planned from the tables."""
    with bot.database.transaction() as session:
        session.add(
            Milestone(
                kind="application_deadline", title="Application deadline", at=DEADLINE, timezone="America/New_York",
                reminder_offsets="0", created_by="console:operator",
            )
        )  # fmt: skip
    running = SchedulerService(bot.database, ProgramRules(), clock=bot.clock, scheduler=ManualScheduler())
    running.step()
    yield running
    running.stop()


def plant(database: Database, job_id: str, job_state: bytes, due: datetime | None) -> None:
    """A row written straight into the job table, as anyone with write access could."""
    table = DocumentJobStore(database).jobs_t
    row = {"id": job_id, "next_run_time": due.timestamp() if due else None, "job_state": job_state}
    with database.engine.begin() as connection:
        connection.execute(insert(table).values(row))


def stored_ids(database: Database) -> set[str]:
    table = DocumentJobStore(database).jobs_t
    with database.engine.begin() as connection:
        return set(connection.execute(select(table.c.id)).scalars())


def announced_at_deadline(bot: Harness, scheduler: SchedulerService) -> list[str]:
    bot.clock.now = DEADLINE
    scheduler.step()
    assert isinstance(scheduler.scheduler, ManualScheduler)
    scheduler.scheduler.tick()
    return [p.text for p in bot.delivered() if p.kind == "milestone"]


class WritesAFile:
    """Unpickling this runs code: it creates the file it names."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __reduce__(self) -> tuple[Any, ...]:
        return (Path.touch, (self.path,))


def test_a_date_job_and_an_interval_job_read_back_as_written(store: DocumentJobStore) -> None:
    scheduler = store._scheduler
    at = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)
    reminder = "reminder:3:20261130T150000Z"
    every_five_minutes = IntervalTrigger(minutes=5, start_date=at - timedelta(hours=1), timezone="America/New_York")
    written = [
        scheduler.add_job(fire, DateTrigger(run_date=at), args=[reminder], id=reminder, misfire_grace_time=3600),
        scheduler.add_job(
            fire, every_five_minutes, args=["sweep:follow-ups"], id="sweep:follow-ups", misfire_grace_time=None,
            coalesce=False, max_instances=2,
        ),
    ]  # fmt: skip
    for job in written:
        read = store.lookup_job(job.id)
        assert read is not None
        read_state, written_state = read.__getstate__(), job.__getstate__()
        assert type(read_state.pop("trigger")) is type(written_state.pop("trigger"))
        assert read_state == written_state
        assert read.trigger.__getstate__() == job.trigger.__getstate__()
    assert [job.id for job in store.get_all_jobs()] == ["sweep:follow-ups", reminder]
    assert store.get_next_run_time() == at - timedelta(hours=1)


def test_on_a_sqlite_file_the_store_waits_its_turn_behind_urgent_writes(tmp_path: Path, sqlite_template: Path) -> None:
    """The store writes on the bot's one writing connection in turns like every other writer, so the
    acknowledgements' urgent transactions go before the scheduler's bookkeeping."""
    database = sqlite_copy(sqlite_template, tmp_path)
    scheduler = ManualScheduler(timezone=UTC)
    store = DocumentJobStore(database)
    scheduler.add_jobstore(store)
    scheduler.start(paused=True)
    order: list[str] = []

    def store_write() -> None:
        reminder = "reminder:1:20261201T090000Z"
        at = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
        scheduler.add_job(fire, DateTrigger(run_date=at), args=[reminder], id=reminder, misfire_grace_time=3600)
        order.append("store")

    def urgent_write() -> None:
        with database.connection(urgent=True):
            order.append("urgent")

    threads = [threading.Thread(target=store_write), threading.Thread(target=urgent_write)]
    with database.transaction():  # holds the turn while both line up, the store first
        for thread in threads:
            thread.start()
            time.sleep(0.1)
    for thread in threads:
        thread.join(10)
    scheduler.shutdown()
    database.dispose()
    assert order == ["urgent", "store"]


def test_a_stored_job_is_readable_json_naming_its_occurrence(store: DocumentJobStore, database: Database) -> None:
    reminder = "reminder:3:20261130T150000Z"
    at = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)
    store._scheduler.add_job(fire, DateTrigger(run_date=at), args=[reminder], id=reminder, misfire_grace_time=3600)
    with database.engine.begin() as connection:
        state: bytes = connection.execute(select(store.jobs_t.c.job_state)).scalar_one()
    assert json.loads(state) == {
        "version": 1, "id": reminder, "func": "schedules.jobs:fire", "args": [reminder],
        "trigger": {"kind": "date", "run_date": "2026-11-30T15:00:00+00:00"},
        "next_run_time": "2026-11-30T15:00:00+00:00", "misfire_grace_time": 3600, "coalesce": True,
        "max_instances": 1,
    }  # fmt: skip


def test_a_job_calling_other_code_is_refused_and_not_stored(store: DocumentJobStore, database: Database) -> None:
    at = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)
    with pytest.raises(RefusedJob):
        store._scheduler.add_job(print, DateTrigger(run_date=at), args=["reminder:3"], id="reminder:3")
    with pytest.raises(RefusedJob):
        store._scheduler.add_job(fire, DateTrigger(run_date=at), args=["digest:other"], id="reminder:3")
    assert stored_ids(database) == set()


def test_a_planted_pickle_is_never_unpickled_and_the_scheduler_keeps_announcing(
    bot: Harness, database: Database, scheduler: SchedulerService, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    marker = tmp_path / "unpickled"
    payload = pickle.dumps(WritesAFile(marker))
    pickle.loads(payload)
    assert marker.exists(), "the payload runs code when unpickled"
    marker.unlink()
    plant(database, "milestone:9:0:20261201T000000Z", payload, due=bot.clock())  # due now
    plant(database, "milestone:9:60:20261201T000000Z", payload, due=None)  # paused: read only when listing
    plant(database, "digest:20261207T140000Z", b"\x80\x05\xff not a pickle, not JSON", due=bot.clock())

    assert isinstance(scheduler.scheduler, ManualScheduler)
    scheduler.scheduler.tick()  # the due rows
    assert not marker.exists()
    assert scheduler.scheduler.get_job("milestone:9:60:20261201T000000Z") is None
    assert not marker.exists()
    assert not stored_ids(database) & {"milestone:9:0:20261201T000000Z", "milestone:9:60:20261201T000000Z"}
    assert "digest:20261207T140000Z" not in stored_ids(database)
    refused = [r.getMessage() for r in caplog.records if r.name == STORE_LOG]
    for planted in ("milestone:9:0:20261201T000000Z", "milestone:9:60:20261201T000000Z", "digest:20261207T140000Z"):
        assert any(f"Removed job '{planted}'" in message and "not a JSON document" in message for message in refused)
    assert announced_at_deadline(bot, scheduler) == ["Now: Application deadline (2026-12-15 12:00 EST)."]


def valid_document(**changes: Any) -> dict[str, Any]:
    document = {
        "version": 1, "id": "reminder:7:20261201T000000Z", "func": "schedules.jobs:fire",
        "args": ["reminder:7:20261201T000000Z"], "trigger": {"kind": "date", "run_date": "2026-12-01T00:00:00+00:00"},
        "next_run_time": "2026-12-01T00:00:00+00:00", "misfire_grace_time": 3600, "coalesce": True,
        "max_instances": 1,
    }  # fmt: skip
    return document | changes


@pytest.mark.parametrize(
    ("job_state", "reason"),
    [
        (b'{"version": 1, "id": "reminder:7:20261201T000000Z", "func"', "not a JSON document"),
        (json.dumps(valid_document(func="os:system")).encode(), "func must be schedules.jobs:fire"),
        (json.dumps(valid_document(args=["rm -rf /"])).encode(), "args must be the job id alone"),
        (
            json.dumps(valid_document(trigger={"kind": "cron", "hour": 9})).encode(),
            "trigger kind must be date or interval",
        ),
        (
            json.dumps(valid_document(trigger={"kind": "date", "run_date": "2026-12-01T00:00:00"})).encode(),
            "run_date must carry its offset",
        ),
        (json.dumps(valid_document(max_instances=True)).encode(), "max_instances must be a positive integer"),
        (json.dumps(valid_document(extra=1)).encode(), "fields must be exactly"),
        (json.dumps(valid_document(id="reminder:8:20261201T000000Z")).encode(), "id differs from the row's id"),
    ],
    ids=["truncated", "other-code", "other-args", "cron", "naive-time", "bool-count", "extra-field", "other-id"],
)
def test_a_malformed_document_is_skipped_logged_and_removed(
    bot: Harness, database: Database, scheduler: SchedulerService, caplog: pytest.LogCaptureFixture,
    job_state: bytes, reason: str,
) -> None:  # fmt: skip
    plant(database, "reminder:7:20261201T000000Z", job_state, due=bot.clock())
    listed = {job.id for job in scheduler.scheduler.get_jobs()}
    assert "reminder:7:20261201T000000Z" not in listed
    assert ANNOUNCEMENT in listed
    assert "reminder:7:20261201T000000Z" not in stored_ids(database)
    (message,) = [r.getMessage() for r in caplog.records if r.name == STORE_LOG]
    assert "Removed job 'reminder:7:20261201T000000Z'" in message and reason in message
    assert announced_at_deadline(bot, scheduler) == ["Now: Application deadline (2026-12-15 12:00 EST)."]


def test_jobs_pickled_by_apschedulers_own_store_are_dropped_and_planned_again_from_the_tables(
    bot: Harness, database: Database, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    with bot.database.transaction() as session:
        session.add(
            Milestone(
                kind="application_deadline", title="Application deadline", at=DEADLINE, timezone="America/New_York",
                reminder_offsets="0", created_by="console:operator",
            )
        )  # fmt: skip
    earlier = ManualScheduler(timezone=UTC, jobstores={"default": SQLAlchemyJobStore(engine=database.engine)})
    earlier.start(paused=True)
    earlier.add_job(fire, DateTrigger(run_date=DEADLINE), args=[ANNOUNCEMENT], id=ANNOUNCEMENT, misfire_grace_time=3600)
    earlier.shutdown()

    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("a job row was unpickled")

    monkeypatch.setattr(pickle, "loads", refuse)
    upgraded = SchedulerService(database, ProgramRules(), clock=bot.clock, scheduler=ManualScheduler())
    try:
        upgraded.step()
        assert any(f"Removed job '{ANNOUNCEMENT}'" in r.getMessage() for r in caplog.records if r.name == STORE_LOG)
        assert ANNOUNCEMENT in stored_ids(database), "planned again from the tables"
        assert announced_at_deadline(bot, upgraded) == ["Now: Application deadline (2026-12-15 12:00 EST)."]
    finally:
        upgraded.stop()


@pytest.mark.parametrize(
    ("document", "reason"),
    [
        (valid_document(id="backdoor:1", args=["backdoor:1"]), "id must name an occurrence of"),
        (valid_document(next_run_time="0001-01-01T00:00:00+05:00"), "next_run_time must fall between 1970 and 9000"),
        (
            valid_document(trigger={"kind": "interval", "seconds": float("nan"), "start_date": "2026-12-01T00:00:00Z",
                                    "end_date": None, "timezone": "UTC", "jitter": None}),
            "interval seconds must be a positive number",
        ),
        (
            valid_document(trigger={"kind": "interval", "seconds": 300, "start_date": "2026-12-01T00:00:00Z",
                                    "end_date": None, "timezone": "../../etc/passwd", "jitter": None}),
            "timezone is not a known zone",
        ),
    ],
    ids=["other-kind-of-job", "year-1", "nan-interval", "path-as-zone"],
)  # fmt: skip
def test_a_document_naming_another_kind_of_job_or_an_impossible_time_is_refused(
    document: dict[str, Any], reason: str
) -> None:
    with pytest.raises(RefusedJob, match=reason):
        decode(json.dumps(document).encode(), document["id"])


def test_an_interval_document_becomes_the_job_it_describes() -> None:
    document = valid_document(
        trigger={"kind": "interval", "seconds": 300.0, "start_date": "2026-12-01T00:00:00+00:00", "end_date": None,
                 "timezone": "America/New_York", "jitter": None},
    )  # fmt: skip
    state = decode(json.dumps(document).encode(), document["id"])
    trigger = state.pop("trigger")
    assert isinstance(trigger, IntervalTrigger) and trigger.interval == timedelta(minutes=5)
    assert str(trigger.timezone) == "America/New_York"
    assert state["func"] == "schedules.jobs:fire" and state["args"] == (document["id"],)
    assert state["next_run_time"] == datetime(2026, 12, 1, tzinfo=UTC)

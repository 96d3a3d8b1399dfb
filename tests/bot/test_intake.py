"""The intake: a bounded pool per process, commands past it queued in the database and answered
when there is room, a dead process's commands finished by another, each answered once."""

from __future__ import annotations

import logging
import threading
import time

import pytest
from sqlalchemy.exc import OperationalError
from sqlmodel import col, select

from bot.intake import CAPACITY, LEASE, MAX_ATTEMPTS, RETRY_AFTER, Intake, Outcome
from storage.database import Database
from storage.models import AcceptedCommand
from storage.queries.intake import Accepted
from storage.vocabulary import IntakeStatus
from support.clock import FakeClock
from support.unreliable_database import UnreliableDatabase


class Recorder:
    """A runner that records what it ran, and can be held (a slow handler) or made to fail."""

    def __init__(self) -> None:
        self.ran: list[tuple[str, bool]] = []
        self.gave_up: list[str] = []
        self.release = threading.Event()
        self.release.set()
        self.failing = False
        self._changed = threading.Condition()

    def run(self, command: Accepted, *, fresh: bool) -> None:
        self.release.wait(10)
        if self.failing:
            raise ConnectionError("the platform did not answer")
        with self._changed:
            self.ran.append((command.request_key, fresh))
            self._changed.notify_all()

    def give_up(self, command: Accepted) -> None:
        with self._changed:
            self.gave_up.append(command.request_key)
            self._changed.notify_all()

    def wait_for(self, count: int) -> list[tuple[str, bool]]:
        with self._changed:
            assert self._changed.wait_for(lambda: len(self.ran) >= count, 5), self.ran
            return list(self.ran)


def settled(intake: Intake) -> None:
    deadline = time.monotonic() + 5
    while intake.in_flight and time.monotonic() < deadline:
        time.sleep(0.01)
    assert intake.in_flight == 0


def statuses(database: Database) -> list[str]:
    with database.transaction() as session:
        return list(session.exec(select(AcceptedCommand.status).order_by(col(AcceptedCommand.id))).all())


def accept(intake: Intake, number: int) -> Outcome:
    return intake.accept("command", f"slack:command:{number}", {"text": "help"}, "https://hooks.example/r")


def test_a_command_is_run_and_marked_done(database: Database, clock: FakeClock) -> None:
    runner = Recorder()
    intake = Intake(database, "slack", runner, clock=clock)

    assert accept(intake, 1) is Outcome.STARTED
    assert runner.wait_for(1) == [("slack:command:1", True)]
    settled(intake)
    assert statuses(database) == [IntakeStatus.DONE]


def test_past_its_room_a_process_queues_commands_and_answers_them_when_room_frees(
    database: Database, clock: FakeClock
) -> None:
    runner = Recorder()
    runner.release.clear()
    intake = Intake(database, "slack", runner, capacity=2, clock=clock)

    outcomes = [accept(intake, number) for number in range(4)]

    assert outcomes == [Outcome.STARTED, Outcome.STARTED, Outcome.QUEUED, Outcome.QUEUED]
    assert intake.in_flight == 2
    runner.release.set()
    runner.wait_for(2)
    settled(intake)
    while intake.sweep_once():
        settled(intake)
    assert sorted(key for key, _ in runner.ran) == [f"slack:command:{number}" for number in range(4)]
    assert [fresh for _, fresh in runner.ran[2:]] == [False, False]
    assert statuses(database) == [IntakeStatus.DONE] * 4


def test_memory_is_bounded_whatever_arrives(database: Database, clock: FakeClock) -> None:
    runner = Recorder()
    runner.release.clear()
    intake = Intake(database, "slack", runner, clock=clock)

    outcomes = [accept(intake, number) for number in range(CAPACITY + 20)]

    assert intake.in_flight == CAPACITY
    assert outcomes.count(Outcome.QUEUED) == 20
    runner.release.set()
    settled(intake)


def test_a_dead_process_s_command_is_finished_by_another_once(database: Database, clock: FakeClock) -> None:
    stuck, survivor = Recorder(), Recorder()
    stuck.release.clear()  # the first process never gets to run it: it is as good as dead
    dead = Intake(database, "slack", stuck, clock=clock)
    living = Intake(database, "slack", survivor, clock=clock)
    assert accept(dead, 1) is Outcome.STARTED

    assert living.sweep_once() == 0  # the owner's lease still holds
    clock.advance(seconds=LEASE.total_seconds() + 1)
    assert living.sweep_once() == 1
    assert survivor.wait_for(1) == [("slack:command:1", False)]
    settled(living)
    assert living.sweep_once() == 0
    stuck.failing = True  # had the first process woken up, it could not mark it done twice
    stuck.release.set()
    settled(dead)
    assert statuses(database) == [IntakeStatus.DONE]
    assert len(survivor.ran) == 1


def test_a_retried_request_is_answered_once_by_its_first_run(database: Database, clock: FakeClock) -> None:
    runner = Recorder()
    runner.release.clear()  # the first run is still working when the platform sends the request again
    intake = Intake(database, "slack", runner, clock=clock)

    assert accept(intake, 1) is Outcome.STARTED
    assert accept(intake, 1) is Outcome.REPEATED
    runner.release.set()
    assert runner.wait_for(1) == [("slack:command:1", True)]
    settled(intake)
    assert statuses(database) == [IntakeStatus.DONE]
    assert len(runner.ran) == 1, "the retry is not run (and answered) a second time"


def test_a_retry_of_a_command_whose_process_died_is_answered_once_by_the_sweep(
    database: Database, clock: FakeClock
) -> None:
    stuck, runner = Recorder(), Recorder()
    stuck.release.clear()
    dead = Intake(database, "slack", stuck, clock=clock)
    assert accept(dead, 1) is Outcome.STARTED  # written down; its process dies before answering
    living = Intake(database, "slack", runner, clock=clock)
    assert accept(living, 1) is Outcome.REPEATED  # Slack's retry reaches another replica
    assert runner.ran == []
    clock.advance(seconds=10)  # the dead owner's lease runs out
    assert living.sweep_once() == 1
    assert runner.wait_for(1) == [("slack:command:1", False)]
    settled(living)
    assert statuses(database) == [IntakeStatus.DONE]
    stuck.release.set()


def test_an_answer_that_could_not_be_given_is_tried_again_then_given_up_with_an_apology(
    database: Database, clock: FakeClock
) -> None:
    runner = Recorder()
    runner.failing = True
    intake = Intake(database, "slack", runner, clock=clock)
    assert accept(intake, 1) is Outcome.STARTED
    settled(intake)
    for _ in range(MAX_ATTEMPTS - 1):
        assert intake.sweep_once() == 0  # not before its retry time
        clock.advance(seconds=RETRY_AFTER.total_seconds() + 1)
        assert intake.sweep_once() == 1
        settled(intake)
    assert statuses(database) == [IntakeStatus.ACCEPTED]
    clock.advance(seconds=RETRY_AFTER.total_seconds() + 1)
    assert intake.sweep_once() == 1
    settled(intake)
    assert runner.gave_up == ["slack:command:1"]
    assert statuses(database) == [IntakeStatus.DONE]


def test_a_database_that_does_not_answer_is_said_at_once(clock: FakeClock, tmp_path: pytest.TempPathFactory) -> None:
    unmigrated = Database(f"sqlite:///{tmp_path}/empty.db")  # no table: every write fails
    intake = Intake(unmigrated, "slack", Recorder(), clock=clock)
    assert accept(intake, 1) is Outcome.UNAVAILABLE
    assert intake.in_flight == 0
    unmigrated.dispose()


def test_a_command_whose_apology_cannot_be_given_either_is_dropped_with_its_error_logged(
    database: Database, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    runner = Recorder()
    runner.failing = True
    runner.give_up = lambda command: (_ for _ in ()).throw(ConnectionError("still down"))  # type: ignore[method-assign]
    intake = Intake(database, "slack", runner, clock=clock)
    assert accept(intake, 1) is Outcome.STARTED
    settled(intake)
    for _ in range(MAX_ATTEMPTS):
        clock.advance(seconds=RETRY_AFTER.total_seconds() + 1)
        assert intake.sweep_once() == 1
        settled(intake)
    assert statuses(database) == [IntakeStatus.DONE]
    assert "given up after" in caplog.text and "still down" in caplog.text


SHORT_HEARTBEAT = 0.01  # a heartbeat a hundred times a second: a sweep retried at once would show
WATCHED = 1.0  # seconds the sweep is watched while the database is away


def test_while_the_database_is_away_the_sweep_backs_off_logs_once_and_takes_commands_on_once_it_is_back(
    database: Database, clock: FakeClock, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bot.intake.HEARTBEAT", SHORT_HEARTBEAT)
    unreliable = UnreliableDatabase(database)
    unreliable.down.set()
    runner = Recorder()
    intake = Intake(unreliable, "slack", runner, clock=clock)
    caplog.set_level(logging.INFO, logger="bot.intake")

    def sweep_records() -> list[logging.LogRecord]:
        return [record for record in caplog.records if record.name == "bot.intake"]

    intake.start()
    try:
        deadline = time.monotonic() + 20
        while unreliable.refused == 0 and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(WATCHED)
        tries, logged = unreliable.refused, sweep_records()
        queued_elsewhere = Intake(database, "slack", Recorder(), capacity=0, clock=clock)
        assert accept(queued_elsewhere, 1) is Outcome.QUEUED  # a process with no room wrote it down
        unreliable.down.clear()
        assert runner.wait_for(1) == [("slack:command:1", False)]
        while len(sweep_records()) == len(logged) and time.monotonic() < deadline:
            time.sleep(0.01)  # the sweep notes its success once its commands are under way
    finally:
        intake.stop()

    # Doubling from 10 ms up to 10 s: 0.01 + 0.02 + ... + 0.64 s is 1.27 s, so 8 tries at most in 1 s.
    assert 1 <= tries <= 8, tries
    assert [(r.levelno, r.getMessage()) for r in logged] == [
        (logging.ERROR, "slack intake sweep failed; retrying in 0.01 s")
    ]
    assert logged[0].exc_info is not None and logged[0].exc_info[0] is OperationalError
    assert sweep_records()[len(logged)].getMessage().startswith("slack intake sweep works again, after ")


# --- acknowledgements first, and the work's share of the time ---------------------------------


def waited_before_work(intake: Intake) -> float:
    started = time.monotonic()
    intake._let_arrivals_pass()
    return time.monotonic() - started


def test_with_no_command_arriving_work_starts_at_once(database: Database, clock: FakeClock) -> None:
    intake = Intake(database, "slack", Recorder(), clock=clock)
    intake._worked(time.thread_time() - 0.02)
    assert waited_before_work(intake) < 0.01


def test_while_commands_keep_arriving_work_gets_its_share_of_the_time_and_no_more(
    database: Database, clock: FakeClock
) -> None:
    intake = Intake(database, "slack", Recorder(), clock=clock)
    intake._arriving = 1  # an arrival being written down, all along
    assert waited_before_work(intake) < 0.01  # no work done yet: nothing to make up for
    intake._worked(time.thread_time() - 0.015)  # 15 ms of work: the arrivals are owed 30 ms
    waited = waited_before_work(intake)
    assert 0.025 <= waited < 0.09, waited
    # However much work was done, a command waits for arrivals YIELD_LIMIT at most.
    intake._worked(time.thread_time() - 1.0)
    waited = waited_before_work(intake)
    assert 0.09 <= waited < 0.5, waited

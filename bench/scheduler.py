"""The scheduler with many reminders set: how long the bot takes to start, how long each
reconciliation takes (nothing changed, ten rows changed) against a full scan of every reminder in
the same run, how those costs grow from 5,000 to 50,000 reminders, how late due reminders reach the
outbox (real time, the production BackgroundScheduler), and, on PostgreSQL, how long a standby
takes to lead after the leader is killed."""

from __future__ import annotations

import math
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from sqlalchemy import insert, text, update
from sqlmodel import col, select

from bench.report import Figure
from bot.router import Incoming, Router
from handlers.kit.context import Caller, ProgramRules
from schedules.plan import first_occurrence
from schedules.service import SchedulerService
from storage.database import Database
from storage.models import OutboxNotice, Reminder, utcnow
from storage.vocabulary import NoticeKind, dm_channel

MANY, FEW = 50_000, 5_000
DUE_SOON = 20
CHANGED = 10
SET_UP = ('admin org add acme "ACME Corp"', "admin member add console:brand1 acme member")
POSTGRES_URL = os.environ.get("MARKETSAFE_BENCH_DATABASE_URL") or os.environ.get("MARKETSAFE_TEST_DATABASE_URL")


def _program(url: str) -> Database:
    database = Database(url)
    database.upgrade()
    router = Router(database, ProgramRules(), frozenset({"console:operator"}))
    for command in SET_UP:
        assert not router.handle(Incoming(Caller("console", "operator"), command)).is_error
    return database


def _reminders(database: Database, first: timedelta, spacing: timedelta, count: int, text: str) -> None:
    now = utcnow()
    rows = [
        {"member_id": 2, "target": dm_channel("console", "brand1"), "text": f"{text} {n}",
         "first_at": now + first + n * spacing, "recurrence": None, "timezone": "America/New_York",
         "active": True, "created_at": now, "next_at": now + first + n * spacing}
        for n in range(count)
    ]  # fmt: skip
    with database.transaction() as session:
        session.execute(insert(Reminder), rows)


def _median_seconds(action: Callable[[], object], repeat: int = 7) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _full_scan(database: Database) -> None:
    """The baseline: what reconciling cost before, every active reminder read and planned."""
    with database.transaction() as session:
        for reminder in session.exec(select(Reminder).where(col(Reminder.active))).all():
            first_occurrence(reminder)


def _change(database: Database, count: int) -> None:
    with database.transaction() as session:
        ids = session.exec(select(Reminder.id).order_by(col(Reminder.id).desc()).limit(count)).all()
        session.execute(update(Reminder).where(col(Reminder.id).in_(ids)).values(timezone="Europe/Paris"))


def _costs(count: int) -> dict[str, float]:
    """Start and reconciliation times with `count` reminders due from tomorrow on, one a minute."""
    with tempfile.TemporaryDirectory() as scratch:
        url = f"sqlite:///{Path(scratch) / 'bench-scheduler.db'}"
        database = _program(url)
        _reminders(database, timedelta(days=1), timedelta(minutes=1), count, "later")
        database.dispose()
        started = time.perf_counter()
        database = Database(url)
        database.upgrade()
        service = SchedulerService(database, ProgramRules(), sync_interval=3600)
        service.step()
        start = time.perf_counter() - started
        costs = {"start": start, "idle": _median_seconds(service.sync)}

        def changed_then_sync() -> None:
            _change(database, CHANGED)
            started = time.perf_counter()
            service.sync()
            costs["changed_total"] = costs.get("changed_total", 0.0) + time.perf_counter() - started

        for _ in range(5):
            changed_then_sync()
        costs["changed"] = costs.pop("changed_total") / 5
        costs["full"] = _median_seconds(lambda: _full_scan(database), repeat=3)
        service.stop()
        database.dispose()
    return costs


def run() -> list[Figure]:
    many, few = _costs(MANY), _costs(FEW)
    figures = [
        Figure(f"scheduler start with {MANY:,} future reminders", many["start"] * 1000, "ms", 1000),
        Figure(f"full scan of {MANY:,} reminders (the old reconciliation)", many["full"] * 1000, "ms", None),
        Figure("reconcile, nothing changed, vs full scan", 100 * many["idle"] / many["full"], "%", 5),
        Figure(f"reconcile, {CHANGED} rows changed, vs full scan", 100 * many["changed"] / many["full"], "%", 5),
        Figure("reconcile, nothing changed", many["idle"] * 1000, "ms", None),
        Figure(f"reconcile, {CHANGED} rows changed", many["changed"] * 1000, "ms", None),
    ]
    for name, label, target in (("start", "start", 0.3), ("idle", "reconcile", 0.3), ("full", "full scan", None)):
        exponent = math.log(many[name] / few[name]) / math.log(MANY / FEW)
        figures.append(Figure(f"growth exponent of {label}, {FEW:,} to {MANY:,} reminders", exponent, "", target))
    figures += _lateness_figures()
    if POSTGRES_URL:
        takeover = _takeover(POSTGRES_URL)
        figures += [
            Figure("standby leads after the leader is killed, median", statistics.median(takeover), "ms", None),
            Figure("standby leads after the leader is killed, worst", max(takeover), "ms", 1000),
        ]
    return figures


def _lateness_figures() -> list[Figure]:
    with tempfile.TemporaryDirectory() as scratch:
        url = f"sqlite:///{Path(scratch) / 'bench-lateness.db'}"
        database = _program(url)
        service = SchedulerService(database, ProgramRules())
        service.step()
        _reminders(database, timedelta(seconds=2), timedelta(milliseconds=150), DUE_SOON, "soon")
        service.sync()
        lateness = _lateness(database)
        service.stop()
        database.dispose()
    return [
        Figure("due reminder to the outbox, median lateness", statistics.median(lateness) * 1000, "ms", None),
        Figure("due reminder to the outbox, worst lateness", max(lateness) * 1000, "ms", 1000),
    ]


def _lateness(database: Database) -> list[float]:
    """Seconds between each soon reminder's time and its notice's arrival in the outbox."""
    with database.transaction() as session:
        due = {
            f"reminder:{reminder.id}:": reminder.first_at
            for reminder in session.exec(select(Reminder).where(col(Reminder.text).startswith("soon"))).all()
        }
    arrived: dict[str, float] = {}
    deadline = time.monotonic() + 15
    while len(arrived) < len(due) and time.monotonic() < deadline:
        with database.transaction() as session:
            keys = session.exec(
                select(OutboxNotice.dedupe_key).where(col(OutboxNotice.kind) == NoticeKind.REMINDER)
            ).all()
        seen = utcnow()
        for key in keys:
            prefix = next((p for p in due if key and key.startswith(p)), None)
            if prefix is not None and prefix not in arrived:
                arrived[prefix] = (seen - due[prefix]).total_seconds()
        time.sleep(0.01)
    missing = set(due) - set(arrived)
    assert not missing, f"{len(missing)} reminders never reached the outbox"
    return list(arrived.values())


LEADER = """
import sys, time
from handlers.kit.context import ProgramRules
from schedules.service import SchedulerService
from storage.database import Database
service = SchedulerService(Database(sys.argv[1]), ProgramRules())
service.run_forever()
while not service.leading:
    time.sleep(0.01)
print("leading", flush=True)
time.sleep(600)
"""


def _takeover(base_url: str) -> list[float]:
    """Milliseconds, for each of several kills, from killing the leading process (SIGKILL) until a
    standby in this process leads."""
    schema = f"marketsafe_bench_{os.getpid()}"
    admin = Database(base_url)
    with admin.engine.begin() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = f"{base_url}{'&' if '?' in base_url else '?'}options=-csearch_path%3D{schema}"
    database = Database(url)
    database.upgrade()
    times = []
    try:
        for _ in range(6):
            leader = subprocess.Popen(
                [sys.executable, "-c", LEADER, url], stdout=subprocess.PIPE, text=True,
                env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])},
            )  # fmt: skip
            assert leader.stdout is not None and leader.stdout.readline().strip() == "leading"
            standby = SchedulerService(database, ProgramRules(), poll_interval=0.5)
            standby.run_forever()
            time.sleep(1.0)
            assert not standby.leading, "two leaders"
            killed = time.perf_counter()
            os.kill(leader.pid, signal.SIGKILL)
            leader.wait()
            while not standby.leading and time.perf_counter() - killed < 30:
                time.sleep(0.005)
            times.append((time.perf_counter() - killed) * 1000)
            standby.stop()
    finally:
        database.dispose()
        with admin.engine.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()
    return times


if __name__ == "__main__":
    for figure in run():
        print(figure.line(), flush=True)

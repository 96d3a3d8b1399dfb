"""What /metrics tells an operator: commands by outcome, deliveries by result, the outbox's
backlog and age, the connection pool, scheduler leadership and job lateness."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from bot import metrics
from bot.delivery import MAX_ATTEMPTS, RetryLater
from bot.health import health_application
from handlers.kit.outbox import save_notices
from handlers.kit.replies import Notice
from storage.database import Database
from support.clock import FakeClock
from support.harness import Harness, RecordingPoster


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def scrape(database: Database) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """/metrics as Prometheus reads it: (sample name, labels) -> value."""
    metrics.watch(database)
    answered: list[str] = []
    body = b"".join(
        health_application(database)({"PATH_INFO": "/metrics"}, lambda status, headers: answered.append(status))
    )
    assert answered == ["200 OK"]
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(body.decode())
        for s in family.samples
    }


def test_commands_are_counted_by_word_and_outcome(program: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    before = {
        outcome: sample("marketsafe_commands_total", word="complaint", outcome=outcome)
        for outcome in ("ok", "refused", "error")
    }
    unknown = sample("marketsafe_commands_total", word="unknown", outcome="refused")
    program.ok("complaint right=1 reason=counterfeit https://item.taobao.com/item.htm?id=901", as_="brand1")
    program.refused("complaint right=99 reason=counterfeit https://item.taobao.com/item.htm?id=902", as_="brand1")
    program.refused("frobnicate")

    def failing(*_: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(program.router.database, "transaction", failing)
    program.refused("complaint right=1 https://item.taobao.com/item.htm?id=903", as_="brand1")
    after = {
        outcome: sample("marketsafe_commands_total", word="complaint", outcome=outcome)
        for outcome in ("ok", "refused", "error")
    }
    assert {outcome: after[outcome] - before[outcome] for outcome in after} == {"ok": 1, "refused": 1, "error": 1}
    assert sample("marketsafe_commands_total", word="unknown", outcome="refused") == unknown + 1


def test_deliveries_are_counted_by_result(database: Database, clock: FakeClock) -> None:
    poster = RecordingPoster("metered")
    from bot.delivery import DeliveryWorker

    worker = DeliveryWorker(database, poster, resolve=lambda logical: f"#{logical}", clock=clock)
    worker.start()
    results = ("posted", "retried", "rate_limited", "failed")
    before = {result: sample("marketsafe_deliveries_total", platform="metered", result=result) for result in results}
    with database.transaction() as session:
        # Two channels: a channel's later notice waits behind an earlier one told to wait.
        save_notices(session, [Notice("team", "one"), Notice("outcomes", "two")], clock())
    poster.failures += [RetryLater(5, "429"), ConnectionError("reset")]
    worker.run_once()  # one is told to wait, the other's connection drops
    clock.advance(seconds=10)
    worker.run_once()  # both posted
    with database.transaction() as session:
        save_notices(session, [Notice("announcements", "doomed")], clock())
    poster.failures += [ConnectionError("down")] * MAX_ATTEMPTS
    for _ in range(MAX_ATTEMPTS):
        worker.run_once()
        clock.advance(hours=1)
    after = {result: sample("marketsafe_deliveries_total", platform="metered", result=result) for result in results}
    assert {result: after[result] - before[result] for result in results} == {
        "posted": 2, "retried": 1 + (MAX_ATTEMPTS - 1), "rate_limited": 1, "failed": 1,
    }  # fmt: skip


def test_the_outbox_backlog_and_its_oldest_notice_are_read_at_each_scrape(database: Database) -> None:
    written = datetime.now(UTC) - timedelta(minutes=3)
    poster = RecordingPoster("slack")
    from bot.delivery import DeliveryWorker

    worker = DeliveryWorker(database, poster, resolve=lambda logical: f"#{logical}")
    worker.start()
    with database.transaction() as session:
        # One a channel: a pass takes one notice of each channel at a time.
        channels = ("team", "outcomes", "announcements")
        save_notices(session, [Notice(channel, f"n{n}") for n, channel in enumerate(channels)], written)
    found = scrape(database)
    assert found[("marketsafe_outbox_backlog", (("platform", "slack"),))] == 3  # not yet taken on
    assert 170 < found[("marketsafe_outbox_oldest_age_seconds", (("platform", "slack"),))] < 400
    poster.failures.append(RetryLater(600, "429"))
    worker.run_once()  # two posted, one waits
    found = scrape(database)
    assert found[("marketsafe_outbox_backlog", (("platform", "slack"),))] == 1
    assert found[("marketsafe_outbox_oldest_age_seconds", (("platform", "slack"),))] > 170
    worker.run_once()
    assert scrape(database)[("marketsafe_outbox_backlog", (("platform", "slack"),))] == 1  # still waiting


def test_the_pool_and_leadership_are_reported(database: Database) -> None:
    metrics.watch_leadership("scheduler", lambda: True)
    metrics.watch_leadership("discord-gateway", lambda: False)
    holding, release = threading.Event(), threading.Event()

    def hold_a_connection() -> None:
        with database.transaction() as session:
            session.connection()
            holding.set()
            release.wait(30)

    holder = threading.Thread(target=hold_a_connection)
    holder.start()
    try:
        assert holding.wait(10)
        # On a SQLite file that is its one connection: the scrape answers without the outbox.
        found = scrape(database)
    finally:
        release.set()
        holder.join()
    assert found[("marketsafe_db_pool_in_use", ())] >= 1
    assert found[("marketsafe_leader", (("role", "scheduler"),))] == 1
    assert found[("marketsafe_leader", (("role", "discord-gateway"),))] == 0


def test_a_scheduled_job_reports_how_late_it_started() -> None:
    due = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)
    before = sample("marketsafe_job_lateness_seconds_count", job="milestone")
    slow = sample("marketsafe_job_lateness_seconds_bucket", job="milestone", le="5.0")
    metrics.job_started("milestone:4:1440:20261130T150000Z", due, due + timedelta(seconds=2))
    metrics.job_started("milestone:4:60:20261130T150000Z", due, due + timedelta(seconds=40))
    assert sample("marketsafe_job_lateness_seconds_count", job="milestone") == before + 2
    assert sample("marketsafe_job_lateness_seconds_bucket", job="milestone", le="5.0") == slow + 1

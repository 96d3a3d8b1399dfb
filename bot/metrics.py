"""Every Prometheus metric the bot exposes at /metrics, in one place.

Instrumented modules call the one-line hooks below (`command_finished`, `delivery_result`, ...),
so a metric's name, labels and buckets are decided here and nowhere else. What is a count of
rows (the outbox backlog) or a state (leadership, the connection pool) is read when Prometheus
scrapes, by `StateCollector`, from what `watch` was given.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import suppress
from datetime import datetime
from typing import Any, Protocol

from prometheus_client import REGISTRY, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import func
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import col, select

from storage.database import SQLITE_TURN, Database
from storage.models import Delivery, DeliveryCursor, OutboxNotice, utcnow
from storage.vocabulary import DeliveryStatus

log = logging.getLogger(__name__)

COMMAND_OUTCOMES = ("ok", "refused", "error")
DELIVERY_RESULTS = ("posted", "retried", "rate_limited", "failed")
# Slack and Discord both want an answer within 3 s: the buckets are finest below that.
ACK_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0)
# A scrape waits at most this long for a SQLite file's one connection, then answers without the
# outbox figures: Prometheus gives up on a scrape after 10 s by default (`scrape_timeout`,
# https://prometheus.io/docs/prometheus/latest/configuration/configuration/).
SCRAPE_WAIT = 2.0
LATENESS_BUCKETS = (0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 30.0, 60.0, 300.0, 3600.0, 86400.0)

COMMANDS = Counter("marketsafe_commands", "Commands handled, by command word and outcome.", ["word", "outcome"])
ACKS = Histogram(
    "marketsafe_ack_seconds",
    "Time from receiving a platform request to acknowledging it, per platform.",
    ["platform"],
    buckets=ACK_BUCKETS,
)
DELIVERIES = Counter(
    "marketsafe_deliveries", "Outbox delivery attempts, by platform and result.", ["platform", "result"]
)
JOB_LATENESS = Histogram(
    "marketsafe_job_lateness_seconds",
    "How late a scheduled job started after its due time, by kind of job.",
    ["job"],
    buckets=LATENESS_BUCKETS,
)


def command_finished(word: str, outcome: str) -> None:
    """A command ended: `ok`, `refused` (the user's mistake or no right to it) or `error`."""
    COMMANDS.labels(word, outcome).inc()


def acknowledged(platform: str, seconds: float) -> None:
    ACKS.labels(platform).observe(seconds)


def delivery_result(platform: str, result: str) -> None:
    """One delivery attempt ended: posted, retried, rate_limited or failed (given up)."""
    DELIVERIES.labels(platform, result).inc()


def job_started(job_id: str, due: datetime, started: datetime) -> None:
    """A scheduler job started; its lateness is counted under its kind (`milestone`, `digest`, ...)."""
    JOB_LATENESS.labels(job_id.partition(":")[0]).observe(max(0.0, (started - due).total_seconds()))


def on_job_submitted(event: Any) -> None:
    """An APScheduler `EVENT_JOB_SUBMITTED` listener: one lateness sample per run started."""
    now = utcnow()
    for due in getattr(event, "scheduled_run_times", ()) or ():
        job_started(str(event.job_id), due, now)


def time_discord_ack(interaction: Any, *, limit: float = 5.0) -> None:
    """Time a Discord interaction until its first answer (a reply, a deferral or a modal) from
    when this is called; the sample is taken in the background, on the running event loop."""
    started = time.monotonic()

    async def watch() -> None:
        while time.monotonic() - started < limit:
            if interaction.response.is_done():
                acknowledged("discord", time.monotonic() - started)
                return
            await asyncio.sleep(0.005)

    with suppress(RuntimeError):  # no running loop: nothing to time
        _watchers.add(task := asyncio.get_running_loop().create_task(watch()))
        task.add_done_callback(_watchers.discard)


_watchers: set[asyncio.Task[None]] = set()


# -- state read at scrape time -------------------------------------------------------------------


class Leadership(Protocol):
    running: bool


class StateCollector(Collector):
    """The outbox backlog and its oldest notice's age per platform, scheduler leadership and the
    connection pool, read from the database and process when scraped."""

    def __init__(self) -> None:
        self.database: Database | None = None
        self.leaders: dict[str, Callable[[], bool]] = {}
        self.clock: Callable[[], datetime] = utcnow

    def collect(self) -> Iterator[Metric]:
        yield from self._leadership()
        if self.database is None:
            return
        yield from self._pool(self.database)
        try:
            yield from self._outbox(self.database)
        except SQLAlchemyError as error:  # a scrape must answer even while the database is away
            log.warning("metrics: the outbox could not be read: %s", type(error).__name__)

    def _leadership(self) -> Iterable[Metric]:
        leading = GaugeMetricFamily(
            "marketsafe_leader", "1 while this process holds the role (scheduler, discord gateway).", labels=["role"]
        )
        for role, holds in sorted(self.leaders.items()):
            leading.add_metric([role], 1.0 if holds() else 0.0)
        yield leading

    @staticmethod
    def _pool(database: Database) -> Iterable[Metric]:
        pool = database.engine.pool
        in_use = GaugeMetricFamily("marketsafe_db_pool_in_use", "Database connections checked out of the pool.")
        size = GaugeMetricFamily("marketsafe_db_pool_size", "Connections the pool keeps (its overflow excluded).")
        overflow = GaugeMetricFamily("marketsafe_db_pool_overflow", "Connections open beyond the pool's size.")
        for family, reading in ((in_use, "checkedout"), (size, "size"), (overflow, "overflow")):
            value = getattr(pool, reading, None)
            if callable(value):
                family.add_metric([], float(value()))
            yield family

    def _outbox(self, database: Database) -> Iterable[Metric]:
        backlog = GaugeMetricFamily(
            "marketsafe_outbox_backlog", "Notices not yet delivered (pending or not yet taken on).", labels=["platform"]
        )
        oldest = GaugeMetricFamily(
            "marketsafe_outbox_oldest_age_seconds", "Age of the oldest notice not yet delivered.", labels=["platform"]
        )
        now = self.clock()
        for platform, count, since in outbox_backlog(database, wait=SCRAPE_WAIT):
            backlog.add_metric([platform], float(count))
            oldest.add_metric([platform], max(0.0, (now - since).total_seconds()) if since is not None else 0.0)
        yield backlog
        yield oldest


def outbox_backlog(database: Database, *, wait: float = SQLITE_TURN) -> list[tuple[str, int, datetime | None]]:
    """(platform, notices undelivered, the oldest one's time) for every platform that delivers.

    Pending deliveries are read through their partial index; notices not yet taken on lie past
    the platform's cursor (a low-water mark minutes behind), each checked by the unique
    (notice, platform) index."""
    found: dict[str, tuple[int, datetime | None]] = {}
    with database.transaction(wait=wait) as session:
        pending = session.exec(
            select(Delivery.platform, func.count(), func.min(OutboxNotice.created_at))
            .join(OutboxNotice, col(OutboxNotice.id) == col(Delivery.notice_id))
            .where(Delivery.status == DeliveryStatus.PENDING)
            .group_by(col(Delivery.platform))
        ).all()
        for platform, count, since in pending:
            found[platform] = (int(count), since)
        for cursor in session.exec(select(DeliveryCursor)).all():
            taken = select(Delivery.id).where(
                col(Delivery.notice_id) == col(OutboxNotice.id), Delivery.platform == cursor.platform
            )
            count, since = session.exec(
                select(func.count(), func.min(OutboxNotice.created_at)).where(
                    col(OutboxNotice.id) > cursor.last_notice_id, ~taken.exists()
                )
            ).one()
            waiting, first = found.get(cursor.platform, (0, None))
            times = [moment for moment in (since, first) if moment is not None]
            found[cursor.platform] = (int(count) + waiting, min(times) if times else None)
    return sorted((platform, count, since) for platform, (count, since) in found.items())


STATE = StateCollector()
REGISTRY.register(STATE)


def watch(database: Database) -> None:
    """Read this database's outbox and connection pool at each scrape."""
    STATE.database = database


def watch_leadership(role: str, holds: Callable[[], bool]) -> None:
    """Report whether this process holds `role` (`scheduler`, `discord-gateway`) at each scrape."""
    STATE.leaders[role] = holds

"""Delivering the outbox to the fake Slack (in a process of its own, over HTTP, through the real
poster), on SQLite: notices a second with the delivery loop against the loop it replaced (50
notices a pass, then a second's sleep), measured in the same run, at 1x and 10x the notices; and
against Slack's pace of one message a second per channel, the aggregate rate beside that limit."""

from __future__ import annotations

import contextlib
import math
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import func, insert
from sqlmodel import select

from bench.report import Figure
from bot.delivery import DeliveryWorker
from bot.delivery_loop import deliver_forever
from bot.settings import Settings
from bot.slack.app import web_client
from bot.slack.poster import SlackPoster
from storage.database import Database
from storage.models import Delivery, OutboxNotice, utcnow
from storage.vocabulary import DeliveryStatus, NoticeKind

CHANNELS = 100
NOTICES = 3000  # 10x; 1x is a tenth of it
BASELINE_NOTICES = 300
OLD_BATCH, OLD_SLEEP = 50, 1.0
# Messages a second per channel: chat.postMessage's "Special" tier, one a second per channel
# (https://api.slack.com/methods/chat.postMessage#rate_limiting; tests/support/slack_limits.py).
SLACK_PACE = 1.0
PACED_PER_CHANNEL = 6


@contextlib.contextmanager
def _fake_slack(pace: float) -> Iterator[str]:
    script = Path(__file__).with_name("slack_paced_process.py")
    process = subprocess.Popen([sys.executable, str(script), str(pace)], stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        yield process.stdout.readline().strip() + "/api/"
    finally:
        process.kill()
        process.wait()


def _worker(scratch: str, name: str, api_url: str) -> DeliveryWorker:
    database = Database(f"sqlite:///{Path(scratch) / name}.db")
    database.upgrade()
    settings = Settings(_env_file=None, slack_bot_token="xoxb-bench-token", slack_api_url=api_url)
    worker = DeliveryWorker(
        database, SlackPoster(web_client(settings, retries=False)), resolve=lambda logical: "C" + logical[4:].upper()
    )
    worker.start()
    return worker


def _write(worker: DeliveryWorker, count: int) -> None:
    now = utcnow()
    rows: list[dict[str, object]] = [
        {"created_at": now, "channel": f"org:c{n % CHANNELS:03d}", "case_id": None, "kind": NoticeKind.INFO,
         "text": f"notice {n}", "payload": {}, "dedupe_key": None}
        for n in range(count)
    ]  # fmt: skip
    with worker.database.transaction() as session:
        session.execute(insert(OutboxNotice), rows)


def _sent(worker: DeliveryWorker) -> int:
    with worker.database.transaction() as session:
        return int(session.exec(select(func.count()).where(Delivery.status == DeliveryStatus.SENT)).one())


def _old_loop(worker: DeliveryWorker, count: int) -> float:
    """Seconds the replaced loop took: a pass of at most 50, one at a time, then a second's sleep."""
    started = time.perf_counter()
    while _sent(worker) < count:
        worker.run_once(OLD_BATCH)
        if _sent(worker) < count:
            time.sleep(OLD_SLEEP)
    return time.perf_counter() - started


def _new_loop(worker: DeliveryWorker, count: int) -> float:
    stopping = threading.Event()
    started = time.perf_counter()
    thread = threading.Thread(target=deliver_forever, args=(worker, stopping))
    thread.start()
    while _sent(worker) < count:
        time.sleep(0.02)
    elapsed = time.perf_counter() - started
    stopping.set()
    thread.join()
    return elapsed


def run() -> list[Figure]:
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory() as scratch:
        with _fake_slack(0) as api_url:
            baseline = _worker(scratch, "old", api_url)
            _write(baseline, BASELINE_NOTICES)
            old_rate = BASELINE_NOTICES / _old_loop(baseline, BASELINE_NOTICES)
            figures.append(Figure("delivery: replaced loop (50 a pass, 1 s sleep)", old_rate, "n/s", None))
            rates = []
            for count in (NOTICES // 10, NOTICES):
                worker = _worker(scratch, f"new{count}", api_url)
                _write(worker, count)
                rates.append(count / _new_loop(worker, count))
                figures.append(
                    Figure(f"delivery: {count} notices over {CHANNELS} channels, vs replaced", rates[-1] / old_rate,
                           "x", 10.0, lower_is_better=False)
                )  # fmt: skip
            figures.append(Figure("delivery: rate at 10x notices / rate at 1x", rates[1] / rates[0], "x", None))
            # Time for 10x the notices over time for 1x, as an exponent: 1 is linear (the same time per
            # notice at both sizes); as for filing, 0.1 above it allows for a busy shared machine.
            figures.append(Figure("  growth exponent of delivery time, 1x -> 10x notices",
                                  math.log10(10 * rates[0] / rates[1]), "", 1.1))  # fmt: skip
        with _fake_slack(SLACK_PACE) as api_url:
            worker = _worker(scratch, "paced", api_url)
            count = CHANNELS * PACED_PER_CHANNEL
            _write(worker, count)
            elapsed = _new_loop(worker, count)
            # With a burst of one, each channel's first post goes at once: the pace governs the rest.
            paced = (count - CHANNELS) / elapsed
            limit = CHANNELS * SLACK_PACE
            figures.append(Figure(f"delivery: paced {SLACK_PACE:g}/s/channel, aggregate (limit {limit:g}/s)", paced,
                                  "n/s", None))  # fmt: skip
            figures.append(Figure("delivery: paced, aggregate / the channels' limit", paced / limit, "x", 0.9,
                                  lower_is_better=False))  # fmt: skip
    return figures

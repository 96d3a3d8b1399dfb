"""Time to acknowledge 50 concurrent signed slash commands: the bot against a bare bolt app.

Each endpoint runs in its own process (waitress, as in production); this process sends rounds
of 50 concurrent commands and times each response. The bot's commands are real work (a member
listing cases) that runs after the acknowledgement, competing with it for the two cores; the
fake Slack Web API that the work answers through runs in a third process.
"""

from __future__ import annotations

import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from bench.report import Figure
from bench.slack_server import SECRET
from bot.router import Incoming, Router
from handlers.kit.context import Caller, ProgramRules
from storage.database import Database

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from support.slack_requests import SlackSender

CONCURRENT = 50
ROUNDS = 6
ALTERNATIONS = 3
SET_UP = (
    'admin org add acme "ACME Corp"',
    'admin right add acme trademark 1234567 mark="ACME" jurisdiction=CN',
    "admin right verify 1",
    "admin member add slack:U0BRAND1 acme member",
    "complaint https://item.taobao.com/item.htm?id=1 https://item.taobao.com/item.htm?id=2",
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def program_database(directory: Path) -> str:
    url = f"sqlite:///{directory / 'bench-slack.db'}"
    database = Database(url)
    database.upgrade()
    router = Router(database, ProgramRules(), frozenset({"console:operator", "slack:U0BRAND1"}))
    for command in SET_UP:
        who = "U0BRAND1" if command.startswith("complaint") else "operator"
        platform = "slack" if who == "U0BRAND1" else "console"
        assert not router.handle(Incoming(Caller(platform, who), command)).is_error, command
    database.dispose()
    return url


def latencies(kind: str, fake_url: str, database_url: str) -> list[float]:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "bench.slack_server", kind, str(port), f"{fake_url}/api/", database_url],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert server.stdout is not None and server.stdout.readline().strip() == "ready"
        endpoint = f"http://127.0.0.1:{port}/slack/events"
        _wait_until_listening(endpoint)
        connections = httpx.Client(limits=httpx.Limits(max_connections=CONCURRENT * 2), timeout=10.0, trust_env=False)
        sender = SlackSender(endpoint, SECRET, client=connections)
        samples: list[float] = []

        def one(_: int) -> float:
            started = time.perf_counter()
            response = sender.slash_command("U0BRAND1", "cases open", response_url=f"{fake_url}/response/bench")
            assert response.status_code == 200, response.status_code
            return time.perf_counter() - started

        with ThreadPoolExecutor(CONCURRENT) as pool:
            list(pool.map(one, range(CONCURRENT)))  # warm-up round
            for _ in range(ROUNDS):
                samples += pool.map(one, range(CONCURRENT))
        connections.close()
        return samples
    finally:
        server.terminate()
        server.wait(timeout=10)


def _wait_until_listening(endpoint: str) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            httpx.get(endpoint.replace("/slack/events", "/healthz"), timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.05)
    raise RuntimeError(f"{endpoint} did not start")


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def run() -> list[Figure]:
    fake = subprocess.Popen([sys.executable, "-m", "bench.slack_fake_process"], stdout=subprocess.PIPE, text=True)
    try:
        assert fake.stdout is not None
        fake_url = fake.stdout.readline().strip()
        with tempfile.TemporaryDirectory() as scratch:
            database_url = program_database(Path(scratch))
            bare: list[float] = []
            ours: list[float] = []
            for _ in range(ALTERNATIONS):  # alternate, so drift on the machine hits both alike
                bare += latencies("bare", fake_url, database_url)
                ours += latencies("bot", fake_url, database_url)
    finally:
        fake.terminate()
        fake.wait(timeout=10)
    bare_median, ours_median = statistics.median(bare), statistics.median(ours)
    return [
        Figure("slack ack, bare bolt app, median of 50 concurrent", bare_median * 1000, "ms", None),
        Figure("slack ack, the bot, median of 50 concurrent", ours_median * 1000, "ms", None),
        Figure("  bot median / bare bolt median", ours_median / bare_median, "x", 1.5),
        Figure("slack ack, the bot, 99th percentile", percentile(ours, 0.99) * 1000, "ms", 300),
    ]

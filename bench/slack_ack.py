"""Time to acknowledge 50 concurrent signed slash commands: the bot against a bare bolt app.

Each endpoint runs in its own process (waitress, as in production); this process sends rounds
of 50 concurrent commands and times each response. The bot's commands are real work that runs
after the acknowledgement, competing with it for the two cores: a member listing cases, and
`help`, the heaviest answer to render; the fake Slack Web API that the work answers through runs
in a third process. Each endpoint starts on a fresh copy of the program's database.
"""

from __future__ import annotations

import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
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
LIGHT, HEAVY = "cases open", "help"
MEMBER = "U0BRAND1"
SET_UP = (
    'admin org add acme "ACME Corp"',
    'admin right add acme trademark 1234567 mark="ACME" jurisdiction=CN',
    "admin right verify 1",
    f"admin member add slack:{MEMBER} acme member",
    "complaint https://item.taobao.com/item.htm?id=1 https://item.taobao.com/item.htm?id=2",
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def program_database(directory: Path) -> Path:
    """A database file with the program set up: acme, its verified right, its member, one case."""
    path = directory / "bench-slack.db"
    database = Database(f"sqlite:///{path}")
    database.upgrade()
    router = Router(database, ProgramRules(), frozenset({"console:operator", f"slack:{MEMBER}"}))
    for command in SET_UP:
        who = MEMBER if command.startswith("complaint") else "operator"
        platform = "slack" if who == MEMBER else "console"
        assert not router.handle(Incoming(Caller(platform, who), command)).is_error, command
    database.dispose()
    return path


@dataclass(frozen=True, slots=True)
class Endpoint:
    url: str
    process: subprocess.Popen[str]
    database: Path


@contextmanager
def endpoint(kind: str, fake_url: str, program: Path) -> Iterator[Endpoint]:
    """`bench.slack_server kind` on a fresh copy of `program`, until the block ends."""
    with tempfile.TemporaryDirectory() as scratch:
        database = Path(scratch) / "bot.db"
        shutil.copyfile(program, database)
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "bench.slack_server", kind, str(port), f"{fake_url}/api/", f"sqlite:///{database}"],
            stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        try:
            assert server.stdout is not None and server.stdout.readline().strip() == "ready"
            url = f"http://127.0.0.1:{port}/slack/events"
            _wait_until_listening(url)
            yield Endpoint(url, server, database)
        finally:
            server.terminate()
            server.wait(timeout=10)


def sender_for(url: str) -> tuple[SlackSender, httpx.Client]:
    connections = httpx.Client(limits=httpx.Limits(max_connections=CONCURRENT * 2), timeout=10.0, trust_env=False)
    return SlackSender(url, SECRET, client=connections), connections


def latencies(kind: str, fake_url: str, program: Path, text: str) -> list[float]:
    with endpoint(kind, fake_url, program) as server:
        sender, connections = sender_for(server.url)
        samples: list[float] = []

        def one(_: int) -> float:
            started = time.perf_counter()
            response = sender.slash_command(MEMBER, text, response_url=f"{fake_url}/response/bench")
            assert response.status_code == 200, response.status_code
            return time.perf_counter() - started

        with ThreadPoolExecutor(CONCURRENT) as pool:
            list(pool.map(one, range(CONCURRENT)))  # warm-up round
            for _ in range(ROUNDS):
                samples += pool.map(one, range(CONCURRENT))
        connections.close()
        return samples


def _wait_until_listening(url: str) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            httpx.get(url.replace("/slack/events", "/healthz"), timeout=1, trust_env=False)
            return
        except httpx.TransportError:
            time.sleep(0.05)
    raise RuntimeError(f"{url} did not start")


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


@contextmanager
def fake_slack() -> Iterator[str]:
    """The fake Slack Web API in a process of its own; its base URL."""
    fake = subprocess.Popen([sys.executable, "-m", "bench.slack_fake_process"], stdout=subprocess.PIPE, text=True)
    try:
        assert fake.stdout is not None
        yield fake.stdout.readline().strip()
    finally:
        fake.terminate()
        fake.wait(timeout=10)


def run() -> list[Figure]:
    with fake_slack() as fake_url, tempfile.TemporaryDirectory() as scratch:
        program = program_database(Path(scratch))
        bare: list[float] = []
        light: list[float] = []
        heavy: list[float] = []
        for _ in range(ALTERNATIONS):  # alternate, so drift on the machine hits each alike
            bare += latencies("bare", fake_url, program, LIGHT)
            light += latencies("bot", fake_url, program, LIGHT)
            heavy += latencies("bot", fake_url, program, HEAVY)
    bare_median = statistics.median(bare)
    light_median, heavy_median = statistics.median(light), statistics.median(heavy)
    return [
        Figure("slack ack, bare bolt app, median of 50 concurrent", bare_median * 1000, "ms", None),
        Figure(f"slack ack, the bot ({LIGHT}), median of 50 concurrent", light_median * 1000, "ms", None),
        Figure("  bot median / bare bolt median", light_median / bare_median, "x", 1.5),
        Figure(f"slack ack, the bot ({LIGHT}), 99th percentile", percentile(light, 0.99) * 1000, "ms", 300),
        Figure(f"slack ack, the bot ({HEAVY}), median of 50 concurrent", heavy_median * 1000, "ms", None),
        Figure(f"  bot median ({HEAVY}) / bare bolt median", heavy_median / bare_median, "x", 1.5),
        Figure(f"slack ack, the bot ({HEAVY}), 99th percentile", percentile(heavy, 0.99) * 1000, "ms", 300),
    ]

"""Commands completed per second, and memory under overload, for the bot in one process.

The yardstick is a bare bolt app's acknowledgements per second (it does no work at all), measured
in the same run with the same 50 concurrent senders. A command counts as completed once it is
answered and marked done in the database. Each endpoint is warmed up first (its first commands pay
for imports, connections and caches), and the bare app and the bot take turns ALTERNATIONS times,
each rate being the median of its turns, so that the shared machine's drift hits both alike.

The overload is a burst of mixed commands (help, cases, complaints) sent as fast as the endpoint
acknowledges them, far past what it can work through: the process's memory is read before and
after it.
"""

from __future__ import annotations

import itertools
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench.report import Figure
from bench.slack_ack import CONCURRENT, MEMBER, Endpoint, endpoint, fake_slack, program_database, sender_for

BARE_COMMANDS = 2_000
CASES = 1_500
COMPLAINTS = 500
WARM_UP = 600
ALTERNATIONS = 3
BURST = 20_000
BURST_SECONDS = 60.0
DRAIN_TIMEOUT = 300.0

Command = Callable[[int], str]
_serial = itertools.count(1_000)


def cases(_: int) -> str:
    return "cases open"


def complaint(_: int) -> str:
    return f"complaint https://item.taobao.com/item.htm?id={next(_serial)}"


def mixed(number: int) -> str:
    return (lambda _: "help", cases, complaint)[number % 3](number)


def send(server: Endpoint, fake_url: str, command: Command, count: int, seconds: float = 600.0) -> tuple[int, float]:
    """Send up to `count` commands, 50 at a time, for at most `seconds`; how many were acknowledged, and how long."""
    sender, connections = sender_for(server.url)
    deadline = time.monotonic() + seconds
    url = f"{fake_url}/response/load"

    def one(number: int) -> bool:
        if time.monotonic() > deadline:
            return False
        response = sender.slash_command(MEMBER, command(number), response_url=url)
        assert response.status_code == 200, response.status_code
        return True

    started = time.perf_counter()
    with ThreadPoolExecutor(CONCURRENT) as pool:
        sent = sum(pool.map(one, range(count)))
    elapsed = time.perf_counter() - started
    connections.close()
    return sent, elapsed


def waiting(database: Path) -> int:
    with sqlite3.connect(database, timeout=30) as connection:
        return int(connection.execute("SELECT count(*) FROM accepted_command WHERE status = 'accepted'").fetchone()[0])


def drain(database: Path, timeout: float = DRAIN_TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while waiting(database) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not waiting(database), f"{waiting(database)} commands still waiting after {timeout} s"


def completed_per_second(server: Endpoint, fake_url: str, command: Command, count: int) -> float:
    drain(server.database)
    started = time.perf_counter()
    sent, _ = send(server, fake_url, command, count)
    drain(server.database)
    return sent / (time.perf_counter() - started)


def rss_mb(server: Endpoint) -> float:
    for line in Path(f"/proc/{server.process.pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def run() -> list[Figure]:
    bare_rates: list[float] = []
    cases_rates: list[float] = []
    complaints_rates: list[float] = []
    with fake_slack() as fake_url, tempfile.TemporaryDirectory() as scratch:
        program = program_database(Path(scratch))
        for _ in range(ALTERNATIONS):
            with endpoint("bare", fake_url, program) as bare:
                send(bare, fake_url, cases, WARM_UP)
                sent, elapsed = send(bare, fake_url, cases, BARE_COMMANDS)
                bare_rates.append(sent / elapsed)
            with endpoint("bot", fake_url, program) as bot:
                send(bot, fake_url, mixed, WARM_UP)
                cases_rates.append(completed_per_second(bot, fake_url, cases, CASES))
                complaints_rates.append(completed_per_second(bot, fake_url, complaint, COMPLAINTS))
        with endpoint("bot", fake_url, program) as bot:
            send(bot, fake_url, mixed, WARM_UP)
            drain(bot.database)
            before = rss_mb(bot)
            burst, seconds = send(bot, fake_url, mixed, BURST, BURST_SECONDS)
            after = rss_mb(bot)
            backlog = waiting(bot.database)
    bare_rate, cases_rate = statistics.median(bare_rates), statistics.median(cases_rates)
    complaints_rate = statistics.median(complaints_rates)
    return [
        Figure(f"slack acks/s, bare bolt app, 50 concurrent (median of {ALTERNATIONS})", bare_rate, "/s", None),
        Figure(f"slack cases completed/s, the bot (median of {ALTERNATIONS})", cases_rate, "/s", None),
        Figure("  cases completed/s / bare acks/s", cases_rate / bare_rate, "x", 0.5, lower_is_better=False),
        Figure(f"slack complaints completed/s, the bot (median of {ALTERNATIONS})", complaints_rate, "/s", None),
        Figure("  complaints completed/s / bare acks/s", complaints_rate / bare_rate, "x", 0.2, lower_is_better=False),
        Figure(f"slack overload: mixed commands acknowledged in {seconds:.0f} s", burst, "", None),
        Figure("  of which still waiting in the database after it", backlog, "", None),
        Figure("  RSS after the burst - before it", after - before, "MB", 5.0),
    ]

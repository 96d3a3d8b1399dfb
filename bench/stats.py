"""`stats` over 1,000,000 and 10,000,000 items on SQLite, and the console's memory on the first.

The 10M-item database (about 6.5 GB) is built once into bench/.data/ on the first run, which takes
10 to 30 minutes, and reused while the schema is the same."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.dataset import program_database
from bench.report import Figure
from bot.router import Incoming, Router
from handlers.kit.context import Caller, ProgramRules
from storage.database import Database

RUNS = 7
CONSOLE_SCRIPT = """/as team1
stats months=12
stats org=org17 months=12
cases
cases org=org17 open
case MS-000001
/as brand17
stats months=24
cases open
"""


def timed(router: Router, identity: str, text: str) -> float:
    samples = []
    for _ in range(RUNS):
        started = time.perf_counter()
        reply = router.handle(Incoming(Caller("console", identity), text))
        samples.append(time.perf_counter() - started)
        assert not reply.is_error, reply.text
    return statistics.median(samples)


def console_peak_rss_mb(path: Path) -> float:
    """Peak resident memory of `marketsafe console` answering figures and cases on the big database."""
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("SLACK_", "DISCORD_"))}
    environment["DATABASE_URL"] = f"sqlite:///{path}"
    script = Path(sys.executable).with_name("marketsafe")
    measurer = (
        "import resource, subprocess, sys\n"
        "subprocess.run(sys.argv[1:], input=sys.stdin.read(), text=True, check=True, stdout=subprocess.DEVNULL)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", measurer, str(script), "console"],
        input=CONSOLE_SCRIPT, capture_output=True, text=True, env=environment, check=True, timeout=300,
    )  # fmt: skip
    return int(result.stdout.strip().splitlines()[-1]) / 1024


def run() -> list[Figure]:
    now = datetime.now(UTC)
    path = program_database(now)
    database = Database(f"sqlite:///{path}")
    router = Router(database, ProgramRules(), frozenset())
    overall = timed(router, "team1", "stats months=12")
    one_organisation = timed(router, "brand17", "stats months=12")
    database.dispose()
    large = Database(f"sqlite:///{program_database(now, scale=10)}")
    large_router = Router(large, ProgramRules(), frozenset())
    overall_large = timed(large_router, "team1", "stats months=12")
    one_organisation_large = timed(large_router, "brand17", "stats months=12")
    large.dispose()
    return [
        Figure("stats, whole program, 12 months (1M items, 100k complaints)", overall * 1000, "ms", 200),
        Figure("stats, one organisation, 12 months", one_organisation * 1000, "ms", 200),
        Figure("stats, whole program, 12 months (10M items, 1M complaints)", overall_large * 1000, "ms", 1000),
        Figure("stats, one organisation, 12 months (10M items)", one_organisation_large * 1000, "ms", 200),
        # Running counts per month and organisation: the cost does not follow the number of items.
        Figure("  growth, whole-program stats 1M -> 10M items", overall_large / overall, "x", 2),
        Figure("console bot peak resident memory on that database", console_peak_rss_mb(path), "MB", 150),
    ]

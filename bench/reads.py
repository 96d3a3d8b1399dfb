"""Paged reads on the program-sized database: `cases` for the team, `cases mine`, one
organisation's open cases, and App Home, each beside its target."""

from __future__ import annotations

import statistics
import time
from datetime import UTC, datetime

from bench.dataset import program_database
from bench.report import Figure
from bench.stats import RUNS, timed
from bot.router import Incoming, Router
from handlers.home import home
from handlers.kit.context import Caller, ProgramRules
from storage.database import Database

TARGET_MS = 50
READS = (  # identity, command, what it is
    ("team1", "cases", "cases, team, newest page"),
    ("team1", "cases page=400", "cases, team, page 400"),
    ("team1", "cases open platform=tmall", "cases, team, open on one platform"),
    ("team1", "cases mine", "cases mine, team member's open cases"),
    ("team1", "cases mine all page=3", "cases mine all, page 3"),
    ("brand17", "cases open", "cases open, one organisation"),
    ("team1", "cases org=org17 open month=2025-06", "cases, one organisation and month"),
)


def run() -> list[Figure]:
    now = datetime.now(UTC)
    database = Database(f"sqlite:///{program_database(now)}")
    router = Router(database, ProgramRules(), frozenset())
    figures = [
        Figure(f"{label} (1M items)", timed(router, identity, text) * 1000, "ms", TARGET_MS)
        for identity, text, label in READS
    ]
    figures += [
        Figure(f"App Home, {who}", home_time(router, identity) * 1000, "ms", TARGET_MS)
        for identity, who in (("team1", "team (the whole program)"), ("brand17", "one organisation"))
    ]
    database.dispose()
    return figures


def home_time(router: Router, identity: str) -> float:
    samples = []
    for _ in range(RUNS):
        started = time.perf_counter()
        reply = router.run(Incoming(Caller("console", identity), "home"), "home", home)
        samples.append(time.perf_counter() - started)
        assert not reply.is_error, reply.text
    return statistics.median(samples)


if __name__ == "__main__":
    for figure in run():
        print(figure.line())

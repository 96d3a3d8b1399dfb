"""Paged reads on the program-sized databases: `cases` for the team, `cases mine`, one
organisation's open cases, and App Home, each beside its target at 1M items, and how each grows
from 1M to 10M items as an exponent (0: the same time at any size; 1: linear in the items)."""

from __future__ import annotations

import math
import statistics
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.dataset import program_database
from bench.report import Figure
from bench.stats import RUNS, timed
from bot.router import Incoming, Router
from handlers.home import home
from handlers.kit.context import Caller, ProgramRules
from storage.database import Database

TARGET_MS = 50
# A read paged by an index costs about the same at any size: it may grow by a log factor (deeper
# B-trees), which from 1M to 10M is well under 10^0.3 = 2x.
GROWTH_TARGET = 0.3
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
    small = timings(program_database(now))
    large = timings(program_database(now, scale=10))
    figures = [Figure(f"{label} (1M items)", seconds * 1000, "ms", TARGET_MS) for label, seconds in small.items()]
    figures += [
        Figure(f"  growth exponent 1M -> 10M: {label} ({large[label] * 1000:.1f} ms)", growth, "", GROWTH_TARGET)
        for label, growth in ((label, math.log10(large[label] / small[label])) for label in small)
    ]
    return figures


def timings(path: Path) -> dict[str, float]:
    """Median seconds of each read on the database at `path`, by label."""
    database = Database(f"sqlite:///{path}")
    router = Router(database, ProgramRules(), frozenset())
    seconds = {label: timed(router, identity, text) for identity, text, label in READS}
    for identity, who in (("team1", "team (the whole program)"), ("brand17", "one organisation")):
        seconds[f"App Home, {who}"] = home_time(router, identity)
    database.dispose()
    return seconds


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

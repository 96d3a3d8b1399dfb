"""Filing 10,000 links at once, against plain sqlite3 inserting the same canonical rows.

Both run in the same process on the same disk, several times, on fresh files with the same
SQLite settings the bot uses (WAL, synchronous=NORMAL); the medians are compared.
"""

from __future__ import annotations

import shutil
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from bench.report import Figure
from bot.router import Incoming, Router
from handlers.kit.context import Caller, ProgramRules
from storage.database import Database

LINKS = 10_000
REPEATS = 5
SET_UP = (
    'admin org add acme "ACME Corp"',
    'admin right add acme trademark 1234567 mark="ACME" jurisdiction=CN',
    "admin right verify 1",
    "admin member add console:brand acme member",
)


def paste(first_id: int) -> str:
    """10,000 links in the forms members paste: desktop, mobile and tracking parameters."""
    forms = (
        "https://item.taobao.com/item.htm?id={}&spm=a1z10.1-c.w4004.1",
        "https://h5.m.taobao.com/awp/core/detail.htm?id={}",
        "item.taobao.com/item.htm?id={}",
        "https://world.taobao.com/item/{}.htm",
    )
    return "\n".join(forms[n % len(forms)].format(first_id + n) for n in range(LINKS))


def baseline_seconds(directory: Path, first_id: int) -> float:
    connection = sqlite3.connect(directory / "baseline.db")
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = NORMAL")
    connection.execute(
        "CREATE TABLE listing (id INTEGER PRIMARY KEY, platform TEXT, kind TEXT, external_id TEXT, "
        "canonical_url TEXT, UNIQUE (platform, external_id))"
    )
    rows = [
        ("taobao", "listing", str(first_id + n), f"https://item.taobao.com/item.htm?id={first_id + n}")
        for n in range(LINKS)
    ]
    started = time.perf_counter()
    connection.executemany("INSERT INTO listing (platform, kind, external_id, canonical_url) VALUES (?, ?, ?, ?)", rows)
    connection.commit()
    elapsed = time.perf_counter() - started
    connection.close()
    return elapsed


def bot_seconds(template: Path, directory: Path, first_id: int) -> float:
    shutil.copyfile(template, directory / "bot.db")
    database = Database(f"sqlite:///{directory / 'bot.db'}")
    router = Router(database, ProgramRules(), frozenset({"console:operator"}))
    for command in SET_UP:
        assert not router.handle(Incoming(Caller("console", "operator"), command)).is_error
    text = "complaint reason=counterfeit " + paste(first_id)
    started = time.perf_counter()
    reply = router.handle(Incoming(Caller("console", "brand"), text))
    elapsed = time.perf_counter() - started
    assert reply.text.startswith(f"Registered {LINKS} items"), reply.text
    database.dispose()
    return elapsed


def run() -> list[Figure]:
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        template = root / "template.db"
        database = Database(f"sqlite:///{template}")
        database.upgrade()
        database.dispose()
        ours, baseline = [], []
        for repeat in range(REPEATS):
            directory = root / f"run{repeat}"
            directory.mkdir()
            first_id = 5_000_000_000 + repeat * LINKS
            baseline.append(baseline_seconds(directory, first_id))
            ours.append(bot_seconds(template, directory, first_id))
    ours_median, baseline_median = statistics.median(ours), statistics.median(baseline)
    return [
        Figure("filing 10,000 links (parse, dedupe, split, store, outbox)", ours_median * 1000, "ms", 2000),
        Figure("  plain sqlite3 executemany of the same 10,000 rows", baseline_median * 1000, "ms", None),
        Figure("  filing time / plain sqlite3 time", ours_median / baseline_median, "x", 4),
    ]

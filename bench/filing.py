"""Filing 10,000 links at once, against its floor: our parser alone plus plain sqlite3
inserting the rows filing writes (complaints, listings, items) into the same schema; and how
filing grows from 1,000 links to 10,000.

All run in the same process on the same disk, several times, on fresh files with the same
SQLite settings the bot uses (WAL, synchronous=NORMAL, foreign keys on); the medians are compared.
"""

from __future__ import annotations

import math
import shutil
import sqlite3
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.report import Figure
from bot.router import Incoming, Router
from handlers.cases.link_parsing import ParsedLink, extract_links
from handlers.kit.context import Caller, ProgramRules
from storage.database import Database

LINKS = 10_000
# The growth exponent compares filing SMALL links with filing LINKS: 1 is linear (each link costs
# the same either way), 2 would be a cost per link growing with the paste. Up to 1.1 counts as
# linear: fixed costs per command pull it below 1, a busy shared machine moves it by a few hundredths.
SMALL = 1_000
GROWTH_TARGET = 1.1
REPEATS = 5
SET_UP = (
    'admin org add acme "ACME Corp"',
    'admin right add acme trademark 1234567 mark="ACME" jurisdiction=CN',
    "admin right verify 1",
    "admin member add console:brand acme member",
)


def paste(first_id: int, count: int = LINKS) -> str:
    """`count` links in the forms members paste: desktop, mobile and tracking parameters."""
    forms = (
        "https://item.taobao.com/item.htm?id={}&spm=a1z10.1-c.w4004.1",
        "https://h5.m.taobao.com/awp/core/detail.htm?id={}",
        "item.taobao.com/item.htm?id={}",
        "https://world.taobao.com/item/{}.htm",
    )
    return "\n".join(forms[n % len(forms)].format(first_id + n) for n in range(count))


def parse_seconds(first_id: int) -> tuple[float, list[ParsedLink]]:
    """Our link parser alone over the paste."""
    text = paste(first_id)
    started = time.perf_counter()
    parsed = list(extract_links(text).parsed)
    return time.perf_counter() - started, parsed


def insert_seconds(path: Path, parsed: list[ParsedLink]) -> float:
    """Plain sqlite3 `executemany` of the rows filing writes (complaints, listings, items) into the
    same schema, with the same settings as the bot: the storage floor under filing."""
    now = datetime.now(UTC).replace(tzinfo=None).isoformat(sep=" ")
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA foreign_keys = ON")
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = NORMAL")
    batches = [parsed[start : start + 300] for start in range(0, len(parsed), 300)]
    complaints = [
        (number, 1, 1, 1, "taobao", "listing", "counterfeit", "submitted", len(batch), now, now)
        for number, batch in enumerate(batches, start=1)
    ]
    listings = [(n, "taobao", link.key.external_id, link.canonical_url, now) for n, link in enumerate(parsed, start=1)]
    items = [
        (number, position, 1, "taobao", "listing", (number - 1) * 300 + position, link.original, link.canonical_url,
         "reported", now, 202611, 0)
        for number, batch in enumerate(batches, start=1)
        for position, link in enumerate(batch, start=1)
    ]  # fmt: skip
    started = time.perf_counter()
    connection.executemany(
        "INSERT INTO complaint (id, organisation_id, filed_by_id, ip_right_id, platform, kind, reason_code, status, "
        "item_count, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        complaints,
    )
    connection.executemany(
        "INSERT INTO listing (id, platform, external_id, canonical_url, first_seen_at) VALUES (?, ?, ?, ?, ?)",
        listings,
    )
    connection.executemany(
        "INSERT INTO complaint_item (complaint_id, position, organisation_id, platform, kind, listing_id, "
        "original_text, canonical_url, status, reported_at, reported_month, counter_rounds) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        items,
    )
    connection.commit()
    elapsed = time.perf_counter() - started
    connection.close()
    return elapsed


def set_up(template: Path, path: Path) -> Database:
    """A copy of the migrated template with the organisation, right and member that file."""
    shutil.copyfile(template, path)
    database = Database(f"sqlite:///{path}")
    router = Router(database, ProgramRules(), frozenset({"console:operator"}))
    for command in SET_UP:
        assert not router.handle(Incoming(Caller("console", "operator"), command)).is_error
    return database


def bot_seconds(template: Path, path: Path, first_id: int, count: int = LINKS) -> float:
    """One `complaint` command filing `count` new links, through the router as a member sends it."""
    database = set_up(template, path)
    router = Router(database, ProgramRules(), frozenset())
    text = "complaint reason=counterfeit " + paste(first_id, count)
    started = time.perf_counter()
    reply = router.handle(Incoming(Caller("console", "brand"), text))
    elapsed = time.perf_counter() - started
    assert reply.text.startswith(f"Registered {count} items"), reply.text
    database.dispose()
    return elapsed


def run() -> list[Figure]:
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        template = root / "template.db"
        database = Database(f"sqlite:///{template}")
        database.upgrade()
        database.dispose()
        ours, parsing, inserting, small = [], [], [], []
        for repeat in range(REPEATS):
            directory = root / f"run{repeat}"
            directory.mkdir()
            first_id = 5_000_000_000 + repeat * LINKS
            parse_time, parsed = parse_seconds(first_id)
            parsing.append(parse_time)
            set_up(template, directory / "plain.db").dispose()
            inserting.append(insert_seconds(directory / "plain.db", parsed))
            ours.append(bot_seconds(template, directory / "bot.db", first_id))
            small.append(bot_seconds(template, directory / "small.db", first_id, SMALL))
    ours_median, parse_median, insert_median = (statistics.median(ours), statistics.median(parsing),
                                                statistics.median(inserting))  # fmt: skip
    floor = parse_median + insert_median
    small_median = statistics.median(small)
    growth = math.log(ours_median / small_median) / math.log(LINKS / SMALL)
    return [
        Figure("filing 10,000 links (parse, dedupe, split, store, outbox)", ours_median * 1000, "ms", 2000),
        Figure("  our link parser alone over the same paste", parse_median * 1000, "ms", None),
        Figure("  plain sqlite3 executemany of the rows filing writes", insert_median * 1000, "ms", None),
        Figure("  filing time / (parser + plain executemany)", ours_median / floor, "x", 2),
        Figure("filing 1,000 links (the same, a tenth of the paste)", small_median * 1000, "ms", None),
        Figure("  growth exponent, 1,000 -> 10,000 links (1 = linear)", growth, "", GROWTH_TARGET),
    ]


if __name__ == "__main__":
    for figure in run():
        print(figure.line(), flush=True)

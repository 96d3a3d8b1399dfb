"""The running counts behind `stats` stay equal to a full recount of the items, whatever mix of
filings, outcomes, appeals and withdrawals runs, however many at once, on each database."""

from __future__ import annotations

import logging
import random
import threading

import pytest
from sqlmodel import select

from bot.router import Incoming, Router
from handlers.kit.context import Caller
from storage.database import Database
from storage.models import ComplaintItem
from storage.stats_counts import DAY, HOUR, Key, bucket_floor, recount, stored_counts, time_bucket
from storage.vocabulary import CountedFigure, ItemStatus
from support.harness import Harness

WORKERS = 4
ROUNDS = 6
COMMANDS_PER_ROUND = 12
# Days the clock moves after each round: decisions within the day, within three, later, next month.
ADVANCES = (0.2, 2.5, 1, 9, 24, 3)
OUTCOMES = ("removed", "removed", "not_removed", "not_found", "counter_notice", "upheld", "reinstated")
LINKS = (
    "https://item.taobao.com/item.htm?id={}",
    "https://detail.tmall.com/item.htm?id={}",
    "https://www.aliexpress.com/item/{}.html",
    "https://shop{}.taobao.com",
)


def counts_and_recount(database: Database) -> tuple[dict[Key, int], dict[Key, int]]:
    """The counts as kept, and as a recount of the items gives them (the recount is rolled back)."""
    with database.engine.connect() as connection:
        transaction = connection.begin()
        kept = stored_counts(connection)
        recount(connection)
        recounted = stored_counts(connection)
        transaction.rollback()
    return kept, recounted


def random_command(rng: random.Random, cases: int) -> tuple[str, str]:
    """A command and its caller: a filing, an outcome, a withdrawal, or a look at the figures."""
    roll = rng.random()
    if roll < 0.3 or cases == 0:
        links = " ".join(rng.choice(LINKS).format(rng.randint(1, 400)) for _ in range(rng.randint(1, 6)))
        return f"complaint {links}", rng.choice(("brand1", "brand2"))
    case = f"MS-{rng.randint(1, cases):06d}"
    items = rng.choice(("all", "1", "2", "1-3", "2,4"))
    if roll < 0.85:
        return f"outcome {case} {items} {rng.choice(OUTCOMES)}", "team1"
    if roll < 0.95:
        return f"withdraw {case} {items}", rng.choice(("brand1", "brand2"))
    return "stats months=3", "team1"


def case_count(database: Database) -> int:
    with database.transaction() as session:
        return len(set(session.exec(select(ComplaintItem.complaint_id)).all()))


def test_counts_equal_a_recount_after_many_commands_at_once(program: Harness, caplog: pytest.LogCaptureFixture) -> None:
    database = program.database
    done = {"filed": 0, "decided": 0}
    lock = threading.Lock()

    def work(seed: int, cases: int) -> None:
        rng = random.Random(seed)
        router = Router(database, program.router.rules, program.router.admins, clock=program.clock)
        for _ in range(COMMANDS_PER_ROUND):
            text, caller = random_command(rng, cases)
            reply = router.handle(Incoming(Caller("console", caller), text))
            if not reply.is_error:
                with lock:
                    done["filed" if text.startswith("complaint") else "decided"] += 1

    with caplog.at_level(logging.ERROR):
        for round_ in range(ROUNDS):
            cases = case_count(database)
            threads = [threading.Thread(target=work, args=(round_ * WORKERS + n, cases)) for n in range(WORKERS)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=120)
            assert not any(thread.is_alive() for thread in threads), "a command did not finish"
            program.clock.advance(days=ADVANCES[round_])
    assert [record.getMessage() for record in caplog.records if record.levelno >= logging.ERROR] == []
    assert done["filed"] >= 5 and done["decided"] >= 10, done
    kept, recounted = counts_and_recount(database)
    assert kept == recounted
    figures = {key[1] for key in kept}
    assert figures == {figure.value for figure in CountedFigure}, "every figure was exercised"
    assert len({key[2] for key in kept}) >= 2, "the commands spanned months"


def test_a_command_that_fails_adds_nothing_to_the_counts(program: Harness) -> None:
    program.ok("complaint https://item.taobao.com/item.htm?id=1 https://item.taobao.com/item.htm?id=2", as_="brand1")
    before, _ = counts_and_recount(program.database)
    with pytest.raises(RuntimeError), program.database.transaction() as session:
        item = session.exec(select(ComplaintItem)).first()
        assert item is not None
        item.status, item.decided_month, item.decision_seconds = ItemStatus.NOT_FOUND, 202611, 60
        session.add(item)
        session.flush()
        raise RuntimeError("the command fails after its change was written")
    after, recounted = counts_and_recount(program.database)
    assert after == before == recounted


def test_items_changed_through_the_orm_are_counted(program: Harness) -> None:
    program.ok("complaint https://item.taobao.com/item.htm?id=1 https://item.taobao.com/item.htm?id=2", as_="brand1")
    with program.database.transaction() as session:
        for item in session.exec(select(ComplaintItem)).all():
            item.status, item.decided_month, item.removal_seconds, item.decision_seconds = (
                ItemStatus.REMOVED, 202612, 3 * DAY, 3 * DAY,
            )  # fmt: skip
            session.add(item)
    kept, recounted = counts_and_recount(program.database)
    assert kept == recounted
    assert kept[(0, "decided", 202612, "", "removed", 0)] == 2


def test_a_counted_item_changed_inside_a_savepoint_is_refused(program: Harness) -> None:
    program.ok("complaint https://item.taobao.com/item.htm?id=1", as_="brand1")
    with pytest.raises(RuntimeError, match="savepoint"), program.database.transaction() as session:
        item = session.exec(select(ComplaintItem)).one()
        with session.begin_nested():
            item.status = ItemStatus.NOT_FOUND
            session.add(item)


@pytest.mark.parametrize(
    ("seconds", "bucket"),
    [(-5, 0), (0, 0), (1, HOUR), (HOUR, HOUR), (HOUR + 1, 2 * HOUR), (DAY, DAY), (DAY + 1, DAY + HOUR),
     (3 * DAY, 3 * DAY), (7 * DAY, 7 * DAY), (7 * DAY + 1, 8 * DAY), (90 * DAY, 90 * DAY),
     (90 * DAY + 1, 120 * DAY), (400 * DAY, 420 * DAY)],
)  # fmt: skip
def test_a_time_falls_in_the_bucket_whose_range_holds_it(seconds: int, bucket: int) -> None:
    assert time_bucket(seconds) == bucket
    floor = bucket_floor(bucket)
    assert (floor is None or floor < seconds) and seconds <= bucket
    assert time_bucket(bucket) == bucket and (floor is None or time_bucket(floor) != bucket)

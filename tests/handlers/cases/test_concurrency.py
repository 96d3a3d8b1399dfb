"""Two clicks decide once: commands changing the same case, listing or application at the same
moment, each through its own router and transaction, on each database.

Each race holds both commands at the point where they have read the state they are about to
change (a function the handler calls right after reading, patched to wait for the other thread).
Without a lock both get there and both write; with one, the second waits for the first to commit
before it reads, and the first goes on after a short wait.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Sequence
from typing import Any

import pytest
from sqlmodel import col, func, select

import handlers.cases.case_reading
import handlers.cases.filing
import handlers.cases.outcomes
import handlers.program.applicant_steps
from bot.router import Incoming, Router
from handlers.kit.context import Caller
from handlers.kit.replies import Reply
from storage.models import Application, AuditEntry, ComplaintItem, Organisation, SellerAppeal
from storage.vocabulary import ApplicationStatus, ItemStatus
from support.harness import Harness

LISTING = "https://item.taobao.com/item.htm?id=1"
# How long the first command waits at the race point for the second: long enough for a second
# command that is not kept out to get there too, short enough to keep the suite quick.
MEETING = 0.5


def race(
    bot: Harness, monkeypatch: pytest.MonkeyPatch, reads: Sequence[tuple[object, str]], *sent: tuple[str, str]
) -> list[Reply]:
    """Run each (command, caller) of `sent` in its own thread, released together; every function in
    `reads` waits, after reading, until every command has read or `MEETING` has passed."""
    read_together = threading.Barrier(len(sent), timeout=MEETING)
    for owner, name in reads:
        monkeypatch.setattr(owner, name, _then_meet(getattr(owner, name), read_together))
    start = threading.Barrier(len(sent))
    replies: list[Reply | None] = [None] * len(sent)

    def send(index: int, text: str, caller: str) -> None:
        router = Router(bot.database, bot.router.rules, bot.router.admins, clock=bot.clock)
        start.wait()
        replies[index] = router.handle(Incoming(Caller("console", caller), text))

    threads = [threading.Thread(target=send, args=(index, *command)) for index, command in enumerate(sent)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert all(reply is not None for reply in replies), "a command did not finish"
    return [reply for reply in replies if reply is not None]


def _then_meet(read: Callable[..., Any], barrier: threading.Barrier) -> Callable[..., Any]:
    def reading_then_meeting(*args: Any, **kwargs: Any) -> Any:
        result = read(*args, **kwargs)
        # Broken: the other command is kept out until this one ends.
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait()
        return result

    return reading_then_meeting


def winner_and_loser(replies: list[Reply]) -> tuple[Reply, Reply]:
    done = [reply for reply in replies if not reply.is_error]
    refused = [reply for reply in replies if reply.is_error]
    assert len(done) == 1 and len(refused) == 1, [reply.text for reply in replies]
    return done[0], refused[0]


def count(bot: Harness, statement: Any) -> int:
    with bot.database.transaction() as session:
        return int(session.exec(statement).one())


CASE_READS = [(handlers.cases.outcomes, "items_of"), (handlers.cases.case_reading, "items_of")]


def test_a_double_click_on_removed_decides_once_and_posts_once(
    program: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    program.ok(f"complaint {LISTING}", as_="brand1")
    program.delivered()
    click = ("outcome MS-000001 1 removed", "team1")
    done, refused = winner_and_loser(race(program, monkeypatch, CASE_READS, click, click))
    assert done.text == "MS-000001: item 1 is now removed; the case is actioned."
    assert refused.text.startswith("Nothing to record: item 1 of MS-000001 is already removed (by console:team1 at ")
    removals = select(func.count()).select_from(AuditEntry).where(col(AuditEntry.to_status) == ItemStatus.REMOVED)
    assert count(program, removals) == 1
    assert [posted.channel for posted in program.delivered()].count("outcomes") == 1


def test_a_double_click_on_need_info_returns_the_case_once_and_tells_the_brand_once(
    program: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    program.ok(f"complaint {LISTING}", as_="brand1")
    program.delivered()
    click = ('outcome MS-000001 need_info note="Which class?"', "team1")
    reads = [(handlers.cases.outcomes, "load_case")]
    done, refused = winner_and_loser(race(program, monkeypatch, reads, click, click))
    assert done.text == "MS-000001 is now returned."
    assert refused.text.startswith("Nothing to record: MS-000001 is already returned (since ")
    returns = select(func.count()).select_from(AuditEntry).where(col(AuditEntry.to_status) == "returned")
    assert count(program, returns) == 1
    assert [posted.kind for posted in program.delivered()].count("case_returned") == 1


def test_an_outcome_and_a_withdrawal_at_once_end_in_one_of_them(
    program: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    program.ok(f"complaint {LISTING}", as_="brand1")
    replies = race(
        program, monkeypatch, CASE_READS, ("outcome MS-000001 1 removed", "team1"), ("withdraw MS-000001 1", "brand1")
    )
    done, refused = winner_and_loser(replies)
    with program.database.transaction() as session:
        status = session.exec(select(ComplaintItem.status)).one()
    if status is ItemStatus.REMOVED:
        assert done is replies[0]
        assert refused.text == "These items are already decided and cannot be withdrawn: 1 (removed)."
    else:
        assert status is ItemStatus.WITHDRAWN and done is replies[1]
        assert (
            refused.text == "Nothing was recorded: item 1: it is withdrawn, which can change to nothing (it is final)."
        )
    assert count(program, select(func.count()).select_from(AuditEntry).where(AuditEntry.entity == "item")) == 1


def test_two_counter_notices_at_once_open_one_round(program: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    program.ok(f"complaint {LISTING}", as_="brand1")
    program.ok("outcome MS-000001 1 removed", as_="team1")
    click = ("outcome MS-000001 1 counter_notice", "team1")
    done, refused = winner_and_loser(race(program, monkeypatch, CASE_READS, click, click))
    assert done.text == "MS-000001: item 1 is now counter_notice; the case is partially_actioned."
    assert refused.text.startswith(
        "Nothing to record: item 1 of MS-000001 is already counter_notice (by console:team1 at "
    )
    assert count(program, select(func.count()).select_from(SellerAppeal)) == 1


def test_two_members_refiling_one_known_listing_at_once_give_one_open_case(
    program: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    program.ok(f"complaint {LISTING}", as_="brand1")
    program.ok("outcome MS-000001 1 not_found", as_="team1")
    reads = [(handlers.cases.filing, "open_items_for")]
    replies = race(program, monkeypatch, reads, (f"complaint {LISTING}", "brand1"), (f"complaint {LISTING}", "brand2"))
    assert not any(reply.is_error for reply in replies), [reply.text for reply in replies]
    texts = sorted(reply.render_plain() for reply in replies)
    assert sum(text.startswith("Registered 1 item in MS-000002") for text in texts) == 1
    assert sum("already in another member's open complaint" in text for text in texts) == 1
    still_open = select(func.count()).select_from(ComplaintItem).where(ComplaintItem.status == ItemStatus.REPORTED)
    assert count(program, still_open) == 1


def test_a_double_click_on_apply_accept_sets_up_one_organisation(
    program: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    program.ok(
        'apply legal_name="Alpha Inc" country=US size=large contact="Jo Lee, jo@example.com" role=rights_holder '
        'good_faith=no marks="ALPHA"',
        as_="alpha",
    )
    program.ok("applications seats north-america:large 1", as_="team1")
    program.ok("applications select", as_="team1")
    reads = [(handlers.program.applicant_steps, "latest_application")]
    done, refused = winner_and_loser(
        race(program, monkeypatch, reads, ("apply accept", "alpha"), ("apply accept", "alpha"))
    )
    assert done.text == "Welcome to MarketSafe: Alpha Inc is organisation alpha-inc, and you are its member."
    assert refused.text == (
        "Only a selected applicant can accept a seat; application #1 is onboarded. "
        "`apply status` says what happens next."
    )
    assert (
        count(program, select(func.count()).select_from(Organisation).where(Organisation.slug.startswith("alpha"))) == 1
    )
    with program.database.transaction() as session:
        assert session.exec(select(Application.status)).one() is ApplicationStatus.ONBOARDED

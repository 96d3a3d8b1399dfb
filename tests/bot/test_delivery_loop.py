"""The continuous delivery loop against the fake Slack, through the real poster and client:
many channels posted to side by side, each notice shown once, each channel's and each case
thread's order kept, and a rate-limited channel waiting alone while the others go on."""

from __future__ import annotations

import contextlib
import itertools
import logging
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from slack_sdk import WebClient
from sqlalchemy.exc import OperationalError
from sqlmodel import col, func, select

from bot.delivery import DeliveryWorker
from bot.delivery_loop import deliver_forever
from bot.settings import Settings
from bot.slack.app import web_client
from bot.slack.poster import SlackPoster
from handlers.kit.outbox import save_notices
from handlers.kit.replies import Notice
from storage.database import Database
from storage.models import Delivery
from storage.vocabulary import DeliveryStatus
from support.fake_http import Pace, rate_limited
from support.fake_slack import JSON, Call, FakeSlack
from support.harness import RecordingPoster
from support.slack_limits import POSTS_PER_SECOND_PER_CHANNEL
from support.unreliable_database import UnreliableDatabase

TOKEN = "xoxb-1111-2222-Zq8sK3mT9pLwR4vB"
LANES = 4
DEADLINE = 60.0  # seconds a scenario may take on a loaded machine before it counts as stuck


def real_time() -> datetime:
    return datetime.now(UTC)


def slack_channel(logical: str) -> str:
    """`org:brand3` is posted to C0BRAND3."""
    return "C0" + logical.removeprefix("org:").upper()


@pytest.fixture
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")


def slack_worker(database: Database, fake: FakeSlack) -> DeliveryWorker:
    settings = Settings(_env_file=None, slack_bot_token=TOKEN, slack_api_url=fake.api_url)
    worker = DeliveryWorker(database, SlackPoster(web_client(settings, retries=False)), resolve=slack_channel)
    worker.start()
    return worker


def write(database: Database, *notices: Notice) -> None:
    with database.transaction() as session:
        save_notices(session, notices, real_time())


def sent(database: Database) -> int:
    with database.transaction() as session:
        return int(session.exec(select(func.count()).where(col(Delivery.status) == DeliveryStatus.SENT)).one())


def wait_until(done: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + DEADLINE
    while not done():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {DEADLINE:.0f} s: {what}")
        time.sleep(0.05)


@contextlib.contextmanager
def delivering(worker: DeliveryWorker) -> Iterator[None]:
    """The loop, running in its own thread as a platform runs it, stopped and joined at the end."""
    stopping = threading.Event()
    thread = threading.Thread(target=deliver_forever, args=(worker, stopping), kwargs={"lanes": LANES})
    thread.start()
    try:
        yield
    finally:
        stopping.set()
        thread.join(DEADLINE)
        assert not thread.is_alive(), "the loop did not stop"


def top_level(fake: FakeSlack, channel: str) -> list[dict[str, Any]]:
    """The channel's messages as a person scrolls them, oldest first (thread replies not included)."""
    client = WebClient(base_url=fake.api_url, token=TOKEN)
    pages = client.conversations_history(channel=channel, limit=1000)
    return [m for page in pages for m in page["messages"]][::-1]


def replies(fake: FakeSlack, channel: str, ts: str) -> list[str]:
    client = WebClient(base_url=fake.api_url, token=TOKEN)
    messages = client.conversations_replies(channel=channel, ts=ts, limit=1000)["messages"]
    return [m["text"] for m in messages if m["ts"] != ts]


def texts(messages: list[dict[str, Any]]) -> list[str]:
    return [m["text"] for m in messages]


def posts_to(channel: str) -> Callable[[Call], bool]:
    return lambda call: call.method == "chat.postMessage" and call.params.get("channel") == channel


def no_trouble_logged(caplog: pytest.LogCaptureFixture) -> None:
    trouble = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR or "locked" in r.getMessage()]
    assert trouble == []
    assert not any("database is locked" in (r.exc_text or "") for r in caplog.records)


CHANNELS = [f"org:brand{n}" for n in range(6)]
ROUNDS = 12
CASES = {"org:brand0": "MS-000001", "org:brand1": "MS-000002"}


def round_of_notices(round_: int) -> list[Notice]:
    """One notice per channel, and every third round a step of the cases in their channels."""
    notices = [Notice(channel, f"{channel} notice {round_}") for channel in CHANNELS]
    if round_ % 3 == 0:
        notices += [Notice(channel, f"{case} step {round_ // 3}", case_id=case) for channel, case in CASES.items()]
    return notices


def test_many_notices_over_many_channels_are_each_shown_once_in_order_while_more_arrive(
    database: Database, no_proxy: None, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    steps = ROUNDS // 3
    total = ROUNDS * len(CHANNELS) + steps * len(CASES)
    with FakeSlack(clock=real_time) as fake:
        worker = slack_worker(database, fake)
        for round_ in range(ROUNDS // 2):
            write(database, *round_of_notices(round_))
        with delivering(worker):
            for round_ in range(ROUNDS // 2, ROUNDS):  # written while the loop posts, each on its own
                write(database, *round_of_notices(round_))
            wait_until(lambda: sent(database) == total, f"{total} notices recorded as posted")
            time.sleep(0.3)  # nothing more arrives afterwards

        assert len(fake.calls_to("chat.postMessage")) == total, "each notice posted once"
        for channel in CHANNELS:
            shown = texts(top_level(fake, slack_channel(channel)))
            case = CASES.get(channel)
            expected = [f"{channel} notice {r}" for r in range(ROUNDS)]
            if case is not None:
                expected.insert(1, f"{case} step 0")  # written after the first round's notice
                (first,) = [m for m in top_level(fake, slack_channel(channel)) if m["text"] == f"{case} step 0"]
                thread = replies(fake, slack_channel(channel), first["ts"])
                assert thread == [f"{case} step {step}" for step in range(1, steps)]
            assert shown == expected
    no_trouble_logged(caplog)


SLOW, QUICK = "org:slow", [f"org:quick{n}" for n in range(3)]
RETRY_AFTER = 3


def test_a_429_pauses_only_its_channel_for_retry_after_and_the_others_keep_posting(
    database: Database, no_proxy: None, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    with FakeSlack(clock=real_time) as fake:
        body = {"ok": False, "error": "ratelimited"}
        fake.fail_with(posts_to(slack_channel(SLOW)), rate_limited(RETRY_AFTER, body, content_type=JSON))
        worker = slack_worker(database, fake)
        write(database, *(Notice(SLOW, f"slow {n}") for n in range(3)))
        write(database, *(Notice(channel, f"{channel} {n}") for n in range(5) for channel in QUICK))
        started = real_time().timestamp()
        with delivering(worker):
            wait_until(lambda: sent(database) == 3 + 5 * len(QUICK), "every notice recorded as posted")

        slow = top_level(fake, slack_channel(SLOW))
        assert texts(slow) == ["slow 0", "slow 1", "slow 2"]
        asked = [call for call in fake.calls_to("chat.postMessage") if posts_to(slack_channel(SLOW))(call)]
        assert len(asked) == 4, "refused once, then not asked again until Retry-After had passed"
        assert float(slow[0]["ts"]) - started >= RETRY_AFTER
        quick = [top_level(fake, slack_channel(channel)) for channel in QUICK]
        for channel, shown in zip(QUICK, quick, strict=True):
            assert texts(shown) == [f"{channel} {n}" for n in range(5)]
        assert max(float(m["ts"]) for shown in quick for m in shown) < float(slow[0]["ts"]), (
            "the other channels were all posted to while the slow one waited"
        )
    no_trouble_logged(caplog)


def test_a_channel_slack_refuses_once_is_paced_after_that_and_not_refused_again(
    database: Database, no_proxy: None, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    channels, per_channel = [f"org:paced{n}" for n in range(4)], 4
    pace = Pace(POSTS_PER_SECOND_PER_CHANNEL)
    with FakeSlack(clock=real_time, pace=pace) as fake:
        worker = slack_worker(database, fake)
        write(database, *(Notice(channel, f"{channel} {n}") for n in range(per_channel) for channel in channels))
        with delivering(worker):
            wait_until(lambda: sent(database) == per_channel * len(channels), "every notice recorded as posted")

        shown = {channel: top_level(fake, slack_channel(channel)) for channel in channels}
        for channel in channels:
            assert texts(shown[channel]) == [f"{channel} {n}" for n in range(per_channel)]
            asked = [call for call in fake.calls_to("chat.postMessage") if posts_to(slack_channel(channel))(call)]
            assert len(asked) <= per_channel + 1, "refused at most once: paced from then on"
            later = [float(message["ts"]) for message in shown[channel][1:]]
            assert all(b - a >= 1 / POSTS_PER_SECOND_PER_CHANNEL for a, b in itertools.pairwise(later))
        assert pace.refused == len(channels), "Slack pushed back once per channel, and no more"
        firsts = [float(messages[0]["ts"]) for messages in shown.values()]
        seconds = [float(messages[1]["ts"]) for messages in shown.values()]
        assert max(firsts) < min(seconds), "every channel's first notice went before any channel's second"
    no_trouble_logged(caplog)


def test_a_channel_slack_has_not_refused_is_not_paced(
    database: Database, no_proxy: None, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    with FakeSlack(clock=real_time) as fake:
        worker = slack_worker(database, fake)
        write(database, *(Notice(SLOW, f"slow {n}") for n in range(6)))
        with delivering(worker):
            wait_until(lambda: sent(database) == 6, "every notice recorded as posted")

        shown = top_level(fake, slack_channel(SLOW))
        assert texts(shown) == [f"slow {n}" for n in range(6)]
        stamps = [float(message["ts"]) for message in shown]
        assert stamps[-1] - stamps[0] < 1 / POSTS_PER_SECOND_PER_CHANNEL, "one after the other, not a second apart"
    no_trouble_logged(caplog)


OUTAGE = 1.0  # seconds the database stays away once the loop has first found it gone


def test_while_the_database_is_away_the_loop_tries_a_few_times_logs_once_and_delivers_once_it_is_back(
    database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    unreliable = UnreliableDatabase(database)
    poster = RecordingPoster()
    worker = DeliveryWorker(unreliable, poster, resolve=lambda logical: f"#{logical}")
    worker.start()
    unreliable.down.set()
    caplog.set_level(logging.INFO, logger="bot.delivery_loop")

    def loop_records() -> list[logging.LogRecord]:
        return [record for record in caplog.records if record.name == "bot.delivery_loop"]

    with delivering(worker):
        wait_until(lambda: unreliable.refused > 0, "the loop found the database gone")
        time.sleep(OUTAGE)
        tries, logged = unreliable.refused, loop_records()
        write(database, Notice("team", "after the outage"))
        unreliable.down.clear()
        wait_until(lambda: [p.text for p in poster.posted] == ["after the outage"], "the notice posted")
        wait_until(lambda: len(loop_records()) > len(logged), "the recovery logged")

    assert 1 <= tries <= 3, "backing off: the first retry after 1 s, the next 2 s later"
    assert [(r.levelno, r.getMessage()) for r in logged] == [
        (logging.ERROR, "test delivery round failed; retrying in 1 s")
    ]
    assert logged[0].exc_info is not None and logged[0].exc_info[0] is OperationalError
    (recovered,) = loop_records()[len(logged) :]
    assert recovered.getMessage().startswith("test delivery round works again, after ")

"""Posting notices to Slack through the real slack_sdk client, when Slack keeps a message but its
answer is lost: every notice is shown once, in its channel or its person's direct messages."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from slack_sdk import WebClient

from bot.delivery import DeliveryWorker
from bot.settings import Settings
from bot.slack.app import web_client
from bot.slack.poster import CLOCK_MARGIN, SlackPoster
from handlers.kit.outbox import save_notices
from handlers.kit.replies import Notice
from storage.database import Database
from support.clock import FakeClock
from support.fake_http import Pace, dropped, refused
from support.fake_slack import Call, FakeSlack, dm_channel
from support.slack_limits import POSTS_PER_SECOND_PER_CHANNEL

TOKEN = "xoxb-1111-2222-Zq8sK3mT9pLwR4vB"
TEAM_CHANNEL = "C0TEAM"
BRAND = "U0BRAND1"


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch, clock: FakeClock) -> Iterator[FakeSlack]:
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    with FakeSlack(clock=clock) as fake:  # Slack's clock and the worker's agree
        yield fake


@pytest.fixture
def worker(database: Database, clock: FakeClock, fake: FakeSlack) -> DeliveryWorker:
    settings = Settings(_env_file=None, slack_bot_token=TOKEN, slack_api_url=fake.api_url)
    started = DeliveryWorker(
        database,
        SlackPoster(web_client(settings, retries=False)),
        channel_defaults={"team": TEAM_CHANNEL},
        clock=clock,
    )
    started.start()
    return started


def write(database: Database, clock: FakeClock, notice: Notice) -> None:
    with database.transaction() as session:
        save_notices(session, [notice], clock())


def shown(fake: FakeSlack, channel: str) -> list[dict[str, Any]]:
    """The messages a person sees in `channel`."""
    return list(WebClient(base_url=fake.api_url, token=TOKEN).conversations_history(channel=channel)["messages"])


def is_post(call: Call) -> bool:
    return call.method == "chat.postMessage"


def deliver_until_sent(worker: DeliveryWorker, clock: FakeClock) -> None:
    """Passes of the worker, a minute apart, until it reports the notice posted (a few at most)."""
    for _ in range(5):
        if worker.run_once() == 1:
            return
        clock.advance(minutes=1)
    raise AssertionError("the notice was never recorded as posted")


def test_a_message_slack_kept_before_the_connection_dropped_is_shown_once(
    database: Database, clock: FakeClock, fake: FakeSlack, worker: DeliveryWorker
) -> None:
    write(database, clock, Notice("team", "MS-000001 was filed"))
    fake.fail_with(is_post, dropped(after_write=True))
    deliver_until_sent(worker, clock)
    assert worker.run_once() == 0
    assert [m["text"] for m in shown(fake, TEAM_CHANNEL)] == ["MS-000001 was filed"]
    assert len(fake.calls_to("chat.postMessage")) == 1, "the lost answer was looked up, not posted again"


def test_a_direct_message_answered_500_after_slack_kept_it_is_shown_once(
    database: Database, clock: FakeClock, fake: FakeSlack, worker: DeliveryWorker
) -> None:
    write(database, clock, Notice(f"dm:slack:{BRAND}", "Reminder: weekly triage"))
    fake.fail_with(is_post, refused(500, {"ok": False, "error": "internal_error"}, after_write=True))
    deliver_until_sent(worker, clock)
    assert worker.run_once() == 0
    assert [m["text"] for m in shown(fake, dm_channel(BRAND))] == ["Reminder: weekly triage"]
    assert [call.params["channel"] for call in fake.calls_to("chat.postMessage")] == [dm_channel(BRAND)]
    assert [call.params["users"] for call in fake.calls_to("conversations.open")] == [BRAND], "opened once"


def test_a_40000_character_notice_is_posted_whole_over_several_messages_and_a_retry_posts_no_part_twice(
    database: Database, clock: FakeClock, fake: FakeSlack, worker: DeliveryWorker
) -> None:
    paragraphs = [f"Paragraph {n}: " + " ".join(f"w{n}.{k}" for k in range(160)) for n in range(40)]
    text = "\n\n".join(paragraphs)[:40_000]
    write(database, clock, Notice("team", text))
    posts_seen = 0

    def second_post(call: Call) -> bool:
        nonlocal posts_seen
        posts_seen += is_post(call)
        return is_post(call) and posts_seen == 2

    fake.fail_with(second_post, refused(500, {"ok": False, "error": "internal_error"}, after_write=False))
    assert worker.run_once() == 0  # the first message was posted, the second failed
    assert len(shown(fake, TEAM_CHANNEL)) == 1
    # A new process takes over: it finds the first message by its metadata and goes on after it.
    restarted = DeliveryWorker(
        database,
        SlackPoster(
            web_client(Settings(_env_file=None, slack_bot_token=TOKEN, slack_api_url=fake.api_url), retries=False)
        ),
        channel_defaults={"team": TEAM_CHANNEL},
        clock=clock,
    )
    deliver_until_sent(restarted, clock)

    client = WebClient(base_url=fake.api_url, token=TOKEN)
    messages = list(reversed(client.conversations_history(channel=TEAM_CHANNEL, include_all_metadata=True)["messages"]))
    assert len(messages) == 4 and len(fake.calls_to("chat.postMessage")) == 5  # 4 parts, one failed attempt
    assert [m["metadata"]["event_payload"].get("part", 0) for m in messages] == [0, 1, 2, 3]
    shown_text = "".join(block["text"]["text"] for m in messages for block in m["blocks"])
    assert shown_text.replace(" ", "").replace("\n", "") == text.replace(" ", "").replace("\n", "")
    for message in messages:
        assert sum(len(block["text"]["text"]) for block in message["blocks"]) <= 12_000


def test_a_lost_post_in_a_busy_channel_is_found_past_hundreds_of_newer_messages_and_shown_once(
    database: Database, clock: FakeClock, fake: FakeSlack, worker: DeliveryWorker
) -> None:
    write(database, clock, Notice("team", "MS-000001 was filed"))
    fake.fail_with(is_post, dropped(after_write=True))
    assert worker.run_once() == 0
    others = WebClient(base_url=fake.api_url, token=TOKEN)
    for n in range(450):  # the channel is busy: more than two pages of newer messages
        clock.advance(seconds=1)
        others.chat_postMessage(channel=TEAM_CHANNEL, text=f"chatter {n}")
    clock.advance(minutes=1)
    assert worker.run_once() == 1
    assert worker.run_once() == 0

    ours = [call for call in fake.calls_to("chat.postMessage") if call.params.get("metadata")]
    assert len(ours) == 1, "found on the third page, not posted again"
    lookups = fake.calls_to("conversations.history")
    assert len(lookups) == 3 and all(int(call.params["limit"]) == 200 for call in lookups)
    assert [bool(call.params.get("cursor")) for call in lookups] == [False, True, True]
    assert all(float(call.params["oldest"]) <= float(history_ts(fake)) for call in lookups)


def history_ts(fake: FakeSlack) -> str:
    """The ts of the notice's message, as Slack keeps it."""
    (message,) = [m for m in fake_messages(fake, TEAM_CHANNEL) if m["text"] == "MS-000001 was filed"]
    return str(message["ts"])


def fake_messages(fake: FakeSlack, channel: str) -> list[dict[str, Any]]:
    client = WebClient(base_url=fake.api_url, token=TOKEN)
    return [m for page in client.conversations_history(channel=channel, limit=1000) for m in page["messages"]]


def test_a_lookup_reads_only_what_came_after_the_first_attempt(
    database: Database, clock: FakeClock, fake: FakeSlack, worker: DeliveryWorker
) -> None:
    write(database, clock, Notice("team", "MS-000002 was filed"))
    fake.fail_with(is_post, refused(500, {"ok": False, "error": "internal_error"}))  # Slack kept nothing
    assert worker.run_once() == 0
    clock.advance(minutes=5)
    assert worker.run_once() == 1
    (lookup,) = fake.calls_to("conversations.history")
    first_attempt = clock.now - timedelta(minutes=5)
    assert float(lookup.params["oldest"]) == pytest.approx((first_attempt - CLOCK_MARGIN).timestamp())
    assert [m["text"] for m in fake_messages(fake, TEAM_CHANNEL)] == ["MS-000002 was filed"]


def test_slack_paces_posts_per_channel_and_the_worker_waits_out_retry_after_in_that_channel_only(
    database: Database, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    seconds = [0.0]
    with FakeSlack(clock=clock, pace=Pace(POSTS_PER_SECOND_PER_CHANNEL, clock=lambda: seconds[0])) as fake:
        settings = Settings(_env_file=None, slack_bot_token=TOKEN, slack_api_url=fake.api_url)
        worker = DeliveryWorker(
            database,
            SlackPoster(web_client(settings, retries=False)),
            channel_defaults={"team": TEAM_CHANNEL, "announcements": "C0NEWS"},
            clock=clock,
        )
        worker.start()
        write(database, clock, Notice("team", "first"))
        write(database, clock, Notice("team", "second"))
        write(database, clock, Notice("announcements", "elsewhere"))
        assert worker.run_once() == 2
        refused_posts = [call for call in fake.calls_to("chat.postMessage") if call.params["text"] == "second"]
        assert len(refused_posts) == 1, "asked once; the channel waits, the other channel goes on"
        seconds[0] += 1
        clock.advance(seconds=1)
        assert worker.run_once() == 1
        assert [m["text"] for m in fake_messages(fake, TEAM_CHANNEL)] == ["second", "first"]
        assert [m["text"] for m in fake_messages(fake, "C0NEWS")] == ["elsewhere"]

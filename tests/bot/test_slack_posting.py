"""Posting notices to Slack through the real slack_sdk client, when Slack keeps a message but its
answer is lost: every notice is shown once, in its channel or its person's direct messages."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from slack_sdk import WebClient

from bot.delivery import DeliveryWorker
from bot.settings import Settings
from bot.slack.app import web_client
from bot.slack.poster import SlackPoster
from handlers.kit.outbox import save_notices
from handlers.kit.replies import Notice
from storage.database import Database
from support.clock import FakeClock
from support.fake_http import dropped, refused
from support.fake_slack import Call, FakeSlack, dm_channel

TOKEN = "xoxb-1111-2222-Zq8sK3mT9pLwR4vB"
TEAM_CHANNEL = "C0TEAM"
BRAND = "U0BRAND1"


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeSlack]:
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    with FakeSlack() as fake:
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

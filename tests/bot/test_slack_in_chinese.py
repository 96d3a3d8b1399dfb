"""What the Slack adapter says of its own (the busy acknowledgement, a refused answer, an apology,
a long answer's later messages) is in the reader's language: Chinese for a member who chose it,
English for one who did not."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

from bot.router import Incoming, Router
from bot.settings import Settings
from bot.slack.answers import send_reply
from bot.slack.app import SlackService
from bot.slack.intake import BUSY, SlackIntake
from handlers.kit.context import Caller, ProgramRules
from handlers.kit.replies import Reply
from storage.database import Database
from storage.queries.intake import Accepted
from support.clock import FakeClock
from support.fake_slack import FakeSlack

TOKEN = "xoxb-1111-2222-inChinese"
SECRET = "in-chinese-signing-secret"
ADMIN, READER, CHANNEL = "U0ADMIN1", "U0ZHREADER", "C0ACME0001"


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeSlack]:
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    with FakeSlack() as running:
        yield running


@pytest.fixture
def intake(database: Database, clock: FakeClock, fake: FakeSlack) -> SlackIntake:
    """Slack's intake; READER has chosen Chinese (`lang zh`), ADMIN has chosen nothing."""
    router = Router(database, ProgramRules(), frozenset({f"slack:{ADMIN}"}), clock=clock)
    for line in ('admin org add acme "ACME Corp"', f"admin member add slack:{READER} acme member"):
        assert not router.handle(Incoming(Caller("slack", ADMIN), line)).is_error
    assert router.handle(Incoming(Caller("slack", READER), "lang zh")).text == "机器人现在用中文与您交流。"
    settings = Settings(_env_file=None, slack_bot_token=TOKEN, slack_signing_secret=SECRET, slack_api_url=fake.api_url)
    return SlackService(settings, router, database).intake


def slash(fake: FakeSlack, user: str, text: str, number: int) -> dict[str, object]:
    return {
        "user_id": user, "user_name": user.lower(), "text": text, "channel_id": CHANNEL,
        "trigger_id": f"9.9.{number}", "response_url": fake.response_url(f"busy-{number}"),
    }  # fmt: skip


def taken_over(fake: FakeSlack, clock: FakeClock, user: str, text: str, number: int) -> Accepted:
    payload = {"user_id": user, "user_name": user.lower(), "text": text, "channel": CHANNEL, "trigger_id": "1.2.3"}
    url = fake.response_url(f"taken-{number}")
    return Accepted(
        number, "slack", "command", f"slack:command:{number}", payload, url, clock() - timedelta(minutes=1), 2
    )


def test_the_busy_acknowledgement_is_in_chinese_for_a_chinese_reader_and_english_for_others(
    intake: SlackIntake, fake: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(intake.intake, "capacity", 0)

    said = intake.accept_command(slash(fake, READER, "help", 1))
    assert said == "机器人当前繁忙：您的命令已排队，稍后将在此处回复。无需重新发送。"
    assert intake.accept_command(slash(fake, ADMIN, "help", 2)) == BUSY
    assert BUSY.startswith("The bot is busy right now")


def test_an_answer_slack_refuses_is_told_to_a_chinese_reader_in_chinese(
    intake: SlackIntake, fake: FakeSlack, clock: FakeClock
) -> None:
    fake.fail_next("response_url", status=200, error="invalid_blocks")
    intake.run(taken_over(fake, clock, READER, "help", 1), fresh=False)
    fake.fail_next("response_url", status=200, error="invalid_blocks")
    intake.run(taken_over(fake, clock, ADMIN, "help", 2), fresh=False)

    refused_zh, told_zh, refused_en, told_en = fake.calls_to("response_url")
    assert "MarketSafe 命令" in refused_zh.params["text"]
    assert told_zh.params["text"].startswith("无法显示该回复（Slack 拒绝了该消息：invalid_blocks）；参考编号 ")
    assert "MarketSafe commands" in refused_en.params["text"]
    assert told_en.params["text"].startswith("That answer could not be shown (Slack refused it: invalid_blocks)")


def test_a_command_given_up_is_apologised_for_in_the_readers_language(
    intake: SlackIntake, fake: FakeSlack, clock: FakeClock
) -> None:
    intake.give_up(taken_over(fake, clock, READER, "cases", 7))
    intake.give_up(taken_over(fake, clock, ADMIN, "admin org list", 8))

    chinese, english = fake.calls_to("chat.postEphemeral")
    assert chinese.params["text"].startswith("您的命令 `cases` 未能完成：机器人在执行过程中中断了 1 次。")
    assert "intake-7" in chinese.params["text"]
    assert english.params["text"].startswith("Your command `admin org list` could not be completed")


def test_a_long_answers_later_messages_and_what_was_left_out_are_in_the_readers_language() -> None:
    sent: list[tuple[str, str]] = []
    lines = [f"line {n} " + "x" * 2800 for n in range(300)]

    def send(text: str, blocks: list[dict[str, Any]]) -> None:
        sent.append((text, blocks[-1]["text"]["text"]))

    send_reply(send, Reply("一切：", lines=lines, language="zh"))
    assert [text for text, _last in sent[1:]] == [f"（续，第 {n}/5 条）" for n in range(2, 6)]
    assert sent[-1][1].startswith("… 另有 52 个部分未显示。请缩小命令范围（`help &lt;command&gt;` 可查看命令选项）")
    sent.clear()
    send_reply(send, Reply("Everything:", lines=lines, language="en"))
    assert [text for text, _last in sent[1:]] == [f"(continued, {n} of 5)" for n in range(2, 6)]
    assert sent[-1][1].startswith("… and 52 more sections not shown.")

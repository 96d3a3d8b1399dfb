"""What the Discord client adds to an answer of its own (a long answer's continued parts, the note
of what is not shown, a form's steps) is in the reader's language: Chinese for a reader whose
Discord language is Chinese, English for the others."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

import handlers.catalogue  # noqa: F401  (registers the commands and their forms)
from bot.discord.client import MarketSafeClient
from bot.discord.form_steps import ContinueButton, Draft, FormDrafts, StepModal
from bot.router import Incoming, Router
from handlers.kit.context import Context, ProgramRules
from handlers.kit.forms import FORMS, FormRequest, in_reader_language
from handlers.kit.i18n import in_language
from handlers.kit.replies import Reply
from storage.database import Database
from support.clock import FakeClock
from support.fake_discord import Call, FakeDiscord

TOKEN = "fake-discord-bot-token"
CHINESE_READER, ENGLISH_READER = 412_345_678_901_234_601, 412_345_678_901_234_602


class LongAnswers(Router):
    """The real router (who the caller is, their language), with `help` answered by a reply of
    80 long fields: more than ten messages."""

    def handle(self, incoming: Incoming) -> Reply:
        def work(ctx: Context, session: object) -> Reply:
            return Reply("📋", fields=[(f"#{n}", "x" * 1500) for n in range(80)])

        return self.run(incoming, "help", work)


@pytest.fixture
def fake() -> Iterator[FakeDiscord]:
    with FakeDiscord() as running:
        running.use_for()
        running.locales[CHINESE_READER] = "zh-CN"
        yield running


@contextlib.asynccontextmanager
async def client_of(fake: FakeDiscord, router: Router) -> AsyncIterator[MarketSafeClient]:
    client = MarketSafeClient(router, guild_id=fake.guild_id, guild_ready_timeout=0.1)
    task = asyncio.create_task(client.start(TOKEN))
    try:
        await asyncio.wait_for(client.wait_until_ready(), 5)
        yield client
    finally:
        await client.close()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(task, 5)


async def long_answer(fake: FakeDiscord, user: int, before: int) -> list[dict[str, Any]]:
    """Every message of the answer to `help`: the interaction's answer, then nine follow-ups."""
    interaction = fake.slash_command(user, "marketsafe-help", [])
    (answer,) = await fake.wait_for_async("POST", f"/interactions/{interaction}/")
    follow_ups: list[Call] = await fake.wait_for_async("POST", "/webhooks/", before + 9)
    return [answer.json["data"], *(call.json for call in follow_ups[before:])]


def shown(message: dict[str, Any]) -> list[str]:
    return [message["content"], *(item["name"] for embed in message["embeds"] for item in embed.get("fields", []))]


def test_a_long_answer_is_continued_in_chinese_for_a_chinese_reader_and_in_english_for_others(
    fake: FakeDiscord, database: Database, clock: FakeClock
) -> None:
    router = LongAnswers(database, ProgramRules(), frozenset(), clock=clock)

    async def scenario() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        async with client_of(fake, router):
            chinese = await long_answer(fake, CHINESE_READER, 0)
            english = await long_answer(fake, ENGLISH_READER, 9)
            return chinese, english

    chinese, english = asyncio.run(asyncio.wait_for(scenario(), 60))
    assert len(chinese) == len(english) == 10
    chinese_names = [name for message in chinese for name in shown(message)]
    assert "#0 （续）" in chinese_names and not any("(continued)" in name for name in chinese_names)
    assert chinese[-1]["content"].startswith("… 另有 ")
    assert "部分未显示" in chinese[-1]["content"] and "`page=2`" in chinese[-1]["content"]
    english_names = [name for message in english for name in shown(message)]
    assert "#0 (continued)" in english_names and not any("续" in name for name in english_names)
    assert english[-1]["content"].startswith("… and ") and "more parts not shown" in english[-1]["content"]


def test_a_forms_steps_are_titled_and_continued_in_the_readers_language() -> None:
    form = next(form for form in FORMS.values() if len(form.steps(5)) > 1)
    drafts = FormDrafts()

    def draft(language: str) -> Draft:
        with in_language(language):
            request = FormRequest(in_reader_language(form), {})
        return drafts.open(1, request, language=language)

    chinese, english = draft("zh"), draft("en")
    with in_language(chinese.language):
        title = StepModal(chinese, _never).title
        button = ContinueButton(chinese.key)
    assert title.endswith("（第 1/2 步）") and button.item.label == "继续"
    with in_language(english.language):
        assert StepModal(english, _never).title.endswith(" (1/2)")
        assert ContinueButton(english.key).item.label == "Continue"


async def _never(*_args: object) -> None:
    raise AssertionError("not submitted")

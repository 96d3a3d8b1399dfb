"""Discord's limits on what the bot sends: FakeDiscord refuses, on every endpoint a message goes
through, what Discord refuses, and the bot's messages are split so that Discord accepts every one
and nothing of the text is lost."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterator
from typing import Any

import discord
import pytest
from discord import app_commands
from discord.http import Route

from bot.discord import limits
from bot.discord.render import MAX_MESSAGES, Rendered, escape, render_messages, reply_messages
from bot.text_parts import split_text
from handlers.kit.replies import Button, Reply
from support.discord_limits import message_refusal
from support.fake_discord import FakeDiscord

TOKEN = "fake-bot-token"
USER = 412_345_678_901_234_567


def _row(*components: dict[str, Any]) -> dict[str, Any]:
    return {"type": 1, "components": list(components)}


def _button(custom_id: str, label: str = "Go") -> dict[str, Any]:
    return {"type": 2, "style": 2, "label": label, "custom_id": custom_id}


# Each body breaks one limit; the path Discord names in `errors`.
REFUSED_MESSAGES: dict[str, tuple[dict[str, Any], str]] = {
    "content of 2001": ({"content": "x" * 2001}, "content"),
    "11 embeds": ({"embeds": [{"description": "e"}] * 11}, "embeds"),
    "title of 257": ({"embeds": [{"title": "t" * 257}]}, "embeds.0.title"),
    "description of 4097": ({"embeds": [{"description": "d" * 4097}]}, "embeds.0.description"),
    "26 fields": ({"embeds": [{"fields": [{"name": "n", "value": "v"}] * 26}]}, "embeds.0.fields"),
    "field name of 257": ({"embeds": [{"fields": [{"name": "n" * 257, "value": "v"}]}]}, "embeds.0.fields.0.name"),
    "field value of 1025": ({"embeds": [{"fields": [{"name": "n", "value": "v" * 1025}]}]}, "embeds.0.fields.0.value"),
    "empty field value": ({"embeds": [{"fields": [{"name": "n", "value": ""}]}]}, "embeds.0.fields.0.value"),
    "footer of 2049": ({"embeds": [{"footer": {"text": "f" * 2049}}]}, "embeds.0.footer.text"),
    "author of 257": ({"embeds": [{"author": {"name": "a" * 257}}]}, "embeds.0.author.name"),
    "6001 across embeds": ({"embeds": [{"description": "d" * 3000}, {"description": "d" * 3001}]}, "embeds"),
    "6 action rows": ({"components": [_row(_button(f"b{n}")) for n in range(6)]}, "components"),
    "6 buttons in a row": ({"components": [_row(*(_button(f"b{n}") for n in range(6)))]}, "components.0.components"),
    "label of 81": ({"components": [_row(_button("b", "l" * 81))]}, "components.0.components.0.label"),
    "custom_id of 101": ({"components": [_row(_button("c" * 101))]}, "components.0.components.0.custom_id"),
    "26 select options": (
        {"components": [_row({"type": 3, "custom_id": "s", "options": [{"label": "o", "value": "o"}] * 26})]},
        "components.0.components.0.options",
    ),
}


def _text_input(**extra: Any) -> dict[str, Any]:
    return _row({"type": 4, "custom_id": "answer", "style": 1, "label": "Answer", **extra})


REFUSED_MODALS: dict[str, tuple[dict[str, Any], str]] = {
    "title of 46": ({"title": "t" * 46, "custom_id": "f", "components": [_text_input()]}, "data.title"),
    "6 inputs": (
        {"title": "Form", "custom_id": "f", "components": [_text_input(custom_id=f"i{n}") for n in range(6)]},
        "data.components",
    ),
    "label of 46": ({"title": "Form", "custom_id": "f", "components": [_text_input(label="l" * 46)]}, "label"),
    "value of 4001": ({"title": "Form", "custom_id": "f", "components": [_text_input(value="v" * 4001)]}, "value"),
    "placeholder of 101": (
        {"title": "Form", "custom_id": "f", "components": [_text_input(placeholder="p" * 101)]},
        "placeholder",
    ),
}


@pytest.fixture
def fake() -> Iterator[FakeDiscord]:
    with FakeDiscord() as fake:
        fake.use_for()
        yield fake


@contextlib.asynccontextmanager
async def running(client: discord.Client) -> AsyncIterator[None]:
    task = asyncio.create_task(client.start(TOKEN))
    ready = asyncio.create_task(client.wait_until_ready())
    try:
        done, _ = await asyncio.wait({task, ready}, timeout=5, return_when=asyncio.FIRST_COMPLETED)
        assert ready in done, "the client did not reach on_ready"
        yield
    finally:
        ready.cancel()
        await client.close()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(task, 5)


async def _refusal(request: Any) -> discord.HTTPException:
    with pytest.raises(discord.HTTPException) as refused:
        await request
    return refused.value


def test_every_message_endpoint_refuses_what_discord_refuses_naming_the_field(fake: FakeDiscord) -> None:
    """Channel messages (sent and edited), interaction answers, follow-ups and edits of the answer."""
    refusals: dict[tuple[str, str], discord.HTTPException] = {}
    finished = asyncio.Event()

    async def scenario() -> None:
        client = discord.Client(intents=discord.Intents.default(), guild_ready_timeout=0.1)
        tree = app_commands.CommandTree(client)
        guild = discord.Object(id=fake.guild_id)

        @tree.command(name="limits", description="Tries every body", guild=guild)
        async def tried(interaction: discord.Interaction) -> None:
            http, token = client.http, interaction.token
            callback = Route(
                "POST", "/interactions/{i}/{t}/callback", i=interaction.id, t=token
            )  # the answer is refused and may be given again
            for name, (body, _) in {**REFUSED_MESSAGES, **REFUSED_MODALS}.items():
                kind = 9 if name in REFUSED_MODALS else 4
                refusals[("answer", name)] = await _refusal(http.request(callback, json={"type": kind, "data": body}))
            await interaction.response.send_message("ok", ephemeral=True)
            follow_up = Route("POST", "/webhooks/{a}/{t}", a=client.application_id, t=token)
            original = Route("PATCH", "/webhooks/{a}/{t}/messages/@original", a=client.application_id, t=token)
            for name, (body, _) in REFUSED_MESSAGES.items():
                refusals[("follow-up", name)] = await _refusal(http.request(follow_up, json=body))
                refusals[("edit answer", name)] = await _refusal(http.request(original, json=body))
            finished.set()

        async with running(client):
            await tree.sync(guild=guild)
            channel = client.get_channel(fake.team_channel_id)
            assert isinstance(channel, discord.TextChannel)
            posted = await channel.send("first")
            post = Route("POST", "/channels/{c}/messages", c=channel.id)
            edit = Route("PATCH", "/channels/{c}/messages/{m}", c=channel.id, m=posted.id)
            for name, (body, _) in REFUSED_MESSAGES.items():
                refusals[("send", name)] = await _refusal(client.http.request(post, json=body))
                refusals[("edit", name)] = await _refusal(client.http.request(edit, json=body))
            fake.slash_command(USER, "limits")
            await asyncio.wait_for(finished.wait(), 10)

    asyncio.run(asyncio.wait_for(scenario(), 30))
    expected = {**REFUSED_MESSAGES, **REFUSED_MODALS}
    assert len(refusals) == 5 * len(REFUSED_MESSAGES) + len(REFUSED_MODALS)
    for (where, name), error in refusals.items():
        path = expected[name][1]
        prefix = "data." if where == "answer" and name in REFUSED_MESSAGES else ""
        assert (error.status, error.code) == (400, 50035), (where, name)
        assert error.text.startswith("Invalid Form Body"), (where, name)
        assert f"In {prefix}{path}" in error.text or (name in REFUSED_MODALS and path in error.text), (where, name)
    # what was refused never appeared
    assert [m["content"] for m in fake.messages_in(fake.team_channel_id)] == ["first", "ok"]


# -- the bot's messages ---------------------------------------------------------------------------


def _accepted(messages: list[Rendered]) -> None:
    """Discord (as FakeDiscord checks it) accepts each message."""
    for message in messages:
        payload = message.payload()
        assert message_refusal(payload) is None, message_refusal(payload)
        assert payload["content"] or payload["embeds"] or payload["components"]


def _shown(messages: list[Rendered]) -> str:
    return "\n".join(message.text() for message in messages)


def test_a_long_text_is_split_at_paragraphs_then_lines_then_words_and_nothing_is_lost() -> None:
    paragraphs = ["\n".join(f"paragraph {p} line {n} " + "word " * 12 for n in range(12)) for p in range(20)]
    text = "\n\n".join(paragraphs)
    parts = split_text(text, 2000)
    assert all(len(part) <= 2000 for part in parts)
    assert "".join(parts).replace("\n", "").replace(" ", "") == text.replace("\n", "").replace(" ", "")
    assert all(part.endswith("word") for part in parts)  # never inside a word
    one_word = "R&D" * 1000
    assert "".join(split_text(one_word, 2000)) == one_word
    assert split_text("\\[" * 1500, 2000)[0].endswith("\\[")  # an escape is never split


def test_a_reply_of_300_lines_and_long_fields_arrives_whole_in_order() -> None:
    lines = [f"MS-{n:06d} · https://item.taobao.com/item.htm?id={10_000 + n} · reported · 货号{n}" for n in range(300)]
    fields = [(f"Proposal P-{n:04d}", f"text {n} " + "长" * 3990) for n in range(3)]
    buttons = [Button(f"Outcome {n}", f"outcome MS-000001 {n} removed") for n in range(30)]
    messages = reply_messages(Reply("Everything: @everyone", fields=fields, lines=lines, buttons=buttons))
    _accepted(messages)
    shown = _shown(messages)
    positions = [shown.find(line) for line in lines]
    assert -1 not in positions and positions == sorted(positions)
    for name, value in fields:
        assert value.replace(" ", "") in shown.replace("\n", "").replace(f"{name} (continued)", "").replace(" ", "")
    custom_ids = [c["custom_id"] for m in messages for row in m.payload()["components"] for c in row["components"]]
    assert custom_ids == [f"run:{b.command}" for b in buttons]
    assert "@\u200beveryone" in messages[0].content


def test_a_command_too_long_for_a_button_is_shown_to_type_instead() -> None:
    long = "case MS-000001 reply " + "x" * 100
    (message,) = render_messages("Choose:", [], [], [Button("Reply", long), Button("Show", "case MS-000001")])
    assert long in message.text()
    assert [c["custom_id"] for row in message.payload()["components"] for c in row["components"]] == [
        "run:case MS-000001"
    ]


def test_an_answer_too_long_for_ten_messages_says_how_much_is_left_and_how_to_see_it() -> None:
    lines = [f"line {n} " + "y" * 3000 for n in range(40)]
    messages = reply_messages(Reply("All:", lines=lines))
    _accepted(messages)
    assert len(messages) == MAX_MESSAGES
    assert "more parts not shown" in messages[-1].content and "page=" in messages[-1].content


def test_the_bot_checks_every_limit_itself_before_sending() -> None:
    with pytest.raises(limits.MessageLimitError, match=r"embeds.0.fields.0.value"):
        limits.check_message({"content": "x", "embeds": [{"fields": [{"name": "n", "value": "v" * 1025}]}]})
    with pytest.raises(limits.MessageLimitError, match=r"6000"):
        limits.check_message({"embeds": [{"description": "d" * 3001}, {"description": "d" * 3000}]})
    assert escape("[a](https://x)") == "\\[a\\](https://x)"

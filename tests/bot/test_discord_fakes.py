"""The Discord test tools work with the real client: a discord.py `Client` with a `CommandTree` logs in
to FakeDiscord, receives slash commands, button presses and modal submissions through its gateway,
and its REST calls are recorded and answered the way Discord answers them."""

from __future__ import annotations

import asyncio
import contextlib
import io
import time
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
import discord
import pytest
from discord import app_commands
from discord.http import Route

from support.fake_discord import FakeDiscord, snowflake_at
from support.fake_http import Pace

TOKEN = "fake-bot-token"
USER = 412_345_678_901_234_567
OTHER = 412_345_678_901_234_999
OLD_MESSAGE = snowflake_at(datetime(2025, 1, 6, tzinfo=UTC), 9)


@pytest.fixture
def fake() -> Iterator[FakeDiscord]:
    with FakeDiscord() as fake:
        fake.use_for()
        yield fake


class Bot(discord.Client):
    """A plain discord.py client with an app command tree, as an adapter would build it."""

    def __init__(self, fake: FakeDiscord, *, intents: discord.Intents | None = None) -> None:
        super().__init__(intents=intents or discord.Intents.default(), guild_ready_timeout=0.1)
        self.tree = app_commands.CommandTree(self)
        self.guild = discord.Object(id=fake.guild_id)
        self.fake = fake
        self.views_to_add: list[discord.ui.View] = []
        self.seen_at_setup_hook: tuple[list[str], int] | None = None
        self.messages: list[discord.Message] = []
        self.contents: dict[int, str] = {}  # as each message arrived (later updates edit the Message)
        self.resumed = asyncio.Event()
        self.completed: list[int] = []  # interactions whose command returned (after answering)

    async def setup_hook(self) -> None:
        calls = [f"{call.method} {call.path}" for call in self.fake.calls]
        self.seen_at_setup_hook = (calls, len(self.fake.gateway_received))
        for view in self.views_to_add:
            self.add_view(view)

    async def on_message(self, message: discord.Message) -> None:
        self.messages.append(message)
        self.contents[message.id] = message.content

    async def on_resumed(self) -> None:
        self.resumed.set()

    async def on_app_command_completion(
        self, interaction: discord.Interaction, command: app_commands.Command[Any, ..., Any] | app_commands.ContextMenu
    ) -> None:
        self.completed.append(interaction.id)


@contextlib.asynccontextmanager
async def running(bot: Bot) -> AsyncIterator[Bot]:
    """Start the client, wait for on_ready (at most 3 s), and close it on the way out."""
    task = asyncio.create_task(bot.start(TOKEN))
    ready = asyncio.create_task(bot.wait_until_ready())
    try:
        done, _ = await asyncio.wait({task, ready}, timeout=3, return_when=asyncio.FIRST_COMPLETED)
        if task in done:
            task.result()
        assert ready in done, "the client did not reach on_ready within 3 s"
        yield bot
    finally:
        ready.cancel()
        await bot.close()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(task, 5)


def run(scenario: Coroutine[Any, Any, None]) -> None:
    asyncio.run(asyncio.wait_for(scenario, 15))


async def until(condition: Callable[[], bool], timeout: float = 3.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        await asyncio.sleep(0.01)


def test_client_logs_in_identifies_and_reaches_on_ready(fake: FakeDiscord) -> None:
    async def scenario() -> None:
        bot = Bot(fake)
        started = time.monotonic()
        async with running(bot):
            elapsed = time.monotonic() - started
            guild = bot.get_guild(fake.guild_id)
            frames = fake.gateway_received

        assert bot.seen_at_setup_hook == (["GET /users/@me", "GET /oauth2/applications/@me"], 0)
        assert fake.calls[0].headers["authorization"] == f"Bot {TOKEN}"
        assert fake.connections == [{"v": "10", "encoding": "json", "compress": "zlib-stream", "path": "/gateway/"}]
        assert [frame["op"] for frame in frames[:2]] == [1, 2]  # the first HEARTBEAT, then IDENTIFY
        assert frames[1]["d"]["token"] == TOKEN
        assert frames[1]["d"]["intents"] == discord.Intents.default().value
        assert [event["t"] for event in fake.dispatched] == ["READY", "GUILD_CREATE"]
        assert [event["s"] for event in fake.dispatched] == [1, 2]
        assert bot.user is not None and bot.user.id == fake.bot_user_id and bot.user.bot
        assert bot.application_id == fake.application_id
        assert guild is not None and guild.me.id == fake.bot_user_id
        team, brand = guild.get_channel(fake.team_channel_id), guild.get_channel(fake.brand_channel_id)
        assert isinstance(team, discord.TextChannel) and team.name == "team"
        assert isinstance(brand, discord.TextChannel) and brand.name == "acme"
        assert team.category_id == fake.category_id
        role = guild.get_role(fake.team_role_id)
        assert role is not None and role.name == "team"
        assert elapsed < 1.5  # guild_ready_timeout=0.1 instead of the default 2 s

    run(scenario())
    fake.wait_until_ready(timeout=0)


def test_rest_answers_are_exact_json_and_unknown_routes_are_recorded_404s(fake: FakeDiscord) -> None:
    async def scenario() -> None:
        bot = Bot(fake)
        await bot.login(TOKEN)
        try:
            shards, url, limits = await bot.http.get_bot_gateway()
            channel = await bot.fetch_channel(fake.team_channel_id)
            channels = await bot.http.get_all_guild_channels(fake.guild_id)
            with pytest.raises(discord.NotFound) as raised:
                await bot.http.request(Route("GET", "/guilds/{guild_id}/bans", guild_id=fake.guild_id))
            async with (
                aiohttp.ClientSession() as session,
                session.get(f"{fake.api_url}/users/@me") as anonymous,
            ):
                status, content_type, body = anonymous.status, anonymous.headers["Content-Type"], await anonymous.json()
        finally:
            await bot.close()

        assert (shards, url, limits["max_concurrency"]) == (1, fake.gateway_url, 1)
        assert isinstance(channel, discord.TextChannel) and channel.name == "team"
        assert {c["name"] for c in channels} == {"MarketSafe", "team", "acme"}
        assert raised.value.status == 404 and raised.value.code == 0 and raised.value.text == "404: Not Found"
        assert fake.calls_to("GET", f"/guilds/{fake.guild_id}/bans")
        assert (status, content_type, body) == (401, "application/json", {"message": "401: Unauthorized", "code": 0})

    run(scenario())


def test_guild_slash_command_is_routed_by_the_tree_and_its_ephemeral_reply_recorded(fake: FakeDiscord) -> None:
    seen: list[discord.Interaction] = []

    async def scenario() -> None:
        bot = Bot(fake)

        @bot.tree.command(name="ping", description="Check the bot", guild=bot.guild)
        async def ping(interaction: discord.Interaction) -> None:
            seen.append(interaction)
            await interaction.response.send_message("hi", ephemeral=True)

        async with running(bot):
            interaction_id = fake.slash_command(
                USER, "ping", channel_id=fake.brand_channel_id, member_roles=[fake.team_role_id]
            )
            (callback,) = await fake.wait_for_async("POST", f"/interactions/{interaction_id}/")
            await until(lambda: bot.completed == [int(interaction_id)])

        assert callback.json["type"] == 4
        assert callback.json["data"]["content"] == "hi" and callback.json["data"]["flags"] == 64
        assert callback.query == {"with_response": "1"}
        assert "authorization" not in callback.headers
        (interaction,) = seen
        assert interaction.id == int(interaction_id) and interaction.guild_id == fake.guild_id
        assert interaction.channel is not None and interaction.channel.id == fake.brand_channel_id
        assert isinstance(interaction.user, discord.Member) and interaction.user.id == USER
        assert fake.team_role_id in [role.id for role in interaction.user.roles]
        assert interaction.command is not None and interaction.command.name == "ping"
        (reply,) = fake.messages_in(fake.brand_channel_id)
        assert reply["content"] == "hi" and reply["flags"] == 64 and reply["type"] == 20
        assert [event["t"] for event in fake.dispatched] == ["READY", "GUILD_CREATE", "INTERACTION_CREATE"]

    run(scenario())


def test_synced_groups_and_subcommands_get_their_options_and_follow_ups_are_recorded(fake: FakeDiscord) -> None:
    assigned: list[tuple[int, discord.Member | discord.User, bool]] = []
    notes: list[str] = []

    async def scenario() -> None:
        bot = Bot(fake)
        case = app_commands.Group(name="case", description="Cases", guild_ids=[fake.guild_id])
        note = app_commands.Group(name="note", description="Case notes", parent=case)

        @case.command(name="assign", description="Assign a case")
        async def assign(
            interaction: discord.Interaction, number: int, member: discord.Member, urgent: bool = False
        ) -> None:
            assigned.append((number, member, urgent))
            await interaction.response.defer(thinking=True)
            await interaction.followup.send(f"Case {number} goes to {member.display_name}", ephemeral=True)
            await interaction.edit_original_response(content=f"Case {number} assigned")

        @note.command(name="add", description="Add a note")
        async def add(interaction: discord.Interaction, text: str) -> None:
            notes.append(text)
            await interaction.response.send_message("noted")

        bot.tree.add_command(case)
        fake.add_member(OTHER, name="brand1", roles=[fake.team_role_id])
        async with running(bot):
            synced = await bot.tree.sync(guild=bot.guild)
            assign_options = [
                {
                    "name": "assign",
                    "options": [{"name": "number", "value": 7}, {"name": "member", "type": 6, "value": OTHER}],
                }
            ]
            first = fake.slash_command(USER, "case", assign_options)
            token = (await fake.wait_for_async("POST", f"/interactions/{first}/"))[0].path.split("/")[3]
            prefix = f"/webhooks/{fake.application_id}/{token}"
            (follow_up,) = await fake.wait_for_async("POST", prefix)
            (edit,) = await fake.wait_for_async("PATCH", f"{prefix}/messages/@original")
            second = fake.slash_command(
                USER,
                "case",
                [
                    {
                        "name": "note",
                        "options": [{"name": "add", "options": [{"name": "text", "value": "seller relisted"}]}],
                    }
                ],
            )
            (noted,) = await fake.wait_for_async("POST", f"/interactions/{second}/")
            await until(lambda: bot.completed == [int(first), int(second)])

        (put,) = fake.calls_to("PUT", f"/applications/{fake.application_id}/guilds/{fake.guild_id}/commands")
        assert [command["name"] for command in put.json] == ["case"]
        assert [(command.name, command.guild_id) for command in synced] == [("case", fake.guild_id)]
        assert fake.commands()[0]["id"] == str(synced[0].id)
        sent = [event["d"]["data"] for event in fake.dispatched if event["t"] == "INTERACTION_CREATE"]
        assert [(data["id"], data["guild_id"]) for data in sent] == [(str(synced[0].id), str(fake.guild_id))] * 2
        (number, member, urgent) = assigned[0]
        assert (number, urgent) == (7, False)
        assert isinstance(member, discord.Member) and member.id == OTHER and member.name == "brand1"
        deferred = fake.calls_to("POST", f"/interactions/{first}/")[0].json
        assert deferred == {"type": 5}
        assert follow_up.json["content"] == "Case 7 goes to Brand1" and follow_up.json["flags"] == 64
        assert follow_up.query["wait"] == "1" and "authorization" not in follow_up.headers
        assert edit.json["content"] == "Case 7 assigned"
        original = fake.messages_in(fake.team_channel_id)[0]
        assert original["content"] == "Case 7 assigned" and original["flags"] == 0  # no longer loading
        assert notes == ["seller relisted"]
        assert noted.json["type"] == 4 and noted.json["data"]["content"] == "noted"

    run(scenario())


class CaseButtons(discord.ui.View):
    def __init__(self, pressed: list[tuple[str | None, int | None]]) -> None:
        super().__init__(timeout=None)
        self.pressed = pressed

    def record(self, interaction: discord.Interaction, button: discord.ui.Button[CaseButtons]) -> None:
        self.pressed.append((button.custom_id, interaction.message.id if interaction.message else None))

    @discord.ui.button(label="Approve", style=discord.ButtonStyle.green, custom_id="case:approve")
    async def approve(self, interaction: discord.Interaction, button: discord.ui.Button[CaseButtons]) -> None:
        await interaction.response.edit_message(content="Case 7: approved", view=None)
        self.record(interaction, button)

    @discord.ui.button(label="Reject", style=discord.ButtonStyle.red, custom_id="case:reject")
    async def reject(self, interaction: discord.Interaction, button: discord.ui.Button[CaseButtons]) -> None:
        await interaction.response.defer()
        self.record(interaction, button)


def test_persistent_view_buttons_are_dispatched_by_custom_id(fake: FakeDiscord) -> None:
    pressed: list[tuple[str | None, int | None]] = []

    async def scenario() -> None:
        bot = Bot(fake)
        bot.views_to_add.append(CaseButtons(pressed))
        async with running(bot):
            channel = bot.get_channel(fake.team_channel_id)
            assert isinstance(channel, discord.TextChannel)
            posted = await channel.send("Case 7: filed", view=CaseButtons(pressed))
            approve = fake.press_button(USER, "case:approve", channel_id=channel.id, message_id=posted.id)
            (approved,) = await fake.wait_for_async("POST", f"/interactions/{approve}/")
            with pytest.raises(ValueError, match="no button"):
                fake.press_button(USER, "case:approve", channel_id=channel.id, message_id=posted.id)
            # A message posted before the bot restarted: only the view added in setup_hook knows it.
            reject = fake.press_button(USER, "case:reject", channel_id=channel.id, message_id=OLD_MESSAGE)
            (rejected,) = await fake.wait_for_async("POST", f"/interactions/{reject}/")
            await until(lambda: len(pressed) == 2)

        assert approved.json["type"] == 7
        assert approved.json["data"]["content"] == "Case 7: approved" and approved.json["data"]["components"] == []
        stored = fake.get_message(posted.id)
        assert stored is not None and stored["content"] == "Case 7: approved" and stored["components"] == []
        assert rejected.json == {"type": 6}
        assert pressed == [("case:approve", posted.id), ("case:reject", OLD_MESSAGE)]

    run(scenario())


class Complaint(discord.ui.Modal, title="New complaint"):
    url: discord.ui.TextInput[Complaint] = discord.ui.TextInput(label="Listing URL", custom_id="url")
    note: discord.ui.TextInput[Complaint] = discord.ui.TextInput(
        label="Note", custom_id="note", style=discord.TextStyle.long, required=False, max_length=200
    )

    def __init__(self, submitted: list[tuple[str, str]]) -> None:
        super().__init__(custom_id="complaint")
        self.submitted = submitted

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(f"Filed {self.url.value}", ephemeral=True)
        self.submitted.append((self.url.value, self.note.value))


def test_modal_opened_by_a_command_is_submitted_with_its_values(fake: FakeDiscord) -> None:
    submitted: list[tuple[str, str]] = []
    listing = "https://item.taobao.com/item.htm?id=7"

    async def scenario() -> None:
        bot = Bot(fake)

        @bot.tree.command(name="complain", description="File a complaint", guild=bot.guild)
        async def complain(interaction: discord.Interaction) -> None:
            await interaction.response.send_modal(Complaint(submitted))

        async with running(bot):
            command = fake.slash_command(USER, "complain")
            (opened,) = await fake.wait_for_async("POST", f"/interactions/{command}/")
            with pytest.raises(ValueError, match="required"):
                fake.submit_modal(USER, "complaint", {"note": "no URL"}, channel_id=fake.team_channel_id)
            submit = fake.submit_modal(
                USER, "complaint", {"url": listing, "note": "counterfeit bags"}, channel_id=fake.team_channel_id
            )
            (reply,) = await fake.wait_for_async("POST", f"/interactions/{submit}/")
            await until(lambda: bool(submitted))

        assert opened.json["type"] == 9
        assert opened.json["data"]["custom_id"] == "complaint" and opened.json["data"]["title"] == "New complaint"
        assert submitted == [(listing, "counterfeit bags")]
        assert reply.json["type"] == 4 and reply.json["data"]["content"] == f"Filed {listing}"

    run(scenario())


def test_channel_messages_threads_and_user_messages_in_threads(fake: FakeDiscord) -> None:
    async def scenario() -> None:
        bot = Bot(fake)
        async with running(bot):
            channel = bot.get_channel(fake.team_channel_id)
            assert isinstance(channel, discord.TextChannel) and bot.user is not None
            message = await channel.send("Case 7: filed")
            thread = await message.create_thread(name="Case 7")
            csv = discord.File(io.BytesIO(b"listing,status\n7,open\n"), filename="case-7.csv")
            in_thread = await thread.send("Evidence", file=csv)
            triage = await channel.create_thread(name="Triage", type=discord.ChannelType.public_thread)
            edited = await message.edit(content="Case 7: filed (edited)")
            fetched = await bot.fetch_channel(thread.id)
            await until(lambda: bot.get_channel(thread.id) is not None)
            plain = fake.message(USER, "Here is the listing", channel_id=thread.id)
            mention = fake.message(USER, f"<@{bot.user.id}> status?", channel_id=thread.id)
            await until(lambda: {plain, mention} <= {m.id for m in bot.messages})
            received = {m.id: m for m in bot.messages}
            contents = dict(bot.contents)

        assert message.author.id == fake.bot_user_id and message.content == "Case 7: filed"
        assert abs(message.created_at - datetime.now(UTC)) < timedelta(seconds=5)
        assert fake.calls_to("POST", f"/channels/{channel.id}/messages")[0].json["content"] == "Case 7: filed"
        assert isinstance(thread, discord.Thread) and thread.id == message.id
        assert thread.parent_id == channel.id and thread.type is discord.ChannelType.public_thread
        assert thread.owner_id == fake.bot_user_id
        assert (
            fake.calls_to("POST", f"/channels/{channel.id}/messages/{message.id}/threads")[0].json["name"] == "Case 7"
        )
        assert in_thread.channel.id == thread.id and in_thread.attachments[0].filename == "case-7.csv"
        assert fake.calls_to("POST", f"/channels/{thread.id}/messages")[0].files == {
            "case-7.csv": b"listing,status\n7,open\n"
        }
        assert triage.type is discord.ChannelType.public_thread and triage.parent_id == channel.id
        assert [t["name"] for t in fake.threads_of(channel.id)] == ["Case 7", "Triage"]
        assert edited.content == "Case 7: filed (edited)" and edited.edited_at is not None
        assert isinstance(fetched, discord.Thread) and fetched.message_count == 1
        # The bot's own messages come back through the gateway, with their content.
        assert contents[message.id] == "Case 7: filed"
        assert received[message.id].content == "Case 7: filed (edited)"  # MESSAGE_UPDATE
        # Without the message content intent, a user's message arrives empty unless it mentions the bot.
        assert isinstance(received[plain].channel, discord.Thread) and received[plain].channel.id == thread.id
        assert received[plain].author.id == USER and contents[plain] == ""
        assert contents[mention] == f"<@{fake.bot_user_id}> status?"

    run(scenario())


def test_message_content_needs_the_intent_granted_to_the_application(fake: FakeDiscord) -> None:
    intents = discord.Intents.default()
    intents.message_content = True

    async def granted() -> None:
        bot = Bot(fake, intents=intents)
        async with running(bot):
            posted = fake.message(USER, "Here is the listing", channel_id=fake.brand_channel_id)
            await until(lambda: any(m.id == posted for m in bot.messages))
        assert bot.messages[-1].content == "Here is the listing"

    async def refused(strict: FakeDiscord) -> None:
        bot = Bot(strict, intents=intents)
        try:
            with pytest.raises(discord.PrivilegedIntentsRequired):
                await asyncio.wait_for(bot.start(TOKEN), 5)
        finally:
            await bot.close()

    run(granted())
    with FakeDiscord(privileged_intents=()) as strict:
        strict.use_for()
        run(refused(strict))


def test_rate_limits_are_retried_only_with_a_via_header(fake: FakeDiscord) -> None:
    async def scenario() -> None:
        bot = Bot(fake)

        @bot.tree.command(name="ping", description="Check the bot", guild=bot.guild)
        async def ping(interaction: discord.Interaction) -> None:
            await interaction.response.send_message("pong")

        async with running(bot):
            channel = bot.get_channel(fake.team_channel_id)
            assert isinstance(channel, discord.TextChannel)
            path = f"/channels/{channel.id}/messages"
            fake.fail_next("POST", path, retry_after=0.2)
            started = time.monotonic()
            message = await channel.send("after one 429")
            waited = time.monotonic() - started
            attempts = len(fake.calls_to("POST", path))

            fake.fail_next("POST", path, via=False)
            with pytest.raises(discord.HTTPException) as raised:
                await channel.send("no Via")

            fake.fail_next("POST", "/interactions/")
            interaction_id = fake.slash_command(USER, "ping")
            callbacks = await fake.wait_for_async("POST", f"/interactions/{interaction_id}/", count=2)
            await until(lambda: bot.completed == [int(interaction_id)])

        assert message.content == "after one 429" and attempts == 2 and waited >= 0.2
        assert type(raised.value) is discord.HTTPException and raised.value.status == 429
        assert raised.value.text == "You are being rate limited."
        assert len(fake.calls_to("POST", path)) == 3  # no retry without Via
        assert [c.json["type"] for c in callbacks] == [4, 4]

    run(scenario())


def test_reconnect_resumes_the_session_and_replays_missed_events(fake: FakeDiscord) -> None:
    answered: list[int] = []

    async def scenario() -> None:
        bot = Bot(fake)

        @bot.tree.command(name="ping", description="Check the bot", guild=bot.guild)
        async def ping(interaction: discord.Interaction) -> None:
            answered.append(interaction.id)
            await interaction.response.send_message("pong")

        async with running(bot):
            session = fake.session_id
            last_seq = fake.dispatched[-1]["s"]
            fake.reconnect()
            missed = fake.slash_command(USER, "ping")  # sent while the client reconnects
            await fake.wait_until_resumed_async()
            await fake.wait_for_async("POST", f"/interactions/{missed}/")
            await asyncio.wait_for(bot.resumed.wait(), 3)
            later = fake.slash_command(USER, "ping")
            await until(lambda: bot.completed == [int(missed), int(later)])

        frames = fake.gateway_received
        resumes = [frame["d"] for frame in frames if frame["op"] == 6]
        assert [(r["session_id"], r["seq"], r["token"]) for r in resumes] == [(session, last_seq, TOKEN)]
        assert [frame["op"] for frame in frames].count(2) == 1  # identified once
        assert len(fake.connections) == 2
        assert fake.connections[1] == fake.connections[0]  # resumed at READY's resume_gateway_url
        assert answered == [int(missed), int(later)]
        events = [event["t"] for event in fake.dispatched]
        assert events.index("RESUMED") > events.index("INTERACTION_CREATE")  # replayed first

    run(scenario())


def test_invalidated_session_makes_the_client_identify_again(fake: FakeDiscord) -> None:
    class Eager(Bot):
        async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
            """discord.py waits 5 s before every IDENTIFY but the first: not here."""

    async def scenario() -> None:
        bot = Eager(fake)

        @bot.tree.command(name="ping", description="Check the bot", guild=bot.guild)
        async def ping(interaction: discord.Interaction) -> None:
            await interaction.response.send_message("pong")

        async with running(bot):
            first_session = fake.session_id
            fake.invalidate_session()
            with pytest.raises(RuntimeError, match="no client has identified"):
                fake.slash_command(USER, "ping")
            await until(lambda: fake.session_id is not None)
            await until(lambda: [event["t"] for event in fake.dispatched].count("GUILD_CREATE") == 2)
            interaction_id = fake.slash_command(USER, "ping")
            await until(lambda: bot.completed == [int(interaction_id)])

        ops = [frame["op"] for frame in fake.gateway_received]
        assert ops.count(2) == 2 and 6 not in ops  # a fresh IDENTIFY, no RESUME
        assert fake.session_id not in (None, first_session)
        assert len(fake.connections) == 2

    run(scenario())


def test_messages_discord_refuses_raise_its_errors(fake: FakeDiscord) -> None:
    async def scenario() -> None:
        bot = Bot(fake)
        async with running(bot):
            channel = bot.get_channel(fake.team_channel_id)
            assert isinstance(channel, discord.TextChannel)
            with pytest.raises(discord.HTTPException) as too_long:
                await channel.send("x" * 2001)
            with pytest.raises(discord.HTTPException) as empty:
                await channel.send()
            with pytest.raises(discord.NotFound) as unknown:
                await bot.http.send_message(OLD_MESSAGE, params=discord.http.handle_message_parameters(content="x"))

        assert (too_long.value.status, too_long.value.code) == (400, 50035)
        assert "Must be 2000 or fewer in length." in too_long.value.text
        assert (empty.value.status, empty.value.code, empty.value.text) == (400, 50006, "Cannot send an empty message")
        assert (unknown.value.code, unknown.value.text) == (10003, "Unknown Channel")
        assert fake.messages_in(fake.team_channel_id) == []

    run(scenario())


def test_late_answers_and_early_follow_ups_are_refused_as_by_discord() -> None:
    errors: list[discord.HTTPException] = []

    async def scenario(fake: FakeDiscord) -> None:
        bot = Bot(fake)

        @bot.tree.command(name="slow", description="Answers too late", guild=bot.guild)
        async def slow(interaction: discord.Interaction) -> None:
            try:
                await interaction.followup.send("too early")
            except discord.HTTPException as error:
                errors.append(error)
            await asyncio.sleep(0.3)
            try:
                await interaction.response.send_message("too late")
            except discord.HTTPException as error:
                errors.append(error)

        async with running(bot):
            interaction_id = fake.slash_command(USER, "slow")
            await fake.wait_for_async("POST", f"/interactions/{interaction_id}/")
            await until(lambda: len(errors) == 2)

        (early,) = fake.calls_to("POST", f"/webhooks/{fake.application_id}/")
        assert early.json["content"] == "too early"
        assert [(type(e), e.code, e.text) for e in errors] == [
            (discord.NotFound, 10015, "Unknown Webhook"),
            (discord.NotFound, 10062, "Unknown interaction"),
        ]

    with FakeDiscord(interaction_deadline=0.2) as fake:
        fake.use_for()
        run(scenario(fake))


def _option(name: str, **extra: Any) -> dict[str, Any]:
    return {"type": 3, "name": name, "description": f"the {name}", **extra}


def _command(*options: dict[str, Any], **extra: Any) -> dict[str, Any]:
    group = {"type": 2, "name": "store", "description": "Stores", "options": [
        {"type": 1, "name": "strike", "description": "Strike a store", "options": list(options)}
    ]}  # fmt: skip
    return {"type": 1, "name": "marketsafe", "description": "MarketSafe", "options": [group], **extra}


MANY_CHOICES = [{"name": "n" * 50, "value": "v" * 100}] * 25
REFUSED_COMMANDS = {
    "uppercase name": _command(_option("Link")),
    "space in name": _command(_option("a link")),
    "33-character name": _command(_option("l" * 33)),
    "long description": _command(_option("link", description="d" * 101)),
    "empty description": _command(_option("link", description="")),
    "26 options": _command(*(_option(f"o{n}") for n in range(26))),
    "required after optional": _command(_option("note"), _option("link", required=True)),
    "26 choices": _command(_option("answer", choices=[{"name": f"c{n}", "value": f"c{n}"} for n in range(26)])),
    "choices with autocomplete": _command(_option("answer", choices=[{"name": "a", "value": "a"}], autocomplete=True)),
    "over 8000 characters": _command(*(_option(f"o{n}", choices=MANY_CHOICES) for n in range(3))),
    "group in a group": {
        "type": 1,
        "name": "marketsafe",
        "description": "MarketSafe",
        "options": [
            {
                "type": 2,
                "name": "store",
                "description": "Stores",
                "options": [{"type": 2, "name": "deeper", "description": "Too deep", "options": []}],
            }
        ],
    },
}


@pytest.mark.parametrize("command", list(REFUSED_COMMANDS.values()), ids=list(REFUSED_COMMANDS))
def test_application_commands_discord_refuses_are_refused_with_50035(
    fake: FakeDiscord, command: dict[str, Any]
) -> None:
    async def scenario() -> None:
        bot = Bot(fake)
        async with running(bot):
            assert bot.application_id is not None
            with pytest.raises(discord.HTTPException) as refused:
                await bot.http.bulk_upsert_guild_commands(bot.application_id, fake.guild_id, [command])
            accepted = await bot.http.bulk_upsert_guild_commands(bot.application_id, fake.guild_id, [_command(
                _option("link", required=True), _option("answer", choices=[{"name": "yes", "value": "yes"}])
            )])  # fmt: skip
        assert (refused.value.status, refused.value.code) == (400, 50035)
        assert [c["name"] for c in accepted] == ["marketsafe"]

    run(scenario())


def _text_input(custom_id: str, **extra: Any) -> dict[str, Any]:
    return {"type": 1, "components": [{"type": 4, "custom_id": custom_id, "label": "Field", "style": 1, **extra}]}


@pytest.mark.parametrize(
    ("modal", "path", "says"),
    [
        (
            {"components": [_text_input(f"f{n}") for n in range(6)]},
            ["data", "components"],
            "Must be between 1 and 5 in length.",
        ),
        ({"components": []}, ["data", "components"], "Must be between 1 and 5 in length."),
        ({"title": "t" * 46}, ["data", "title"], "Must be between 1 and 45 in length."),
        (
            {"components": [_text_input("a", label="l" * 46)]},
            ["data", "components", "0", "components", "0", "label"],
            "Must be between 1 and 45 in length.",
        ),
        (
            {"components": [_text_input("a", placeholder="p" * 101)]},
            ["data", "components", "0", "components", "0", "placeholder"],
            "Must be 100 or fewer in length.",
        ),
        (
            {"components": [_text_input("a", value="v" * 4001)]},
            ["data", "components", "0", "components", "0", "value"],
            "Must be 4000 or fewer in length.",
        ),
        (
            {"components": [_text_input("a", max_length=4001)]},
            ["data", "components", "0", "components", "0", "max_length"],
            "int value should be less than or equal to 4000.",
        ),
    ],
)
def test_modals_discord_refuses_are_refused_with_50035_and_the_fields_path(
    fake: FakeDiscord, modal: dict[str, Any], path: list[str], says: str
) -> None:
    asked: list[discord.Interaction] = []

    async def scenario() -> None:
        bot = Bot(fake)

        @bot.tree.command(name="form", description="Open a form", guild=bot.guild)
        async def form(interaction: discord.Interaction) -> None:
            asked.append(interaction)  # answered below, with a raw modal

        async with running(bot):
            interaction = fake.slash_command(USER, "form")
            await until(lambda: bool(asked))
            url = f"{fake.api_url}/interactions/{interaction}/{asked[0].token}/callback"
            data = {"title": "Form", "custom_id": "form", "components": [_text_input("a")], **modal}
            async with aiohttp.ClientSession() as session:
                async with session.post(url, json={"type": 9, "data": data}) as refused:
                    body = await refused.json()
                    assert refused.status == 400
                fine = {"title": "Form", "custom_id": "form", "components": [_text_input(f"f{n}") for n in range(5)]}
                async with session.post(url, json={"type": 9, "data": fine}) as accepted:
                    assert accepted.status == 204  # the refusal left the interaction unanswered

        errors = body["errors"]
        for name in path:
            errors = errors[name]
        assert body["code"] == 50035 and errors["_errors"][0]["message"] == says

    run(scenario())


def test_direct_messages_need_the_direct_messages_intent_and_carry_content_and_files_without_message_content(
    fake: FakeDiscord,
) -> None:
    csv = fake.upload("links.csv", b"link\nhttps://item.taobao.com/item.htm?id=1\n")

    async def scenario(intents: discord.Intents) -> Bot:
        bot = Bot(fake, intents=intents)
        async with running(bot):
            fake.direct_message(USER, "complaint", attachments=[csv])
            await asyncio.sleep(0.3)
        return bot

    default = discord.Intents.default()
    assert default.dm_messages and not default.message_content
    listening = asyncio.run(scenario(default))
    (message,) = listening.messages
    assert isinstance(message.channel, discord.DMChannel) and message.guild is None
    assert message.content == "complaint" and [a.filename for a in message.attachments] == ["links.csv"]
    assert message.attachments[0].size == len(b"link\nhttps://item.taobao.com/item.htm?id=1\n")
    deaf = default
    deaf.dm_messages = False
    assert asyncio.run(scenario(deaf)).messages == []


def test_a_channel_over_its_pace_gets_discords_429_and_other_channels_are_not_held() -> None:
    # Discord publishes no per-channel number ("rate limits should not be hard coded",
    # docs/topics/rate-limits): a burst of two at half a message a second, on a clock that stands still.
    async def create(session: aiohttp.ClientSession, fake: FakeDiscord, channel: int) -> tuple[int, Any, Any]:
        async with session.post(
            f"{fake.api_url}/channels/{channel}/messages",
            json={"content": "paced"},
            headers={"Authorization": f"Bot {TOKEN}"},
        ) as answer:
            return answer.status, answer.headers, await answer.json(content_type=None)

    async def scenario(fake: FakeDiscord) -> list[tuple[int, Any, Any]]:
        async with aiohttp.ClientSession() as session:
            return [await create(session, fake, channel) for channel in (team, team, team, brand)]

    with FakeDiscord(pace=Pace(0.5, burst=2, clock=lambda: 0.0)) as fake:
        team, brand = fake.team_channel_id, fake.brand_channel_id
        answers = asyncio.run(scenario(fake))
        kept = {channel: len(fake.messages_in(channel)) for channel in (team, brand)}
        _, headers, body = answers[2]

    assert [answer[0] for answer in answers] == [200, 200, 429, 200], "only the channel over its pace waits"
    assert kept == {team: 2, brand: 1}, "a refused create keeps nothing"
    assert headers["Content-Type"] == "application/json"
    assert body == {"message": "You are being rate limited.", "retry_after": 2.0, "global": False}
    assert headers["Retry-After"] == "2"
    assert headers["X-RateLimit-Limit"] == "2" and headers["X-RateLimit-Remaining"] == "0"
    assert float(headers["X-RateLimit-Reset-After"]) == 2.0
    assert float(headers["X-RateLimit-Reset"]) > time.time() + 1
    assert headers["X-RateLimit-Scope"] == "user" and headers["X-RateLimit-Bucket"]
    assert "Via" in headers, "discord.py retries a 429 only behind Discord's proxy"

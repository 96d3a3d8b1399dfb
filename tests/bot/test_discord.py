"""The Discord adapter end to end: the real discord.py client logs in to FakeDiscord, receives
slash commands, button presses and modal submissions through its gateway, runs them through the
real router on each database back-end, and the delivery worker posts the outbox through it."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import discord
import pytest
import yarl
from sqlmodel import select

from bot.delivery import DeliveryWorker
from bot.discord import limits
from bot.discord.client import MarketSafeClient
from bot.discord.poster import DiscordPoster
from bot.discord.service import DiscordService
from bot.router import Incoming, Router
from bot.settings import Settings
from bot.text_parts import split_text
from handlers.catalogue import GROUPS, resolve, subcommands
from handlers.kit.context import Caller, ProgramRules
from handlers.kit.outbox import save_notices
from handlers.kit.replies import Notice, Reply
from handlers.working_group.meetings import meeting_agenda_notices
from storage.database import Database
from storage.models import Milestone
from storage.vocabulary import NoticeKind, ReasonCode
from support.clock import FakeClock
from support.discord_limits import message_refusal
from support.discord_program import OPERATOR, set_up_program
from support.fake_discord import Call, FakeDiscord, snowflake_at
from support.fake_http import Failure, dropped, json_response, refused
from support.large_program import (
    ASKED,
    BIG_CASE,
    NEW_LINKS,
    THREAD_MESSAGE,
    People,
    big_paste,
    build,
    chinese_title,
    compact,
    file_open_cases,
    listing,
    missing,
)

TOKEN = "fake-discord-bot-token"
ADMIN, BRAND, TEAM = 412_345_678_901_234_501, 412_345_678_901_234_502, 412_345_678_901_234_503
LINKS = "https://item.taobao.com/item.htm?id=1001 https://item.taobao.com/item.htm?id=1002"
CASE = "MS-000001"
REMOVED = f"run:outcome {CASE} all removed"
OLD_MESSAGE = snowflake_at(datetime(2025, 1, 6, tzinfo=UTC), 9)


@dataclass
class Discord:
    fake: FakeDiscord
    router: Router
    database: Database
    clock: FakeClock

    def program(self) -> None:
        set_up_program(self.router, self.fake, BRAND, TEAM)


@pytest.fixture
def env(database: Database, clock: FakeClock) -> Iterator[Discord]:
    with FakeDiscord() as fake:
        fake.use_for()
        router = Router(database, ProgramRules(), frozenset({"console:operator", f"discord:{ADMIN}"}), clock=clock)
        yield Discord(fake, router, database, clock)


@contextlib.asynccontextmanager
async def running(env: Discord) -> AsyncIterator[tuple[MarketSafeClient, DeliveryWorker]]:
    """The client, started and ready, and a delivery worker posting through it."""
    client = MarketSafeClient(env.router, guild_id=env.fake.guild_id, guild_ready_timeout=0.1)
    task = asyncio.create_task(client.start(TOKEN))
    ready = asyncio.create_task(client.wait_until_ready())
    try:
        done, _ = await asyncio.wait({task, ready}, timeout=5, return_when=asyncio.FIRST_COMPLETED)
        if task in done:
            task.result()
        assert ready in done, "the client did not reach on_ready within 5 s"
        worker = DeliveryWorker(env.database, DiscordPoster(client, timeout=10), clock=env.clock)
        await asyncio.to_thread(worker.start)
        yield client, worker
    finally:
        ready.cancel()
        await client.close()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(task, 5)


def run(scenario: Coroutine[Any, Any, None]) -> None:
    asyncio.run(asyncio.wait_for(scenario, 30))


async def until(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        await asyncio.sleep(0.01)


def invoked(path: str, options: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
    """The command name and options Discord sends for `/marketsafe-<word> [<group>] [<sub-command>]`."""
    word, *rest = path.split()
    for depth, name in reversed(list(enumerate(rest))):
        options = [{"name": name, "type": 2 if depth < len(rest) - 1 else 1, "options": options}]
    return f"marketsafe-{word}", options


async def command(fake: FakeDiscord, user: int, path: str, text: str | None = None, **where: Any) -> Call:
    """`/marketsafe-<word> [<sub-command>] text:<text>`; the interaction's answer."""
    options: list[dict[str, Any]] = [{"name": "text", "value": text}] if text is not None else []
    interaction = fake.slash_command(user, *invoked(path, options), channel_id=where.get("channel_id"))
    (answer,) = await fake.wait_for_async("POST", f"/interactions/{interaction}/")
    return answer


async def press(fake: FakeDiscord, user: int, custom_id: str, *, channel_id: int, message_id: int) -> Call:
    interaction = fake.press_button(user, custom_id, channel_id=channel_id, message_id=message_id)
    (answer,) = await fake.wait_for_async("POST", f"/interactions/{interaction}/")
    return answer


async def submit(fake: FakeDiscord, user: int, custom_id: str, values: dict[str, str], *, channel_id: int) -> Call:
    interaction = fake.submit_modal(user, custom_id, values, channel_id=channel_id)
    (answer,) = await fake.wait_for_async("POST", f"/interactions/{interaction}/")
    return answer


def ephemeral(answer: Call) -> dict[str, Any]:
    """The message of an ephemeral answer (type 4, flags 64) that can mention nobody."""
    assert answer.json["type"] == 4, answer.json
    data: dict[str, Any] = answer.json["data"]
    assert data["flags"] == 64
    assert data["allowed_mentions"] == {"parse": []}
    return data


def inputs(modal: dict[str, Any]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for top in modal["components"]:
        for component in [*top.get("components", []), *([top["component"]] if "component" in top else [])]:
            found[component["custom_id"]] = component
    return found


async def file_case(env: Discord, worker: DeliveryWorker) -> tuple[dict[str, Any], dict[str, Any]]:
    """The brand files a case by slash command and it is delivered; its team and brand messages."""
    data = ephemeral(await command(env.fake, BRAND, "complaint", LINKS, channel_id=env.fake.brand_channel_id))
    assert f"in {CASE}" in data["content"], data["content"]
    assert await asyncio.to_thread(worker.run_once) >= 2  # the team's case message and the brand's
    (team,) = posted(env.fake, env.fake.team_channel_id)
    (brand,) = posted(env.fake, env.fake.brand_channel_id)
    return team, brand


def posted(fake: FakeDiscord, channel_id: int) -> list[dict[str, Any]]:
    """The messages of a channel or thread that everyone sees (not the ephemeral answers)."""
    return [m for m in fake.messages_in(channel_id) if not m.get("flags", 0) & 64]


def test_a_slash_command_runs_as_the_discord_user_and_answers_only_them(env: Discord) -> None:
    async def scenario() -> None:
        async with running(env):
            helped = ephemeral(await command(env.fake, BRAND, "help"))
            created = ephemeral(
                await command_with(
                    env.fake, ADMIN, "admin org add", slug="evil", name="@everyone <@&412345678901234567> Corp"
                )
            )
            refused = ephemeral(await command(env.fake, BRAND, "outcome", f"{CASE} all removed"))

        assert "MarketSafe commands" in helped["content"]
        assert "Created organisation evil" in created["content"]
        assert "@\u200beveryone" in created["content"] and "<@\u200b&412345678901234567>" in created["content"]
        assert "@everyone" not in created["content"]
        assert refused["content"].startswith("⚠")
        synced = env.fake.commands()
        names = {command["name"] for command in synced}
        assert {"marketsafe-complaint", "marketsafe-outcome", "marketsafe-case", "marketsafe-help"} <= names
        assert "marketsafe-admin" in names

    run(scenario())
    with env.database.transaction() as session:
        from storage.queries.members import organisation_by_slug

        assert organisation_by_slug(session, "evil") is not None


def test_a_complaint_without_text_opens_a_modal_whose_submission_files_the_case(env: Discord) -> None:
    env.program()

    async def scenario() -> None:
        async with running(env):
            opened = await command(env.fake, BRAND, "complaint", channel_id=env.fake.brand_channel_id)
            assert opened.json["type"] == 9
            modal = opened.json["data"]
            fields = inputs(modal)
            assert modal["custom_id"].startswith("form:") and modal["title"] == "File a complaint" and len(fields) == 5
            assert list(fields) == ["right", "links", "reason", "platform", "note"]
            assert fields["right"]["value"] == "1"  # the only usable right, filled in
            assert "counterfeit" in fields["reason"]["placeholder"]
            refused = ephemeral(
                await submit(
                    env.fake,
                    BRAND,
                    modal["custom_id"],
                    {"right": "1", "links": "no links at all", "reason": "counterfeit"},
                    channel_id=env.fake.brand_channel_id,
                )
            )
            again = await command(env.fake, BRAND, "complaint", channel_id=env.fake.brand_channel_id)
            assert again.json["type"] == 9
            filed = ephemeral(
                await submit(
                    env.fake,
                    BRAND,
                    again.json["data"]["custom_id"],
                    {"right": "1", "links": LINKS, "reason": "Counterfeit"},
                    channel_id=env.fake.brand_channel_id,
                )
            )

        assert refused["content"].startswith("⚠ Links:"), refused["content"]
        assert f"in {CASE}" in filed["content"], filed["content"]

    run(scenario())


def test_an_outcome_form_names_the_case_field_when_the_case_is_unknown(env: Discord) -> None:
    env.program()

    async def scenario() -> None:
        async with running(env):
            opened = await command(env.fake, TEAM, "outcome", channel_id=env.fake.team_channel_id)
            assert opened.json["type"] == 9 and opened.json["data"]["title"] == "Record an outcome"
            refused = ephemeral(
                await submit(
                    env.fake,
                    TEAM,
                    opened.json["data"]["custom_id"],
                    {"case": "MS-999999", "items": "all", "outcome": "removed"},
                    channel_id=env.fake.team_channel_id,
                )
            )
        assert refused["content"].startswith("⚠ Case:"), refused["content"]

    run(scenario())


def test_a_case_is_delivered_with_buttons_and_the_team_records_an_outcome_by_pressing_removed(env: Discord) -> None:
    env.program()

    async def scenario() -> None:
        async with running(env) as (_, worker):
            team, brand = await file_case(env, worker)
            buttons = [c for row in team["components"] for c in row["components"]]
            assert [b["label"] for b in buttons][:2] == ["Removed", "Not removed"]
            assert buttons[0]["custom_id"] == REMOVED
            posted = env.fake.calls_to("POST", f"/channels/{env.fake.team_channel_id}/messages")[0]
            assert posted.json["allowed_mentions"] == {"parse": []}
            assert [t["id"] for t in env.fake.threads_of(env.fake.team_channel_id)] == [team["id"]]
            assert [t["id"] for t in env.fake.threads_of(env.fake.brand_channel_id)] == [brand["id"]]

            # Someone who is not on the team is told so, and nothing changes.
            told = ephemeral(
                await press(env.fake, BRAND, REMOVED, channel_id=env.fake.team_channel_id, message_id=int(team["id"]))
            )
            assert told["content"].startswith("⚠"), told["content"]
            # The team member presses "Removed": the outcome is recorded and reaches both case threads.
            recorded = ephemeral(
                await press(env.fake, TEAM, REMOVED, channel_id=env.fake.team_channel_id, message_id=int(team["id"]))
            )
            assert not recorded["content"].startswith("⚠"), recorded["content"]
            await asyncio.to_thread(worker.run_once)
            team_thread = env.fake.messages_in(int(team["id"]))
            brand_thread = env.fake.messages_in(int(brand["id"]))

        assert any("removed" in m["content"] for m in team_thread), team_thread
        assert any(f"Outcome for {CASE}: items 1-2 removed" in m["content"] for m in brand_thread), brand_thread
        reply = env.router.handle(Incoming(OPERATOR, f"case {CASE}"))
        assert not reply.is_error and "removed" in reply.render_plain().lower()

    run(scenario())


def test_a_button_on_a_message_from_before_a_restart_still_runs_its_command(env: Discord) -> None:
    env.program()

    async def scenario() -> None:
        async with running(env) as (_, worker):
            await file_case(env, worker)
        async with running(env):  # a new client: the button is matched by its custom_id alone
            recorded = ephemeral(
                await press(env.fake, TEAM, REMOVED, channel_id=env.fake.team_channel_id, message_id=OLD_MESSAGE)
            )
        assert not recorded["content"].startswith("⚠"), recorded["content"]

    run(scenario())
    reply = Router(env.database, ProgramRules(), frozenset({"console:operator"})).handle(
        Incoming(OPERATOR, f"case {CASE}")
    )
    assert "removed" in reply.render_plain().lower()


def test_a_case_filed_through_discord_shows_through_the_console(env: Discord) -> None:
    env.program()

    async def scenario() -> None:
        async with running(env):
            ephemeral(await command(env.fake, BRAND, "complaint", LINKS, channel_id=env.fake.brand_channel_id))

    run(scenario())
    reply = env.router.handle(Incoming(OPERATOR, f"case {CASE}"))
    assert not reply.is_error, reply.text
    plain = reply.render_plain()
    assert CASE in plain and "item.taobao.com/item.htm?id=1001" in plain


def test_the_service_finds_the_gateway_through_the_api_and_delivers_in_the_background(env: Discord) -> None:
    env.program()
    settings = Settings(
        _env_file=None,
        discord_bot_token=TOKEN,
        discord_guild_id=env.fake.guild_id,
        discord_api_url=env.fake.api_url,
    )
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL("wss://gateway.discord.gg/")
    service = DiscordService(settings, env.router, env.database, guild_ready_timeout=0.1)
    service.worker.clock = env.clock

    async def scenario() -> None:
        task = asyncio.create_task(service.start())
        try:
            await until(lambda: service.delivery is not None)
            ephemeral(await command(env.fake, BRAND, "complaint", LINKS, channel_id=env.fake.brand_channel_id))
            await until(lambda: bool(env.fake.messages_in(env.fake.team_channel_id)))
        finally:
            await asyncio.to_thread(service.stop)
            await service.client.close()
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.wait_for(task, 5)

    run(scenario())
    assert env.fake.calls_to("GET", "/gateway/bot")
    assert CASE in env.fake.messages_in(env.fake.team_channel_id)[0]["content"]


async def deliver_until(worker: DeliveryWorker, condition: Callable[[], bool], timeout: float = 5.0) -> None:
    """Run delivery passes until `condition` holds (a relayed message is handled on the client's loop)."""
    deadline = time.monotonic() + timeout
    while True:
        await asyncio.to_thread(worker.run_once)
        if condition():
            return
        assert time.monotonic() < deadline, "condition not met in time"
        await asyncio.sleep(0.05)


def contents(fake: FakeDiscord, channel_id: int) -> list[str]:
    return [m["content"] for m in fake.messages_in(channel_id)]


def write(env: Discord, channel: str, text: str, *, case_id: str | None = None) -> None:
    from storage.queries.outbox import write_notice
    from storage.vocabulary import NoticeKind

    with env.database.transaction() as session:
        write_notice(
            session,
            channel=channel,
            text=text,
            kind=NoticeKind.INFO,
            case_id=case_id,
            payload={},
            dedupe_key=None,
            now=env.clock(),
        )


def test_a_persons_message_in_a_case_thread_reaches_the_other_side_marked_with_its_author(env: Discord) -> None:
    env.program()
    OTHER_BOT = 412_345_678_901_234_599

    async def scenario() -> None:
        async with running(env) as (_, worker):
            team, brand = await file_case(env, worker)
            team_thread, brand_thread = int(team["id"]), int(brand["id"])

            env.fake.message(TEAM, "Both listings are gone.", channel_id=team_thread)
            await deliver_until(worker, lambda: any("listings are gone" in c for c in contents(env.fake, brand_thread)))
            env.fake.message(BRAND, "Thank you, we will watch.", channel_id=brand_thread)
            await deliver_until(worker, lambda: any("we will watch" in c for c in contents(env.fake, team_thread)))

            # Another bot, an empty message and one outside the case threads are not relayed; the
            # bot's own relayed messages come back through the gateway and are not relayed either.
            env.fake.message(OTHER_BOT, "An integration's note", channel_id=brand_thread, bot=True)
            env.fake.message(BRAND, "   ", channel_id=brand_thread)
            env.fake.message(BRAND, "Hello channel", channel_id=env.fake.brand_channel_id)
            env.fake.message(BRAND, "One more thing.", channel_id=brand_thread)
            await deliver_until(worker, lambda: any("One more thing" in c for c in contents(env.fake, team_thread)))
            await asyncio.sleep(0.2)
            await asyncio.to_thread(worker.run_once)
            to_team = contents(env.fake, team_thread)
            to_brand = contents(env.fake, brand_thread)

        (relayed,) = [c for c in to_brand if "listings are gone" in c]
        assert relayed.endswith(f"(discord:{TEAM}): Both listings are gone."), relayed
        assert [c for c in to_team if "(discord:" in c] == [
            f"User{BRAND % 10_000:04d} (discord:{BRAND}): Thank you, we will watch.",
            f"User{BRAND % 10_000:04d} (discord:{BRAND}): One more thing.",
        ], to_team
        assert not any("integration" in c or "Hello channel" in c for c in to_team)
        assert len([c for c in to_brand if "(discord:" in c]) == 1  # the team's message, relayed once

    run(scenario())


def test_a_slow_command_is_deferred_and_its_reply_replaces_the_deferral(
    env: Discord, monkeypatch: pytest.MonkeyPatch
) -> None:
    handle = env.router.handle

    def slow(incoming: Incoming) -> Any:
        if incoming.text == "help":
            time.sleep(2.0)  # past DEFER_AFTER, within Discord's 3 s only thanks to the deferral
        return handle(incoming)

    monkeypatch.setattr(env.router, "handle", slow)
    webhook = f"/webhooks/{env.fake.application_id}/"

    async def scenario() -> None:
        async with running(env):
            interaction = env.fake.slash_command(BRAND, *invoked("help", []))
            (deferred,) = await env.fake.wait_for_async("POST", f"/interactions/{interaction}/")
            assert deferred.json["type"] == 5 and deferred.json["data"]["flags"] == 64, deferred.json
            (edited,) = await env.fake.wait_for_async("PATCH", webhook, timeout=5)
            assert edited.path.endswith("/messages/@original")
            assert "MarketSafe commands" in edited.json["content"]
            assert edited.json["allowed_mentions"] == {"parse": []}
            # A quick command is still answered at once.
            assert "MarketSafe commands" not in ephemeral(await command(env.fake, BRAND, "cases"))["content"]

    run(scenario())


def test_a_deferred_command_that_asks_for_a_form_offers_it_as_a_button(env: Discord) -> None:
    env.program()

    async def scenario() -> None:
        async with running(env) as (client, _):
            client.defer_after = 0.0  # every command is deferred
            deferred = await command(env.fake, BRAND, "complaint", channel_id=env.fake.brand_channel_id)
            assert deferred.json["type"] == 5, deferred.json
            (edited,) = await env.fake.wait_for_async("PATCH", f"/webhooks/{env.fake.application_id}/")
            buttons = [c for row in edited.json["components"] for c in row["components"]]
            assert buttons[0]["custom_id"] == "run:complaint", buttons
            original = await until_original(env.fake, deferred)
            client.defer_after = 5.0
            opened = await press(
                env.fake, BRAND, "run:complaint", channel_id=env.fake.brand_channel_id, message_id=original
            )
            assert opened.json["type"] == 9 and opened.json["data"]["title"] == "File a complaint"

    run(scenario())


async def until_original(fake: FakeDiscord, answer: Call) -> int:
    """The id of the message the deferred answer became, once it carries the form's button."""
    found: list[int] = []

    def known() -> bool:
        messages = fake.messages_in(fake.brand_channel_id)
        found[:] = [int(m["id"]) for m in messages if "run:complaint" in str(m.get("components"))]
        return bool(found)

    await until(known)
    return found[-1]


def test_a_notice_to_a_discord_user_reaches_them_by_direct_message(env: Discord) -> None:
    env.program()

    async def scenario() -> None:
        async with running(env) as (_, worker):
            write(env, f"dm:discord:{BRAND}", "Your proposal was accepted.")
            assert await asyncio.to_thread(worker.run_once) == 1
            write(env, f"dm:discord:{BRAND}", "Your language question LR-000001 was answered.", case_id="LR-000001")
            assert await asyncio.to_thread(worker.run_once) == 1
            # The case's later notice has no thread to go to in a direct message: it follows the first.
            write(env, f"dm:discord:{BRAND}", "A second answer to LR-000001.", case_id="LR-000001")
            assert await asyncio.to_thread(worker.run_once) == 1

        dm = env.fake.dm_channel_of(BRAND)
        assert dm is not None and dm["type"] == 1 and dm["recipients"][0]["id"] == str(BRAND)
        assert contents(env.fake, int(dm["id"])) == [
            "Your proposal was accepted.",
            "Your language question LR-000001 was answered.",
            "A second answer to LR-000001.",
        ]
        (opened,) = env.fake.calls_to("POST", "/users/@me/channels")
        assert opened.json == {"recipient_id": BRAND} or opened.json == {"recipient_id": str(BRAND)}

    run(scenario())


@pytest.mark.parametrize("via", [True, False], ids=["through-a-proxy", "without-via"])
def test_a_rate_limited_post_is_retried_by_the_worker_and_the_notice_posted_once(env: Discord, via: bool) -> None:
    env.program()
    path = f"/channels/{env.fake.team_channel_id}/messages"

    async def scenario() -> None:
        async with running(env) as (_, worker):
            env.fake.fail_next("POST", path, status=429, retry_after=0.05, via=via)
            write(env, "team", "A rate-limited notice.")
            # The poster sends each create once, whatever discord.py would do: the worker waits.
            assert await asyncio.to_thread(worker.run_once) == 0
            env.clock.advance(seconds=1)
            assert await asyncio.to_thread(worker.run_once) == 1
            assert await asyncio.to_thread(worker.run_once) == 0

        assert contents(env.fake, env.fake.team_channel_id) == ["A rate-limited notice."]
        assert len(env.fake.calls_to("POST", path)) == 2

    run(scenario())


def is_create_in(channel_id: int) -> Callable[[Call], bool]:
    return lambda call: call.method == "POST" and call.path == f"/channels/{channel_id}/messages"


@pytest.mark.parametrize(
    "failure",
    [refused(500, {"message": "500: Internal Server Error", "code": 0}, after_write=True), dropped(after_write=True)],
    ids=["500-after-discord-kept-it", "connection-dropped-after-discord-kept-it"],
)
@pytest.mark.parametrize("lookup", [True, False], ids=["found-by-lookup", "lookup-misses-nonce-dedupes"])
def test_a_case_message_discord_kept_before_its_answer_was_lost_is_shown_once_with_one_thread(
    env: Discord, failure: Failure, lookup: bool
) -> None:
    env.program()
    channel = env.fake.team_channel_id

    async def scenario() -> None:
        async with running(env) as (_, worker):
            if not lookup:  # the history does not show it yet: the nonce alone keeps it single
                worker.poster.find_posted = lambda *_: None  # type: ignore[method-assign]
            env.fake.fail_with(is_create_in(channel), failure)
            write(env, "team", "Case MS-000009 opened.", case_id="MS-000009")
            assert await asyncio.to_thread(worker.run_once) == 0
            env.clock.advance(seconds=1)
            assert await asyncio.to_thread(worker.run_once) == 1
            write(env, "team", "An outcome for MS-000009.", case_id="MS-000009")
            assert await asyncio.to_thread(worker.run_once) == 1

        assert contents(env.fake, channel) == ["Case MS-000009 opened."]
        (thread,) = env.fake.threads_of(channel)
        assert contents(env.fake, int(thread["id"])) == ["An outcome for MS-000009."]
        creates = [c for c in env.fake.calls_to("POST", f"/channels/{channel}/") if c.path.endswith("/messages")]
        assert all(call.json["enforce_nonce"] is True for call in creates)
        assert len({call.json["nonce"] for call in creates}) == 1
        assert len(creates) == (1 if lookup else 2), "found: not sent again; missed: sent again with the same nonce"

    run(scenario())


def test_a_lost_post_is_found_by_lookup_past_the_nonce_window_in_a_busy_channel(env: Discord) -> None:
    env.program()
    channel = env.fake.team_channel_id

    async def scenario() -> None:
        async with running(env) as (_, worker):
            env.fake.fail_with(is_create_in(channel), dropped(after_write=True))
            write(env, "team", "A notice whose answer was lost.")
            assert await asyncio.to_thread(worker.run_once) == 0
            env.fake.nonce_window = 0  # Discord has forgotten the nonce
            for n in range(120):  # more than a page of newer messages
                env.fake.message(BRAND, f"chatter {n}", channel_id=channel)
            env.clock.advance(minutes=10)
            assert await asyncio.to_thread(worker.run_once) == 1

        assert contents(env.fake, channel).count("A notice whose answer was lost.") == 1
        assert len(env.fake.calls_to("POST", f"/channels/{channel}/messages")) == 1

    run(scenario())


OTHER_BRAND = 412_345_678_901_234_504
OTHER_LINKS = "https://item.taobao.com/item.htm?id=2001"


async def suggest(fake: FakeDiscord, user: int, path: str, focused: str, typed: str, **given: str) -> list[Any]:
    """The choices offered for option `focused` of `/marketsafe-<word> [<sub-command>]` while `typed` is typed."""
    options: list[dict[str, Any]] = [{"name": name, "value": value} for name, value in given.items()]
    options.append({"name": focused, "value": typed, "focused": True})
    interaction = fake.autocomplete(user, *invoked(path, options))
    (answer,) = await fake.wait_for_async("POST", f"/interactions/{interaction}/")
    assert answer.json["type"] == 8, answer.json
    return fake.choices(interaction)


def test_case_autocomplete_offers_only_the_callers_organisations_cases_and_the_team_all(env: Discord) -> None:
    env.program()
    for line in (
        'admin org add beta "Beta Ltd" country=US size=small',
        'admin right add beta trademark 7654321 mark="BETA" jurisdiction=CN expires=2030-12-31',
        "admin right verify 2",
        f"admin member add discord:{OTHER_BRAND} beta member",
    ):
        assert not env.router.handle(Incoming(OPERATOR, line)).is_error, line

    async def scenario() -> None:
        async with running(env):
            ephemeral(await command(env.fake, BRAND, "complaint", LINKS, channel_id=env.fake.brand_channel_id))
            ephemeral(await command(env.fake, OTHER_BRAND, "complaint", OTHER_LINKS))
            other_case = "MS-000002"

            mine = await suggest(env.fake, BRAND, "case show", "case", "")
            assert mine == [{"name": f"{CASE} · 2 Taobao listings · submitted", "value": CASE}], mine
            assert [c["value"] for c in await suggest(env.fake, BRAND, "withdraw", "case", "ms-0000")] == [CASE]
            assert [c["value"] for c in await suggest(env.fake, BRAND, "outcome", "case", "1")] == [CASE]
            assert await suggest(env.fake, BRAND, "case show", "case", other_case) == []
            assert await suggest(env.fake, BRAND, "case show", "case", "2") == []
            theirs = await suggest(env.fake, OTHER_BRAND, "case show", "case", "")
            assert [c["value"] for c in theirs] == [other_case], theirs
            team = await suggest(env.fake, TEAM, "outcome", "case", "", text="all removed")
            assert [c["value"] for c in team] == [other_case, CASE], team
            assert await suggest(env.fake, 412_345_678_901_234_598, "case show", "case", "") == []  # not in the program

            # The chosen case goes first in the command line, the text after it.
            shown = ephemeral(await command_with(env.fake, BRAND, "case show", case=CASE))
            refused = ephemeral(await command_with(env.fake, BRAND, "case show", case=other_case))
            recorded = ephemeral(
                await command_with(
                    env.fake, TEAM, "outcome", case=CASE, text="all removed", channel_id=env.fake.team_channel_id
                )
            )
            plain = ephemeral(
                await command_with(env.fake, BRAND, "case show", case=CASE.lower().replace("ms-0000", ""))
            )

        assert shown["content"].startswith(f"{CASE} · submitted"), shown["content"]
        assert "item.taobao.com/item.htm?id=1001" in str(shown["embeds"]), shown
        assert refused["content"].startswith("⚠"), refused["content"]
        assert not recorded["content"].startswith("⚠"), recorded["content"]
        assert plain["content"].startswith(CASE) and "removed" in str(plain).lower(), plain

    run(scenario())


def test_autocomplete_never_fails_the_interaction(env: Discord, monkeypatch: pytest.MonkeyPatch) -> None:
    env.program()

    def broken(*_: Any) -> Any:
        raise RuntimeError("database gone")

    monkeypatch.setattr(env.router, "context_for", broken)

    async def scenario() -> None:
        async with running(env):
            assert await suggest(env.fake, BRAND, "case show", "case", "MS") == []
            assert await suggest(env.fake, BRAND, "complaint", "right", "") == []

    run(scenario())


async def command_with(fake: FakeDiscord, user: int, path: str, channel_id: int | None = None, **given: str) -> Call:
    """`/marketsafe-<word> [<sub-command>]` with the named options given."""
    options: list[dict[str, Any]] = [{"name": name, "value": value} for name, value in given.items()]
    interaction = fake.slash_command(user, *invoked(path, options), channel_id=channel_id)
    (answer,) = await fake.wait_for_async("POST", f"/interactions/{interaction}/")
    return answer


def test_a_complaint_with_right_platform_and_reason_options_files_the_links_in_its_text(env: Discord) -> None:
    env.program()

    async def scenario() -> None:
        async with running(env):
            rights = await suggest(env.fake, BRAND, "complaint", "right", "")
            assert rights == [{"name": "#1 ACME · trademark CN 1234567", "value": "1"}], rights
            assert await suggest(env.fake, BRAND, "complaint", "right", "9") == []
            assert await suggest(env.fake, TEAM, "complaint", "right", "") == []  # the team holds no rights
            filed = ephemeral(
                await command_with(
                    env.fake,
                    BRAND,
                    "complaint",
                    right="1",
                    platform="taobao",
                    reason="trademark_misuse",
                    text=LINKS,
                    channel_id=env.fake.brand_channel_id,
                )
            )
            wrong = ephemeral(
                await command_with(
                    env.fake, BRAND, "complaint", platform="tmall", text="https://item.taobao.com/item.htm?id=3001"
                )
            )

        assert f"in {CASE}" in filed["content"], filed["content"]
        assert "the complaint is for Tmall" in str(wrong["embeds"]), wrong  # the platform option was used
        synced = {command["name"]: command for command in env.fake.commands()}
        options = {o["name"]: o for o in synced["marketsafe-complaint"]["options"]}
        assert list(options) == ["right", "platform", "reason", "text", "file"]
        assert options["file"]["type"] == 11 and not options["file"].get("required")
        assert options["right"]["autocomplete"] is True
        assert {"name": "Tmall Global", "value": "tmall_global"} in options["platform"]["choices"]
        assert [c["value"] for c in options["reason"]["choices"]] == [r.value for r in ReasonCode]
        (show,) = [o for o in synced["marketsafe-case"]["options"] if o["name"] == "show"]
        assert [o["name"] for o in show["options"]] == ["case", "page", "text"] and show["options"][0]["autocomplete"]

    run(scenario())
    from storage.models import Complaint

    with env.database.transaction() as session:
        complaint = session.get(Complaint, 1)
        assert complaint is not None
        assert (complaint.reason_code, complaint.platform, complaint.ip_right_id, complaint.item_count) == (
            "trademark_misuse",
            "taobao",
            1,
            2,
        )


STOREFRONT = "https://shop123456.taobao.com"


async def subcommand(fake: FakeDiscord, user: int, group: str, name: str, **given: str) -> Call:
    """`/marketsafe-<group> <name>` with the named options given."""
    options: list[dict[str, Any]] = [{"name": option, "value": value} for option, value in given.items()]
    interaction = fake.slash_command(user, *invoked(f"{group} {name}", options), channel_id=fake.team_channel_id)
    (answer,) = await fake.wait_for_async("POST", f"/interactions/{interaction}/")
    return answer


def test_store_strike_is_a_sub_command_with_a_link_field_and_its_note_arrives_intact(env: Discord) -> None:
    env.program()
    note = 'a "quoted" note, with note=inside'

    async def scenario() -> None:
        async with running(env):
            refused = ephemeral(await subcommand(env.fake, BRAND, "store", "strike", link=STOREFRONT, note=note))
            recorded = ephemeral(await subcommand(env.fake, TEAM, "store", "strike", link=STOREFRONT, note=note))
            shown = ephemeral(await subcommand(env.fake, BRAND, "store", "show", link=STOREFRONT))
            seen_by_team = ephemeral(await subcommand(env.fake, TEAM, "store", "show", link=STOREFRONT))
            listed = ephemeral(await subcommand(env.fake, TEAM, "store", "list", text="closed platform=taobao"))
            channel = env.fake.team_channel_id
            pressed = ephemeral(
                await press(env.fake, BRAND, f"run:store show {STOREFRONT}", channel_id=channel, message_id=OLD_MESSAGE)
            )

        assert refused["content"].startswith("⚠ Only the IACC/Alibaba team can strike storefronts."), refused["content"]
        assert recorded["content"] == f"Strike recorded: {STOREFRONT}/ has 1 of the 3 that close it.", recorded
        # A brand whose complaints never named the store sees its status, not how it is pursued.
        assert "Active strikes" not in str(shown["embeds"]) and not shown["content"].startswith("⚠"), shown
        assert "Active strikes" in str(seen_by_team["embeds"]), seen_by_team
        assert listed["content"] == "No storefronts match.", listed  # the free text's words and options were read
        assert pressed["content"] == shown["content"], pressed  # a button's sub-command line runs as typed

        store = next(command for command in env.fake.commands() if command["name"] == "marketsafe-store")
        assert all(option["type"] == 1 for option in store["options"])  # sub-commands, not one `text` field
        subs = {sub["name"]: sub for sub in store["options"]}
        assert list(subs) == ["show", "strike", "close", "reinstate", "refer", "referral", "list"]
        assert all(sub["type"] == 1 for sub in subs.values())
        strike = [(o["name"], o["type"], o["required"]) for o in subs["strike"]["options"]]
        assert strike == [("link", 3, True), ("note", 3, False), ("text", 3, False)]
        answer = next(o for o in subs["referral"]["options"] if o["name"] == "answer")
        assert answer["required"] and [c["value"] for c in answer["choices"]] == ["accepted", "declined"]

    run(scenario())
    from storage.models import Strike

    with env.database.transaction() as session:
        strikes = session.exec(select(Strike)).all()
        assert [(strike.note, strike.recorded_by) for strike in strikes] == [(note, f"discord:{TEAM}")]


# -- the largest answers ----------------------------------------------------------------------------

# Discord's string options take at most 6,000 characters ("Application Commands", max_length), so
# 340 links reach Discord as a file; the filing's answer is given here through the client as it
# gives any answer, for a command that names what was filed.
FILED_AS_FILE = "links.csv"


class Replaying(Router):
    """The real router, which gives `replayed` as the answer to a command naming `FILED_AS_FILE`."""

    replayed: Reply | None = None

    def handle(self, incoming: Incoming) -> Reply:
        typed = incoming.args.text if incoming.args is not None else incoming.text
        if self.replayed is not None and FILED_AS_FILE in typed:
            return self.replayed
        return super().handle(incoming)


def discord_command(line: str) -> tuple[str, list[dict[str, Any]]]:
    """The `/marketsafe-<word> [<sub-command>]` path of a command line and its options: the
    required ones from its first words, the rest as its text."""
    resolved = resolve(line)
    assert resolved is not None, line
    word, *tail = resolved.spec.path
    path = word if not (subcommands(word) or word in GROUPS) else " ".join([word, *(tail or [word])])
    words = resolved.rest.split()
    options = []
    for option in resolved.spec.options:
        if option.required and not option.keyword:
            options.append({"name": option.name, "value": words.pop(0)})
    if words:
        options.append({"name": "text", "value": " ".join(words)})
    return path, options


def discord_shown(messages: list[dict[str, Any]]) -> str:
    """What the messages show, in order, as typed: a field continued from the one before shows its
    value only, and mentions and links are read without their escapes."""
    parts = []
    for message in messages:
        assert message_refusal(message) is None
        parts.append(message["content"])
        for embed in message["embeds"]:
            for item in embed.get("fields", []):
                if not item["name"].endswith("(continued)"):
                    parts.append(item["name"])
                parts.append(item["value"])
            parts.append(embed.get("description") or "")
    return "\n".join(parts).replace("\u200b", "").replace("\\[", "[").replace("\\]", "]")


async def answered(fake: FakeDiscord, user: int, line: str, channel_id: int) -> list[dict[str, Any]]:
    """Run a command line as its slash command; every message of the answer, once no more come."""
    before = len(fake.messages_in(channel_id))
    interaction = fake.slash_command(user, *invoked(*discord_command(line)), channel_id=channel_id)
    await fake.wait_for_async("POST", f"/interactions/{interaction}/")
    count = -1
    while count != len(fake.messages_in(channel_id)) or any(
        m["flags"] & 128 for m in fake.messages_in(channel_id)[before:]
    ):  # later messages follow the first; a deferred answer is still loading
        count = len(fake.messages_in(channel_id))
        await asyncio.sleep(0.3)
    return fake.messages_in(channel_id)[before:]


def test_the_largest_answers_and_notices_arrive_whole(database: Database, clock: FakeClock) -> None:
    rival = 412_345_678_901_234_504
    with FakeDiscord() as fake:
        fake.use_for()
        router = Replaying(database, ProgramRules(), frozenset({"console:operator", f"discord:{ADMIN}"}), clock=clock)
        env = Discord(fake, router, database, clock)
        env.program()
        admin, brand, team, beta = (Caller("discord", str(user)) for user in (ADMIN, BRAND, TEAM, rival))
        people = People(admin, brand, team, beta, lambda n: Caller("discord", str(500_000_000_000_000_000 + n)))
        build(router, people, str(fake.team_channel_id), "discord")
        filing = router.handle(Incoming(brand, "complaint " + big_paste()))
        assert filing.text == f"Registered 300 items in {BIG_CASE} (300 Taobao listings)."
        file_open_cases(router, people)
        users = {"brand": BRAND, "team": TEAM}
        where = fake.brand_channel_id
        expected = {line: router.handle(Incoming(Caller("discord", str(users[who])), line)) for who, line in ASKED}
        router.replayed = filing

        async def scenario() -> None:
            async with running(env) as (client, _):
                shown = discord_shown(await answered(fake, BRAND, f"complaint {FILED_AS_FILE}", where))
                assert list(missing(filing, shown)) == []
                item_pages = ""
                for who, line in ASKED:
                    shown = discord_shown(await answered(fake, users[who], line, where))
                    assert list(missing(expected[line], shown)) == [], line
                    item_pages += shown if line.startswith("case ") else ""
                assert all(listing(n) in item_pages for n in range(NEW_LINKS))

                # From here on a worker posts what is new: the agenda, a case, long thread messages.
                worker = DeliveryWorker(database, DiscordPoster(client, timeout=10), clock=clock)
                await asyncio.to_thread(worker.start, skip_history=True)
                with database.transaction() as session:
                    (meeting,) = session.exec(select(Milestone).where(Milestone.title == chinese_title(0))).all()
                    (agenda,) = meeting_agenda_notices(session, meeting, clock(), ProgramRules().timezone)
                    save_notices(session, [agenda], clock())
                before = len(fake.messages_in(fake.team_channel_id))
                await asyncio.to_thread(worker.run_once)
                posted_agenda = fake.messages_in(fake.team_channel_id)[before:]
                agenda_reply = Reply(agenda.text, fields=list(agenda.fields))
                assert list(missing(agenda_reply, discord_shown(posted_agenda))) == []

                reply = ephemeral(await command(fake, BRAND, "complaint", "https://item.taobao.com/item.htm?id=424242"))
                case = reply["content"].split(" in ")[1].split(" ")[0]
                await asyncio.to_thread(worker.run_once)
                (team_message,) = [m for m in posted(fake, fake.team_channel_id) if case in m["content"]]
                (brand_message,) = [m for m in posted(fake, fake.brand_channel_id) if case in m["content"]]
                team_thread, brand_thread = int(team_message["id"]), int(brand_message["id"])

                # A Nitro member's 4,000 characters, and 5,000 written on Slack, reach the team whole.
                nitro = "\n\n".join(f"Paragraph {n}: " + " ".join(f"w{n}.{k}" for k in range(70)) for n in range(9))
                nitro = nitro[: limits.MAX_NITRO_CONTENT]
                fake.message(BRAND, nitro, channel_id=brand_thread)
                await deliver_until(worker, lambda: len(fake.messages_in(team_thread)) >= 2)
                with database.transaction() as session:
                    slack_side = "Long note from Slack. " * (THREAD_MESSAGE // 22 + 1)
                    save_notices(
                        session,
                        [Notice(channel="team", text=slack_side, case_id=case, kind=NoticeKind.CASE_MESSAGE)],
                        clock(),
                    )
                await deliver_until(worker, lambda: compact(slack_side) in compact(discord_shown(
                    fake.messages_in(team_thread)
                )))  # fmt: skip
                relayed = discord_shown(fake.messages_in(team_thread))
                assert compact(nitro) in compact(relayed)
                assert len(fake.messages_in(team_thread)) >= 5  # 4,000 and 5,000 characters, 2,000 a message

        asyncio.run(asyncio.wait_for(scenario(), 180))


def test_a_long_notice_stopped_half_way_goes_on_after_a_restart_and_posts_no_part_twice(env: Discord) -> None:
    env.program()
    paragraphs = [f"Paragraph {n}: " + " ".join(f"w{n}.{k}" for k in range(250)) for n in range(4)]
    text = "\n\n".join(paragraphs)
    channel = env.fake.team_channel_id
    path = f"/channels/{channel}/messages"
    posts = 0

    def second_post(call: Call) -> bool:
        nonlocal posts
        posts += call.method == "POST" and call.path == path
        return call.method == "POST" and call.path == path and posts == 2

    async def scenario() -> list[dict[str, Any]]:
        async with running(env) as (client, worker):
            write(env, "team", text)
            env.fake.fail_with(second_post, Failure(lambda: json_response({"message": "503", "code": 0}, 503)))
            assert await asyncio.to_thread(worker.run_once) == 0  # Discord was unavailable after the first part
            assert len(posted(env.fake, channel)) == 1
            restarted = DeliveryWorker(env.database, DiscordPoster(client, timeout=10), clock=env.clock)
            env.clock.advance(seconds=60)
            assert await asyncio.to_thread(restarted.run_once) == 1
            return posted(env.fake, channel)

    messages = asyncio.run(asyncio.wait_for(scenario(), 30))
    assert [m["content"] for m in messages] == split_text(text, limits.MAX_CONTENT)
    assert len(messages) == 4
    nonces = [call.json.get("nonce") for call in env.fake.calls_to("POST", path)]
    assert nonces == ["msd1.0", "msd1.1", "msd1.1", "msd1.2", "msd1.3"]  # the part refused once, sent again
    assert env.fake.calls_to("GET", path), "the restarted worker looked for what was posted"


def test_an_answer_discord_refuses_reaches_the_user_as_a_short_answer_naming_a_reference(
    env: Discord, caplog: pytest.LogCaptureFixture
) -> None:
    async def scenario() -> list[Call]:
        async with running(env):
            env.fake.fail_next("POST", "/interactions/", status=400)
            interaction = env.fake.slash_command(BRAND, *invoked("help", []))
            return await env.fake.wait_for_async("POST", f"/interactions/{interaction}/", count=2)

    refused, told = asyncio.run(asyncio.wait_for(scenario(), 30))
    assert "MarketSafe commands" in refused.json["data"]["content"]
    short = ephemeral(told)["content"]
    assert short.startswith("⚠ That answer could not be shown (Discord refused it, code 0); reference ")
    reference = short.rsplit(" ", 1)[-1].rstrip(".")
    assert any(reference in r.getMessage() and r.levelname == "WARNING" for r in caplog.records)


def test_a_thread_message_that_cannot_be_relayed_is_answered_under_it(env: Discord) -> None:
    env.program()
    stranger = 412_345_678_901_234_598

    async def scenario() -> tuple[list[dict[str, Any]], list[dict[str, Any]], int]:
        async with running(env) as (_, worker):
            team, brand = await file_case(env, worker)
            written = env.fake.message(stranger, "Is this our listing?", channel_id=int(brand["id"]))
            await until(lambda: len(posted(env.fake, int(brand["id"]))) >= 2)
            await asyncio.to_thread(worker.run_once)
            return posted(env.fake, int(team["id"])), posted(env.fake, int(brand["id"])), written

    to_team, in_brand_thread, written = asyncio.run(asyncio.wait_for(scenario(), 30))
    answer = in_brand_thread[-1]
    assert answer["author"]["bot"] and answer["content"].startswith("⚠")
    assert answer["message_reference"]["message_id"] == str(written)
    assert not any("our listing" in m["content"] for m in to_team)


def dm_messages(fake: FakeDiscord, user: int) -> list[dict[str, Any]]:
    dm = fake.dm_channel_of(user)
    return fake.messages_in(int(dm["id"])) if dm else []


def test_an_export_reaches_the_caller_by_direct_message_with_only_their_cases(env: Discord) -> None:
    env.program()
    stranger = 412_345_678_901_234_509
    for line in ('admin org add globex "Globex Ltd" country=GB', f"admin member add discord:{stranger} globex member"):
        assert not env.router.handle(Incoming(OPERATOR, line)).is_error

    async def scenario() -> None:
        async with running(env) as (_, worker):
            await file_case(env, worker)
            exported = ephemeral(await subcommand(env.fake, BRAND, "export", "cases", format="csv"))
            assert "Exported 2 items" in exported["content"]
            await until(lambda: bool(dm_messages(env.fake, BRAND)))
            empty = ephemeral(await subcommand(env.fake, stranger, "export", "cases"))
            assert "No cases match" in empty["content"]

        (message,) = dm_messages(env.fake, BRAND)
        (attachment,) = message["attachments"]
        assert attachment["filename"].startswith("cases-acme-") and attachment["filename"].endswith(".csv")
        text = env.fake.attachment_bytes(attachment).decode("utf-8-sig")
        assert [line.split(",")[0] for line in text.splitlines()[1:]] == [CASE, CASE]
        assert env.fake.dm_channel_of(stranger) is None


# -- languages ---------------------------------------------------------------------------------------


def test_a_team_member_whose_discord_language_is_chinese_reads_chinese_and_the_brand_english(env: Discord) -> None:
    env.program()
    reply = env.router.handle(Incoming(OPERATOR, f"admin channel team discord {env.fake.team_channel_id} lang=zh"))
    assert not reply.is_error, reply.text
    env.fake.locales[TEAM] = "zh-CN"  # the interaction's `locale`, as Discord sends the user's language

    async def scenario() -> None:
        async with running(env) as (_client, worker):
            team, brand = await file_case(env, worker)
            team_text = json.dumps(team, ensure_ascii=False)
            assert f"新案件 {CASE}，来自 ACME Corp：2 个Taobao商品链接" in team_text
            assert "https://item.taobao.com/item.htm?id=1001" in team_text
            assert f"Case {CASE} registered: 2 Taobao listings." in json.dumps(brand, ensure_ascii=False)
            recorded = ephemeral(await command(env.fake, TEAM, "outcome", f"{CASE} all removed"))
            assert recorded["content"] == f"{CASE}：第 1-2 项现为 removed；案件状态为 actioned。"
            refused = ephemeral(await command(env.fake, BRAND, "outcome", f"{CASE} all removed"))
            assert "Only the IACC/Alibaba team can record outcomes." in refused["content"]

    run(scenario())


def test_a_file_over_discords_limit_is_not_sent_and_the_caller_is_told(
    env: Discord, monkeypatch: pytest.MonkeyPatch
) -> None:
    env.program()
    monkeypatch.setattr("bot.discord.uploads.MAX_FILE_BYTES", 100)

    async def scenario() -> None:
        async with running(env) as (_, worker):
            await file_case(env, worker)
            interaction = env.fake.slash_command(BRAND, *invoked("export cases", []))
            calls = await env.fake.wait_for_async("POST", "/webhooks/", 1)
            assert "over Discord's 100 for a file, so it was not sent" in calls[0].json["content"]
            assert calls[0].json["flags"] == 64
            assert interaction

        assert env.fake.dm_channel_of(BRAND) is None

    run(scenario())


def test_a_stats_chart_reaches_the_caller_by_direct_message_as_a_png(env: Discord) -> None:
    env.program()

    async def scenario() -> None:
        async with running(env) as (_, worker):
            await file_case(env, worker)
            answer = ephemeral(await subcommand(env.fake, BRAND, "stats", "chart", months="3"))
            assert "the chart is in stats-acme-" in answer["content"]
            await until(lambda: bool(dm_messages(env.fake, BRAND)))

        (message,) = dm_messages(env.fake, BRAND)
        (attachment,) = message["attachments"]
        assert attachment["filename"].endswith(".png") and "ACME Corp" in attachment["description"]
        assert env.fake.attachment_bytes(attachment).startswith(b"\x89PNG\r\n\x1a\n")


def test_command_descriptions_are_synced_in_chinese_for_zh_cn_and_zh_tw_and_names_stay(env: Discord) -> None:
    async def scenario() -> None:
        async with running(env):
            commands = {command["name"]: command for command in env.fake.commands()}
            help_command = commands["marketsafe-help"]
            assert help_command["description"] == "list the commands, or show how to use one"
            assert help_command["description_localizations"] == {
                "zh-CN": "列出所有命令，或查看某个命令的用法",
                "zh-TW": "列出所有命令，或查看某个命令的用法",
            }
            # Slash commands' names stay; a message command's name is its label in the menu, translated.
            assert all(not command.get("name_localizations") for command in commands.values() if command["type"] == 1)
            options = {option["name"]: option for option in commands["marketsafe-lang"]["options"]}
            language = options["language"]
            assert language["description_localizations"]["zh-CN"] == "zh、en 或 auto（跟随您的 Slack 或 Discord 语言）"

    run(scenario())


# -- filing from any message: the "File as complaint" message command ---------------------------------

MENU = "File as complaint"
SHOWN_MESSAGE = (
    "Found fakes of our 2026 line: https://item.taobao.com/item.htm?id=1001 and "
    "<https://detail.tmall.com/item.htm?spm=a1&id=2002> (same seller), plus m.tb.cn/h.5xYz. @here please look"
)
MESSAGE_LINKS = ["https://item.taobao.com/item.htm?id=1001", "https://detail.tmall.com/item.htm?spm=a1&id=2002",
                 "m.tb.cn/h.5xYz"]  # fmt: skip


async def use_menu(fake: FakeDiscord, user: int, message_id: int) -> Call:
    interaction = fake.message_command(user, MENU, message_id)
    (answer,) = await fake.wait_for_async("POST", f"/interactions/{interaction}/")
    return answer


def test_file_as_complaint_is_a_message_command_that_opens_the_form_with_the_links_and_files_them(
    env: Discord,
) -> None:
    env.program()

    async def scenario() -> None:
        async with running(env):
            (menu,) = [c for c in env.fake.commands() if c["type"] == 3]
            assert menu["name"] == MENU and not menu.get("description") and not menu.get("options")
            assert menu["name_localizations"]["zh-CN"] != MENU  # named in Chinese for Chinese readers
            said = env.fake.message(TEAM, SHOWN_MESSAGE, channel_id=env.fake.brand_channel_id)
            opened = await use_menu(env.fake, BRAND, said)
            assert opened.json["type"] == 9, opened.json
            modal = opened.json["data"]
            fields = inputs(modal)
            assert modal["title"] == "File a complaint"
            assert fields["links"]["value"].split("\n") == MESSAGE_LINKS
            values = {name: str(field.get("value") or "") for name, field in fields.items()}
            filed = ephemeral(
                await submit(
                    env.fake,
                    BRAND,
                    modal["custom_id"],
                    {**values, "reason": "counterfeit"},
                    channel_id=env.fake.brand_channel_id,
                )
            )
        assert "Registered 2 items in MS-000001 (1 Taobao listing), MS-000002 (1 Tmall listing)" in filed["content"]
        assert "m.tb.cn/h.5xYz" in str(filed), filed  # the short link held and reported

    run(scenario())


def test_file_as_complaint_by_a_member_without_a_verified_right_gets_the_explanation(env: Discord) -> None:
    env.program()
    other = 412_345_678_901_234_599
    beta = ('admin org add beta "Beta Ltd" country=US size=small', f"admin member add discord:{other} beta member")
    for line in beta:
        assert not env.router.handle(Incoming(OPERATOR, line)).is_error

    async def scenario() -> None:
        async with running(env):
            said = env.fake.message(TEAM, SHOWN_MESSAGE, channel_id=env.fake.brand_channel_id)
            refused = ephemeral(await use_menu(env.fake, other, said))
        assert "Beta Ltd has no verified IP right yet" in refused["content"], refused

    run(scenario())


def test_a_message_whose_links_do_not_fit_the_form_is_answered_with_how_to_file_them(env: Discord) -> None:
    env.program()
    links = [f"https://item.taobao.com/item.htm?id={4_000_000 + n}" for n in range(80)]

    async def scenario() -> None:
        async with running(env):
            said = env.fake.message(TEAM, " ".join(links), channel_id=env.fake.brand_channel_id)
            refused = ephemeral(await use_menu(env.fake, BRAND, said))
        shown = str(refused)
        assert f"holds 80 links ({len(chr(10).join(links)):,} characters)" in shown, shown
        assert "(3,000 characters)" in shown and "CSV file" in shown, shown

    run(scenario())
    with env.database.transaction() as session:
        from storage.models import Complaint

        assert session.exec(select(Complaint)).all() == []


def test_the_fake_refuses_message_commands_discord_would(env: Discord) -> None:
    import httpx

    url = f"{env.fake.api_url}/applications/{env.fake.application_id}/guilds/{env.fake.guild_id}/commands"
    headers = {"Authorization": f"Bot {TOKEN}"}

    def put(commands: list[dict[str, Any]]) -> httpx.Response:
        return httpx.put(url, json=commands, headers=headers, trust_env=False)

    assert put([{"name": "x" * 33, "type": 3}]).status_code == 400
    assert put([{"name": MENU, "type": 3, "description": "files it"}]).status_code == 400
    option = {"name": "a", "type": 3, "description": "a"}
    assert put([{"name": MENU, "type": 3, "options": [option]}]).status_code == 400
    assert put([{"name": f"Menu {n}", "type": 3} for n in range(6)]).json()["code"] == 30032
    assert put([{"name": f"Menu {n}", "type": 3} for n in range(5)]).status_code == 200

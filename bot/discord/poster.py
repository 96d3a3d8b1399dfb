"""Posting outbox notices to Discord from the delivery worker's thread.

The worker is synchronous; the client lives on its own event loop. Each call is scheduled on that
loop with `asyncio.run_coroutine_threadsafe` and waited for. A case's first message in a channel
starts a thread (whose id is the message's), where the case's later notices go.

A notice is posted exactly once. The create is sent once per attempt, by the poster itself rather
than through discord.py (which repeats a create answered 500, 502, 504 or 524, and after a reset
connection, on its own): every retry is the worker's. Each create carries a nonce made from the
notice, with `enforce_nonce`, so Discord answers a repeated create within its dedupe window with
the message it already has. An attempt whose answer was lost is followed by a lookup of the bot's
messages since that attempt began, before anything is posted again.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Coroutine
from datetime import timedelta
from typing import Any, Literal, TypeVar

import aiohttp
import discord
from discord.http import handle_message_parameters
from discord.utils import time_snowflake

from bot.delivery import RetryLater, Target
from bot.discord.render import Rendered, render
from handlers.kit.outbox import NoticePayload
from storage.models import OutboxNotice

T = TypeVar("T")
TIMEOUT = 30.0
HISTORY = 50
THREAD_ARCHIVE_MINUTES: Literal[60, 1440, 4320, 10080] = 10080  # a week
# A lookup reads from this long before the first attempt, for clocks that disagree with Discord's.
CLOCK_MARGIN = timedelta(minutes=1)
# "nonce: integer or string ... (up to 25 characters)" (resources/message.mdx, Create Message).
MAX_NONCE = 25
# Discord's error code for a thread already started from the message.
THREAD_ALREADY_CREATED = 160004


def nonce_of(notice: OutboxNotice, platform: str = "discord", part: int = 0) -> str:
    """The create's nonce: the same for every attempt at one part of one notice on one platform."""
    nonce = f"ms{platform[:1]}{notice.id}.{part}"
    assert len(nonce) <= MAX_NONCE
    return nonce


class DiscordRefused(Exception):
    """Discord answered a create with an error (after a 5xx it may have kept the message)."""

    def __init__(self, status: int, body: object) -> None:
        super().__init__(f"Discord answered {status}: {str(body)[:200]}")
        self.status = status


class DiscordPoster:
    platform = "discord"

    def __init__(self, client: discord.Client, *, timeout: float = TIMEOUT) -> None:
        self.client = client
        self.timeout = timeout

    def post(self, notice: OutboxNotice, payload: NoticePayload, target: Target) -> str:
        return self._call(self._post(notice, _rendered(notice, payload), target))

    def update(self, notice: OutboxNotice, payload: NoticePayload, target: Target) -> str:
        assert target.thread_ref is not None
        return self._call(self._update(_rendered(notice, payload), target))

    def find_posted(self, notice: OutboxNotice, payload: NoticePayload, target: Target) -> str | None:
        """A message of the bot's with this notice's content, where it would have been posted, since
        the first attempt began (every page of them)."""
        return self._call(self._find_posted(notice, _rendered(notice, payload), target))

    # -- on the client's loop --------------------------------------------------------------------

    async def _post(self, notice: OutboxNotice, rendered: Rendered, target: Target) -> str:
        where: discord.abc.Messageable | None = None
        if target.thread_ref is not None:
            # A case's thread; in a direct message (which has no threads) the case's first message.
            with contextlib.suppress(discord.NotFound):
                where = await self._messageable(int(target.thread_ref), user=False)
        if where is None:
            where = await self._messageable(int(target.channel_ref))
        channel = await where._get_channel()
        arguments = rendered.arguments()
        with handle_message_parameters(
            content=arguments["content"],
            embeds=arguments["embeds"],
            view=arguments.get("view", discord.utils.MISSING),
            allowed_mentions=arguments["allowed_mentions"],
            nonce=nonce_of(notice),
        ) as parameters:
            created = await self._create(f"/channels/{channel.id}/messages", parameters.payload or {})
        message_id = str(created["id"])
        await self._start_thread(notice, target, channel, message_id)
        return message_id

    async def _start_thread(
        self, notice: OutboxNotice, target: Target, channel: discord.abc.Messageable, message_id: str
    ) -> None:
        """A case's first message in a text channel starts the case's thread (once, however often
        this is asked: an earlier attempt may have posted the message, but not started it)."""
        if notice.case_id is not None and target.thread_ref is None and isinstance(channel, discord.TextChannel):
            thread = {"name": notice.case_id[:100], "auto_archive_duration": THREAD_ARCHIVE_MINUTES}
            await self._create(f"/channels/{channel.id}/messages/{message_id}/threads", thread, already=True)

    async def _create(self, path: str, body: dict[str, Any], *, already: bool = False) -> dict[str, Any]:
        """One POST to Discord, never repeated here; with `already`, Discord's "thread already
        created" counts as done (an earlier attempt started it)."""
        http = self.client.http
        headers = {"Authorization": f"Bot {http.token}", "User-Agent": http.user_agent}
        async with (
            aiohttp.ClientSession() as session,
            session.post(discord.http.Route.BASE + path, json=body, headers=headers, proxy=http.proxy) as response,
        ):
            text = await response.text()
            try:
                data = json.loads(text) if text else {}
            except ValueError:
                data = text
            if 200 <= response.status < 300:
                return data if isinstance(data, dict) else {}
            if response.status == 429:
                retry_after = float((data or {}).get("retry_after") or response.headers.get("Retry-After") or 1)
                raise RetryLater(retry_after, "Discord rate limit")
            if already and isinstance(data, dict) and data.get("code") == THREAD_ALREADY_CREATED:
                return data
            raise DiscordRefused(response.status, data)

    async def _update(self, rendered: Rendered, target: Target) -> str:
        assert target.thread_ref is not None
        channel = self.client.get_partial_messageable(int(target.channel_ref))
        arguments = rendered.arguments()
        arguments["view"] = rendered.view  # None removes buttons the summary no longer has
        await channel.get_partial_message(int(target.thread_ref)).edit(**arguments)
        return target.thread_ref

    async def _find_posted(self, notice: OutboxNotice, rendered: Rendered, target: Target) -> str | None:
        try:
            where = await self._messageable(int(target.thread_ref or target.channel_ref))
        except discord.NotFound:
            return None
        content = rendered.content
        me = self.client.user
        if target.attempted_since is None:
            recent = where.history(limit=HISTORY)
        else:
            since = discord.Object(time_snowflake(target.attempted_since - CLOCK_MARGIN))
            recent = where.history(limit=None, after=since, oldest_first=True)
        async for message in recent:
            if me is not None and message.author.id == me.id and message.content == content:
                await self._start_thread(notice, target, message.channel, str(message.id))
                return str(message.id)
        return None

    async def _messageable(self, channel_id: int, *, user: bool = True) -> discord.abc.Messageable:
        """A channel or thread by id; a user's id (a direct message's target) gives their DM
        channel, opened through `POST /users/@me/channels` the first time."""
        channel = self.client.get_channel(channel_id)
        if isinstance(channel, discord.abc.Messageable):
            return channel
        if user:
            cached = self.client.get_user(channel_id)
            if cached is not None and cached.dm_channel is not None:
                return cached.dm_channel
        try:
            fetched = await self.client.fetch_channel(channel_id)
        except discord.NotFound:
            if not user:
                raise
            recipient = self.client.get_user(channel_id) or await self.client.fetch_user(channel_id)
            return await recipient.create_dm()
        assert isinstance(fetched, discord.abc.Messageable)
        return fetched

    def _call(self, coroutine: Coroutine[Any, Any, T]) -> T:
        loop = getattr(self.client, "loop", None)
        if not isinstance(loop, asyncio.AbstractEventLoop) or loop.is_closed() or self.client.is_closed():
            coroutine.close()
            raise RetryLater(5.0, "the Discord client is not connected")
        future = asyncio.run_coroutine_threadsafe(_translated(coroutine), loop)
        return future.result(self.timeout)


async def _translated(coroutine: Coroutine[Any, Any, T]) -> T:
    try:
        return await coroutine
    except discord.RateLimited as limited:
        raise RetryLater(limited.retry_after, "Discord rate limit") from None
    except discord.HTTPException as error:
        if error.status == 429:
            raise RetryLater(5.0, f"Discord answered {error.status}") from None
        raise


def _rendered(notice: OutboxNotice, payload: NoticePayload) -> Rendered:
    return render(notice.text, list(payload.fields), [], list(payload.buttons))

"""Posting outbox notices to Discord from the delivery worker's thread.

The worker is synchronous; the client lives on its own event loop. Each call is scheduled on that
loop with `asyncio.run_coroutine_threadsafe` and waited for. A case's first message in a channel
starts a thread (whose id is the message's), where the case's later notices go.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Coroutine
from typing import Any, Literal, TypeVar

import discord

from bot.delivery import RetryLater, Target
from bot.discord.render import Rendered, render
from handlers.kit.outbox import NoticePayload
from storage.models import OutboxNotice

T = TypeVar("T")
TIMEOUT = 30.0
HISTORY = 50
THREAD_ARCHIVE_MINUTES: Literal[60, 1440, 4320, 10080] = 10080  # a week


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
        """A recent message of the bot's with this notice's content, where it would have been posted."""
        return self._call(self._find_posted(_rendered(notice, payload), target))

    # -- on the client's loop --------------------------------------------------------------------

    async def _post(self, notice: OutboxNotice, rendered: Rendered, target: Target) -> str:
        where: discord.abc.Messageable | None = None
        if target.thread_ref is not None:
            # A case's thread; in a direct message (which has no threads) the case's first message.
            with contextlib.suppress(discord.NotFound):
                where = await self._messageable(int(target.thread_ref), user=False)
        if where is None:
            where = await self._messageable(int(target.channel_ref))
        message = await where.send(**rendered.arguments())
        if notice.case_id is not None and target.thread_ref is None and isinstance(where, discord.TextChannel):
            await message.create_thread(name=notice.case_id[:100], auto_archive_duration=THREAD_ARCHIVE_MINUTES)
        return str(message.id)

    async def _update(self, rendered: Rendered, target: Target) -> str:
        assert target.thread_ref is not None
        channel = self.client.get_partial_messageable(int(target.channel_ref))
        arguments = rendered.arguments()
        arguments["view"] = rendered.view  # None removes buttons the summary no longer has
        await channel.get_partial_message(int(target.thread_ref)).edit(**arguments)
        return target.thread_ref

    async def _find_posted(self, rendered: Rendered, target: Target) -> str | None:
        try:
            where = await self._messageable(int(target.thread_ref or target.channel_ref))
        except discord.NotFound:
            return None
        content = rendered.content
        me = self.client.user
        async for message in where.history(limit=HISTORY):
            if me is not None and message.author.id == me.id and message.content == content:
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
        if error.status == 429 or error.status >= 500:
            raise RetryLater(5.0, f"Discord answered {error.status}") from None
        raise


def _rendered(notice: OutboxNotice, payload: NoticePayload) -> Rendered:
    return render(notice.text, list(payload.fields), [], list(payload.buttons))

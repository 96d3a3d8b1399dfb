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
from bot.discord import limits
from bot.discord.render import Rendered, render_messages
from bot.text_parts import split_text
from handlers.kit.outbox import NoticePayload
from storage.models import OutboxNotice

T = TypeVar("T")
TIMEOUT = 30.0
HISTORY = 50
THREAD_ARCHIVE_MINUTES: Literal[60, 1440, 4320, 10080] = 10080  # a week


class DiscordPoster:
    """Posts a notice as the messages it takes (see `render_messages`), in order. A case's first
    message starts its thread, where the notice's later messages go.

    Each message is sent with a nonce naming the notice and its part, which Discord enforces for a
    few minutes, and a notice whose posting stopped half-way goes on from the first part not
    posted: the parts posted are remembered, and after a restart found in the channel's history
    (`find_posted`), so a retry never posts a part twice."""

    platform = "discord"

    def __init__(self, client: discord.Client, *, timeout: float = TIMEOUT) -> None:
        self.client = client
        self.timeout = timeout
        self._posted_parts: dict[int, list[str]] = {}  # notice id -> ids of its parts posted so far

    def post(self, notice: OutboxNotice, payload: NoticePayload, target: Target) -> str:
        return self._call(self._post(notice, _rendered(notice, payload), target))

    def update(self, notice: OutboxNotice, payload: NoticePayload, target: Target) -> str:
        assert target.thread_ref is not None
        return self._call(self._update(_rendered(notice, payload), target))

    def find_posted(self, notice: OutboxNotice, payload: NoticePayload, target: Target) -> str | None:
        """The first message of this notice when all its messages are already posted; when only
        some are, they are remembered for `post` to go on after them."""
        return self._call(self._find_posted(notice, _rendered(notice, payload), target))

    # -- on the client's loop --------------------------------------------------------------------

    async def _post(self, notice: OutboxNotice, parts: list[Rendered], target: Target) -> str:
        where: discord.abc.Messageable | None = None
        if target.thread_ref is not None:
            # A case's thread; in a direct message (which has no threads) the case's first message.
            with contextlib.suppress(discord.NotFound):
                where = await self._messageable(int(target.thread_ref), user=False)
        if where is None:
            where = await self._messageable(int(target.channel_ref))
        key = notice.id or 0
        posted = self._posted_parts.setdefault(key, [])
        starts_thread = notice.case_id is not None and target.thread_ref is None
        for index, rendered in enumerate(parts):
            if index < len(posted):
                if index == 0 and starts_thread:
                    where = await self._thread_of(where, int(posted[0]), notice)
                continue
            try:
                message = await where.send(nonce=f"ms{key}.{index}", **rendered.arguments())
            except (discord.RateLimited, discord.HTTPException) as error:
                wait = _retry_later(error)
                if wait is None or not posted:
                    raise
                raise RetryLater(wait.seconds, str(wait), partly_posted=True) from None
            posted.append(str(message.id))
            if index == 0 and starts_thread:
                where = await self._thread_of(where, message.id, notice, start=True)
        del self._posted_parts[key]
        return posted[0]

    async def _thread_of(
        self, where: discord.abc.Messageable, message_id: int, notice: OutboxNotice, *, start: bool = False
    ) -> discord.abc.Messageable:
        """The thread started from a case's first message (started now when `start`): where the
        notice's later messages go. A direct message has no threads: they follow in it."""
        if not isinstance(where, discord.TextChannel):
            return where
        assert notice.case_id is not None
        if start:
            return await where.get_partial_message(message_id).create_thread(
                name=notice.case_id[:100], auto_archive_duration=THREAD_ARCHIVE_MINUTES
            )
        return self.client.get_partial_messageable(message_id)

    async def _update(self, parts: list[Rendered], target: Target) -> str:
        """The case's first message replaced with the notice's first message; a summary that needs
        more than one says so in its last line (see `_summary`)."""
        assert target.thread_ref is not None
        channel = self.client.get_partial_messageable(int(target.channel_ref))
        rendered = _summary(parts)
        arguments = rendered.arguments()
        arguments["view"] = rendered.view  # None removes buttons the summary no longer has
        await channel.get_partial_message(int(target.thread_ref)).edit(**arguments)
        return target.thread_ref

    async def _find_posted(self, notice: OutboxNotice, parts: list[Rendered], target: Target) -> str | None:
        try:
            where = await self._messageable(int(target.thread_ref or target.channel_ref))
        except discord.NotFound:
            return None
        found = await self._recent(where, parts[0], after=None)
        if found is None:
            return None
        posted = [found]
        if len(parts) > 1 and notice.case_id is not None and target.thread_ref is None:
            where = await self._thread_of(where, int(found), notice)
        for rendered in parts[1:]:
            following = await self._recent(where, rendered, after=int(posted[-1]))
            if following is None:
                self._posted_parts[notice.id or 0] = posted  # `post` goes on from the next part
                return None
            posted.append(following)
        return posted[0]

    async def _recent(self, where: discord.abc.Messageable, rendered: Rendered, *, after: int | None) -> str | None:
        """The id of the bot's own recent message that says what `rendered` says (after `after`)."""
        me = self.client.user
        async for message in where.history(limit=HISTORY):
            if after is not None and message.id <= after:
                continue
            if me is not None and message.author.id == me.id and _says(message, rendered):
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
    except (discord.RateLimited, discord.HTTPException) as error:
        wait = _retry_later(error)
        if wait is None:
            raise
        raise wait from None


def _retry_later(error: discord.RateLimited | discord.HTTPException) -> RetryLater | None:
    """A rate limit or a passing outage as the wait it asks for; None for a refusal."""
    if isinstance(error, discord.RateLimited):
        return RetryLater(error.retry_after, "Discord rate limit")
    if error.status == 429 or error.status >= 500:
        return RetryLater(5.0, f"Discord answered {error.status}")
    return None


def _rendered(notice: OutboxNotice, payload: NoticePayload) -> list[Rendered]:
    return render_messages(notice.text, list(payload.fields), [], list(payload.buttons), most=None)


def _says(message: discord.Message, rendered: Rendered) -> bool:
    """Whether a posted message shows the same content and embeds as `rendered`."""
    return message.content == rendered.content and [_embed_text(e) for e in message.embeds] == [
        _embed_text(e) for e in rendered.embeds
    ]


def _embed_text(embed: discord.Embed) -> tuple[str, tuple[tuple[str, str], ...]]:
    return embed.description or "", tuple((f.name or "", f.value or "") for f in embed.fields)


def _summary(parts: list[Rendered]) -> Rendered:
    """A case's first message as one message (it is edited in place): a summary longer than that
    keeps its first part and its buttons and says where the rest is shown."""
    if len(parts) == 1:
        return parts[0]
    first = parts[0]
    note = "… the rest of this summary is not shown here: `case` with the case id shows the whole case."
    room = limits.MAX_CONTENT - len(note) - 1
    content = first.content if len(first.content) <= room else split_text(first.content, room)[0]
    rendered = Rendered(f"{content}\n{note}".strip(), first.embeds, parts[-1].view)
    limits.check_message(rendered.payload())
    return rendered

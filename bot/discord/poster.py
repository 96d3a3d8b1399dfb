"""Posting outbox notices to Discord from the delivery worker's thread.

The worker is synchronous; the client lives on its own event loop. Each call is scheduled on that
loop with `asyncio.run_coroutine_threadsafe` and waited for. A case's first message in a channel
starts a thread (whose id is the message's), where the case's later notices go.

A notice is posted exactly once, as the messages it takes (`render_messages`), in order. Each
create is sent once per attempt, by the poster itself rather than through discord.py (which
repeats a create answered 500, 502, 504 or 524, and after a reset connection, on its own): every
retry is the worker's. Each create carries a nonce naming the notice and its part, with
`enforce_nonce`, so Discord answers a repeated create within its dedupe window with the message it
already has. An attempt whose answer was lost is followed by a lookup of the bot's messages since
that attempt began, before anything is posted again, and a notice whose posting stopped half-way
goes on from its first part not posted.
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
from bot.discord import limits
from bot.discord.render import Rendered, render_messages
from bot.text_parts import split_text
from handlers.kit.i18n import _
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
        self._posted_parts: dict[int, list[str]] = {}  # notice id -> ids of its parts posted so far

    def post(self, notice: OutboxNotice, payload: NoticePayload, target: Target) -> str:
        return self._call(self._post(notice, _rendered(notice, payload), target))

    def update(self, notice: OutboxNotice, payload: NoticePayload, target: Target) -> str:
        assert target.thread_ref is not None
        return self._call(self._update(_rendered(notice, payload), target))

    def find_posted(self, notice: OutboxNotice, payload: NoticePayload, target: Target) -> str | None:
        """The first message of this notice when all its messages are already posted (looked for
        among the bot's messages since the first attempt began, every page of them); when only
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
        channel = await where._get_channel()
        key = notice.id or 0
        posted = self._posted_parts.pop(key, [])
        destination = str(channel.id)
        for index, rendered in enumerate(parts):
            if index >= len(posted):
                try:
                    posted.append(await self._send(destination, rendered, nonce_of(notice, self.platform, index)))
                except (RetryLater, DiscordRefused) as error:
                    if not posted:
                        raise
                    self._posted_parts[key] = posted  # the next attempt goes on from here
                    wait = error.seconds if isinstance(error, RetryLater) else 5.0
                    raise RetryLater(wait, str(error), partly_posted=True) from None
            if index == 0 and await self._start_thread(notice, target, channel, posted[0]):
                destination = posted[0]  # a thread started from a message has the message's id
        return posted[0]

    async def _send(self, channel_id: str, rendered: Rendered, nonce: str) -> str:
        arguments = rendered.arguments()
        with handle_message_parameters(
            content=arguments["content"],
            embeds=arguments["embeds"],
            view=arguments.get("view", discord.utils.MISSING),
            allowed_mentions=arguments["allowed_mentions"],
            nonce=nonce,
        ) as parameters:
            created = await self._create(f"/channels/{channel_id}/messages", parameters.payload or {})
        return str(created["id"])

    async def _start_thread(
        self, notice: OutboxNotice, target: Target, channel: discord.abc.Messageable, message_id: str
    ) -> bool:
        """A case's first message in a text channel starts the case's thread (once, however often
        this is asked: an earlier attempt may have posted the message, but not started it).
        Whether the message has a thread, for the notice's later messages."""
        if notice.case_id is not None and target.thread_ref is None and isinstance(channel, discord.TextChannel):
            thread = {"name": notice.case_id[:100], "auto_archive_duration": THREAD_ARCHIVE_MINUTES}
            await self._create(f"/channels/{channel.id}/messages/{message_id}/threads", thread, already=True)
            return True
        return False

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
        found = await self._recent(where, parts[0], after=None, since=target)
        if found is None:
            return None
        first_id, first_channel = found
        posted = [first_id]
        if await self._start_thread(notice, target, first_channel, first_id):
            where = self.client.get_partial_messageable(int(first_id))
        for rendered in parts[1:]:
            following = await self._recent(where, rendered, after=int(posted[-1]), since=target)
            if following is None:
                self._posted_parts[notice.id or 0] = posted  # `post` goes on from the next part
                return None
            posted.append(following[0])
        return posted[0]

    async def _recent(
        self, where: discord.abc.Messageable, rendered: Rendered, *, after: int | None, since: Target
    ) -> tuple[str, discord.abc.Messageable] | None:
        """The bot's own message that says what `rendered` says, posted after `after` (a message
        id) and since the first attempt began, and the channel it is in."""
        me = self.client.user
        start = after
        if since.attempted_since is not None:
            start = max(start or 0, time_snowflake(since.attempted_since - CLOCK_MARGIN))
        if start is None:
            recent = where.history(limit=HISTORY)
        else:
            recent = where.history(limit=None, after=discord.Object(start), oldest_first=True)
        async for message in recent:
            if me is not None and message.author.id == me.id and _says(message, rendered):
                return str(message.id), message.channel
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
    note = _("… the rest of this summary is not shown here: `case` with the case id shows the whole case.")
    room = limits.MAX_CONTENT - len(note) - 1
    content = first.content if len(first.content) <= room else split_text(first.content, room)[0]
    rendered = Rendered(f"{content}\n{note}".strip(), first.embeds, parts[-1].view)
    limits.check_message(rendered.payload())
    return rendered

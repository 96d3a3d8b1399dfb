"""Posting outbox notices to Slack: case messages with their buttons, thread replies, updates.

Every posted message carries the notice id in its metadata, so after a crash between posting
and recording, the worker can find what was already posted instead of posting it twice. The
client makes each call once (see `bot.slack.app.web_client`): every retry is the worker's, and
comes after that lookup.

A direct message's target is the user's id; Slack posts to it but reads history only by the
direct-message channel's id, so the poster opens that conversation first and uses its id.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.delivery import RetryLater, Target
from bot.slack.blocks import Blocks, continued, fallback_text, message_blocks, notice_messages
from handlers.kit.outbox import NoticePayload
from storage.models import OutboxNotice

METADATA_EVENT = "marketsafe_notice"
# Messages per page of a lookup: conversations.history "recommend[s] no more than 200 results at a
# time" (https://api.slack.com/methods/conversations.history, argument `limit`).
PAGE = 200
# A lookup reads from this long before the first attempt, for clocks that disagree with Slack's.
CLOCK_MARGIN = timedelta(minutes=1)
# chat.postMessage is rate limited "Special": Slack "generally allows posting one message per second
# per channel, while also allowing short bursts over that limit"
# (https://api.slack.com/methods/chat.postMessage#rate_limiting, https://api.slack.com/apis/rate-limits).
# The delivery loop spaces a channel's posts by this many seconds.
CHANNEL_INTERVAL = 1.0
# Slack's user ids (members, and members of an Enterprise Grid); channel ids start C, G or D.
USER_ID_PREFIXES = ("U", "W")


class SlackPoster:
    """Posts a notice as the messages it takes (see `notice_messages`), in order; a case's first
    message starts its thread, where the notice's later messages go. Each message's metadata names
    the notice and the part, so a notice whose posting stopped half-way goes on from its first
    part not posted, whether this process remembers the parts it posted or finds them in Slack."""

    platform = "slack"
    channel_interval = CHANNEL_INTERVAL

    def __init__(self, client: WebClient) -> None:
        self.client = client
        self._direct_channels: dict[str, str] = {}
        self._posted_parts: dict[int, list[str]] = {}  # notice id -> ts of its parts posted so far

    def post(self, notice: OutboxNotice, payload: NoticePayload, target: Target) -> str:
        parts = self._messages(notice, payload)
        key = notice.id or 0
        posted = self._posted_parts.setdefault(key, [])
        channel = self._channel(target)
        starts_thread = notice.case_id is not None and target.thread_ref is None
        for index, blocks in enumerate(parts):
            if index < len(posted):
                continue
            thread = posted[0] if starts_thread and posted else target.thread_ref
            try:
                response = self._call(
                    self.client.chat_postMessage,
                    channel=channel,
                    thread_ts=thread,
                    text=_fallback(notice.text, index, len(parts)),
                    blocks=blocks,
                    unfurl_links=False,
                    unfurl_media=False,
                    metadata={"event_type": METADATA_EVENT, "event_payload": _part(notice, index)},
                )
            except RetryLater as wait:
                raise RetryLater(wait.seconds, str(wait), partly_posted=bool(posted)) from None
            posted.append(str(response["ts"]))
        del self._posted_parts[key]
        return posted[0]

    def update(self, notice: OutboxNotice, payload: NoticePayload, target: Target) -> str:
        assert target.thread_ref is not None
        self._call(
            self.client.chat_update,
            channel=self._channel(target),
            ts=target.thread_ref,
            text=fallback_text(notice.text),
            blocks=message_blocks(notice.text, list(payload.fields), [], list(payload.buttons)),
        )
        return target.thread_ref

    def find_posted(self, notice: OutboxNotice, payload: NoticePayload, target: Target) -> str | None:
        """The ts of the notice's first message when all its messages are already posted (looked
        up after a restart or a lost answer); when only some are, they are remembered for `post` to
        go on after them. Only messages since the first attempt are read, every page of them: a
        busy channel's hundreds of newer messages cannot hide them."""
        count = len(self._messages(notice, payload))
        channel = self._channel(target)
        found = self._find_parts(notice, channel, target.thread_ref, target)
        if count > 1 and 0 in found and notice.case_id is not None and target.thread_ref is None:
            found.update(self._find_parts(notice, channel, found[0], target))  # its later parts are in its thread
        posted = []
        for index in range(count):
            if index not in found:
                break
            posted.append(found[index])
        if len(posted) == count:
            return posted[0]
        if posted:
            self._posted_parts[notice.id or 0] = posted
        return None

    def _find_parts(self, notice: OutboxNotice, channel: str, thread: str | None, target: Target) -> dict[int, str]:
        where: dict[str, Any] = {"channel": channel, "include_all_metadata": True, "limit": PAGE}
        if target.attempted_since is not None:
            where["oldest"] = f"{(target.attempted_since - CLOCK_MARGIN).timestamp():.6f}"
        read: Callable[..., Any] = self.client.conversations_history
        if thread:
            read, where["ts"] = self.client.conversations_replies, thread
        found: dict[int, str] = {}
        cursor = None
        while True:
            response = self._call(read, **where, **({"cursor": cursor} if cursor else {}))
            for message in response.get("messages") or []:
                metadata = message.get("metadata") or {}
                event = metadata.get("event_payload") or {}
                if metadata.get("event_type") == METADATA_EVENT and event.get("notice_id") == notice.id:
                    found.setdefault(int(event.get("part") or 0), str(message["ts"]))
            cursor = (response.get("response_metadata") or {}).get("next_cursor")
            if not (response.get("has_more") and cursor):
                return found

    @staticmethod
    def _messages(notice: OutboxNotice, payload: NoticePayload) -> list[Blocks]:
        return notice_messages(notice.text, list(payload.fields), list(payload.buttons))

    def _channel(self, target: Target) -> str:
        """The channel id to post in and look up: a user's id gives their direct-message channel."""
        reference = target.channel_ref
        if not reference.startswith(USER_ID_PREFIXES):
            return reference
        if reference not in self._direct_channels:
            opened = self._call(self.client.conversations_open, users=reference)
            self._direct_channels[reference] = str(opened["channel"]["id"])
        return self._direct_channels[reference]

    @staticmethod
    def _call(method: Any, **arguments: Any) -> Any:
        try:
            return method(**arguments)
        except SlackApiError as error:
            if error.response.status_code == 429:
                wait = float(error.response.headers.get("Retry-After", "1"))
                raise RetryLater(wait, "Slack rate limit") from None
            raise


def _part(notice: OutboxNotice, index: int) -> dict[str, Any]:
    """A message's metadata: its notice, and which of the notice's messages it is (the first has no number)."""
    return {"notice_id": notice.id, "part": index} if index else {"notice_id": notice.id}


def _fallback(text: str, index: int, count: int) -> str:
    return fallback_text(text) if index == 0 else continued(index, count)

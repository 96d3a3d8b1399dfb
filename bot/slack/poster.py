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
from bot.slack.blocks import fallback_text, message_blocks
from handlers.kit.outbox import NoticePayload
from storage.models import OutboxNotice

METADATA_EVENT = "marketsafe_notice"
# Messages per page of a lookup: conversations.history "recommend[s] no more than 200 results at a
# time" (https://api.slack.com/methods/conversations.history, argument `limit`).
PAGE = 200
# A lookup reads from this long before the first attempt, for clocks that disagree with Slack's.
CLOCK_MARGIN = timedelta(minutes=1)
# Slack's user ids (members, and members of an Enterprise Grid); channel ids start C, G or D.
USER_ID_PREFIXES = ("U", "W")


class SlackPoster:
    platform = "slack"

    def __init__(self, client: WebClient) -> None:
        self.client = client
        self._direct_channels: dict[str, str] = {}

    def post(self, notice: OutboxNotice, payload: NoticePayload, target: Target) -> str:
        response = self._call(
            self.client.chat_postMessage,
            channel=self._channel(target),
            thread_ts=target.thread_ref,
            text=fallback_text(notice.text),
            blocks=self._blocks(notice, payload),
            unfurl_links=False,
            unfurl_media=False,
            metadata={"event_type": METADATA_EVENT, "event_payload": {"notice_id": notice.id}},
        )
        return str(response["ts"])

    def update(self, notice: OutboxNotice, payload: NoticePayload, target: Target) -> str:
        assert target.thread_ref is not None
        self._call(
            self.client.chat_update,
            channel=self._channel(target),
            ts=target.thread_ref,
            text=fallback_text(notice.text),
            blocks=self._blocks(notice, payload),
        )
        return target.thread_ref

    def find_posted(self, notice: OutboxNotice, payload: NoticePayload, target: Target) -> str | None:
        """The ts of a message already posted for this notice, if any (looked up after a restart or a
        lost answer). Only messages since the first attempt are read, every page of them: a busy
        channel's hundreds of newer messages cannot hide it."""
        where: dict[str, Any] = {"channel": self._channel(target), "include_all_metadata": True, "limit": PAGE}
        if target.attempted_since is not None:
            where["oldest"] = f"{(target.attempted_since - CLOCK_MARGIN).timestamp():.6f}"
        read: Callable[..., Any] = self.client.conversations_history
        if target.thread_ref:
            read, where["ts"] = self.client.conversations_replies, target.thread_ref
        cursor = None
        while True:
            response = self._call(read, **where, **({"cursor": cursor} if cursor else {}))
            for message in response.get("messages") or []:
                metadata = message.get("metadata") or {}
                event = metadata.get("event_payload") or {}
                if metadata.get("event_type") == METADATA_EVENT and event.get("notice_id") == notice.id:
                    return str(message["ts"])
            cursor = (response.get("response_metadata") or {}).get("next_cursor")
            if not (response.get("has_more") and cursor):
                return None

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
    def _blocks(notice: OutboxNotice, payload: NoticePayload) -> list[dict[str, Any]]:
        return message_blocks(notice.text, list(payload.fields), [], list(payload.buttons))

    @staticmethod
    def _call(method: Any, **arguments: Any) -> Any:
        try:
            return method(**arguments)
        except SlackApiError as error:
            if error.response.status_code == 429:
                wait = float(error.response.headers.get("Retry-After", "1"))
                raise RetryLater(wait, "Slack rate limit") from None
            raise

"""Posting outbox notices to Slack: case messages with their buttons, thread replies, updates.

Every posted message carries the notice id in its metadata, so after a crash between posting
and recording, the worker can find what was already posted instead of posting it twice. The
client makes each call once (see `bot.slack.app.web_client`): every retry is the worker's, and
comes after that lookup.

A direct message's target is the user's id; Slack posts to it but reads history only by the
direct-message channel's id, so the poster opens that conversation first and uses its id.
"""

from __future__ import annotations

from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.delivery import RetryLater, Target
from bot.slack.blocks import fallback_text, message_blocks
from handlers.kit.outbox import NoticePayload
from storage.models import OutboxNotice

METADATA_EVENT = "marketsafe_notice"
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
        """The ts of a message already posted for this notice, if any (looked up after a restart)."""
        where: dict[str, Any] = {"channel": self._channel(target), "include_all_metadata": True, "limit": 200}
        if target.thread_ref:
            response = self._call(self.client.conversations_replies, ts=target.thread_ref, **where)
        else:
            response = self._call(self.client.conversations_history, **where)
        for message in response.get("messages") or []:
            metadata = message.get("metadata") or {}
            event = metadata.get("event_payload") or {}
            if metadata.get("event_type") == METADATA_EVENT and event.get("notice_id") == notice.id:
                return str(message["ts"])
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

"""Sends a bot endpoint signed requests shaped like Slack's own.

The bodies start from the templates in `slack_payloads/` (Slack's documented payloads) and are
signed the way Slack signs them: `X-Slack-Signature: v0=HMAC-SHA256(secret, "v0:{ts}:{body}")`.
Given a `FakeSlack`, a block action carries the message the fake holds at that timestamp, a view
submission the view the fake opened under that ID, and response URLs point at the fake.

    sender = SlackSender(endpoint, SIGNING_SECRET, fake=fake)
    assert sender.slash_command("U0BRAND1", "help").status_code == 200
    fake.wait_for("response_url")
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import itertools
import json
import secrets
import time
import uuid
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx

from support.fake_slack import APP_ID, BOT_ID, BOT_USER_ID, TEAM_DOMAIN, FakeSlack, dm_channel

PAYLOADS = Path(__file__).with_name("slack_payloads")
SLACK_USER_AGENT = "Slackbot 1.0 (+https://api.slack.com/robots)"
FORM = "application/x-www-form-urlencoded"


@cache
def _template_text(name: str) -> str:
    return (PAYLOADS / f"{name}.json").read_text(encoding="utf-8")


def payload_template(name: str) -> dict[str, Any]:
    """A fresh copy of `slack_payloads/<name>.json`."""
    loaded: dict[str, Any] = json.loads(_template_text(name))
    return loaded


def signature(signing_secret: str, timestamp: int | str, body: bytes) -> str:
    """Slack's request signature for `body` sent at `timestamp`."""
    base = f"v0:{timestamp}:".encode() + body
    return "v0=" + hmac.new(signing_secret.encode(), base, hashlib.sha256).hexdigest()


def text_input(value: str | None) -> dict[str, Any]:
    """A plain-text input's entry in `view.state.values`."""
    return {"type": "plain_text_input", "value": value}


def static_select(value: str | None, text: str | None = None) -> dict[str, Any]:
    """A static select's entry in `view.state.values` (None: nothing selected)."""
    if value is None:
        return {"type": "static_select", "selected_option": None}
    option = {"text": {"type": "plain_text", "text": text or value, "emoji": True}, "value": value}
    return {"type": "static_select", "selected_option": option}


def channel_name(channel_id: str) -> str:
    """The `channel_name` Slack sends for a channel ID."""
    if channel_id.startswith("D"):
        return "directmessage"
    if channel_id.startswith("G"):
        return "privategroup"
    return channel_id.lower()


def channel_type(channel_id: str) -> str:
    """The `channel_type` of a message event in `channel_id`."""
    return {"D": "im", "G": "group"}.get(channel_id[:1], "channel")


class SlackSender:
    """Posts signed Slack requests (commands, interactions, events) to one bot endpoint."""

    def __init__(
        self,
        endpoint: str,
        signing_secret: str,
        *,
        team_id: str = "T0TEAM",
        fake: FakeSlack | None = None,
        client: httpx.Client | None = None,
    ) -> None:
        """`client` shares one connection pool between calls (load tests); by default each call
        opens its own connection, as Slack does."""
        self.client = client
        self.endpoint = endpoint
        self.signing_secret = signing_secret
        self.team_id = team_id
        self.fake = fake
        self._serial = itertools.count(1)
        self._commands = itertools.count(1)
        self._actions = itertools.count(1)

    # -- raw ---------------------------------------------------------------------------------

    def post(
        self,
        body: bytes,
        content_type: str,
        *,
        timestamp: int | None = None,
        signature: str | None = None,
        extra_headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        """POST `body` signed for now (or for `timestamp`), unless `signature` is given."""
        sent_at = int(time.time()) if timestamp is None else timestamp
        headers = {
            "Content-Type": content_type,
            "User-Agent": SLACK_USER_AGENT,
            "X-Slack-Request-Timestamp": str(sent_at),
            "X-Slack-Signature": signature or _sign(self.signing_secret, sent_at, body),
        }
        headers.update(extra_headers or {})
        if self.client is not None:
            return self.client.post(self.endpoint, content=body, headers=headers)
        return httpx.post(self.endpoint, content=body, headers=headers, timeout=10.0, trust_env=False)

    # -- slash commands and interactions ------------------------------------------------------

    def slash_command(
        self,
        user_id: str,
        text: str,
        *,
        channel_id: str = "C0BRAND",
        command: str = "/marketsafe",
        trigger_id: str | None = None,
        response_url: str | None = None,
        retry_num: int | None = None,
    ) -> httpx.Response:
        """Run `command text` as `user_id` in `channel_id`."""
        number = next(self._commands)
        fields = payload_template("slash_command")
        fields.update(
            team_id=self.team_id,
            team_domain=TEAM_DOMAIN,
            channel_id=channel_id,
            channel_name=channel_name(channel_id),
            user_id=user_id,
            user_name=self._user_name(user_id),
            command=command,
            text=text,
            api_app_id=APP_ID,
            response_url=response_url or self._response_url("command", number, fields["response_url"]),
            trigger_id=trigger_id or self._trigger_id(),
        )
        body = urlencode(fields).encode()
        return self.post(body, FORM, extra_headers=_retry_headers(retry_num, "http_timeout"))

    def block_action(
        self,
        user_id: str,
        action_id: str,
        value: str,
        *,
        channel_id: str,
        message_ts: str,
        block_id: str = "case_actions",
        thread_ts: str | None = None,
        response_url: str | None = None,
    ) -> httpx.Response:
        """Click the button `action_id` (carrying `value`) on the message at `message_ts`."""
        number = next(self._actions)
        payload = payload_template("block_actions")
        payload.update(
            user=self._user(user_id),
            api_app_id=APP_ID,
            team={"id": self.team_id, "domain": TEAM_DOMAIN},
            trigger_id=self._trigger_id(),
            channel={"id": channel_id, "name": channel_name(channel_id)},
            response_url=response_url or self._response_url("action", number, payload["response_url"]),
        )
        container: dict[str, Any] = {
            "type": "message",
            "message_ts": message_ts,
            "channel_id": channel_id,
            "is_ephemeral": False,
        }
        held = self.fake.message(channel_id, message_ts) if self.fake else None
        message = held or payload["message"]
        if held is None:
            message["ts"] = message_ts
            message.pop("thread_ts", None)
            if thread_ts:
                message["thread_ts"] = thread_ts
        if thread_ts:
            container["thread_ts"] = thread_ts
        action = _button(message, block_id, action_id) or copy.deepcopy(payload["actions"][0])
        action.update(action_id=action_id, block_id=block_id, value=value, action_ts=_now_ts())
        payload.update(container=container, message=message, actions=[action])
        return self._interaction(payload)

    def view_submission(
        self,
        user_id: str,
        callback_id: str,
        values: dict[str, dict[str, dict[str, Any]]],
        *,
        private_metadata: str | None = None,
        view_id: str | None = None,
    ) -> httpx.Response:
        """Submit the modal `callback_id` with `values` (Slack's `view.state.values` shape).

        With a fake that opened `view_id`, the submitted view is that one (its blocks, title and
        `private_metadata` unless `private_metadata` is given).
        """
        payload = payload_template("view_submission")
        held = self.fake.view(view_id) if self.fake and view_id else None
        view = held or payload["view"]
        if held is None:
            view["id"] = view["root_view_id"] = view_id or f"V{next(self._serial):010d}"
        view.update(callback_id=callback_id, state={"values": copy.deepcopy(values)}, team_id=self.team_id)
        if private_metadata is not None or held is None:
            view["private_metadata"] = private_metadata or ""
        payload.update(
            user=self._user(user_id),
            team={"id": self.team_id, "domain": TEAM_DOMAIN},
            api_app_id=APP_ID,
            trigger_id=self._trigger_id(),
            view=view,
        )
        return self._interaction(payload)

    def message_shortcut(
        self,
        user_id: str,
        callback_id: str,
        text: str,
        *,
        channel_id: str = "C0BRAND",
        author_id: str | None = None,
        message_ts: str = "1700000100.000200",
    ) -> httpx.Response:
        """Use the message shortcut `callback_id` on a message saying `text` (as Slack sends a
        message's text: `&`, `<` and `>` escaped, links as `<url>`) in `channel_id`."""
        number = next(self._actions)
        payload = payload_template("message_action")
        message = {**payload["message"], "user": author_id or user_id, "ts": message_ts, "text": text}
        payload.update(
            user=self._user(user_id),
            team={"id": self.team_id, "domain": TEAM_DOMAIN},
            channel={"id": channel_id, "name": channel_name(channel_id)},
            callback_id=callback_id,
            trigger_id=self._trigger_id(),
            action_ts=_now_ts(),
            message_ts=message_ts,
            message=message,
            response_url=self._response_url("shortcut", number, payload["response_url"]),
        )
        return self._interaction(payload)

    # -- events ------------------------------------------------------------------------------

    def event(
        self,
        event: dict[str, Any],
        *,
        event_id: str | None = None,
        retry_num: int | None = None,
        retry_reason: str = "http_timeout",
    ) -> httpx.Response:
        """Deliver `event` in an `event_callback` envelope; `retry_num` marks a redelivery."""
        envelope = payload_template("event_callback_message")
        envelope.update(
            team_id=self.team_id,
            context_team_id=self.team_id,
            api_app_id=APP_ID,
            event=event,
            event_id=event_id or f"Ev{secrets.token_hex(5).upper()}",
            event_time=int(time.time()),
            authorizations=[
                {
                    "enterprise_id": None,
                    "team_id": self.team_id,
                    "user_id": BOT_USER_ID,
                    "is_bot": True,
                    "is_enterprise_install": False,
                }
            ],
        )
        body = json.dumps(envelope).encode()
        return self.post(body, "application/json", extra_headers=_retry_headers(retry_num, retry_reason))

    def message_event(
        self,
        user_id: str,
        text: str,
        *,
        channel: str,
        thread_ts: str | None = None,
        ts: str | None = None,
        bot_id: str | None = None,
    ) -> httpx.Response:
        """`user_id` wrote `text` in `channel` (in a thread when `thread_ts` is given)."""
        event = payload_template("event_callback_message")["event"]
        ts = ts or f"{int(time.time())}.{next(self._serial):06d}"
        event.update(user=user_id, text=text, channel=channel, ts=ts, event_ts=ts, team=self.team_id)
        event["channel_type"] = channel_type(channel)
        event["client_msg_id"] = str(uuid.uuid4())
        event["blocks"][0]["elements"][0]["elements"] = [{"type": "text", "text": text}]
        if thread_ts:
            parent = self.fake.message(channel, thread_ts) if self.fake else None
            event["thread_ts"] = thread_ts
            event["parent_user_id"] = parent["user"] if parent else user_id
        if bot_id:
            del event["client_msg_id"]
            event.update(bot_id=bot_id, app_id=APP_ID if bot_id == BOT_ID else f"A{bot_id[1:]}")
        return self.event(event)

    def app_home_opened(self, user_id: str) -> httpx.Response:
        """`user_id` opened the bot's Home tab (carrying the view last published there, if any)."""
        event = payload_template("app_home_opened")["event"]
        event.update(user=user_id, channel=dm_channel(user_id), event_ts=_now_ts())
        published = self.fake.home_view(user_id) if self.fake else None
        if published is None:
            del event["view"]
        else:
            event["view"] = published
        return self.event(event)

    # -- helpers -----------------------------------------------------------------------------

    def _interaction(self, payload: dict[str, Any]) -> httpx.Response:
        body = urlencode({"payload": json.dumps(payload)}).encode()
        return self.post(body, FORM)

    def _user_name(self, user_id: str) -> str:
        return user_id.lower()

    def _user(self, user_id: str) -> dict[str, str]:
        name = self._user_name(user_id)
        return {"id": user_id, "username": name, "name": name, "team_id": self.team_id}

    def _trigger_id(self) -> str:
        return f"{int(time.time() * 1000)}{next(self._serial)}.{self.team_id[1:]}.{secrets.token_hex(16)}"

    def _response_url(self, kind: str, number: int, default: str) -> str:
        """`<kind>-<n>` on the fake (the n-th command or action this sender sent), else Slack's URL."""
        return self.fake.response_url(f"{kind}-{number}") if self.fake else default


def _sign(signing_secret: str, timestamp: int, body: bytes) -> str:
    return signature(signing_secret, timestamp, body)


def _retry_headers(retry_num: int | None, reason: str) -> dict[str, str]:
    if retry_num is None:
        return {}
    return {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": reason}


def _now_ts() -> str:
    return f"{time.time():.6f}"


def _button(message: dict[str, Any], block_id: str, action_id: str) -> dict[str, Any] | None:
    """The action entry Slack sends for element `action_id` of block `block_id`, if the message has it."""
    for block in message.get("blocks") or []:
        if block.get("block_id") != block_id:
            continue
        elements = list(block.get("elements") or []) + ([block["accessory"]] if "accessory" in block else [])
        for element in elements:
            if element.get("action_id") == action_id:
                action = {"type": element.get("type", "button")}
                if "text" in element:
                    action["text"] = copy.deepcopy(element["text"])
                return action
    return None

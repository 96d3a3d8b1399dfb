"""Sending a reply as the messages it takes, in order, and never losing one Slack refuses.

Slack refuses a message whose blocks or text break its limits (`invalid_blocks`, `msg_too_long`)
with `ok: false`; the person asked for an answer, so they are told it could not be shown, with a
reference that finds the logged error.
"""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import Callable
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.webhook import WebhookClient

from bot.slack.blocks import Blocks, continued, fallback_text, reply_messages, sections
from bot.slack.response_urls import POSTER
from handlers.kit.i18n import _
from handlers.kit.replies import Reply

log = logging.getLogger(__name__)
# Errors that say what was sent is wrong, not where it was sent: only a plainer message can help.
CONTENT_ERRORS = frozenset({"invalid_blocks", "invalid_blocks_format", "msg_too_long", "no_text"})

Send = Callable[[str, Blocks], None]


class Refused(Exception):
    """Slack answered `ok: false` to a message: `error` is its reason."""

    def __init__(self, error: str) -> None:
        super().__init__(error)
        self.error = error


def refused_content(error: SlackApiError) -> Refused | SlackApiError:
    """A Web API error as a `Refused` when it is about the message itself, else unchanged."""
    reason = str(error.response.get("error") or "")
    return Refused(reason) if reason in CONTENT_ERRORS else error


def checked_respond(respond: Callable[..., Any]) -> Send:
    """Posts to a response URL, each raising `Refused` when Slack answers `ok: false`."""

    post = _posting_once(respond)

    def send(text: str, blocks: Blocks) -> None:
        answer = post(response_type="ephemeral", replace_original=False, text=text, blocks=blocks)
        body = getattr(answer, "body", "") or ""
        try:
            found = json.loads(body) if body.lstrip().startswith("{") else {}
        except ValueError:
            found = {}
        if found.get("ok") is False or getattr(answer, "status_code", 200) >= 400:
            raise Refused(str(found.get("error") or f"HTTP {getattr(answer, 'status_code', '?')}"))

    return send


def _posting_once(respond: Callable[..., Any]) -> Callable[..., Any]:
    """Posts to `respond`'s response URL made once (waiting out rate limits), over a kept-alive
    connection (`bot.slack.response_urls`): bolt's `respond` sends a post again after a dropped
    connection, and Slack may have shown the first one already."""
    url = getattr(respond, "response_url", None)
    if not isinstance(url, str):
        return respond
    proxy, tls = getattr(respond, "proxy", None), getattr(respond, "ssl", None)
    if proxy is None and tls is None:
        return lambda **body: POSTER.post(url, body)
    client = WebhookClient(
        url=url, proxy=proxy, ssl=tls, retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=2)]
    )
    return client.send


def checked_client(call: Callable[..., Any], **where: Any) -> Send:
    """Web API posts (`chat_postMessage`, `chat_postEphemeral`) to `where`, raising `Refused` for
    content Slack refuses."""

    def send(text: str, blocks: Blocks) -> None:
        try:
            call(text=text, blocks=blocks, **where)
        except SlackApiError as error:
            raise refused_content(error) from None

    return send


def send_reply(send: Send, reply: Reply) -> None:
    """Every message of `reply`, in order; if Slack refuses one, a short answer saying so instead.
    What the bot adds to the reply is in its reader's language."""
    with reply.in_its_language():
        parts = reply_messages(reply)
        for index, blocks in enumerate(parts):
            text = fallback_text(reply.text) if index == 0 else continued(index, len(parts))
            try:
                send(text, blocks)
            except Refused as refused:
                tell_refused(send, refused.error)
                return


def tell_refused(send: Send, error: str) -> None:
    """The short answer (in the current language) for an answer Slack refused; the log names the
    error under the same reference."""
    reference = secrets.token_hex(4)
    log.warning("Slack refused an answer (%s); reference %s", error, reference)
    text = _("That answer could not be shown (Slack refused it: {error}); reference {reference}.",
             error=error, reference=reference)  # fmt: skip
    try:
        send(fallback_text(text), sections(text))
    except Refused as again:
        log.error("Slack refused the short answer too (%s); reference %s", again.error, reference)

"""What is refused before bolt reads a request: bodies too large for any Slack payload, and requests
that are not signed with the app's signing secret (or are stale).

Bolt reads, decodes and parses a body before its own signature check runs, so an unauthenticated
sender could make it parse megabytes, or fail on malformed JSON with a 500. Here the declared size
is checked before a byte is read, the timestamp and signature headers before the body, and the
signature over the raw body before bolt sees it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from typing import Any

from slack_sdk.signature import Clock, SignatureVerifier

log = logging.getLogger(__name__)

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
# Slack's payloads are kilobytes: a message event carries at most 40,000 characters of text (Slack API
# docs, "chat.postMessage": "text ... truncated at 40,000 characters") plus blocks and metadata; a
# modal submission at most 100 blocks of inputs of 3,000 characters (Block Kit reference, "Modals").
MAX_BODY = 1024 * 1024
# Slack's docs ("Verifying requests from Slack"): refuse requests whose timestamp is over five minutes old.
MAX_AGE = 5 * 60
# Unix seconds have 10 digits until the year 2286; a timestamp longer than this cannot be fresh, and
# refusing it by length keeps int() away from thousands of digits (over Python's int conversion limit).
MAX_TIMESTAMP_DIGITS = 12


def gated(application: WsgiApp, signing_secret: str, clock: Callable[[], float] = time.time) -> WsgiApp:
    """`application` behind the size and signature checks, for POSTs; anything else passes through."""
    verifier = SignatureVerifier(signing_secret, clock=_Clock(clock))

    def gate(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") != "POST":
            return application(environ, start_response)
        length = _length(environ)
        if length is None:
            return _refuse(start_response, "411 Length Required", "a request needs its Content-Length")
        if length > MAX_BODY:
            return _refuse(start_response, "413 Content Too Large", f"bodies over {MAX_BODY} bytes are refused")
        timestamp = str(environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP") or "")
        signature = str(environ.get("HTTP_X_SLACK_SIGNATURE") or "")
        if not timestamp.isascii() or not timestamp.isdigit() or not signature:
            return _refuse(start_response, "401 Unauthorized", "not signed")
        if len(timestamp) > MAX_TIMESTAMP_DIGITS:
            return _refuse(start_response, "401 Unauthorized", "stale")
        if abs(clock() - int(timestamp)) > MAX_AGE:
            return _refuse(start_response, "401 Unauthorized", "stale")
        body = environ["wsgi.input"].read(length) if length else b""
        if not verifier.is_valid(body, timestamp, signature):
            return _refuse(start_response, "401 Unauthorized", "bad signature")
        environ["wsgi.input"] = _Replay(body)
        return application(environ, start_response)

    return gate


def _length(environ: dict[str, Any]) -> int | None:
    declared = str(environ.get("CONTENT_LENGTH") or "").strip()
    if not declared:
        return 0 if "chunked" not in str(environ.get("HTTP_TRANSFER_ENCODING") or "").lower() else None
    return int(declared) if declared.isascii() and declared.isdigit() else None


def _refuse(start_response: Callable[..., Any], status: str, why: str) -> Iterable[bytes]:
    log.info("Slack request refused before reading: %s", why)
    start_response(status, [("Content-Type", "text/plain")])
    return [status.split(" ", 1)[1].encode()]


class _Clock(Clock):
    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock

    def now(self) -> float:
        return self._clock()


class _Replay:
    """The body already read for the signature check, read again by bolt."""

    def __init__(self, body: bytes) -> None:
        self._body = body
        self._position = 0

    def read(self, size: int = -1) -> bytes:
        end = len(self._body) if size is None or size < 0 else min(len(self._body), self._position + size)
        chunk = self._body[self._position : end]
        self._position = end
        return chunk

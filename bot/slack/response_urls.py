"""Posts to response URLs over kept-alive connections.

slack_sdk's `WebhookClient` opens a new connection (and on Slack a new TLS session) for every
post: for a command's answer that costs more than the post itself. Here the connections to each
host are kept for `IDLE_LIMIT` after use and taken again by the next answer. A kept connection
that the server has closed meanwhile is seen before it is used (it reads as ready, with nothing
to read but its end) and dropped, so a post is not sent over a dead connection; any failure
while a post is under way is raised as it is, never sent again (Slack may have shown it).

Rate limits are waited out as the webhook client's `RateLimitErrorRetryHandler` does.
"""

from __future__ import annotations

import http.client
import json
import select
import ssl
import threading
import time
from typing import Any
from urllib.parse import urlsplit

from slack_sdk.webhook import WebhookResponse

# How long a connection is kept unused before it is closed: shorter than servers' usual idle limits
# (nginx's keepalive_timeout defaults to 75 s), so the server hardly ever closes one first.
IDLE_LIMIT = 10.0
# Connections kept per host: as many as answers are posted at once (`bot.intake.WORKERS`, plus room).
KEPT_PER_HOST = 4
TIMEOUT = 10.0
# A post refused with 429 is sent again after its Retry-After, at most this many times.
RATE_LIMIT_RETRIES = 2
MAX_WAIT = 30.0
HEADERS = {"Content-Type": "application/json;charset=utf-8", "User-Agent": "marketsafe"}

Key = tuple[str, str, int]


class ResponsePoster:
    def __init__(self) -> None:
        self._kept: dict[Key, list[tuple[float, http.client.HTTPConnection]]] = {}
        self._lock = threading.Lock()
        self._tls = ssl.create_default_context()

    def post(self, url: str, body: dict[str, Any]) -> WebhookResponse:
        """POST `body` (its None values left out) as JSON to `url`; its answer, whatever the status."""
        payload = json.dumps({name: value for name, value in body.items() if value is not None}).encode()
        parts = urlsplit(url)
        key: Key = (parts.scheme, parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80))
        target = parts.path + (f"?{parts.query}" if parts.query else "") or "/"
        for attempt in range(RATE_LIMIT_RETRIES + 1):
            connection = self._take(key)
            try:
                connection.request("POST", target, body=payload, headers=HEADERS)
                response = connection.getresponse()
                text = response.read().decode("utf-8", errors="replace")
            except BaseException:
                connection.close()
                raise
            headers = dict(response.getheaders())
            if response.will_close:
                connection.close()
            else:
                self._keep(key, connection)
            if response.status != 429 or attempt == RATE_LIMIT_RETRIES:
                return WebhookResponse(url=url, status_code=response.status, body=text, headers=headers)
            time.sleep(min(MAX_WAIT, float(_header(headers, "retry-after") or 1)))
        raise AssertionError("unreachable")

    def _take(self, key: Key) -> http.client.HTTPConnection:
        """A kept connection to `key` still open and unused for less than IDLE_LIMIT, else a new one."""
        now = time.monotonic()
        with self._lock:
            kept = self._kept.get(key, [])
            while kept:
                used_at, connection = kept.pop()
                if now - used_at < IDLE_LIMIT and _still_open(connection):
                    return connection
                connection.close()
        scheme, host, port = key
        if scheme == "https":
            return http.client.HTTPSConnection(host, port, timeout=TIMEOUT, context=self._tls)
        return http.client.HTTPConnection(host, port, timeout=TIMEOUT)

    def _keep(self, key: Key, connection: http.client.HTTPConnection) -> None:
        with self._lock:
            kept = self._kept.setdefault(key, [])
            if len(kept) < KEPT_PER_HOST:
                kept.append((time.monotonic(), connection))
                return
        connection.close()


def _still_open(connection: http.client.HTTPConnection) -> bool:
    """Whether the server has left the connection open: an idle connection has nothing to read, so
    one that reads as ready was closed by the server (or sent what no request asked for)."""
    sock = connection.sock
    if sock is None:
        return False
    waiting = select.poll()
    waiting.register(sock, select.POLLIN | select.POLLERR | select.POLLHUP)
    return not waiting.poll(0)


def _header(headers: dict[str, str], name: str) -> str | None:
    return next((value for key, value in headers.items() if key.lower() == name), None)


POSTER = ResponsePoster()

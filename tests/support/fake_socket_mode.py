"""A fake of Slack's Socket Mode on 127.0.0.1: `apps.connections.open` on the fake Web API, and the
WebSocket it names, on the same port.

    with FakeSocketMode() as fake:            # also a FakeSlack: give `fake.api_url` to the bot
        ...start the bot with SLACK_APP_TOKEN=fake.app_token...
        fake.wait_connected()
        sender = SocketModeSender(fake)       # SlackSender's requests, sent as envelopes
        sender.slash_command("U0ADMIN1", "help")
        assert fake.acks_for(sender.envelope_ids[-1])  # acknowledged by envelope id

As Slack does (docs.slack.dev/apis/events-api/using-socket-mode/): `apps.connections.open`
takes only the app-level token (`xapp-...`; a bot token is `not_allowed_token_type`, an unknown
app token `invalid_auth`) and answers a `ws://` URL with a one-time ticket; a connection opens
with a `hello` message; each envelope (`slash_commands`, `interactive`, `events_api`) carries an
`envelope_id` that the app acknowledges with `{"envelope_id": ..., "payload": ...}` (a payload
only where `accepts_response_payload` is true); `disconnect` asks the app to reconnect. A URL
used twice, or a ticket the fake never issued, is refused at the handshake (HTTP 401).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
import time
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

import httpx
from aiohttp import WSMsgType, web

from support.fake_http import Headers
from support.fake_slack import APP_ID, FakeSlack, _Answer
from support.slack_requests import SlackSender

APP_TOKEN = "xapp-1-A0MARKETSAFE-1111111111-fakeappleveltoken"
LINK_PATH = "/link/"
# Interactive payloads whose acknowledgement may carry a response (a view_submission's errors).
RESPONDING_INTERACTIONS = frozenset({"view_submission", "block_suggestion"})


@dataclass(frozen=True)
class Ack:
    """One acknowledgement the app sent back over a connection."""

    envelope_id: str
    payload: dict[str, Any] | None
    connection: int  # which connection (1 = the first one opened)
    seconds: float  # from sending the envelope to receiving its acknowledgement


@dataclass
class _Connection:
    number: int
    request: web.Request
    socket: web.WebSocketResponse


class FakeSocketMode(FakeSlack):
    """FakeSlack plus Socket Mode: connections, envelopes sent, acknowledgements received."""

    def __init__(self, app_token: str = APP_TOKEN) -> None:
        super().__init__()
        self.app_token = app_token
        self._tickets: set[str] = set()
        self._live: list[_Connection] = []
        self._connections_made = 0
        self._acks: list[Ack] = []
        self._sent_at: dict[str, float] = {}
        self._methods["apps.connections.open"] = self._connections_open

    def _add_routes(self, app: web.Application) -> None:
        app.router.add_get(LINK_PATH, self._link)
        super()._add_routes(app)

    def _token_refusal(self, method: str, token: str) -> str | None:
        refused = super()._token_refusal(method, token)
        if refused is None and method == "apps.connections.open" and token != self.app_token:
            return "invalid_auth"
        return refused

    # -- what happened -----------------------------------------------------------------------

    @property
    def connections_opened(self) -> int:
        """How many WebSocket connections the app has opened so far."""
        with self._lock:
            return self._connections_made

    @property
    def acks(self) -> list[Ack]:
        with self._lock:
            return list(self._acks)

    def acks_for(self, envelope_id: str) -> list[Ack]:
        return [ack for ack in self.acks if ack.envelope_id == envelope_id]

    def wait_connected(self, opened: int = 1, timeout: float = 15.0) -> None:
        """Wait until the app has opened `opened` connections in all and one of them is open."""

        def connected() -> bool | None:
            with self._lock:
                return True if self._connections_made >= opened and self._live else None

        self._poll(connected, timeout, lambda: f"expected {opened} connection(s), got {self.connections_opened}")

    def wait_ack(self, envelope_id: str, timeout: float = 5.0) -> Ack:
        """The first acknowledgement of `envelope_id`, once it arrived."""

        def found() -> Ack | None:
            acks = self.acks_for(envelope_id)
            return acks[0] if acks else None

        ack: Ack = self._poll(found, timeout, lambda: f"envelope {envelope_id} was not acknowledged in {timeout} s")
        return ack

    # -- steering ----------------------------------------------------------------------------

    def send(
        self,
        kind: str,
        payload: dict[str, Any],
        *,
        accepts_response_payload: bool = False,
        retry_attempt: int = 0,
        retry_reason: str = "",
    ) -> str:
        """Send an envelope of `kind` over the newest open connection; returns its `envelope_id`."""
        envelope_id = str(uuid.uuid4())
        envelope: dict[str, Any] = {
            "envelope_id": envelope_id,
            "type": kind,
            "payload": payload,
            "accepts_response_payload": accepts_response_payload,
        }
        if kind == "events_api":
            envelope.update(retry_attempt=retry_attempt, retry_reason=retry_reason)
        with self._lock:
            if not self._live:
                raise AssertionError("no Socket Mode connection is open")
            connection = self._live[-1]
            self._sent_at[envelope_id] = time.monotonic()
        self._run(connection.socket.send_str(json.dumps(envelope)))
        return envelope_id

    def request_refresh(self) -> None:
        """Ask the app to reconnect, as Slack does before it refreshes a connection."""
        message = {"type": "disconnect", "reason": "refresh_requested", "debug_info": {"host": "fake-applink"}}
        with self._lock:
            connection = self._live[-1]
        self._run(connection.socket.send_str(json.dumps(message)))

    def drop_connections(self) -> None:
        """Cut every open connection without a closing handshake, as a failed network does."""
        with self._lock:
            dropped, self._live = self._live, []

        async def cut() -> None:
            for connection in dropped:
                if connection.request.transport is not None:
                    connection.request.transport.abort()

        self._run(cut())

    # -- serving -----------------------------------------------------------------------------

    def _connections_open(self, params: dict[str, Any]) -> _Answer:
        ticket = secrets.token_hex(12)
        self._tickets.add(ticket)
        url = f"ws://127.0.0.1:{self.port}{LINK_PATH}?ticket={ticket}&app_id={APP_ID}"
        return _Answer({"ok": True, "url": url})

    async def _link(self, request: web.Request) -> web.StreamResponse:
        ticket = request.query.get("ticket", "")
        with self._lock:
            known = ticket in self._tickets
            self._tickets.discard(ticket)
        if not known:
            return web.Response(status=401, text="invalid ticket")
        socket = web.WebSocketResponse(autoping=True)
        await socket.prepare(request)
        with self._lock:
            self._connections_made += 1
            connection = _Connection(self._connections_made, request, socket)
            self._live.append(connection)
            count = len(self._live)
        hello = {
            "type": "hello",
            "num_connections": count,
            "debug_info": {"host": "fake-applink", "build_number": 1, "approximate_connection_time": 18060},
            "connection_info": {"app_id": APP_ID},
        }
        await socket.send_str(json.dumps(hello))
        try:
            async for message in socket:
                if message.type == WSMsgType.TEXT:
                    self._received(connection, message.data)
        finally:
            with self._lock:
                if connection in self._live:
                    self._live.remove(connection)
        return socket

    def _received(self, connection: _Connection, text: str) -> None:
        with contextlib.suppress(ValueError):
            message = json.loads(text)
            if isinstance(message, dict) and "envelope_id" in message:
                envelope_id = str(message["envelope_id"])
                with self._lock:
                    sent = self._sent_at.get(envelope_id, time.monotonic())
                    payload = message.get("payload")
                    self._acks.append(
                        Ack(envelope_id, payload if payload else None, connection.number, time.monotonic() - sent)
                    )

    async def _closing(self) -> None:
        with self._lock:
            closing, self._live = self._live, []
        for connection in closing:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(connection.socket.close(), timeout=1)


class SocketModeSender(SlackSender):
    """SlackSender's commands, interactions and events, sent as Socket Mode envelopes over the
    fake's connection instead of signed HTTP requests. Each answer is the envelope's
    acknowledgement, as an HTTP 200 whose body is the acknowledgement's payload (empty without)."""

    def __init__(self, fake: FakeSocketMode, *, ack_timeout: float = 5.0) -> None:
        super().__init__("socket-mode", "", fake=fake)
        self.socket_mode = fake
        self.ack_timeout = ack_timeout
        self.envelope_ids: list[str] = []
        self.payloads: list[dict[str, Any]] = []  # each envelope's payload, in the order sent

    def post(
        self,
        body: bytes,
        content_type: str,
        *,
        timestamp: int | None = None,
        signature: str | None = None,
        extra_headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        headers = Headers((extra_headers or {}).items())
        kind, payload, responds = envelope_content(body, content_type)
        envelope_id = self.socket_mode.send(
            kind,
            payload,
            accepts_response_payload=responds,
            retry_attempt=int(headers.get("x-slack-retry-num", "0")),
            retry_reason=str(headers.get("x-slack-retry-reason", "")),
        )
        self.envelope_ids.append(envelope_id)
        self.payloads.append(payload)
        ack = self.socket_mode.wait_ack(envelope_id, timeout=self.ack_timeout)
        content = json.dumps(ack.payload).encode() if ack.payload else b""
        return httpx.Response(200, content=content, headers={"Content-Type": "application/json"})


def envelope_content(body: bytes, content_type: str) -> tuple[str, dict[str, Any], bool]:
    """The envelope type, payload and `accepts_response_payload` that carry an HTTP request's body
    in Socket Mode: events as `events_api`, interactions as `interactive`, commands as `slash_commands`."""
    if content_type.startswith("application/json"):
        return "events_api", json.loads(body), False
    fields = {name: values[0] for name, values in parse_qs(body.decode(), keep_blank_values=True).items()}
    if "payload" in fields:
        payload = json.loads(fields["payload"])
        return "interactive", payload, payload.get("type") in RESPONDING_INTERACTIONS
    return "slash_commands", fields, True

"""The fake Socket Mode service refuses what Slack refuses, and works with slack_sdk's own client."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.socket_mode.builtin import SocketModeClient
from slack_sdk.socket_mode.client import BaseSocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse

from support.fake_socket_mode import FakeSocketMode, envelope_content

BOT_TOKEN = "xoxb-1111-2222-fakebottoken"


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeSocketMode]:
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    with FakeSocketMode() as running:
        yield running


def refusal(call: Any) -> str:
    with pytest.raises(SlackApiError) as raised:
        call()
    return str(raised.value.response["error"])


def test_connections_open_takes_only_this_apps_app_level_token(fake: FakeSocketMode) -> None:
    web = WebClient(base_url=fake.api_url)
    assert refusal(lambda: web.apps_connections_open(app_token=BOT_TOKEN)) == "not_allowed_token_type"
    assert refusal(lambda: web.apps_connections_open(app_token="xapp-1-A0OTHER-1-other")) == "invalid_auth"
    assert refusal(lambda: web.api_call("apps.connections.open")) == "not_authed"
    as_app = WebClient(base_url=fake.api_url, token=fake.app_token)
    assert refusal(lambda: as_app.chat_postMessage(channel="C0BRAND", text="hi")) == "not_allowed_token_type"
    assert web.apps_connections_open(app_token=fake.app_token)["url"].startswith("ws://127.0.0.1:")


def test_a_connection_url_is_good_for_one_connection_only(fake: FakeSocketMode) -> None:
    url = WebClient(base_url=fake.api_url).apps_connections_open(app_token=fake.app_token)["url"]
    http = url.replace("ws://", "http://")
    upgrade = {"Connection": "Upgrade", "Upgrade": "websocket", "Sec-WebSocket-Version": "13",
               "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="}  # fmt: skip
    with httpx.Client(trust_env=False) as client:
        assert client.get(http, headers=upgrade).status_code == 101
        assert client.get(http, headers=upgrade).status_code == 401
        assert client.get(http.split("?")[0] + "?ticket=made-up", headers=upgrade).status_code == 401


def test_slack_sdks_client_gets_hello_then_envelopes_and_each_acknowledgement_is_recorded(
    fake: FakeSocketMode,
) -> None:
    received: list[dict[str, Any]] = []

    def answer(client: BaseSocketModeClient, request: SocketModeRequest) -> None:
        received.append({"type": request.type, "payload": request.payload})
        payload = {"response_action": "clear"} if request.type == "interactive" else None
        client.send_socket_mode_response(SocketModeResponse(envelope_id=request.envelope_id, payload=payload))

    hellos: list[str] = []
    client = SocketModeClient(
        app_token=fake.app_token, web_client=WebClient(base_url=fake.api_url), on_message_listeners=[hellos.append]
    )
    client.socket_mode_request_listeners.append(answer)
    try:
        client.connect()
        fake.wait_connected()
        command = fake.send("slash_commands", {"command": "/marketsafe", "text": "help"}, accepts_response_payload=True)
        assert fake.wait_ack(command).payload is None
        submission = fake.send("interactive", {"type": "view_submission"}, accepts_response_payload=True)
        assert fake.wait_ack(submission).payload == {"response_action": "clear"}
    finally:
        client.close()
    assert json.loads(hellos[0])["type"] == "hello"
    assert [item["type"] for item in received] == ["slash_commands", "interactive"]
    assert received[0]["payload"] == {"command": "/marketsafe", "text": "help"}
    assert [len(fake.acks_for(envelope)) for envelope in (command, submission)] == [1, 1]


def test_http_bodies_become_the_envelopes_slack_sends_over_the_socket() -> None:
    assert envelope_content(b'{"type": "event_callback"}', "application/json") == (
        "events_api", {"type": "event_callback"}, False,
    )  # fmt: skip
    command = envelope_content(b"command=%2Fmarketsafe&text=help", "application/x-www-form-urlencoded")
    assert command == ("slash_commands", {"command": "/marketsafe", "text": "help"}, True)
    action = envelope_content(b"payload=%7B%22type%22%3A%22block_actions%22%7D", "application/x-www-form-urlencoded")
    assert action == ("interactive", {"type": "block_actions"}, False)

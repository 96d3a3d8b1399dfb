"""Buttons: each carries the command it runs (outcomes in a case message, for example)."""

from __future__ import annotations

import re
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.slack.bridge import SlackBridge


def register(app: App, bridge: SlackBridge) -> None:
    @app.action(re.compile(r"^run:"))
    def run_button(ack: Ack, body: dict[str, Any], respond: Respond, client: WebClient) -> None:
        ack()
        bridge.later(bridge.on_button, body, respond, client)

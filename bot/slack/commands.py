"""The `/marketsafe` slash command."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.slack.bridge import SlackBridge


def register(app: App, bridge: SlackBridge) -> None:
    @app.command("/marketsafe")
    def marketsafe(ack: Ack, command: dict[str, Any], respond: Respond, client: WebClient) -> None:
        ack()
        bridge.later(bridge.on_command, command, respond, client)

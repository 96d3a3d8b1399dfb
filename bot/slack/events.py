"""Events: messages in case threads (relayed to the other side) and the App Home tab."""

from __future__ import annotations

from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.slack.bridge import SlackBridge


def register(app: App, bridge: SlackBridge) -> None:
    @app.event("message")
    def thread_message(event: dict[str, Any], client: WebClient) -> None:
        bridge.later(bridge.on_message, event, client)

    @app.event("app_home_opened")
    def home_opened(event: dict[str, Any], client: WebClient) -> None:
        if event.get("tab", "home") == "home":
            bridge.later(bridge.publish_home, event["user"], client)

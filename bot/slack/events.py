"""Events: messages to the bot and in case threads, and the App Home tab.

Bolt acknowledges an event before its listener runs, so a message is written down in a listener
middleware, which runs before that acknowledgement; the listener itself has nothing left to do.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import App

from bot.slack.intake import SlackIntake


def register(app: App, intake: SlackIntake) -> None:
    def accept_message(event: dict[str, Any], next: Callable[[], None]) -> None:
        intake.accept_message(event)
        next()

    @app.event("message", middleware=[accept_message])
    def message() -> None:
        """Accepted by the middleware before bolt's acknowledgement; run by the intake."""

    @app.event("app_home_opened")
    def home_opened(event: dict[str, Any]) -> None:
        if event.get("tab", "home") == "home":
            intake.refresh_home(event["user"])

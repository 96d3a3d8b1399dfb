"""Buttons: each carries the command it runs (outcomes in a case message, for example)."""

from __future__ import annotations

import re
from typing import Any

from slack_bolt import Ack, App

from bot.slack.intake import SlackIntake


def register(app: App, intake: SlackIntake) -> None:
    @app.action(re.compile(r"^run:"))
    def run_button(ack: Ack, body: dict[str, Any]) -> None:
        intake.accept_button(body)
        ack()

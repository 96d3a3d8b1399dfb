"""The `/marketsafe` slash command: written down, then acknowledged, then run (`bot.slack.intake`)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from bot.slack.intake import SlackIntake


def register(app: App, intake: SlackIntake) -> None:
    @app.command("/marketsafe")
    def marketsafe(ack: Ack, command: dict[str, Any]) -> None:
        ack(intake.accept_command(command))

"""Form submissions (modals); errors are answered inside the modal, so ack comes last here."""

from __future__ import annotations

import re
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.slack.blocks import FORM_CALLBACK
from bot.slack.intake import SlackIntake


def register(app: App, intake: SlackIntake) -> None:
    @app.view(re.compile(f"^{FORM_CALLBACK}"))
    def submit_form(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        intake.bridge.on_submission(ack, body, client)

"""Slack's commands, button presses and messages through the intake (`bot.intake`): each is written
down in a normalised form before bolt acknowledges it, then run and answered.

What is kept is what running the command takes: who, the command line, the channel, and the
`response_url` to answer through. Never a token: Slack's payloads carry a verification `token`,
which is left out, and the bot's own token is the process's.
"""

from __future__ import annotations

import logging
import socket
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from urllib.error import URLError

from slack_bolt.context.respond import Respond
from slack_sdk import WebClient

from bot.intake import Intake, Outcome
from bot.slack.answers import checked_client, send_reply
from bot.slack.bridge import PLATFORM, SlackBridge, unescape
from handlers.kit.i18n import N_, _, in_language, program_language
from handlers.kit.replies import Reply
from storage.database import Database
from storage.models import utcnow
from storage.queries.intake import Accepted

log = logging.getLogger(__name__)
# A response_url takes "up to 5 responses within 30 minutes" (Slack API docs, "Handling user
# interaction", https://api.slack.com/interactivity/handling#message_responses); an answer later
# than that goes where the command was written. A minute is kept in hand for the answer's own posts.
RESPONSE_URL_LIFETIME = timedelta(minutes=30) - timedelta(minutes=1)
# A trigger_id opens a form within 3 s (bolt docs, "Opening modals"); a run after that cannot.
TRIGGER_LIFETIME = timedelta(seconds=2)

# Said in the person's language (marked here, translated when said).
BUSY = N_(
    "The bot is busy right now: your command is queued and will be answered here shortly. No need to send it again."
)
UNAVAILABLE = N_("The bot cannot reach its database right now, so nothing was done. Please try again in a minute.")
ACKNOWLEDGEMENTS = {Outcome.QUEUED: BUSY, Outcome.UNAVAILABLE: UNAVAILABLE}
GAVE_UP = N_(
    "Your command `{text}` could not be completed: the bot stopped while running it, {attempts} times. "
    "Nothing more will be tried; please send it again, or give the team this reference: {reference}."
)


class SlackIntake:
    """The intake for Slack, and the runner that answers what it accepted."""

    def __init__(
        self, bridge: SlackBridge, client: WebClient, database: Database, clock: Callable[[], datetime] = utcnow
    ) -> None:
        self.bridge = bridge
        self.client = client
        self.clock = clock
        self.intake = Intake(database, PLATFORM, self, clock=clock)

    # -- accepting (inside bolt's listeners, before ack) -------------------------------------------

    def accept_command(self, command: dict[str, Any]) -> str:
        """A slash command; the acknowledgement's text (empty unless something must be said at once)."""
        trigger_id = str(command.get("trigger_id") or "")
        payload = {
            "user_id": str(command["user_id"]),
            "user_name": command.get("user_name"),
            "text": unescape(str(command.get("text") or "")),
            "channel": command.get("channel_id"),
            "trigger_id": trigger_id or None,
        }
        key = f"slack:command:{trigger_id or uuid.uuid4().hex}"
        user_id = str(payload["user_id"])
        # A queued command's acknowledgement is in the person's language (their choice, their
        # locale), read in the transaction that writes it down.
        outcome, language = self.intake.accept_reading(
            "command",
            key,
            payload,
            command.get("response_url"),
            lambda connection: self.bridge.language_in(connection, user_id),
        )
        said = ACKNOWLEDGEMENTS.get(outcome)
        if said is None:
            return ""
        # Without the database, the program's language.
        with in_language(program_language() if outcome is Outcome.UNAVAILABLE else str(language)):
            return _(said)

    def accept_button(self, body: dict[str, Any]) -> None:
        """A button: it carries the command line it runs, e.g. `outcome MS-000123 all removed`."""
        action = body["actions"][0]
        user = body["user"]
        payload = {
            "user_id": str(user["id"]),
            "user_name": user.get("username") or user.get("name"),
            "text": str(action.get("value") or ""),
            "channel": (body.get("channel") or {}).get("id"),
            "trigger_id": body.get("trigger_id"),
        }
        key = f"slack:action:{body.get('trigger_id')}:{action.get('action_ts')}"
        self._log_unaccepted(self.intake.accept("action", key, payload, body.get("response_url")), "button")

    def accept_message(self, event: dict[str, Any]) -> None:
        """A message event: a command written to the bot, or a message in one of its case threads."""
        if self.bridge.ignores(event):
            return
        key = f"slack:message:{event.get('channel')}:{event.get('ts')}"
        payload = {name: value for name, value in event.items() if name != "token"}
        self._log_unaccepted(self.intake.accept("message", key, payload, None), "message")

    def refresh_home(self, user_id: str) -> None:
        """The Home tab is redrawn when there is room; when not, it shows what it showed before."""
        if not self.intake.later(self.bridge.publish_home, user_id, self.client):
            log.warning("Slack Home tab not refreshed for a user: the bot is busy")

    def _log_unaccepted(self, outcome: Outcome, what: str) -> None:
        if outcome is Outcome.UNAVAILABLE:
            log.error("Slack %s dropped: the database did not answer", what)

    # -- running (the intake's runner) ---------------------------------------------------------------

    def run(self, command: Accepted, *, fresh: bool) -> None:
        try:
            self._run(command, fresh=fresh)
        except OSError as error:
            if not _may_have_arrived(error):
                raise  # nothing reached Slack: the intake tries again later
            # The connection dropped while answering: Slack may have kept the answer, and the
            # command's own work is committed. Sending it again could show it twice, so it is not.
            log.warning(
                "slack work failed: the answer to %s command id=%s may not have arrived (%s); not sent again",
                command.kind, command.id, type(error).__name__,
            )  # fmt: skip

    def _run(self, command: Accepted, *, fresh: bool) -> None:
        if command.kind == "message":
            self.bridge.on_message(command.payload, self.client)
            return
        age = self.clock() - command.accepted_at
        usable_url = command.response_url if command.response_url and age < RESPONSE_URL_LIFETIME else None
        respond = Respond(response_url=usable_url) if usable_url else None
        trigger_id = command.payload.get("trigger_id") if fresh and age < TRIGGER_LIFETIME else None
        self.bridge.run_command(command.payload, command.request_key, respond, self.client, trigger_id=trigger_id)

    def give_up(self, command: Accepted) -> None:
        reference = f"intake-{command.id}"
        if command.kind == "message":
            channel = str(command.payload.get("channel") or "")
            if str(command.payload.get("channel_type")) != "im" or not channel:
                return  # a thread message answers nobody: the log says it was given up
            send_reply(checked_client(self.client.chat_postMessage, channel=channel), self._gave_up(command, reference))
            return
        where = command.payload.get("channel")
        reply = self._gave_up(command, reference)
        self.bridge.tell(self.client, str(command.payload["user_id"]), str(where) if where else None, reply)

    def _gave_up(self, command: Accepted, reference: str) -> Reply:
        """The apology, in the person's language."""
        written = str(command.payload.get("text") or "")[:200]
        user_id = str(command.payload.get("user_id") or command.payload.get("user") or "")
        language = self.bridge.language_of(user_id)
        with in_language(language):
            said = _(GAVE_UP, text=written, attempts=command.attempts - 1, reference=reference)
        return Reply(said, language=language)


def _may_have_arrived(error: OSError) -> bool:
    """Whether a request that failed with `error` may have reached Slack: not when the connection
    was never made (refused, or the host not found)."""
    reason = error.reason if isinstance(error, URLError) else error
    return not isinstance(reason, ConnectionRefusedError | socket.gaierror)

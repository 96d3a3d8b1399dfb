"""The message shortcut "File as complaint": the complaint form with the message's links.

Commands, buttons and messages are written down before they are acknowledged (`bot.slack.intake`),
so that another process can finish them. A shortcut cannot wait for that: it opens a form, and
Slack takes a form only within 3 s of the shortcut ("Pass a valid trigger_id within 3 seconds of
receiving it", bolt docs, "Opening modals"), so a shortcut taken over later could only say that it
came too late. Like a form's submission, it is answered before it is acknowledged instead: the form
is opened (or the reason it cannot be is sent) while Slack waits, in one short transaction and one
`views.open` call. Opening a form changes nothing, so a shortcut whose process dies leaves nothing
to finish: Slack shows that the app did not answer, and the member uses the shortcut again.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.router import Incoming
from bot.slack.blocks import modal
from bot.slack.bridge import PLATFORM, SlackBridge, unescape
from bot.slack.intake import SlackIntake
from handlers.cases.complaint_from_message import complaint_from_message
from handlers.kit.context import Caller
from handlers.kit.i18n import _, in_language
from handlers.kit.replies import Reply

log = logging.getLogger(__name__)
# The shortcut's callback_id in slack-app-manifest.yml.
FILE_AS_COMPLAINT = "file_as_complaint"


def register(app: App, intake: SlackIntake) -> None:
    @app.shortcut(FILE_AS_COMPLAINT)
    def file_as_complaint(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        open_complaint_form(intake.bridge, ack, body, client)


def open_complaint_form(bridge: SlackBridge, ack: Ack, body: dict[str, Any], client: WebClient) -> None:
    """Open the complaint form with the links of the message the shortcut was used on, as the
    person who used it; a member who may not file, or a message whose links do not fit the form,
    is told why where they are (else in a direct message)."""
    user = body["user"]
    channel = (body.get("channel") or {}).get("id")
    text = unescape(str((body.get("message") or {}).get("text") or ""))
    incoming = Incoming(
        caller=Caller(PLATFORM, user["id"], user.get("username") or user.get("name")),
        text="complaint",
        channel=channel,
        # Inside the trigger's 3 seconds: the locale already known, no users.info call.
        locale=bridge._known_locale(user["id"]),
    )
    reply = bridge.router.run(incoming, "complaint", lambda ctx, session: complaint_from_message(ctx, session, text))
    if reply.form is not None:
        try:
            client.views_open(trigger_id=body["trigger_id"], view=modal(reply.form, {"channel": channel or ""}))
        except SlackApiError as error:
            # Too late for the trigger (expired_trigger_id), or a form Slack refused: the member is told.
            reason = str(error.response.get("error") or "unknown")
            log.warning("views.open refused the complaint form (%s)", reason)
            with in_language(bridge.router.language_of(incoming.caller, incoming.locale)):
                reply = Reply(_("The form could not be opened (Slack answered {error}): use the shortcut again.",
                                error=reason), is_error=True)  # fmt: skip
        else:
            ack()
            return
    ack()
    bridge.tell(client, user["id"], channel, reply)

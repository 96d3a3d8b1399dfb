"""A reply's files, sent to the caller alone: into their direct messages with the bot.

`files_upload_v2` is Slack's three steps (`files.getUploadURLExternal`, a POST of the bytes,
`files.completeUploadExternal` into the DM channel). A file Slack refuses is not dropped in
silence: the caller is told which and why, with a reference that finds the logged error.
"""

from __future__ import annotations

import logging
import secrets

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackRequestError

from bot.slack.blocks import fallback_text
from handlers.kit.i18n import _
from handlers.kit.replies import Reply

log = logging.getLogger(__name__)
ALT_TEXT = 1_000  # files.getUploadURLExternal refuses longer alt text (alt_txt_too_large)


def send_files(client: WebClient, user_id: str, reply: Reply) -> None:
    """Each of `reply`'s files in the direct-message channel between the bot and `user_id`."""
    if not reply.files:
        return
    channel = client.conversations_open(users=user_id)["channel"]["id"]
    for file in reply.files:
        try:
            client.files_upload_v2(
                channel=channel,
                content=file.data,
                filename=file.name,
                title=file.name,
                alt_txt=file.description[:ALT_TEXT] or None,
                initial_comment=fallback_text(f"{file.name}: {file.description}" if file.description else file.name),
            )
        except (SlackApiError, SlackRequestError) as error:
            code = error.response.get("error") if isinstance(error, SlackApiError) else None
            reference = secrets.token_hex(4)
            log.warning("Slack refused the file %s (%s); reference %s", file.name, code or "upload failed", reference)
            with reply.in_its_language():
                reason = code or _("upload failed")
                text = "⚠ " + _(
                    "{file} could not be sent (Slack answered: {reason}); reference {reference}.",
                    file=file.name, reason=reason, reference=reference,
                )  # fmt: skip
            client.chat_postMessage(channel=channel, text=fallback_text(text))

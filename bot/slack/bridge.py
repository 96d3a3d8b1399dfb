"""Between Slack payloads and the router: who, what and where in; replies, forms and views out.

Listeners ack first and then call in here, so nothing below runs inside Slack's 3-second window
except form validation, which must answer inside the modal.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import time
from collections.abc import Callable
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import Connection

from bot.message_files import MAX_MESSAGE_BYTES, file_command, may_run, over_caps, too_large_in_all
from bot.router import Incoming, Router, ThreadMessage
from bot.slack.answers import Refused, checked_client, checked_respond, refused_content, send_reply, tell_refused
from bot.slack.blocks import FORM_CALLBACK, fallback_text, modal, submitted_values, view_blocks
from bot.slack.files import FileNotFetched, SlackFiles
from bot.slack.uploads import send_files
from handlers.home import home
from handlers.kit.context import Attachment, Caller
from handlers.kit.forms import FORMS
from handlers.kit.i18n import N_, _, in_language
from handlers.kit.replies import Reply

log = logging.getLogger(__name__)
PLATFORM = "slack"
# Messages people write: plain, replies also sent to the channel, and messages with a file.
PEOPLES_MESSAGES = (None, "thread_broadcast", "file_share")
# Slack opens a form only within 3 s of the command (bolt docs, "Opening modals": "Pass a valid
# trigger_id within 3 seconds of receiving it"); a command answered later asks for it again.
FORM_TOO_LATE = N_("The form could not be opened this late: run the command again to open it.")
# How long a person's Slack locale is trusted before users.info is asked again.
LOCALE_TTL_SECONDS = 3600.0


class SlackBridge:
    def __init__(self, router: Router, *, token: str = "", api_url: str = "") -> None:
        self.router = router
        self._files = SlackFiles(token, api_url)
        self._names: dict[str, str] = {}
        self._locales: dict[str, tuple[float, str | None]] = {}  # user -> (when asked, locale)

    def run_command(
        self,
        command: dict[str, Any],
        request_key: str,
        respond: Callable[..., Any] | None,
        client: WebClient,
        *,
        trigger_id: str | None,
    ) -> None:
        """A command (`/marketsafe <words>`, or the command line a button carries) as `intake`
        normalised it: a form when it asks for one and `trigger_id` is still usable, else an
        ephemeral reply, through `respond` when given, else where the command was written."""
        channel = command.get("channel") or None
        incoming = Incoming(
            caller=Caller(PLATFORM, str(command["user_id"]), command.get("user_name")),
            text=str(command.get("text") or ""),
            channel=channel,
            request_key=request_key,
            locale=self._locale(client, str(command["user_id"])),
        )
        reply = self.router.handle(incoming)
        self._answer(reply, respond, client, trigger_id, channel, str(command["user_id"]))
        send_files(client, str(command["user_id"]), reply)

    def on_submission(self, ack: Callable[..., Any], body: dict[str, Any], client: WebClient) -> None:
        """A form: errors go back into the modal beside their field; success closes it."""
        view = body["view"]
        form = FORMS.get(view["callback_id"].removeprefix(FORM_CALLBACK))
        if form is None:
            ack(response_action="errors", errors={})
            return
        metadata = _metadata(view.get("private_metadata"))
        values = submitted_values(view["state"]["values"])
        user = body["user"]
        incoming = Incoming(
            caller=Caller(PLATFORM, user["id"], user.get("username") or user.get("name")),
            text=form.command,
            channel=metadata.get("channel"),
            request_key=f"slack:view:{view['id']}:{view.get('hash', '')}",
            args=form.to_args(values),
            # Inside the modal's 3 seconds: the locale already known, no users.info call.
            locale=self._known_locale(user["id"]),
        )
        reply = self.router.handle(incoming)
        if reply.is_error:
            field = reply.error_field if form.field(reply.error_field or "") else form.fields[0].name
            ack(response_action="errors", errors={field: reply.text[:2000]})
            return
        ack()
        self.tell(client, user["id"], metadata.get("channel"), reply)
        send_files(client, user["id"], reply)

    def on_message(self, event: dict[str, Any], client: WebClient) -> None:
        """A direct message to the bot is a command (with any files it shares); a message in a
        case thread is relayed to the other side."""
        if self.ignores(event):
            return
        if event.get("channel_type") == "im":
            self.on_direct_message(event, client)
        else:
            self.on_thread_message(event, client)

    @staticmethod
    def ignores(event: dict[str, Any]) -> bool:
        """A message that is not a person writing to the bot or in a thread: the bot's own, a
        channel's edits and joins, a message at the top of a channel."""
        if event.get("subtype") not in PEOPLES_MESSAGES or event.get("bot_id") or not event.get("user"):
            return True
        if event.get("channel_type") == "im":
            return False
        return not event.get("thread_ts") or event["thread_ts"] == event.get("ts")

    def on_direct_message(self, event: dict[str, Any], client: WebClient) -> None:
        """`raid ...` with the documents shared in the same message, `complaint` with a CSV file,
        `language` with a document, or any command at all, written to the bot directly."""
        text = unescape(str(event.get("text") or "")).strip()
        caller = Caller(PLATFORM, event["user"], self._display_name(client, event["user"]))
        locale = self._locale(client, event["user"])
        incoming = Incoming(
            caller=caller,
            text=text,
            channel=event["channel"],
            request_key=f"slack:message:{event['channel']}:{event.get('ts')}",
            locale=locale,
        )
        try:
            attachments = self._fetched(incoming, event.get("files") or [])
        except FileNotFetched as error:
            client.chat_postMessage(channel=event["channel"], text=fallback_text(f"⚠ {error}"))
            return
        reply = self.router.handle(dataclasses.replace(incoming, attachments=attachments))
        send_reply(checked_client(client.chat_postMessage, channel=event["channel"]), reply)
        send_files(client, event["user"], reply)

    def _fetched(self, incoming: Incoming, shared_files: list[dict[str, Any]]) -> tuple[Attachment, ...]:
        """The shared files of a command that takes them, run by someone its roles allow; none for
        any other message (answered as without them). FileNotFetched, in the person's language
        (their choice, else their Slack locale), for a message over the caps of `bot.message_files`
        or a file that cannot be fetched."""
        if not shared_files:
            return ()
        spec = file_command(incoming.text)
        if spec is None or not may_run(self.router, incoming, spec):
            log.info(
                "%s files of %s not fetched: %s", len(shared_files), incoming.request_key,
                "its command takes no files" if spec is None else "its command is not for the caller's role",
            )  # fmt: skip
            return ()
        with in_language(self.router.language_of(incoming.caller, incoming.locale)):
            refusal = over_caps([_declared_size(shared) for shared in shared_files])
            if refusal is not None:
                log.info("%s files of %s not fetched: over the caps of a message", len(shared_files), spec.word)
                raise FileNotFetched(refusal)
            fetched: list[Attachment] = []
            for shared in shared_files:
                fetched.append(self._files.download(shared))
                total = sum(len(file.content) for file in fetched)
                if total > MAX_MESSAGE_BYTES:
                    raise FileNotFetched(too_large_in_all(total))
            return tuple(fetched)

    def on_thread_message(self, event: dict[str, Any], client: WebClient) -> None:
        """A person's message in one of the bot's threads: the router decides what it stands for
        (a case reply relayed to the other side, an answer to a language request)."""
        if not event.get("thread_ts") or not event.get("user"):
            return
        if event["thread_ts"] == event.get("ts"):
            return
        message = ThreadMessage(
            platform=PLATFORM,
            channel_ref=event["channel"],
            thread_ref=event["thread_ts"],
            author=event["user"],
            text=unescape(str(event.get("text") or "")),
            request_key=f"slack:message:{event['channel']}:{event.get('ts')}",
            author_name=lambda: self._display_name(client, event["user"]),
        )
        reply = self.router.thread_message(message)
        if reply is not None and reply.is_error:
            # Not relayed (too long, or not allowed): the author alone is told why, in the thread.
            where = {"channel": event["channel"], "user": event["user"], "thread_ts": event["thread_ts"]}
            send_reply(checked_client(client.chat_postEphemeral, **where), reply)

    def publish_home(self, user_id: str, client: WebClient) -> None:
        incoming = Incoming(caller=Caller(PLATFORM, user_id), text="home", locale=self._locale(client, user_id))
        reply = self.router.run(incoming, "home", home)
        with reply.in_its_language():
            blocks = view_blocks(reply)
        client.views_publish(user_id=user_id, view={"type": "home", "blocks": blocks})

    def _answer(
        self,
        reply: Reply,
        respond: Callable[..., Any] | None,
        client: WebClient,
        trigger_id: str | None,
        channel: str | None,
        user_id: str,
    ) -> None:
        language = reply.language
        if reply.form is not None and trigger_id:
            try:
                with reply.in_its_language():
                    view = modal(reply.form, {"channel": channel or ""})
                client.views_open(trigger_id=trigger_id, view=view)
                return
            except SlackApiError as error:
                refused = refused_content(error)
                if not isinstance(refused, Refused):
                    raise
                with reply.in_its_language():
                    if respond is not None:
                        tell_refused(checked_respond(respond), refused.error)
                        return
                    shown = _("That form could not be shown (Slack refused it: {error}).", error=refused.error)
                reply = Reply(shown, is_error=True, language=language)
        elif reply.form is not None:
            with reply.in_its_language():
                reply = Reply(f"{reply.text}\n{_(FORM_TOO_LATE)}", language=language)
        if respond is not None:
            send_reply(checked_respond(respond), reply)
        else:
            self.tell(client, user_id, channel, reply)

    def tell(self, client: WebClient, user_id: str, channel: str | None, reply: Reply) -> None:
        """A reply outside a command's response URL: ephemeral where the form was opened, else a DM."""
        try:
            if channel:
                send_reply(checked_client(client.chat_postEphemeral, channel=channel, user=user_id), reply)
                return
        except SlackApiError as error:  # the bot may not be in that channel
            log.info("ephemeral reply failed (%s); sending a direct message", error.response.get("error"))
        send_reply(checked_client(client.chat_postMessage, channel=user_id), reply)

    def _locale(self, client: WebClient, user_id: str) -> str | None:
        """The person's Slack locale (`zh-CN`), from users.info with include_locale, kept for an hour."""
        known = self._locales.get(user_id)
        if known is not None and time.monotonic() - known[0] < LOCALE_TTL_SECONDS:
            return known[1]
        try:
            profile = client.users_info(user=user_id, include_locale=True)["user"]
        except SlackApiError as error:
            log.info("users.info refused (%s): replying in the default language", error.response.get("error"))
            return known[1] if known else None
        locale = profile.get("locale")
        self._locales[user_id] = (time.monotonic(), locale if isinstance(locale, str) else None)
        return self._locales[user_id][1]

    def language_of(self, user_id: str) -> str:
        """A person's language for what is said outside a command (an acknowledgement, an apology):
        the router's choice, with only the Slack locale already known (no users.info call)."""
        return self.router.language_of(Caller(PLATFORM, user_id), self._known_locale(user_id))

    def language_in(self, connection: Connection, user_id: str) -> str:
        """`language_of`, read in the caller's transaction."""
        return self.router.language_in(connection, Caller(PLATFORM, user_id), self._known_locale(user_id))

    def _known_locale(self, user_id: str) -> str | None:
        known = self._locales.get(user_id)
        return known[1] if known else None

    def _display_name(self, client: WebClient, user_id: str) -> str | None:
        if user_id not in self._names:
            try:
                profile = client.users_info(user=user_id)["user"]
                self._names[user_id] = profile.get("real_name") or profile.get("name") or user_id
            except SlackApiError:
                return None
        return self._names[user_id]


def unescape(text: str) -> str:
    """A message's text as the person typed it: Slack sends `&`, `<` and `>` as entities (replies
    escape them again, so nothing typed can become a mention or a link)."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _metadata(text: str | None) -> dict[str, str]:
    try:
        found = json.loads(text or "{}")
    except json.JSONDecodeError:
        return {}
    return {str(key): str(value) for key, value in found.items()} if isinstance(found, dict) else {}


def _declared_size(shared: dict[str, Any]) -> int:
    """The size Slack gives for a shared file; 0 for anything else, which the download refuses."""
    declared = str(shared.get("size") or "0")
    return int(declared) if declared.isascii() and declared.isdigit() and len(declared) < 16 else 0

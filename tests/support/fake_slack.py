"""A fake Slack Web API on 127.0.0.1, for tests that run real Slack clients against it.

Give `fake.api_url` to a `slack_sdk.WebClient` as `base_url`; every call is recorded as a `Call`
(method, merged params, headers, path) and answered the way Slack answers it. Messages the bot
posts are kept, so `conversations.history` and `conversations.replies` show them again, and
`fake.response_url()` names a URL whose posts are recorded as method "response_url".

    with FakeSlack() as fake:
        client = WebClient(base_url=fake.api_url, token="xoxb-test")
        client.chat_postMessage(channel="C0BRAND", text="hello")
        assert fake.wait_for("chat.postMessage")[0].params["text"] == "hello"

Like Slack: posting to a user ID lands in that user's direct-message channel (`dm_channel`),
which `conversations.open` names, while history and replies answer `channel_not_found` for a
user ID;
`chat.update` and `chat.delete` answer `message_not_found` for a message the fake never
accepted; history and replies strip each message's `metadata.event_payload` unless the call
asks for `include_all_metadata`; a call without a token answers `not_authed`, one with a token
that is no Slack token `invalid_auth`, and one with the wrong kind of token (an app-level `xapp-`
token for `chat.postMessage`, a bot token for `apps.connections.open`) `not_allowed_token_type`;
`auth.test` names the bot token's scopes in `x-oauth-scopes` (`fake.scopes`); blocks and text
over Slack's documented limits are refused as Slack refuses them (`support.slack_limits`).

Files the bot sends go through Slack's three steps: `files.getUploadURLExternal` (refusing a
`length` of 0 or over the 1 GB limit, and alt text over 1,000 characters) hands out an upload URL
on the fake, a raw POST there holds the bytes, and `files.completeUploadExternal` shares the files
(`file_not_found` for an id never handed out or never uploaded, `channel_not_found` for a bad
`channel_id`) in a message of subtype `file_share`; `shared_files()` shows them with their bytes.
"""

from __future__ import annotations

import base64
import contextlib
import copy
import itertools
import json
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

from aiohttp import web

from support.fake_http import FakeHTTP, Headers, Pace, json_response, rate_limited, refused, retry_after_header
from support.slack_limits import MAX_ALT_TEXT, MAX_FILE_BYTES, MAX_SHARE_CHANNELS, refusal

TEAM_ID = "T0TEAM"
TEAM_NAME = "MarketSafe Test"
TEAM_DOMAIN = "marketsafe-test"
APP_ID = "A0MARKETSAFE"
BOT_USER_ID = "UBOT"
BOT_USER_NAME = "marketsafe"
BOT_ID = "BBOT"

# Fields Slack accepts as JSON text in a form-encoded call; recorded decoded.
JSON_FIELDS = ("blocks", "view", "metadata", "attachments", "files")
# The first message timestamp the fake hands out, in microseconds: "1700000000.000100".
FIRST_TS_MICROS = 1_700_000_000_000_100
JSON = "application/json; charset=utf-8"
NO_AUTH_METHODS = frozenset({"api.test", "oauth.v2.access", "oauth.access"})
# Methods that take an app-level token (docs.slack.dev/reference/methods/apps.connections.open:
# "This API method uses an app-level token"); every other method here takes a bot or user token.
APP_TOKEN_METHODS = frozenset({"apps.connections.open"})
APP_TOKEN_PREFIX, BOT_TOKEN_PREFIX = "xapp-", "xox"
# The scopes slack-app-manifest.yml asks for, which auth.test names for the bot token by default.
MANIFEST_SCOPES = (
    "channels:history", "chat:write", "commands", "files:read", "files:write", "groups:history", "im:history",
    "im:write", "users:read",
)  # fmt: skip


def dm_channel(user_id: str) -> str:
    """The ID of the direct-message channel between the bot and `user_id`."""
    return "D" + user_id[1:]


def is_user_id(channel: str) -> bool:
    return channel[:1] in ("U", "W")


@dataclass(frozen=True)
class Call:
    """One request the fake received."""

    method: str  # "chat.postMessage", or "response_url" for posts to a response URL
    params: dict[str, Any]  # query and body merged; blocks/view/metadata/attachments decoded
    headers: dict[str, str]  # case-insensitive lookups
    path: str
    at: float = field(default_factory=time.monotonic, compare=False)  # when it arrived (time.monotonic)


@dataclass
class _Answer:
    body: dict[str, Any]
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)

    def response(self) -> web.Response:
        return json_response(self.body, self.status, self.headers, JSON)


@dataclass
class _Stored:
    channel: str
    message: dict[str, Any]


def _error(error: str) -> _Answer:
    return _Answer({"ok": False, "error": error})


def _time_range(params: dict[str, Any]) -> Callable[[float], bool]:
    """Whether a message's ts is within `oldest`..`latest` (ends included with `inclusive`)."""
    inclusive = _truthy(params.get("inclusive"))
    oldest = float(params.get("oldest") or 0)
    latest = float(params["latest"]) if params.get("latest") else float("inf")
    return lambda ts: (oldest <= ts <= latest) if inclusive else (oldest < ts < latest)


def _truthy(value: Any) -> bool:
    return value is True or str(value).lower() in ("1", "true")


def _decode_params(content_type: str, body: bytes) -> dict[str, Any]:
    if not body:
        return {}
    text = body.decode("utf-8", errors="replace")
    if content_type.startswith("application/json") or text.lstrip().startswith("{"):
        decoded = json.loads(text)
        return decoded if isinstance(decoded, dict) else {}
    if content_type.startswith("multipart/"):
        return {}
    return _form(text)


def _form(text: str) -> dict[str, Any]:
    pairs = parse_qs(text, keep_blank_values=True)
    return {name: values[0] if len(values) == 1 else values for name, values in pairs.items()}


def _decode_json_fields(params: dict[str, Any]) -> dict[str, Any]:
    for name in JSON_FIELDS:
        value = params.get(name)
        if isinstance(value, str) and value[:1] in ("[", "{"):
            with contextlib.suppress(ValueError):
                params[name] = json.loads(value)
    return params


FILES_PATH = "/files-pri/"
UPLOAD_PATH = "/upload/v1/"


@dataclass(frozen=True)
class SharedFile:
    """A file the bot uploaded and shared: where, under what name, and its bytes."""

    channel: str
    file_id: str
    name: str
    title: str
    data: bytes
    alt_txt: str | None
    initial_comment: str | None


class FakeSlack(FakeHTTP[Call]):
    """A fake of Slack's Web API and response URLs, bound to an ephemeral port."""

    def __init__(self, *, clock: Callable[[], datetime] | None = None, pace: Pace | None = None) -> None:
        """`clock`: the time message timestamps are taken from (by default they count up from
        FIRST_TS_MICROS). `pace`: a per-channel limit on chat.postMessage, answered as Slack does
        (HTTP 429, `Retry-After`, error `ratelimited`); `Pace(POSTS_PER_SECOND_PER_CHANNEL)` is Slack's."""
        super().__init__()
        self.clock = clock
        self.pace = pace
        self._last_micros = FIRST_TS_MICROS - 100
        self._files: dict[str, bytes] = {}
        self._uploads: dict[str, dict[str, Any]] = {}  # upload tickets handed out, by file id
        self._shared: list[SharedFile] = []
        self._messages: list[_Stored] = []
        self._views: dict[str, dict[str, Any]] = {}
        self._home_views: dict[str, str] = {}
        self._users: dict[str, dict[str, Any]] = {}
        self._serial = itertools.count(1)
        # What auth.test says the bot token may do; users.info needs users:read.
        self.scopes: tuple[str, ...] = MANIFEST_SCOPES
        self._methods: dict[str, Callable[[dict[str, Any]], _Answer]] = {
            "auth.test": self._auth_test,
            "chat.postMessage": self._post_message,
            "chat.update": self._update,
            "chat.delete": self._delete,
            "chat.postEphemeral": self._post_ephemeral,
            "views.open": self._views_open,
            "views.push": self._views_push,
            "views.update": self._views_update,
            "views.publish": self._views_publish,
            "users.info": self._users_info,
            "conversations.history": self._history,
            "conversations.replies": self._replies,
            "conversations.open": self._conversations_open,
            "files.getUploadURLExternal": self._get_upload_url,
            "files.completeUploadExternal": self._complete_upload,
        }

    def _add_routes(self, app: web.Application) -> None:
        app.router.add_route("*", "/{path:.*}", self._handle)

    @property
    def api_url(self) -> str:
        """The Web API base URL, for `WebClient(base_url=...)`."""
        return f"{self.base_url}/api/"

    def response_url(self, name: str = "r1") -> str:
        """A response URL; posts to it are recorded as method "response_url"."""
        return f"{self.base_url}/response/{name}"

    # -- what was received -------------------------------------------------------------------

    def calls_to(self, method: str) -> list[Call]:
        return [call for call in self.calls if call.method == method]

    def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """Wait until at least `count` calls to `method` arrived, and return them all."""

        def found() -> list[Call] | None:
            calls = self.calls_to(method)
            return calls if len(calls) >= count else None

        def failure() -> str:
            received = [call.method for call in self.calls]
            got = len(self.calls_to(method))
            return f"expected {count} call(s) to {method} within {timeout} s, got {got}; received: {received}"

        result: list[Call] = self._poll(found, timeout, failure)
        return result

    def message(self, channel: str, ts: str) -> dict[str, Any] | None:
        """The message the fake holds at `ts` in `channel` (a user ID means its DM channel)."""
        with self._lock:
            stored = self._find(channel, ts)
            return copy.deepcopy(stored.message) if stored else None

    def view(self, view_id: str) -> dict[str, Any] | None:
        """The view opened, pushed, updated or published under `view_id`."""
        with self._lock:
            view = self._views.get(view_id)
            return copy.deepcopy(view) if view else None

    def home_view(self, user_id: str) -> dict[str, Any] | None:
        """The App Home view last published for `user_id`."""
        with self._lock:
            view_id = self._home_views.get(user_id)
            return copy.deepcopy(self._views[view_id]) if view_id else None

    # -- steering ----------------------------------------------------------------------------

    def fail_next(
        self, method: str, *, status: int = 429, retry_after: int = 1, times: int = 1, error: str = "ratelimited"
    ) -> None:
        """Answer the next `times` calls to `method` with HTTP `status` and `{"ok": false, "error": error}`.

        A 429 carries `Retry-After: retry_after`, as Slack's rate limiter does.
        """
        body = {"ok": False, "error": error}
        failure = (
            rate_limited(retry_after, body, content_type=JSON)
            if status == 429
            else refused(status, body, content_type=JSON)
        )
        self.fail_with(lambda call: call.method == method, failure, times=times)

    def set_user(
        self,
        user_id: str,
        *,
        name: str | None = None,
        real_name: str | None = None,
        tz: str = "America/New_York",
        locale: str = "en-US",
    ) -> None:
        """Describe a user for `users.info` (unknown users get a profile made from their ID, locale en-US)."""
        with self._lock:
            self._users[user_id] = {**self._profile(user_id, name, real_name, tz), "locale": locale}

    # -- files ---------------------------------------------------------------------------------

    def share_file(self, name: str, content: bytes, *, mimetype: str = "application/octet-stream") -> dict[str, Any]:
        """A file a user shared, as a message event carries it: downloadable with a bot token."""
        file_id = f"F{secrets.token_hex(5).upper()}"
        with self._lock:
            self._files[file_id] = content
        return {
            "id": file_id, "name": name, "title": name, "mimetype": mimetype, "filetype": name.rsplit(".", 1)[-1],
            "size": len(content), "mode": "hosted",
            "url_private": f"{self.base_url}{FILES_PATH}{TEAM_ID}-{file_id}/{name}",
            "url_private_download": f"{self.base_url}{FILES_PATH}{TEAM_ID}-{file_id}/download/{name}",
        }  # fmt: skip

    async def _file_download(self, call: Call) -> web.StreamResponse:
        """Slack serves private files only to a request carrying a token."""
        found = None
        if call.headers.get("authorization", "").startswith("Bearer xox"):
            file_id = urlsplit(call.path).path.removeprefix(FILES_PATH).split("/")[0].split("-", 1)[-1]
            with self._lock:
                found = self._files.get(file_id)
        return web.Response(
            status=200 if found is not None else 404,
            body=found or b"not found",
            content_type="application/octet-stream",
        )

    def shared_files(self, channel: str | None = None) -> list[SharedFile]:
        """The files the bot shared (in `channel`, a user ID meaning its DM channel), oldest first."""
        if channel is not None and is_user_id(channel):
            channel = dm_channel(channel)
        with self._lock:
            return [shared for shared in self._shared if channel is None or shared.channel == channel]

    async def _upload(self, call: Call, body: bytes) -> web.StreamResponse:
        """The upload URL: the bytes of a file whose ticket was handed out (raw or multipart)."""
        file_id = urlsplit(call.path).path.removeprefix(UPLOAD_PATH).split("/")[0]
        with self._lock:
            ticket = self._uploads.get(file_id)
            if ticket is None:
                return web.Response(status=404, text="not found", content_type="text/plain")
            ticket["data"] = body
        return web.Response(status=200, text=f"OK - {len(body)}", content_type="text/plain")

    # -- serving -----------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        headers = Headers(request.headers.items())
        body = await request.read()
        if request.method == "GET" and request.raw_path.startswith(FILES_PATH):
            download = Call("file_download", {}, headers, request.raw_path)
            return await self._serve(request, download, lambda: self._file_download(download))
        if request.method == "POST" and request.raw_path.startswith(UPLOAD_PATH):
            upload = Call("file_upload", {"length": len(body)}, headers, request.raw_path)
            return await self._serve(request, upload, lambda: self._upload(upload, body))
        call = self._call_of(request.raw_path, headers, body)

        async def answer() -> web.StreamResponse:
            with self._lock:
                return self._answer(call).response()

        return await self._serve(request, call, answer)

    @staticmethod
    def _call_of(target: str, headers: Headers, body: bytes) -> Call:
        parts = urlsplit(target)
        params = _form(parts.query) if parts.query else {}
        try:
            params.update(_decode_params(headers.get("content-type", ""), body))
        except ValueError:
            params["_raw"] = body.decode("utf-8", errors="replace")
        params = _decode_json_fields(params)
        path = parts.path
        if path.startswith("/api/"):
            method = path.removeprefix("/api/")
        elif path.startswith("/response/"):
            method = "response_url"
        else:
            method = path
        return Call(method, params, headers, path)

    def _answer(self, call: Call) -> _Answer:
        """Slack's answer to `call` (with the lock held)."""
        method, params = call.method, copy.deepcopy(call.params)
        refused_as = refusal(method, params)
        if method == "response_url":
            return _error(refused_as) if refused_as else _Answer({"ok": True})
        if not call.path.startswith("/api/"):
            return _Answer({"ok": False, "error": "unknown_method"}, status=404)
        if method not in NO_AUTH_METHODS:
            token = self._token(call.headers, params)
            token_refused = self._token_refusal(method, token) if token else "not_authed"
            if token_refused:
                return _error(token_refused)
        if refused_as:
            return _error(refused_as)
        handler = self._methods.get(method)
        if handler is None:
            return _Answer({"ok": True})
        try:
            return handler(params)
        except (ValueError, TypeError, KeyError) as error:
            return _Answer({"ok": False, "error": "fake_slack_error", "detail": repr(error)}, status=500)

    @staticmethod
    def _token(headers: dict[str, str], params: dict[str, Any]) -> str:
        authorization = str(headers.get("authorization", ""))
        if authorization.startswith("Bearer "):
            return authorization.removeprefix("Bearer ").strip()
        return str(params.get("token") or "")

    def _token_refusal(self, method: str, token: str) -> str | None:
        """Slack's error for `token` calling `method`, or None when it is the right kind of token."""
        if not token.startswith((APP_TOKEN_PREFIX, BOT_TOKEN_PREFIX)):
            return "invalid_auth"
        needed = APP_TOKEN_PREFIX if method in APP_TOKEN_METHODS else BOT_TOKEN_PREFIX
        return None if token.startswith(needed) else "not_allowed_token_type"

    def _next_ts(self) -> str:
        """A unique timestamp, later than every one before (Slack's are its clock's time)."""
        now = int(self.clock().timestamp() * 1_000_000) if self.clock is not None else 0
        micros = max(now, self._last_micros + 100)
        self._last_micros = micros
        return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"

    def _find(self, channel: str, ts: str) -> _Stored | None:
        channel = dm_channel(channel) if is_user_id(channel) else channel
        return next((s for s in self._messages if s.channel == channel and s.message["ts"] == ts), None)

    # -- methods (called with the lock held) -------------------------------------------------

    def _auth_test(self, params: dict[str, Any]) -> _Answer:
        body = {
            "ok": True,
            "url": f"https://{TEAM_DOMAIN}.slack.com/",
            "team": TEAM_NAME,
            "user": BOT_USER_NAME,
            "team_id": TEAM_ID,
            "user_id": BOT_USER_ID,
            "bot_id": BOT_ID,
            "is_enterprise_install": False,
        }
        return _Answer(body, headers={"x-oauth-scopes": ",".join(sorted(self.scopes))})

    def _post_message(self, params: dict[str, Any]) -> _Answer:
        channel = str(params.get("channel") or "")
        if not channel:
            return _error("channel_not_found")
        if not (params.get("text") or params.get("blocks") or params.get("attachments")):
            return _error("no_text")
        if is_user_id(channel):
            channel = dm_channel(channel)
        wait = self.pace.take(channel) if self.pace is not None else None
        if wait is not None:
            return _Answer({"ok": False, "error": "ratelimited"}, 429, {"Retry-After": retry_after_header(wait)})
        ts = self._next_ts()
        message: dict[str, Any] = {
            "user": BOT_USER_ID,
            "type": "message",
            "ts": ts,
            "bot_id": BOT_ID,
            "app_id": APP_ID,
            "text": params.get("text") or "",
            "team": TEAM_ID,
            "bot_profile": {
                "id": BOT_ID,
                "app_id": APP_ID,
                "name": BOT_USER_NAME,
                "deleted": False,
                "team_id": TEAM_ID,
            },
        }
        for name in ("blocks", "attachments", "metadata"):
            if params.get(name):
                message[name] = params[name]
        thread_ts = params.get("thread_ts")
        if thread_ts:
            parent = self._find(channel, str(thread_ts))
            message["thread_ts"] = str(thread_ts)
            message["parent_user_id"] = parent.message.get("user") if parent else BOT_USER_ID
            if _truthy(params.get("reply_broadcast")):
                message["subtype"] = "thread_broadcast"
        self._messages.append(_Stored(channel, message))
        return _Answer({"ok": True, "channel": channel, "ts": ts, "message": copy.deepcopy(message)})

    def _update(self, params: dict[str, Any]) -> _Answer:
        stored = self._find(str(params.get("channel") or ""), str(params.get("ts") or ""))
        if stored is None:
            return _error("message_not_found")
        message = stored.message
        for name in ("text", "blocks", "attachments", "metadata"):
            if name in params:
                message[name] = params[name]
        message["edited"] = {"user": BOT_USER_ID, "ts": self._next_ts()}
        body = {
            "ok": True,
            "channel": stored.channel,
            "ts": message["ts"],
            "text": message.get("text", ""),
            "message": copy.deepcopy(message),
        }
        return _Answer(body)

    def _delete(self, params: dict[str, Any]) -> _Answer:
        stored = self._find(str(params.get("channel") or ""), str(params.get("ts") or ""))
        if stored is None:
            return _error("message_not_found")
        self._messages.remove(stored)
        return _Answer({"ok": True, "channel": stored.channel, "ts": stored.message["ts"]})

    def _post_ephemeral(self, params: dict[str, Any]) -> _Answer:
        if not params.get("channel"):
            return _error("channel_not_found")
        if not params.get("user"):
            return _error("user_not_in_channel")
        return _Answer({"ok": True, "message_ts": self._next_ts()})

    def _store_view(
        self, view: dict[str, Any], *, view_id: str | None = None, below: dict[str, Any] | None = None
    ) -> _Answer:
        view_id = view_id or f"V{next(self._serial):010d}"
        previous = self._views.get(view_id, {})
        stored: dict[str, Any] = {
            "id": view_id,
            "team_id": TEAM_ID,
            "type": "modal",
            "blocks": [],
            "private_metadata": "",
            "callback_id": "",
            "state": {"values": {}},
            "hash": "",
            "title": None,
            "clear_on_close": False,
            "notify_on_close": False,
            "close": None,
            "submit": None,
            "previous_view_id": below["id"] if below else previous.get("previous_view_id"),
            "root_view_id": below["root_view_id"] if below else previous.get("root_view_id", view_id),
            "app_id": APP_ID,
            "external_id": "",
            "app_installed_team_id": TEAM_ID,
            "bot_id": BOT_ID,
        }
        stored.update(copy.deepcopy(view))
        stored["id"] = view_id
        stored["hash"] = f"{int(time.time())}.{secrets.token_urlsafe(6)}"
        self._views[view_id] = stored
        return _Answer({"ok": True, "view": copy.deepcopy(stored)})

    def _views_open(self, params: dict[str, Any]) -> _Answer:
        view = params.get("view")
        if not isinstance(view, dict) or not params.get("trigger_id"):
            return _error("invalid_arguments")
        return self._store_view(view)

    def _views_push(self, params: dict[str, Any]) -> _Answer:
        view = params.get("view")
        if not isinstance(view, dict) or not params.get("trigger_id"):
            return _error("invalid_arguments")
        modals = [v for v in self._views.values() if v["type"] == "modal"]
        return self._store_view(view, below=modals[-1] if modals else None)

    def _views_update(self, params: dict[str, Any]) -> _Answer:
        view = params.get("view")
        if not isinstance(view, dict):
            return _error("invalid_arguments")
        view_id = params.get("view_id")
        if not view_id and params.get("external_id"):
            view_id = next((i for i, v in self._views.items() if v["external_id"] == params["external_id"]), None)
        if not view_id or view_id not in self._views:
            return _error("not_found")
        return self._store_view(view, view_id=str(view_id))

    def _views_publish(self, params: dict[str, Any]) -> _Answer:
        view = params.get("view")
        user_id = params.get("user_id")
        if not isinstance(view, dict) or not user_id:
            return _error("invalid_arguments")
        answer = self._store_view(view, view_id=self._home_views.get(str(user_id)))
        self._home_views[str(user_id)] = answer.body["view"]["id"]
        return answer

    @staticmethod
    def _profile(user_id: str, name: str | None, real_name: str | None, tz: str) -> dict[str, Any]:
        name = name or user_id.lower()
        real_name = real_name or name.title()
        return {
            "id": user_id,
            "team_id": TEAM_ID,
            "name": name,
            "deleted": False,
            "real_name": real_name,
            "tz": tz,
            "tz_label": tz,
            "tz_offset": 0,
            "profile": {"display_name": name, "real_name": real_name, "team": TEAM_ID},
            "is_admin": False,
            "is_owner": False,
            "is_bot": False,
            "is_app_user": False,
            "updated": 1_700_000_000,
        }

    def _users_info(self, params: dict[str, Any]) -> _Answer:
        if "users:read" not in self.scopes:
            # docs.slack.dev/reference/methods/users.info: required scope users:read
            body = {"ok": False, "error": "missing_scope", "needed": "users:read", "provided": ",".join(self.scopes)}
            return _Answer(body)
        user_id = str(params.get("user") or "")
        if not user_id:
            return _error("user_not_found")
        user = copy.deepcopy(self._users.get(user_id) or self._profile(user_id, None, None, "America/New_York"))
        locale = user.pop("locale", "en-US")
        if _truthy(params.get("include_locale")):
            # Only with include_locale=true does Slack add the user's locale (users.info reference).
            user["locale"] = locale
        return _Answer({"ok": True, "user": user})

    def _shown(self, stored: _Stored, params: dict[str, Any]) -> dict[str, Any]:
        message = stored.message
        shown = copy.deepcopy(message)
        if "metadata" in shown and not _truthy(params.get("include_all_metadata")):
            shown["metadata"] = {"event_type": shown["metadata"].get("event_type")}
        replies = [
            s.message
            for s in self._messages
            if s.channel == stored.channel and s.message.get("thread_ts") == message["ts"]
        ]
        if replies and "thread_ts" not in message:
            users = list(dict.fromkeys(reply["user"] for reply in replies))
            shown.update(
                thread_ts=message["ts"],
                reply_count=len(replies),
                reply_users_count=len(users),
                reply_users=users,
                latest_reply=replies[-1]["ts"],
                is_locked=False,
                subscribed=False,
            )
        return shown

    @staticmethod
    def _page(messages: list[dict[str, Any]], params: dict[str, Any]) -> dict[str, Any]:
        limit = max(1, min(int(params.get("limit") or 100), 999))
        cursor = str(params.get("cursor") or "")
        start = int(base64.b64decode(cursor).decode().removeprefix("offset:")) if cursor else 0
        page = messages[start : start + limit]
        more = start + limit < len(messages)
        next_cursor = base64.b64encode(f"offset:{start + limit}".encode()).decode() if more else ""
        return {"ok": True, "messages": page, "has_more": more, "response_metadata": {"next_cursor": next_cursor}}

    def _get_upload_url(self, params: dict[str, Any]) -> _Answer:
        filename = str(params.get("filename") or "")
        try:
            length = int(params.get("length") or 0)
        except (TypeError, ValueError):
            return _error("invalid_arguments")
        if not filename or length <= 0:
            return _error("missing_argument")
        if length > MAX_FILE_BYTES:
            return _error("file_upload_size_restricted")
        if len(str(params.get("alt_txt") or "")) > MAX_ALT_TEXT:
            return _error("alt_txt_too_large")
        file_id = f"F{secrets.token_hex(5).upper()}"
        self._uploads[file_id] = {"filename": filename, "length": length, "alt_txt": params.get("alt_txt")}
        return _Answer({"ok": True, "upload_url": f"{self.base_url}{UPLOAD_PATH}{file_id}", "file_id": file_id})

    def _complete_upload(self, params: dict[str, Any]) -> _Answer:
        files = params.get("files")
        if not isinstance(files, list) or not files:
            return _error("invalid_arguments")
        tickets = [(str(f.get("id") or ""), f) for f in files if isinstance(f, dict)]
        if len(tickets) != len(files) or any(self._uploads.get(i, {}).get("data") is None for i, _ in tickets):
            return _error("file_not_found")
        channels = [c for c in str(params.get("channels") or "").split(",") if c]
        if len(channels) > MAX_SHARE_CHANNELS:
            return _error("channels_limit_exceeded")
        channel = str(params.get("channel_id") or "")
        if channel and channel[:1] not in ("C", "G", "D"):
            return _error("channel_not_found")
        targets = [channel] if channel else [dm_channel(c) if is_user_id(c) else c for c in channels]
        shown = []
        for file_id, described in tickets:
            ticket = self._uploads.pop(file_id)
            title = str(described.get("title") or ticket["filename"])
            shown.append({"id": file_id, "name": ticket["filename"], "title": title, "size": len(ticket["data"])})
            for target in targets:
                self._shared.append(
                    SharedFile(target, file_id, ticket["filename"], title, ticket["data"], ticket["alt_txt"],
                               params.get("initial_comment"))
                )  # fmt: skip
        for target in targets:  # the files appear in a message of their own
            message = {"user": BOT_USER_ID, "type": "message", "subtype": "file_share", "ts": self._next_ts(),
                       "text": str(params.get("initial_comment") or ""), "files": copy.deepcopy(shown)}  # fmt: skip
            self._messages.append(_Stored(target, message))
        return _Answer({"ok": True, "files": shown})

    def _conversations_open(self, params: dict[str, Any]) -> _Answer:
        users = [user for user in str(params.get("users") or "").split(",") if user]
        if len(users) != 1 or not is_user_id(users[0]):
            return _error("users_list_not_supplied" if not users else "user_not_found")
        channel = {"id": dm_channel(users[0]), "is_im": True, "user": users[0], "is_open": True}
        return _Answer({"ok": True, "channel": channel})

    def _history(self, params: dict[str, Any]) -> _Answer:
        channel = str(params.get("channel") or "")
        if not channel or is_user_id(channel):
            return _error("channel_not_found")
        in_range = _time_range(params)
        found = [
            self._shown(s, params)
            for s in reversed(self._messages)
            if s.channel == channel
            and ("thread_ts" not in s.message or s.message.get("subtype") == "thread_broadcast")
            and in_range(float(s.message["ts"]))
        ]
        body = self._page(found, params)
        body.update(pin_count=0, channel_actions_ts=None, channel_actions_count=0)
        return _Answer(body)

    def _replies(self, params: dict[str, Any]) -> _Answer:
        channel, ts = str(params.get("channel") or ""), str(params.get("ts") or "")
        if not channel or is_user_id(channel):
            return _error("channel_not_found")
        stored = self._find(channel, ts)
        if stored is None:
            return _error("thread_not_found")
        root = stored.message.get("thread_ts", ts)
        parent = self._find(channel, root)
        thread = [parent] if parent else []
        thread += [s for s in self._messages if s.channel == stored.channel and s.message.get("thread_ts") == root]
        in_range = _time_range(params)
        shown = [self._shown(s, params) for s in thread if in_range(float(s.message["ts"]))]
        return _Answer(self._page(shown, params))

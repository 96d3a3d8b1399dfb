"""A fake Discord REST API and gateway on 127.0.0.1, for tests that run the real discord.py client against it.

The fake serves both from one aiohttp application, on its own event loop in a background thread:
REST under `fake.api_url` (`http://127.0.0.1:PORT/api/v10`) and the gateway at `fake.gateway_url`
(`ws://127.0.0.1:PORT/gateway/`). `fake.use_for()` points discord.py at them (it sets
`discord.http.Route.BASE` and `discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY`; `stop()` puts
the previous values back). Call it before the client starts: discord.py reads `Route.BASE` when
it builds each route.

    with FakeDiscord() as fake:
        fake.use_for()
        client = discord.Client(intents=discord.Intents.default(), guild_ready_timeout=0.1)
        ...  # start the client, then:
        fake.wait_until_ready()
        interaction_id = fake.slash_command(user_id, "ping")
        (callback,) = fake.wait_for("POST", f"/interactions/{interaction_id}/")
        assert callback.json["type"] == 4

Every REST request is recorded as a `Call` (method, path relative to the API base, JSON body,
headers, query, uploaded files) and answered the way Discord answers it, always with a
Content-Type of exactly `application/json` (discord.py parses nothing else). The gateway speaks
JSON (zlib-stream compressed when the client asks for it, as discord.py does): HELLO, heartbeat
ACKs, IDENTIFY → READY + GUILD_CREATE, RESUME → the missed events + RESUMED, op 7 on
`reconnect()`, op 9 on `invalidate_session()` and for a RESUME of a session it does not know,
GUILD_MEMBERS_CHUNK for op 8.

Like Discord:
- the guild has a category, a text channel `team` and one for a brand; roles @everyone, admin,
  team and the bot's managed role; the bot is a member of it.
- messages the bot posts (channel messages, interaction responses, follow-ups) are kept, get
  snowflake ids and timestamps, and come back through the gateway as MESSAGE_CREATE /
  MESSAGE_UPDATE / MESSAGE_DELETE (ephemeral ones excepted); threads the bot starts come back as
  THREAD_CREATE. A thread started from a message has the message's id.
- a user's message reaches a client that did not ask for the message content intent with empty
  content, unless it mentions the bot; IDENTIFY with a privileged intent that the application was
  not granted (`privileged_intents`) is closed with 4014.
- an interaction can be answered once (40060 after that), only within `interaction_deadline`
  seconds (10062 after that); follow-ups need the answer first (10015).
- `POST /users/@me/channels` opens (once per user) a direct message channel of type 1, where the
  bot can post; `dm_channel_of(user_id)` shows it.
- messages over 2000 characters and empty messages are refused (50035, 50006), and so is every
  message (sent, edited, an interaction's answer, a follow-up) or modal that breaks one of the
  limits in `support.discord_limits` (embeds, fields, action rows, buttons, labels, custom ids,
  select options, modal title and inputs): 400, code 50035 "Invalid Form Body", with the failing
  field's path in `errors`.
- files the bot sends over `attachment_size_limit` in all are refused (413, 40005).
- a modal with no component or more than 5, a title over 45 characters, a custom_id outside
  1-100, or a text input whose label (45), placeholder (100), value (4000), min_length (0-4000)
  or max_length (1-4000) breaks its limit is refused (400, 50035, with the field's path).
- `upload()` stores a file the way a member attaches one (refused over the guild's
  `attachment_size_limit`); its attachment object goes in a slash command's attachment option
  (type 11, with `resolved.attachments`) or a direct message (`direct_message()`). Its URL is on
  the fake's CDN (`/attachments/...`), which records each fetch in `downloads`.
- a direct message reaches only a client that identified with DIRECT_MESSAGES, with its content
  and attachments even without the message content intent.
- application commands are refused (400, 50035) for an invalid name, a description outside
  1-100 characters, more than 25 options or sub-commands a level, a required option after an
  optional one, more than 25 choices, choices with autocomplete, nesting deeper than command >
  group > sub-command, or more than 8000 characters of names, descriptions and choices.
- a REST call the fake does not implement is recorded and answered 404 `{"message": "404: Not
  Found", "code": 0}`.

The sync waits (`wait_for`, `wait_until_ready`, `wait_until_resumed`) block the calling thread:
from a coroutine running the client, await their `*_async` twins instead. The user actions
(`slash_command`, `press_button`, ...) only block until the fake's loop has sent the frame, so
they may be called from the client's loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import itertools
import json
import re
import secrets
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import ModuleType
from typing import Any

import discord
import yarl
from aiohttp import BodyPartReader, WSMsgType, web

from support.discord_limits import message_refusal, modal_refusal
from support.fake_http import Failure, FakeHTTP, Headers, Pace, json_response, retry_after_header

# Discord's locales (reference.mdx, "Locales"), the keys a localization may use.
DISCORD_LOCALES = frozenset(locale.value for locale in discord.Locale)

API_VERSION = 10
API_PREFIX = f"/api/v{API_VERSION}"
DISCORD_EPOCH_MS = 1_420_070_400_000
HEARTBEAT_INTERVAL_MS = 41_250
MAX_CONTENT_LENGTH = 2000
# What a person can post: 2000 characters, 4000 with Nitro ("Message Resource"; Nitro's longer messages).
MAX_USER_CONTENT = 4000
# Create Message: "nonce ... (up to 25 characters)"; with `enforce_nonce`, "the nonce will be checked
# for uniqueness in the past few minutes. If another message was created by the same author with
# the same nonce, that message will be returned and no new message will be created"
# (resources/message.mdx). "A few minutes" is not given exactly: the fake keeps nonces 2 minutes.
MAX_NONCE_LENGTH = 25
NONCE_WINDOW = 120.0
ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024
# "Receiving and Responding", modal (receiving-and-responding.mdx:320-322): a title of at most 45
# characters, 1 to 5 components, a custom_id of 1 to 100 characters.
MODAL_TITLE_LENGTH = 45
MODAL_COMPONENTS = (1, 5)
CUSTOM_ID_LENGTH = (1, 100)
# Components reference, text input (components/reference.mdx:501-507,2017): label at most 45
# characters, placeholder at most 100, value at most 4000, min_length 0-4000, max_length 1-4000.
TEXT_INPUT_LABEL = 45
TEXT_INPUT_PLACEHOLDER = 100
TEXT_INPUT_VALUE = 4000
TEXT_INPUT_MIN_LENGTH = (0, 4000)
TEXT_INPUT_MAX_LENGTH = (1, 4000)
# Gateway intents (events/gateway.mdx, "List of Intents"): MESSAGE_CREATE in direct messages needs
# DIRECT_MESSAGES; their content is sent whatever MESSAGE_CONTENT says ("Message Content Intent":
# content in DMs with the app is one of the exceptions).
DIRECT_MESSAGES_INTENT = 1 << 12

# Gateway opcodes.
OP_DISPATCH = 0
OP_HEARTBEAT = 1
OP_IDENTIFY = 2
OP_PRESENCE_UPDATE = 3
OP_RESUME = 6
OP_RECONNECT = 7
OP_REQUEST_GUILD_MEMBERS = 8
OP_INVALID_SESSION = 9
OP_HELLO = 10
OP_HEARTBEAT_ACK = 11

# Interaction types and interaction response (callback) types.
INTERACTION_APPLICATION_COMMAND = 2
INTERACTION_MESSAGE_COMPONENT = 3
INTERACTION_AUTOCOMPLETE = 4
INTERACTION_MODAL_SUBMIT = 5
RESPONSE_CHANNEL_MESSAGE = 4
RESPONSE_DEFERRED_CHANNEL_MESSAGE = 5
RESPONSE_DEFERRED_UPDATE_MESSAGE = 6
RESPONSE_UPDATE_MESSAGE = 7
RESPONSE_AUTOCOMPLETE_RESULT = 8
RESPONSE_MODAL = 9

# Channel types.
GUILD_TEXT = 0
DM = 1
GUILD_CATEGORY = 4
GUILD_ANNOUNCEMENT = 5
ANNOUNCEMENT_THREAD = 10
PUBLIC_THREAD = 11
PRIVATE_THREAD = 12
THREAD_TYPES = frozenset({ANNOUNCEMENT_THREAD, PUBLIC_THREAD, PRIVATE_THREAD})

# Message flags.
FLAG_HAS_THREAD = 1 << 5
FLAG_EPHEMERAL = 1 << 6
FLAG_LOADING = 1 << 7

# Privileged intents: the intent bit, and the application flag Discord sets when it is granted.
PRIVILEGED_INTENTS: dict[str, tuple[int, int]] = {
    "members": (1 << 1, 1 << 15),
    "presences": (1 << 8, 1 << 13),
    "message_content": (1 << 15, 1 << 19),
}
APPLICATION_COMMAND_BADGE = 1 << 23

EVERYONE_PERMISSIONS = discord.Permissions(
    view_channel=True,
    send_messages=True,
    send_messages_in_threads=True,
    create_public_threads=True,
    read_message_history=True,
    add_reactions=True,
    embed_links=True,
    attach_files=True,
    use_external_emojis=True,
    use_application_commands=True,
    change_nickname=True,
).value
TEAM_PERMISSIONS = EVERYONE_PERMISSIONS | discord.Permissions(create_private_threads=True, mention_everyone=True).value
BOT_PERMISSIONS = (
    EVERYONE_PERMISSIONS
    | discord.Permissions(
        create_private_threads=True, manage_threads=True, manage_messages=True, mention_everyone=True
    ).value
)
ADMIN_PERMISSIONS = discord.Permissions(administrator=True).value
ALL_PERMISSIONS = discord.Permissions.all().value

COMMAND_NAME = re.compile(r"^[-_\w]{1,32}$")
MAX_COMMAND_SIZE = 8000  # characters of names, descriptions and choices in one command
# application-commands.mdx: USER (2) and MESSAGE (3) command names are 1-32 characters, "may be mixed
# case and can include spaces"; their description is an empty string and only CHAT_INPUT takes
# options. "Registering a Command": "5 global `MESSAGE` commands", "the same amount of guild-specific
# commands per guild" (15 in later revisions; the fake keeps the stricter 5).
MESSAGE_COMMAND = 3
MENU_NAME_LENGTH = (1, 32)
MAX_MESSAGE_COMMANDS = 5
USER_MENTION = re.compile(r"<@!?(\d+)>")
ROLE_MENTION = re.compile(r"<@&(\d+)>")


def urlsplit_path(url: str) -> str:
    return str(yarl.URL(url).path)


def snowflake_at(moment: datetime, increment: int = 0) -> int:
    """The snowflake Discord would give an object made at `moment` (worker 1, process 0)."""
    millis = int(moment.timestamp() * 1000) - DISCORD_EPOCH_MS
    return (millis << 22) | (1 << 17) | (increment & 0xFFF)


def snowflake_time(snowflake: int) -> datetime:
    return datetime.fromtimestamp(((snowflake >> 22) + DISCORD_EPOCH_MS) / 1000, tz=UTC)


def iso(moment: datetime) -> str:
    """A timestamp the way Discord writes it: `2024-05-01T12:00:00.123000+00:00`."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


_CREATED = datetime(2023, 3, 1, 9, 30, tzinfo=UTC)
GUILD_ID = snowflake_at(_CREATED, 1)
APPLICATION_ID = snowflake_at(_CREATED.replace(day=2), 1)
BOT_USER_ID = APPLICATION_ID  # an application's bot user shares its id
OWNER_ID = snowflake_at(datetime(2021, 6, 1, tzinfo=UTC), 7)
GUILD_NAME = "MarketSafe"
BOT_USER_NAME = "marketsafe"
APPLICATION_NAME = "MarketSafe"


class _Snowflakes:
    """Fresh, strictly increasing snowflakes from the current time."""

    def __init__(self) -> None:
        self._last = 0
        self._lock = threading.Lock()

    def next(self) -> int:
        with self._lock:
            millis = int(time.time() * 1000) - DISCORD_EPOCH_MS
            candidate = (millis << 22) | (1 << 17)
            self._last = max(candidate, self._last + 1)
            return self._last


@dataclass(frozen=True)
class Call:
    """One REST request the fake received."""

    method: str  # "GET", "POST", ...
    path: str  # relative to the API base, without the query: "/channels/1/messages"
    json: Any  # the decoded JSON body (a multipart body's `payload_json`), or None
    headers: dict[str, str]  # case-insensitive lookups
    query: dict[str, str] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)  # uploaded files by file name


@dataclass
class _Answer:
    body: Any = None
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    events: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    def response(self) -> web.Response:
        if self.status == 204:
            return web.Response(status=204, headers=self.headers)
        # Exactly `application/json`: discord.py does not parse `application/json; charset=utf-8`.
        return json_response(self.body, self.status, self.headers)


class _Refused(Exception):
    """A REST error answer, raised from deep inside a handler."""

    def __init__(self, status: int, code: int, message: str, errors: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        body: dict[str, Any] = {"message": message, "code": code}
        if errors is not None:
            body["errors"] = errors
        self.answer = _Answer(body, status=status)


def _not_found(what: str, code: int) -> _Refused:
    return _Refused(404, code, f"Unknown {what}")


def _invalid_form(path: list[str], code: str, message: str) -> _Refused:
    errors: dict[str, Any] = {"_errors": [{"code": code, "message": message}]}
    for name in reversed(path):
        errors = {name: errors}
    return _Refused(400, 50035, "Invalid Form Body", errors)


def _check_options(options: list[dict[str, Any]], path: list[str], *, depth: int = 0) -> None:
    """Refuse command options the way Discord does: names, descriptions, at most 25 options (or
    sub-commands) a level, required before optional, choices, and command > group > sub-command."""
    if len(options) > 25:
        raise _invalid_form([*path, "options"], "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
    optional_seen = False
    for index, option in enumerate(options):
        where = [*path, "options", str(index)]
        name, kind = str(option.get("name") or ""), int(option.get("type") or 0)
        if not COMMAND_NAME.match(name) or name != name.lower():
            raise _invalid_form([*where, "name"], "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid")
        if not 1 <= len(str(option.get("description") or "")) <= 100:
            raise _invalid_form([*where, "description"], "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.")
        _check_localizations(option, where)
        if kind in (1, 2):
            if kind > 2 - depth:  # a group only directly under the command, a sub-command at most one level down
                raise _invalid_form(where, "APPLICATION_COMMAND_OPTION_TYPE_INVALID", "Invalid nesting of options")
            _check_options(option.get("options") or [], where, depth=depth + 1 + (kind == 1))
            continue
        if option.get("required") and optional_seen:
            raise _invalid_form(
                where,
                "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                "Required options must be placed before non-required options",
            )
        optional_seen = optional_seen or not option.get("required")
        choices = option.get("choices") or []
        if choices and option.get("autocomplete"):
            raise _invalid_form(where, "AUTOCOMPLETE_AND_CHOICES", "Autocomplete and choices cannot both be set")
        if len(choices) > 25:
            raise _invalid_form([*where, "choices"], "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
        for number, choice in enumerate(choices):
            value = choice.get("value")
            if not 1 <= len(str(choice.get("name") or "")) <= 100 or (isinstance(value, str) and len(value) > 100):
                raise _invalid_form(
                    [*where, "choices", str(number)], "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length."
                )


def _check_length(value: Any, bounds: tuple[int, int], path: list[str]) -> None:
    low, high = bounds
    if value is None and low == 0:
        return
    length = len(str(value or ""))
    if not low <= length <= high:
        if low == 0:
            raise _invalid_form(path, "BASE_TYPE_MAX_LENGTH", f"Must be {high} or fewer in length.")
        raise _invalid_form(path, "BASE_TYPE_BAD_LENGTH", f"Must be between {low} and {high} in length.")


def _check_number(value: Any, bounds: tuple[int, int], path: list[str]) -> None:
    low, high = bounds
    if value is None:
        return
    if int(value) > high:
        raise _invalid_form(path, "NUMBER_TYPE_MAX", f"int value should be less than or equal to {high}.")
    if int(value) < low:
        raise _invalid_form(path, "NUMBER_TYPE_MIN", f"int value should be greater than or equal to {low}.")


def check_modal(data: dict[str, Any]) -> None:
    """Refuse a modal the way Discord does (raising `_Refused`, whose `answer` is Discord's 400):
    its title, custom_id, 1 to 5 components, and each text input's label, placeholder, value,
    min_length and max_length, naming the field's path."""
    _check_length(data.get("title"), (1, MODAL_TITLE_LENGTH), ["data", "title"])
    _check_length(data.get("custom_id"), CUSTOM_ID_LENGTH, ["data", "custom_id"])
    components = data.get("components") or []
    low, high = MODAL_COMPONENTS
    if not low <= len(components) <= high:
        raise _invalid_form(
            ["data", "components"], "BASE_TYPE_BAD_LENGTH", f"Must be between {low} and {high} in length."
        )
    for index, top in enumerate(components):
        where = ["data", "components", str(index)]
        if top.get("type") == 1:
            inputs = [([*where, "components", str(n)], c) for n, c in enumerate(top.get("components") or [])]
        else:  # a label (type 18) holds its input in `component`
            inputs = [([*where, "component"], top.get("component") or {})]
            _check_length(top.get("label"), (1, TEXT_INPUT_LABEL), [*where, "label"])
        for path, component in inputs:
            if component.get("type") != 4:
                continue
            _check_length(component.get("custom_id"), CUSTOM_ID_LENGTH, [*path, "custom_id"])
            if "label" in component:
                _check_length(component.get("label"), (1, TEXT_INPUT_LABEL), [*path, "label"])
            _check_length(component.get("placeholder"), (0, TEXT_INPUT_PLACEHOLDER), [*path, "placeholder"])
            _check_length(component.get("value"), (0, TEXT_INPUT_VALUE), [*path, "value"])
            _check_number(component.get("min_length"), TEXT_INPUT_MIN_LENGTH, [*path, "min_length"])
            _check_number(component.get("max_length"), TEXT_INPUT_MAX_LENGTH, [*path, "max_length"])


def _check_localizations(part: dict[str, Any], path: list[str]) -> None:
    """Localized names and descriptions: keys must be Discord locales (reference.mdx, Locales) and
    each value obeys its field's limits (application-commands.mdx: description 1-100; a name as the name)."""
    for key in ("name_localizations", "description_localizations"):
        for locale, text in (part.get(key) or {}).items():
            where = [*path, key, str(locale)]
            if locale not in DISCORD_LOCALES:
                raise _invalid_form(where, "INVALID_LOCALE", "Invalid locale")
            if key == "description_localizations" and not 1 <= len(str(text)) <= 100:
                raise _invalid_form(where, "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.")
            if key == "name_localizations" and (not COMMAND_NAME.match(str(text)) or text != str(text).lower()):
                raise _invalid_form(where, "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid")


def _check_menu(command: dict[str, Any], path: list[str]) -> None:
    """A USER or MESSAGE command: a name (and localized names) of 1-32 characters, no description, no options."""
    low, high = MENU_NAME_LENGTH
    names = {"name": command.get("name"), **{
        f"name_localizations.{locale}": text for locale, text in (command.get("name_localizations") or {}).items()
    }}  # fmt: skip
    for where, name in names.items():
        if not low <= len(str(name or "").strip()) <= high:
            raise _invalid_form([*path, *where.split(".")], "BASE_TYPE_BAD_LENGTH",
                                f"Must be between {low} and {high} in length.")  # fmt: skip
    for locale in command.get("name_localizations") or {}:
        if locale not in DISCORD_LOCALES:
            raise _invalid_form([*path, "name_localizations", str(locale)], "INVALID_LOCALE", "Invalid locale")
    if command.get("description"):
        raise _invalid_form([*path, "description"], "APPLICATION_COMMAND_DESCRIPTION_INVALID",
                            "Description must be empty for this command type")  # fmt: skip
    if command.get("options"):
        raise _invalid_form([*path, "options"], "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
                            "Only chat input commands can have options")  # fmt: skip


def _check_menu_count(commands: list[dict[str, Any]]) -> None:
    if sum(1 for c in commands if c.get("type") == MESSAGE_COMMAND) > MAX_MESSAGE_COMMANDS:
        raise _Refused(400, 30032, f"Maximum number of application commands reached ({MAX_MESSAGE_COMMANDS})")


def _command_size(part: dict[str, Any]) -> int:
    """Names, descriptions and choice names and values of a command with all its options."""
    size = len(str(part.get("name") or "")) + len(str(part.get("description") or ""))
    size += sum(len(str(c.get("name") or "")) + len(str(c.get("value") or "")) for c in part.get("choices") or [])
    return size + sum(_command_size(option) for option in part.get("options") or [])


@dataclass
class _Member:
    name: str
    roles: list[int]
    joined_at: str
    bot: bool = False


@dataclass
class _Interaction:
    id: int
    token: str
    type: int
    user_id: int
    channel_id: int
    created: float
    name: str = ""  # the command's name, for application commands
    message_id: int | None = None  # the message a component sits on
    response_type: int | None = None
    original_id: int | None = None
    message_ids: set[int] = field(default_factory=set)


@dataclass
class _Modal:
    data: dict[str, Any]
    opened_by: _Interaction


@dataclass
class _Session:
    id: str
    intents: int
    shard: list[int] | None
    seq: int = 0
    log: list[dict[str, Any]] = field(default_factory=list)


class _Connection:
    def __init__(self, socket: web.WebSocketResponse, compress: bool) -> None:
        self.socket = socket
        self.compressor = zlib.compressobj() if compress else None
        self.lock = asyncio.Lock()
        self.session: _Session | None = None

    async def send(self, frame: dict[str, Any]) -> None:
        text = json.dumps(frame)
        async with self.lock:
            if self.socket.closed:
                return
            with contextlib.suppress(ConnectionResetError):
                if self.compressor is None:
                    await self.socket.send_str(text)
                else:
                    data = self.compressor.compress(text.encode("utf-8")) + self.compressor.flush(zlib.Z_SYNC_FLUSH)
                    await self.socket.send_bytes(data)


def _walk_components(components: Iterable[Any]) -> Iterator[dict[str, Any]]:
    for component in components:
        if not isinstance(component, dict):
            continue
        yield component
        yield from _walk_components(component.get("components") or [])
        for key in ("component", "accessory"):
            inner = component.get(key)
            if isinstance(inner, dict):
                yield from _walk_components([inner])


def _number_components(components: list[Any]) -> list[Any]:
    """Give every component an `id`, as Discord does for the components it stores."""
    serial = itertools.count(1)
    for component in _walk_components(components):
        component.setdefault("id", next(serial))
    return components


def _infer_option_type(value: Any) -> int:
    if isinstance(value, bool):
        return 5
    if isinstance(value, int):
        return 4
    if isinstance(value, float):
        return 10
    return 3


class FakeDiscord(FakeHTTP[Call]):
    """A fake of Discord's REST API and gateway for one bot in one guild, bound to an ephemeral port."""

    client_max_size = ATTACHMENT_SIZE_LIMIT * 2  # bot uploads; members' files go through upload()

    def __init__(
        self,
        *,
        guild_id: int = GUILD_ID,
        application_id: int = APPLICATION_ID,
        bot_user_id: int = BOT_USER_ID,
        brand: str = "acme",
        privileged_intents: Iterable[str] = ("message_content",),
        interaction_deadline: float = 3.0,
        heartbeat_interval_ms: int = HEARTBEAT_INTERVAL_MS,
        attachment_size_limit: int = ATTACHMENT_SIZE_LIMIT,
        nonce_window: float = NONCE_WINDOW,
        pace: Pace | None = None,
    ) -> None:
        """`pace`: a per-channel limit on creating messages, answered with Discord's 429."""
        unknown = set(privileged_intents) - set(PRIVILEGED_INTENTS)
        if unknown:
            raise ValueError(f"unknown privileged intents: {sorted(unknown)}")
        super().__init__()
        self.guild_id = guild_id
        self.application_id = application_id
        self.bot_user_id = bot_user_id
        self.owner_id = OWNER_ID
        self.privileged_intents = frozenset(privileged_intents)
        self.interaction_deadline = interaction_deadline
        self.heartbeat_interval_ms = heartbeat_interval_ms
        self.attachment_size_limit = attachment_size_limit
        self.verify_key = secrets.token_hex(32)
        self.nonce_window = nonce_window
        self.pace = pace
        self._nonces: dict[tuple[int, str], tuple[int, float]] = {}  # (author, nonce) -> (message, when)

        self.category_id = snowflake_at(_CREATED, 2)
        self.team_channel_id = snowflake_at(_CREATED, 3)
        self.brand_channel_id = snowflake_at(_CREATED, 4)
        self.admin_role_id = snowflake_at(_CREATED, 5)
        self.team_role_id = snowflake_at(_CREATED, 6)
        self.bot_role_id = snowflake_at(_CREATED.replace(day=2), 2)

        self._ids = _Snowflakes()
        self._gateway_received: list[dict[str, Any]] = []
        self._dispatched: list[dict[str, Any]] = []
        self._ready_count = 0
        self._resumed_count = 0
        self._gateway_connections: list[dict[str, str]] = []

        self._roles: dict[int, dict[str, Any]] = {}
        self._channels: dict[int, dict[str, Any]] = {}
        self._dm_channels: dict[int, dict[str, Any]] = {}  # direct message channels, by the user's id
        self._messages: dict[int, dict[str, Any]] = {}
        self._files: dict[str, bytes] = {}
        self._redirects: dict[str, str] = {}  # CDN paths answered with a redirect, to the URL given
        self._uploads: dict[str, dict[str, Any]] = {}  # attachments members uploaded, by id
        self._chunked: set[str] = set()  # CDN paths sent in chunks, without a Content-Length
        self.downloads: list[str] = []  # CDN paths fetched, in order
        self._members: dict[int, _Member] = {}
        self.locales: dict[int, str] = {}  # a user's Discord language, sent with their interactions
        self._commands: dict[int | None, list[dict[str, Any]]] = {}  # by guild id, None for global
        self._interactions: dict[int, _Interaction] = {}
        self._modals: dict[str, _Modal] = {}
        self._set_up_guild(brand)

        self._session: _Session | None = None
        self._connection: _Connection | None = None
        self._connections: set[_Connection] = set()
        self._dispatch_lock: asyncio.Lock | None = None
        self._patched: list[tuple[Any, str, Any]] = []
        self._routes: list[tuple[str, re.Pattern[str], Callable[..., _Answer]]] = self._route_table()

    # -- lifecycle ---------------------------------------------------------------------------

    def stop(self) -> None:
        """Close the gateway connections, stop serving, release the port and restore discord.py's URLs."""
        self.restore()
        super().stop()

    def _add_routes(self, app: web.Application) -> None:
        app.router.add_get("/gateway/", self._gateway)
        app.router.add_get("/gateway", self._gateway)
        app.router.add_get("/attachments/{path:.*}", self._attachment)
        app.router.add_route("*", "/{path:.*}", self._rest)

    async def _opened(self) -> None:
        self._dispatch_lock = asyncio.Lock()

    async def _closing(self) -> None:
        self._connection = None
        for connection in list(self._connections):
            with contextlib.suppress(Exception):
                await connection.socket.close(code=1001, message=b"going away")
        self._connections.clear()

    @property
    def api_url(self) -> str:
        """The REST base, for `discord.http.Route.BASE`: `http://127.0.0.1:PORT/api/v10`."""
        return f"{self.base_url}{API_PREFIX}"

    @property
    def gateway_url(self) -> str:
        """The gateway, for `DiscordWebSocket.DEFAULT_GATEWAY`: `ws://127.0.0.1:PORT/gateway/`."""
        return f"ws://127.0.0.1:{self.port}/gateway/"

    def use_for(self, client_module: ModuleType = discord) -> None:
        """Point discord.py (`client_module`) at the fake; `restore()` (or `stop()`) undoes it."""
        targets = [
            (client_module.http.Route, "BASE", self.api_url),
            (client_module.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(self.gateway_url)),
        ]
        for owner, name, value in targets:
            self._patched.append((owner, name, getattr(owner, name)))
            setattr(owner, name, value)

    def restore(self) -> None:
        """Put back the URLs `use_for()` replaced."""
        while self._patched:
            owner, name, value = self._patched.pop()
            setattr(owner, name, value)

    # -- what was received -------------------------------------------------------------------

    def calls_to(self, method: str, path_prefix: str) -> list[Call]:
        method = method.upper()
        return [call for call in self.calls if call.method == method and call.path.startswith(path_prefix)]

    def wait_for(self, method: str, path_prefix: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """Wait until at least `count` matching calls arrived, and return them all."""

        def found() -> list[Call] | None:
            calls = self.calls_to(method, path_prefix)
            return calls if len(calls) >= count else None

        def failure() -> str:
            received = [f"{call.method} {call.path}" for call in self.calls]
            got = len(self.calls_to(method, path_prefix))
            return (
                f"expected {count} {method} {path_prefix}* call(s) within {timeout} s, got {got}; received: {received}"
            )

        result: list[Call] = self._poll(found, timeout, failure)
        return result

    async def wait_for_async(self, method: str, path_prefix: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        return await asyncio.to_thread(self.wait_for, method, path_prefix, count, timeout)

    def wait_until_ready(self, timeout: float = 10.0) -> None:
        """Wait until a client identified and was sent READY and GUILD_CREATE."""
        self._poll(
            lambda: True if self._ready_count else None,
            timeout,
            lambda: f"no client identified within {timeout} s; gateway frames received: {self.gateway_received}",
        )

    async def wait_until_ready_async(self, timeout: float = 10.0) -> None:
        await asyncio.to_thread(self.wait_until_ready, timeout)

    def wait_until_resumed(self, count: int = 1, timeout: float = 10.0) -> None:
        """Wait until the client resumed its session `count` times in all."""
        self._poll(
            lambda: True if self._resumed_count >= count else None,
            timeout,
            lambda: f"expected {count} resume(s) within {timeout} s, got {self._resumed_count}",
        )

    async def wait_until_resumed_async(self, count: int = 1, timeout: float = 10.0) -> None:
        await asyncio.to_thread(self.wait_until_resumed, count, timeout)

    @property
    def gateway_received(self) -> list[dict[str, Any]]:
        """Every gateway frame the clients sent (`{"op": ..., "d": ...}`), oldest first."""
        with self._lock:
            return copy.deepcopy(self._gateway_received)

    @property
    def dispatched(self) -> list[dict[str, Any]]:
        """Every dispatch (op 0) the fake sent, oldest first: `{"t": event, "s": seq, "d": data}`."""
        with self._lock:
            return copy.deepcopy(self._dispatched)

    @property
    def connections(self) -> list[dict[str, str]]:
        """The gateway connections opened so far, oldest first: each one's URL query and `path`."""
        with self._lock:
            return copy.deepcopy(self._gateway_connections)

    @property
    def session_id(self) -> str | None:
        with self._lock:
            return self._session.id if self._session else None

    def get_message(self, message_id: int) -> dict[str, Any] | None:
        """The message the fake holds under `message_id`, as Discord returns it."""
        with self._lock:
            message = self._messages.get(int(message_id))
            return copy.deepcopy(message) if message else None

    def messages_in(self, channel_id: int) -> list[dict[str, Any]]:
        """The messages of a channel or thread, oldest first."""
        with self._lock:
            return [copy.deepcopy(m) for m in self._messages.values() if int(m["channel_id"]) == channel_id]

    def get_channel(self, channel_id: int) -> dict[str, Any] | None:
        """A channel or thread, as `GET /channels/{id}` returns it."""
        with self._lock:
            channel = self._channels.get(int(channel_id))
            return copy.deepcopy(channel) if channel else None

    def attachment_bytes(self, attachment: dict[str, Any]) -> bytes:
        """The bytes of an attachment of a message the fake holds (as its CDN serves them)."""
        path = urlsplit_path(attachment["url"]).removeprefix("/attachments/")
        with self._lock:
            return self._files[path]

    def dm_channel_of(self, user_id: int) -> dict[str, Any] | None:
        """The direct message channel the bot opened with `user_id` (`POST /users/@me/channels`)."""
        with self._lock:
            channel = self._dm_channels.get(int(user_id))
            return copy.deepcopy(channel) if channel else None

    def threads_of(self, channel_id: int) -> list[dict[str, Any]]:
        """The threads started in a channel, oldest first."""
        with self._lock:
            return [
                copy.deepcopy(c)
                for c in self._channels.values()
                if c["type"] in THREAD_TYPES and int(c["parent_id"]) == channel_id
            ]

    def commands(self, *, guild: bool = True) -> list[dict[str, Any]]:
        """The application commands registered for the guild (or globally)."""
        with self._lock:
            return copy.deepcopy(self._commands.get(self.guild_id if guild else None, []))

    # -- steering ----------------------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        path_prefix: str,
        *,
        status: int = 429,
        retry_after: float = 0.05,
        times: int = 1,
        via: bool = True,
    ) -> None:
        """Answer the next `times` matching REST calls with HTTP `status`.

        A 429 is Discord's: `{"message": "You are being rate limited.", "retry_after": ..., "global":
        false}` with the `Retry-After` and `X-RateLimit-*` headers, and `Via: 1.1 google` unless
        `via=False` (discord.py retries a 429 only when `Via` is there: without it, it takes the
        answer for a Cloudflare ban and raises). Other statuses answer `{"message": ..., "code": 0}`.
        """
        method = method.upper()

        def matches(call: Call) -> bool:
            return call.method == method and call.path.startswith(path_prefix)

        self.fail_with(matches, _rate_limit(retry_after, via) if status == 429 else _failure(status), times=times)

    def add_member(
        self, user_id: int, *, name: str | None = None, roles: Iterable[int] = (), bot: bool = False
    ) -> None:
        """Describe a guild member (unknown users get a name made from their id and no roles)."""
        with self._lock:
            self._members[user_id] = _Member(
                name or f"user{user_id % 10_000:04d}", [int(r) for r in roles], iso(datetime.now(UTC)), bot
            )

    # -- what users do -----------------------------------------------------------------------

    def autocomplete(
        self, user_id: int, name: str, options: list[dict[str, Any]], *, channel_id: int | None = None
    ) -> str:
        """Ask for the choices of the option marked `"focused": True` (its `value` is what the user
        has typed so far) in the guild slash command `name`, as `user_id`; returns the
        interaction's id. The bot answers with an autocomplete result (callback type 8)."""
        return self.slash_command(user_id, name, options, channel_id=channel_id, kind=INTERACTION_AUTOCOMPLETE)

    def choices(self, interaction_id: str) -> list[dict[str, Any]]:
        """The choices the bot offered in answer to the autocomplete interaction."""
        for call in self.calls_to("POST", f"/interactions/{interaction_id}/"):
            body = call.json if isinstance(call.json, dict) else {}
            if body.get("type") == RESPONSE_AUTOCOMPLETE_RESULT:
                return list((body.get("data") or {}).get("choices") or [])
        raise AssertionError(f"no autocomplete result for interaction {interaction_id}")

    def slash_command(
        self,
        user_id: int,
        name: str,
        options: list[dict[str, Any]] | None = None,
        *,
        channel_id: int | None = None,
        member_roles: list[int] | None = None,
        kind: int = INTERACTION_APPLICATION_COMMAND,
    ) -> str:
        """Run the guild slash command `name` as `user_id`; returns the interaction's id.

        `options` are Discord's: `{"name": ..., "value": ...}` (the `type` is inferred from the
        value when left out: str 3, int 4, bool 5, float 10), or for users, channels and roles
        `{"name": ..., "type": 6|7|8, "value": id}` (resolved data is added), and subcommands as
        `{"name": "add", "type": 1, "options": [...]}` inside `{"name": "group", "type": 2, ...}`.
        A command registered globally (and not in the guild) is sent as a global command.
        """
        channel_id = channel_id or self.team_channel_id
        with self._lock:
            if member_roles is not None:
                self._member(user_id).roles = [int(r) for r in member_roles]
            command = self._find_command(name)
            prepared = self._prepare_options(copy.deepcopy(options or []))
            data: dict[str, Any] = {"id": command["id"], "name": name, "type": 1}
            if command.get("guild_id"):
                data["guild_id"] = command["guild_id"]
            if prepared:
                data["options"] = prepared
            resolved = self._resolve(prepared)
            if resolved:
                data["resolved"] = resolved
            interaction, payload = self._new_interaction(kind, user_id, channel_id, data)
            interaction.name = name
        self._deliver("INTERACTION_CREATE", payload)
        return str(interaction.id)

    def message_command(self, user_id: int, name: str, message_id: int) -> str:
        """Use the message command `name` (registered for the guild or globally) on a message the
        fake holds, as `user_id`; returns the interaction's id. The message goes with it resolved,
        content included (an app is given the content of the message its command is used on)."""
        with self._lock:
            command = next(
                (c for scope in (self.guild_id, None) for c in self._commands.get(scope, [])
                 if c["name"] == name and c.get("type") == MESSAGE_COMMAND),
                None,
            )  # fmt: skip
            if command is None:
                raise ValueError(f"no message command {name!r} is registered")
            stored = self._messages.get(int(message_id))
            if stored is None:
                raise ValueError(f"no message {message_id}")
            target = copy.deepcopy(stored)
            data: dict[str, Any] = {
                "id": command["id"],
                "name": name,
                "type": MESSAGE_COMMAND,
                "target_id": str(message_id),
                "resolved": {"messages": {str(message_id): target}},
            }
            if command.get("guild_id"):
                data["guild_id"] = command["guild_id"]
            interaction, payload = self._new_interaction(
                INTERACTION_APPLICATION_COMMAND, user_id, int(target["channel_id"]), data
            )
            interaction.name = name
        self._deliver("INTERACTION_CREATE", payload)
        return str(interaction.id)

    def press_button(self, user_id: int, custom_id: str, *, channel_id: int, message_id: int) -> str:
        """Press the button `custom_id` on a message; returns the interaction's id.

        For a message the fake holds, the button must be on it and enabled. A message the fake
        never saw (one posted before the bot restarted) is described as a bot message carrying
        just that button.
        """
        with self._lock:
            self._channel(channel_id)
            stored = self._messages.get(int(message_id))
            if stored is not None:
                if int(stored["channel_id"]) != channel_id:
                    raise ValueError(f"message {message_id} is not in channel {channel_id}")
                button = next(
                    (c for c in _walk_components(stored.get("components", [])) if c.get("custom_id") == custom_id),
                    None,
                )
                if button is None or button.get("type") != 2:
                    raise ValueError(f"message {message_id} has no button {custom_id!r}")
                if button.get("disabled"):
                    raise ValueError(f"button {custom_id!r} on message {message_id} is disabled")
                message = copy.deepcopy(stored)
            else:
                message = self._compose(
                    channel_id,
                    {"components": [{"type": 1, "components": [{"type": 2, "style": 2, "custom_id": custom_id}]}]},
                    author=self._user(self.bot_user_id),
                    message_id=int(message_id),
                )
            data = {"custom_id": custom_id, "component_type": 2}
            interaction, payload = self._new_interaction(
                INTERACTION_MESSAGE_COMPONENT, user_id, channel_id, data, message=message
            )
        self._deliver("INTERACTION_CREATE", payload)
        return str(interaction.id)

    def submit_modal(self, user_id: int, custom_id: str, values: dict[str, str], *, channel_id: int) -> str:
        """Submit the modal `custom_id` with text `values` by input custom_id; returns the interaction's id.

        A modal the bot opened is submitted in its own layout (rows or labels), and the values must
        fit it: known inputs only, required ones filled, lengths within bounds. A modal the fake
        never saw is submitted as one action row per value.
        """
        with self._lock:
            self._channel(channel_id)
            modal = self._modals.get(custom_id)
            if modal is None:
                components: list[dict[str, Any]] = [
                    {"type": 1, "components": [{"type": 4, "custom_id": key, "value": value}]}
                    for key, value in values.items()
                ]
                message = None
            else:
                components = self._fill_modal(modal.data, values)
                del self._modals[custom_id]  # Discord closes the modal once it is submitted
                opened = modal.opened_by
                message = copy.deepcopy(self._messages.get(opened.message_id or 0)) if opened.message_id else None
            data = {"custom_id": custom_id, "components": components}
            interaction, payload = self._new_interaction(
                INTERACTION_MODAL_SUBMIT, user_id, channel_id, data, message=message
            )
        self._deliver("INTERACTION_CREATE", payload)
        return str(interaction.id)

    def message(self, user_id: int, content: str, *, channel_id: int, bot: bool = False) -> int:
        """`user_id` posts `content` in a channel or thread (MESSAGE_CREATE); returns the message id.

        A client identified without the message content intent gets empty content, unless the
        message mentions the bot (or the bot wrote it). Over 4000 characters (a Nitro member's
        most) is refused: nobody can post it.
        """
        if len(content) > MAX_USER_CONTENT:
            raise ValueError(f"Discord lets a person post at most {MAX_USER_CONTENT} characters, not {len(content)}")
        with self._lock:
            channel = self._channel(channel_id)
            if bot and user_id not in self._members:
                self._members[user_id] = _Member(f"bot{user_id % 10_000:04d}", [], iso(datetime.now(UTC)), True)
            message = self._compose(channel_id, {"content": content}, author=self._user(user_id))
            self._store(channel, message)
            event = self._gateway_message(message, user_id)
        self._deliver("MESSAGE_CREATE", event)
        return int(message["id"])

    def upload(
        self,
        filename: str,
        data: bytes,
        *,
        url: str | None = None,
        size: int | None = None,
        redirect_to: str | None = None,
        chunked: bool = False,
    ) -> dict[str, Any]:
        """Store a file a member attaches, as Discord does before the command or message carrying
        it is sent; returns its attachment object (for `attachment_option()` or `direct_message()`).

        A file over the guild's `attachment_size_limit` is refused, as Discord's client refuses to
        send it. Forged payloads for tests: `url` gives the attachment another address, `size`
        another declared size, `redirect_to` makes the CDN answer its address with a redirect, and
        `chunked` makes it send the file in chunks with no Content-Length.
        """
        if len(data) > self.attachment_size_limit:
            raise ValueError(f"{filename} is over this guild's attachment size limit ({self.attachment_size_limit})")
        with self._lock:
            attachment_id = self._ids.next()
            path = f"ephemeral-attachments/{attachment_id}/{filename}"
            self._files[path] = data
            if redirect_to is not None:
                self._redirects[path] = redirect_to
            if chunked:
                self._chunked.add(path)
            address = f"{self.base_url}/attachments/{path}"
            attachment = {
                "id": str(attachment_id),
                "filename": filename,
                "size": len(data) if size is None else size,
                "url": url or address,
                "proxy_url": url or address,
                "content_type": _content_type(filename),
                "ephemeral": True,
            }
            self._uploads[str(attachment_id)] = attachment
        return copy.deepcopy(attachment)

    @staticmethod
    def attachment_option(name: str, attachment: dict[str, Any]) -> dict[str, Any]:
        """A slash command's attachment option (type 11) holding an uploaded file."""
        return {"name": name, "type": 11, "value": attachment["id"]}

    def direct_message(self, user_id: int, content: str, *, attachments: Iterable[dict[str, Any]] = ()) -> int:
        """`user_id` writes to the bot in their direct message channel, with uploaded files;
        returns the message id. Only a client identified with DIRECT_MESSAGES receives it."""
        with self._lock:
            channel = self._dm_channel(user_id)
            message = self._compose(
                int(channel["id"]),
                {"content": content},
                author=self._user(user_id),
                attachments=[copy.deepcopy(a) for a in attachments],
            )
            self._store(channel, message)
            event = self._gateway_message(message, user_id)
            subscribed = bool(self._session and self._session.intents & DIRECT_MESSAGES_INTENT)
        if subscribed:
            self._deliver("MESSAGE_CREATE", event)
        return int(message["id"])

    def reconnect(self) -> None:
        """Ask the connected client to reconnect (op 7); it comes back with RESUME, which is accepted.

        Events dispatched until it resumes are kept, and replayed when it does.
        """
        self._run(self._request_reconnect())

    def invalidate_session(self) -> None:
        """End the session (op 9, not resumable): the client must IDENTIFY again, and gets a new READY.

        discord.py waits 5 s before an IDENTIFY that is not its first (`Client.before_identify_hook`).
        """
        self._run(self._invalidate_session())

    # -- guild -------------------------------------------------------------------------------

    def _set_up_guild(self, brand: str) -> None:
        def role(role_id: int, name: str, position: int, permissions: int, **extra: Any) -> dict[str, Any]:
            return {
                "id": str(role_id),
                "name": name,
                "description": None,
                "color": 0,
                "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
                "hoist": False,
                "icon": None,
                "unicode_emoji": None,
                "position": position,
                "permissions": str(permissions),
                "managed": False,
                "mentionable": False,
                "flags": 0,
                **extra,
            }

        for data in (
            role(self.guild_id, "@everyone", 0, EVERYONE_PERMISSIONS),
            role(self.team_role_id, "team", 1, TEAM_PERMISSIONS, hoist=True, mentionable=True),
            role(self.admin_role_id, "admin", 2, ADMIN_PERMISSIONS, hoist=True),
            role(
                self.bot_role_id,
                APPLICATION_NAME,
                3,
                BOT_PERMISSIONS,
                managed=True,
                tags={"bot_id": str(self.bot_user_id)},
            ),
        ):
            self._roles[int(data["id"])] = data

        base: dict[str, Any] = {
            "guild_id": str(self.guild_id),
            "permission_overwrites": [],
            "nsfw": False,
            "flags": 0,
        }
        self._channels[self.category_id] = {
            **base,
            "id": str(self.category_id),
            "type": GUILD_CATEGORY,
            "name": "MarketSafe",
            "position": 0,
            "parent_id": None,
        }
        for position, (channel_id, name, topic) in enumerate(
            [
                (self.team_channel_id, "team", "IACC/Alibaba team"),
                (self.brand_channel_id, brand, f"{brand}: complaints and cases"),
            ]
        ):
            self._channels[channel_id] = {
                **base,
                "id": str(channel_id),
                "type": GUILD_TEXT,
                "name": name,
                "position": position,
                "parent_id": str(self.category_id),
                "topic": topic,
                "rate_limit_per_user": 0,
                "last_message_id": None,
                "default_auto_archive_duration": 1440,
                "default_thread_rate_limit_per_user": 0,
                "last_pin_timestamp": None,
                "icon_emoji": None,
                "theme_color": None,
            }
        joined = iso(snowflake_time(self.bot_role_id))
        self._members[self.bot_user_id] = _Member(BOT_USER_NAME, [self.bot_role_id], joined, bot=True)
        self._members[self.owner_id] = _Member("owner", [self.admin_role_id], iso(_CREATED))

    def _member(self, user_id: int) -> _Member:
        member = self._members.get(user_id)
        if member is None:
            member = _Member(f"user{user_id % 10_000:04d}", [], iso(datetime.now(UTC)))
            self._members[user_id] = member
        return member

    def _user(self, user_id: int) -> dict[str, Any]:
        member = self._member(user_id)
        user: dict[str, Any] = {
            "id": str(user_id),
            "username": member.name,
            "global_name": None if member.bot else member.name.title(),
            "discriminator": "0",
            "avatar": None,
            "avatar_decoration_data": None,
            "banner": None,
            "accent_color": None,
            "public_flags": 0,
            "flags": 0,
            "collectibles": None,
            "primary_guild": None,
        }
        if member.bot:
            user["bot"] = True
        return user

    def _bot_user(self) -> dict[str, Any]:
        return {
            **self._user(self.bot_user_id),
            "verified": True,
            "mfa_enabled": False,
            "locale": "en-US",
            "email": None,
        }

    def _permissions(self, user_id: int) -> int:
        roles = [self.guild_id, *self._member(user_id).roles]
        value = 0
        for role_id in roles:
            role = self._roles.get(role_id)
            if role is not None:
                value |= int(role["permissions"])
        if user_id == self.owner_id or value & ADMIN_PERMISSIONS:
            return ALL_PERMISSIONS
        return value

    def _member_payload(self, user_id: int, *, with_user: bool = True) -> dict[str, Any]:
        member = self._member(user_id)
        payload: dict[str, Any] = {
            "roles": [str(r) for r in member.roles],
            "nick": None,
            "avatar": None,
            "banner": None,
            "premium_since": None,
            "joined_at": member.joined_at,
            "deaf": False,
            "mute": False,
            "pending": False,
            "flags": 0,
            "communication_disabled_until": None,
            "unusual_dm_activity_until": None,
        }
        if with_user:
            payload["user"] = self._user(user_id)
        return payload

    def _guild_payload(self, intents: int) -> dict[str, Any]:
        members_intent = bool(intents & PRIVILEGED_INTENTS["members"][0])
        member_ids = list(self._members) if members_intent else [self.bot_user_id]
        channels, threads = [], []
        for channel in self._channels.values():
            shown = copy.deepcopy(channel)
            if channel["type"] in THREAD_TYPES:
                if not channel["thread_metadata"]["archived"]:
                    threads.append(shown)
            else:
                shown.pop("guild_id", None)
                channels.append(shown)
        return {
            "id": str(self.guild_id),
            "name": GUILD_NAME,
            "icon": None,
            "splash": None,
            "discovery_splash": None,
            "banner": None,
            "description": None,
            "owner_id": str(self.owner_id),
            "afk_channel_id": None,
            "afk_timeout": 300,
            "widget_enabled": False,
            "verification_level": 1,
            "default_message_notifications": 1,
            "explicit_content_filter": 2,
            "roles": copy.deepcopy(list(self._roles.values())),
            "emojis": [],
            "stickers": [],
            "features": [],
            "mfa_level": 0,
            "application_id": None,
            "system_channel_id": str(self.team_channel_id),
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "public_updates_channel_id": None,
            "safety_alerts_channel_id": None,
            "max_members": 500_000,
            "max_video_channel_users": 25,
            "max_stage_video_channel_users": 50,
            "vanity_url_code": None,
            "premium_tier": 0,
            "premium_subscription_count": 0,
            "premium_progress_bar_enabled": False,
            "preferred_locale": "en-US",
            "nsfw_level": 0,
            "incidents_data": None,
            "joined_at": self._member(self.bot_user_id).joined_at,
            "large": False,
            "unavailable": False,
            "lazy": True,
            "member_count": len(self._members),
            "members": [self._member_payload(user_id) for user_id in member_ids],
            "channels": channels,
            "threads": threads,
            "voice_states": [],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
        }

    def _application_flags(self) -> int:
        flags = APPLICATION_COMMAND_BADGE
        for name in self.privileged_intents:
            flags |= PRIVILEGED_INTENTS[name][1]
        return flags

    def _channel(self, channel_id: int) -> dict[str, Any]:
        channel = self._channels.get(int(channel_id))
        if channel is None:
            raise ValueError(f"the guild has no channel or thread {channel_id}")
        return channel

    # -- messages ----------------------------------------------------------------------------

    def _compose(
        self,
        channel_id: int,
        body: dict[str, Any],
        *,
        author: dict[str, Any],
        message_type: int = 0,
        message_id: int | None = None,
        attachments: list[dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        message_id = message_id or self._ids.next()
        content = body.get("content") or ""
        message: dict[str, Any] = {
            "type": message_type,
            "content": content,
            "mentions": [],
            "mention_roles": [],
            "attachments": attachments or [],
            "embeds": [{"type": "rich", **e} for e in body.get("embeds") or []],
            "timestamp": iso(snowflake_time(message_id)),
            "edited_timestamp": None,
            "flags": int(body.get("flags") or 0),
            "components": _number_components(copy.deepcopy(body.get("components") or [])),
            "id": str(message_id),
            "channel_id": str(channel_id),
            "author": author,
            "pinned": False,
            "mention_everyone": False,
            "tts": bool(body.get("tts", False)),
        }
        self._mentions(message)
        if body.get("nonce") is not None:
            message["nonce"] = body["nonce"]
        reference = body.get("message_reference")
        if isinstance(reference, dict) and reference.get("message_id"):
            referenced = self._messages.get(int(reference["message_id"]))
            message["message_reference"] = {
                "type": 0,
                "channel_id": str(reference.get("channel_id") or channel_id),
                "message_id": str(reference["message_id"]),
                "guild_id": str(self.guild_id),
            }
            message["referenced_message"] = copy.deepcopy(referenced)
            message["type"] = 19 if message_type == 0 else message_type
        return message

    def _mentions(self, message: dict[str, Any]) -> None:
        content = message["content"]
        users = list(dict.fromkeys(int(u) for u in USER_MENTION.findall(content)))
        message["mentions"] = [{**self._user(u), "member": self._member_payload(u, with_user=False)} for u in users]
        message["mention_roles"] = [r for r in dict.fromkeys(ROLE_MENTION.findall(content)) if int(r) in self._roles]
        message["mention_everyone"] = "@everyone" in content or "@here" in content

    def _check_upload(self, files: dict[str, bytes]) -> None:
        """A bot's files over the upload limit: 413, code 40005 "Request entity too large"
        (discord/discord-api-docs#6058 quotes the answer)."""
        if sum(len(data) for data in files.values()) > self.attachment_size_limit:
            raise _Refused(413, 40005, "Request entity too large")

    def _check_message(self, body: dict[str, Any], path: list[str], *, files: int = 0) -> None:
        content = body.get("content") or ""
        if len(content) > MAX_CONTENT_LENGTH:
            raise _invalid_form(
                [*path, "content"], "BASE_TYPE_MAX_LENGTH", f"Must be {MAX_CONTENT_LENGTH} or fewer in length."
            )
        if not (content or body.get("embeds") or body.get("components") or body.get("sticker_ids") or files):
            raise _Refused(400, 50006, "Cannot send an empty message")
        refused = message_refusal(body)
        if refused is not None:
            where, code, message = refused
            raise _invalid_form([*path, *where], code, message)

    def _store(self, channel: dict[str, Any], message: dict[str, Any]) -> None:
        self._messages[int(message["id"])] = message
        channel["last_message_id"] = message["id"]
        if channel["type"] in THREAD_TYPES:
            channel["message_count"] += 1
            channel["total_message_sent"] += 1

    def _edit(self, message: dict[str, Any], body: dict[str, Any], *, mark_edited: bool = True) -> None:
        if "content" in body:
            message["content"] = body["content"] or ""
            self._mentions(message)
        if "embeds" in body:
            message["embeds"] = [{"type": "rich", **e} for e in body["embeds"] or []]
        if "components" in body:
            message["components"] = _number_components(copy.deepcopy(body["components"] or []))
        if "flags" in body and body["flags"] is not None:
            kept = int(message["flags"]) & (FLAG_EPHEMERAL | FLAG_HAS_THREAD)
            message["flags"] = kept | (int(body["flags"]) & ~(FLAG_EPHEMERAL | FLAG_LOADING))
        if "attachments" in body and body["attachments"] is not None:
            keep = {str(a.get("id")) for a in body["attachments"]}
            message["attachments"] = [a for a in message["attachments"] if a["id"] in keep]
        if message["flags"] & FLAG_LOADING:
            message["flags"] &= ~FLAG_LOADING
        elif mark_edited:
            message["edited_timestamp"] = iso(datetime.now(UTC))

    def _gateway_message(self, message: dict[str, Any], author_id: int | None) -> dict[str, Any]:
        """A stored message as MESSAGE_CREATE/UPDATE carries it, to the identified client."""
        event = copy.deepcopy(message)
        direct = any(c["id"] == message["channel_id"] for c in self._dm_channels.values())
        if not direct:
            event["guild_id"] = str(self.guild_id)
        if author_id is not None and "webhook_id" not in message and not direct:
            event["member"] = self._member_payload(author_id, with_user=False)
        intents = self._session.intents if self._session else 0
        content_intent = bool(intents & PRIVILEGED_INTENTS["message_content"][0])
        mentioned = any(int(u["id"]) == self.bot_user_id for u in message["mentions"])
        own = int(message["author"]["id"]) == self.bot_user_id
        if not (content_intent or mentioned or own or direct):
            event.update(content="", embeds=[], attachments=[], components=[])
        return event

    def _bot_message_events(self, message: dict[str, Any], event: str) -> list[tuple[str, dict[str, Any]]]:
        if int(message["flags"]) & FLAG_EPHEMERAL:
            return []
        author = None if "webhook_id" in message else self.bot_user_id
        return [(event, self._gateway_message(message, author))]

    def _attachments(self, channel_id: int, body: dict[str, Any], files: dict[str, bytes]) -> list[dict[str, Any]]:
        described = {str(a.get("filename")): a for a in body.get("attachments") or [] if isinstance(a, dict)}
        attachments = []
        for filename, data in files.items():
            attachment_id = self._ids.next()
            url = f"{self.base_url}/attachments/{channel_id}/{attachment_id}/{filename}"
            self._files[f"{channel_id}/{attachment_id}/{filename}"] = data
            attachment = {
                "id": str(attachment_id),
                "filename": filename,
                "size": len(data),
                "url": url,
                "proxy_url": url,
                "content_type": _content_type(filename),
            }
            if described.get(filename, {}).get("description"):
                attachment["description"] = described[filename]["description"]
            attachments.append(attachment)
        return attachments

    # -- interactions ------------------------------------------------------------------------

    def _new_interaction(
        self,
        kind: int,
        user_id: int,
        channel_id: int,
        data: dict[str, Any],
        *,
        message: dict[str, Any] | None = None,
    ) -> tuple[_Interaction, dict[str, Any]]:
        channel = self._channel(channel_id)
        interaction = _Interaction(
            id=self._ids.next(),
            token=f"aW50ZXJhY3Rpb246{secrets.token_urlsafe(120)}",
            type=kind,
            user_id=user_id,
            channel_id=channel_id,
            created=time.monotonic(),
            message_id=int(message["id"]) if message else None,
        )
        self._interactions[interaction.id] = interaction
        permissions = self._permissions(user_id)
        payload: dict[str, Any] = {
            "id": str(interaction.id),
            "application_id": str(self.application_id),
            "type": kind,
            "data": data,
            "guild_id": str(self.guild_id),
            "guild": {"id": str(self.guild_id), "locale": "en-US", "features": []},
            "channel_id": str(channel_id),
            "channel": {**copy.deepcopy(channel), "permissions": str(permissions)},
            "member": {**self._member_payload(user_id), "permissions": str(permissions)},
            "token": interaction.token,
            "version": 1,
            "app_permissions": str(self._permissions(self.bot_user_id)),
            "locale": self.locales.get(user_id, "en-US"),
            "guild_locale": "en-US",
            "entitlements": [],
            "authorizing_integration_owners": {"0": str(self.guild_id)},
            "context": 0,
            "attachment_size_limit": ATTACHMENT_SIZE_LIMIT,
        }
        if message is not None:
            payload["message"] = message
        return interaction, payload

    def _find_command(self, name: str) -> dict[str, Any]:
        for scope in (self.guild_id, None):
            for command in self._commands.get(scope, []):
                if command["name"] == name and command.get("type", 1) == 1:
                    return command
        # Not registered: the command the client's tree holds for the guild, with a stable id.
        return {"id": str(snowflake_at(_CREATED.replace(day=3), sum(name.encode()))), "guild_id": str(self.guild_id)}

    def _prepare_options(self, options: list[dict[str, Any]]) -> list[dict[str, Any]]:
        for option in options:
            if "type" not in option:
                if "value" in option:
                    option["type"] = _infer_option_type(option["value"])
                else:  # a subcommand, or a group when it holds subcommands
                    children = option.get("options") or []
                    option["type"] = 2 if any("value" not in child for child in children) else 1
            if option["type"] in (1, 2):
                option["options"] = self._prepare_options(option.get("options") or [])
            elif option["type"] in (6, 7, 8, 9, 11):
                option["value"] = str(option["value"])
        return options

    def _resolve(self, options: list[dict[str, Any]]) -> dict[str, Any]:
        resolved: dict[str, dict[str, Any]] = {}

        def add_user(user_id: int) -> None:
            resolved.setdefault("users", {})[str(user_id)] = self._user(user_id)
            member = {**self._member_payload(user_id, with_user=False), "permissions": str(self._permissions(user_id))}
            resolved.setdefault("members", {})[str(user_id)] = member

        def add_role(role_id: int) -> None:
            if role_id not in self._roles:
                raise ValueError(f"the guild has no role {role_id}")
            resolved.setdefault("roles", {})[str(role_id)] = copy.deepcopy(self._roles[role_id])

        def visit(found: list[dict[str, Any]]) -> None:
            for option in found:
                kind: int = option["type"]
                value: Any = option.get("value")
                if kind in (1, 2):
                    visit(option.get("options") or [])
                elif kind == 6:
                    add_user(int(value))
                elif kind == 7:
                    channel = self._channel(int(value))
                    partial = {
                        key: channel[key]
                        for key in ("id", "type", "name", "parent_id", "thread_metadata", "topic", "nsfw")
                        if key in channel
                    }
                    partial["permissions"] = str(ALL_PERMISSIONS)
                    for key in ("owner_id", "member_count", "message_count"):
                        if key in channel:
                            partial[key] = channel[key]
                    resolved.setdefault("channels", {})[str(value)] = partial
                elif kind == 8:
                    add_role(int(value))
                elif kind == 11:
                    if str(value) not in self._uploads:
                        raise ValueError(f"no file {value} was uploaded")
                    resolved.setdefault("attachments", {})[str(value)] = copy.deepcopy(self._uploads[str(value)])
                elif kind == 9:
                    if int(value) in self._roles:
                        add_role(int(value))
                    else:
                        add_user(int(value))

        visit(options)
        return resolved

    def _fill_modal(self, modal: dict[str, Any], values: dict[str, str]) -> list[dict[str, Any]]:
        inputs = {c["custom_id"]: c for c in _walk_components(modal.get("components", [])) if "custom_id" in c}
        unknown = set(values) - set(inputs)
        if unknown:
            raise ValueError(f"modal {modal.get('custom_id')!r} has no input(s) {sorted(unknown)}")

        def answer(component: dict[str, Any]) -> dict[str, Any]:
            custom_id = component["custom_id"]
            value = values.get(custom_id, "")
            if component["type"] != 4:
                return {
                    "type": component["type"],
                    "id": component.get("id"),
                    "custom_id": custom_id,
                    "values": [value] if value else [],
                }
            if component.get("required", True) and not value:
                raise ValueError(f"modal input {custom_id!r} is required")
            if value and len(value) < int(component.get("min_length") or 0):
                raise ValueError(f"modal input {custom_id!r} needs at least {component['min_length']} characters")
            if len(value) > int(component.get("max_length") or 4000):
                raise ValueError(f"modal input {custom_id!r} takes at most {component.get('max_length')} characters")
            return {"type": 4, "id": component.get("id"), "custom_id": custom_id, "value": value}

        submitted: list[dict[str, Any]] = []
        for top in modal.get("components", []):
            if top.get("type") == 1:
                row = [answer(c) for c in top.get("components", []) if "custom_id" in c]
                submitted.append({"type": 1, "id": top.get("id"), "components": row})
            elif top.get("type") == 18 and "custom_id" in top.get("component", {}):
                submitted.append({"type": 18, "id": top.get("id"), "component": answer(top["component"])})
        return submitted

    def _live_interaction(self, interaction_id: int, token: str) -> _Interaction:
        interaction = self._interactions.get(interaction_id)
        if interaction is None or interaction.token != token:
            raise _not_found("interaction", 10062)
        return interaction

    def _interaction_by_token(self, application_id: int, token: str) -> _Interaction:
        if application_id != self.application_id:
            raise _not_found("Webhook", 10015)
        interaction = next((i for i in self._interactions.values() if i.token == token), None)
        if interaction is None or interaction.response_type is None:
            raise _not_found("Webhook", 10015)
        return interaction

    def _interaction_message(
        self, interaction: _Interaction, body: dict[str, Any], *, flags: int = 0, files: dict[str, bytes] | None = None
    ) -> dict[str, Any]:
        channel = self._channel(interaction.channel_id)
        attachments = self._attachments(interaction.channel_id, body, files or {})
        command = interaction.type == INTERACTION_APPLICATION_COMMAND
        message = self._compose(
            interaction.channel_id,
            {**body, "flags": int(body.get("flags") or 0) | flags},
            author=self._user(self.bot_user_id),
            message_type=20 if command else 0,
            attachments=attachments,
        )
        user = self._user(interaction.user_id)
        metadata: dict[str, Any] = {
            "id": str(interaction.id),
            "type": interaction.type,
            "user": user,
            "authorizing_integration_owners": {"0": str(self.guild_id)},
        }
        if command:
            metadata.update(name=interaction.name, command_type=1)
            message["interaction"] = {
                "id": str(interaction.id),
                "type": interaction.type,
                "name": interaction.name,
                "user": user,
                "member": self._member_payload(interaction.user_id, with_user=False),
            }
        elif interaction.message_id is not None:
            metadata["interacted_message_id"] = str(interaction.message_id)
        message.update(
            webhook_id=str(self.application_id), application_id=str(self.application_id), interaction_metadata=metadata
        )
        self._store(channel, message)
        interaction.message_ids.add(int(message["id"]))
        return message

    # -- REST --------------------------------------------------------------------------------

    def _route_table(self) -> list[tuple[str, re.Pattern[str], Callable[..., _Answer]]]:
        snowflake = r"(\d+)"
        token = r"([^/]+)"
        table: list[tuple[str, str, Callable[..., _Answer]]] = [
            ("GET", "/users/@me", self._get_me),
            ("GET", f"/users/{snowflake}", self._get_user),
            ("POST", "/users/@me/channels", self._open_dm),
            ("GET", "/oauth2/applications/@me", self._get_application),
            ("GET", "/applications/@me", self._get_application),
            ("GET", "/gateway/bot", self._get_gateway_bot),
            ("GET", "/gateway", self._get_gateway),
            ("GET", f"/applications/{snowflake}/commands", self._get_commands),
            ("PUT", f"/applications/{snowflake}/commands", self._put_commands),
            ("POST", f"/applications/{snowflake}/commands", self._post_command),
            ("GET", f"/applications/{snowflake}/guilds/{snowflake}/commands", self._get_commands),
            ("PUT", f"/applications/{snowflake}/guilds/{snowflake}/commands", self._put_commands),
            ("POST", f"/applications/{snowflake}/guilds/{snowflake}/commands", self._post_command),
            ("POST", f"/interactions/{snowflake}/{token}/callback", self._callback),
            ("POST", f"/webhooks/{snowflake}/{token}", self._followup),
            ("GET", f"/webhooks/{snowflake}/{token}/messages/(@original|\\d+)", self._get_webhook_message),
            ("PATCH", f"/webhooks/{snowflake}/{token}/messages/(@original|\\d+)", self._edit_webhook_message),
            ("DELETE", f"/webhooks/{snowflake}/{token}/messages/(@original|\\d+)", self._delete_webhook_message),
            ("GET", f"/channels/{snowflake}", self._get_channel),
            ("GET", f"/channels/{snowflake}/messages", self._list_messages),
            ("POST", f"/channels/{snowflake}/messages", self._post_message),
            ("GET", f"/channels/{snowflake}/messages/{snowflake}", self._get_channel_message),
            ("PATCH", f"/channels/{snowflake}/messages/{snowflake}", self._edit_channel_message),
            ("DELETE", f"/channels/{snowflake}/messages/{snowflake}", self._delete_channel_message),
            ("POST", f"/channels/{snowflake}/threads", self._start_thread),
            ("POST", f"/channels/{snowflake}/messages/{snowflake}/threads", self._start_thread_from_message),
            ("POST", f"/channels/{snowflake}/typing", self._typing),
            ("PUT", f"/channels/{snowflake}/thread-members/(@me|\\d+)", self._thread_member),
            ("DELETE", f"/channels/{snowflake}/thread-members/(@me|\\d+)", self._thread_member),
            ("GET", f"/guilds/{snowflake}", self._get_guild),
            ("GET", f"/guilds/{snowflake}/channels", self._get_guild_channels),
            ("GET", f"/guilds/{snowflake}/members/{snowflake}", self._get_guild_member),
        ]
        return [(method, re.compile(f"^{pattern}$"), handler) for method, pattern, handler in table]

    async def _rest(self, request: web.Request) -> web.StreamResponse:
        json_body, files = await _read_body(request)
        path = request.path
        relative = path.removeprefix(API_PREFIX) if path.startswith(API_PREFIX + "/") else path
        call = Call(request.method, relative, json_body, Headers(request.headers.items()), dict(request.query), files)

        async def answer() -> web.StreamResponse:
            with self._lock:
                answered = self._answer(call, path)
            for event, data in answered.events:
                await self._dispatch(event, data)
            return answered.response()

        return await self._serve(request, call, answer)

    def _answer(self, call: Call, path: str) -> _Answer:
        if not path.startswith(API_PREFIX + "/"):
            return _Answer({"message": "404: Not Found", "code": 0}, status=404)
        for method, pattern, handler in self._routes:
            match = pattern.match(call.path)
            if match is None or method != call.method:
                continue
            if not call.path.startswith(("/interactions/", "/webhooks/")) and not call.headers.get(
                "authorization", ""
            ).startswith("Bot "):
                return _Answer({"message": "401: Unauthorized", "code": 0}, status=401)
            try:
                return handler(call, *match.groups())
            except _Refused as refused:
                return refused.answer
        return _Answer({"message": "404: Not Found", "code": 0}, status=404)

    def _get_me(self, call: Call) -> _Answer:
        return _Answer(self._bot_user())

    def _get_user(self, call: Call, user_id: str) -> _Answer:
        return _Answer(self._user(int(user_id)))

    def _open_dm(self, call: Call) -> _Answer:
        """A direct message channel with a user, the same one each time (Discord's DM channel, type 1)."""
        body = call.json if isinstance(call.json, dict) else {}
        try:
            user_id = int(body.get("recipient_id") or 0)
        except (TypeError, ValueError):
            user_id = 0
        if not user_id:
            raise _invalid_form(["recipient_id"], "BASE_TYPE_REQUIRED", "This field is required")
        return _Answer(copy.deepcopy(self._dm_channel(user_id)))

    def _dm_channel(self, user_id: int) -> dict[str, Any]:
        channel = self._dm_channels.get(user_id)
        if channel is None:
            channel = {
                "id": str(self._ids.next()),
                "type": DM,
                "last_message_id": None,
                "flags": 0,
                "recipients": [self._user(user_id)],
            }
            self._dm_channels[user_id] = channel
        return channel

    def _get_application(self, call: Call) -> _Answer:
        body: dict[str, Any] = {
            "id": str(self.application_id),
            "name": APPLICATION_NAME,
            "icon": None,
            "description": "Chat-ops bot of the IACC MarketSafe working group.",
            "summary": "",
            "type": None,
            "bot_public": False,
            "bot_require_code_grant": False,
            "verify_key": self.verify_key,
            "flags": self._application_flags(),
            "hook": True,
            "is_monetized": False,
            "team": None,
            "owner": self._user(self.owner_id),
            "bot": self._user(self.bot_user_id),
            "redirect_uris": [],
            "interactions_endpoint_url": None,
            "role_connections_verification_url": None,
            "tags": [],
            "approximate_guild_count": 1,
            "integration_types_config": {"0": {}},
        }
        return _Answer(body)

    def _get_gateway_bot(self, call: Call) -> _Answer:
        limit = {"total": 1000, "remaining": 999, "reset_after": 86_400_000, "max_concurrency": 1}
        return _Answer({"url": self.gateway_url, "shards": 1, "session_start_limit": limit})

    def _get_gateway(self, call: Call) -> _Answer:
        return _Answer({"url": self.gateway_url})

    def _command_scope(self, application_id: str, guild_id: str | None) -> int | None:
        if int(application_id) != self.application_id:
            raise _Refused(403, 50001, "Missing Access")
        if guild_id is not None and int(guild_id) != self.guild_id:
            raise _Refused(403, 50001, "Missing Access")
        return int(guild_id) if guild_id is not None else None

    def _get_commands(self, call: Call, application_id: str, guild_id: str | None = None) -> _Answer:
        scope = self._command_scope(application_id, guild_id)
        return _Answer(copy.deepcopy(self._commands.get(scope, [])))

    def _registered(self, scope: int | None, given: dict[str, Any], index: int) -> dict[str, Any]:
        name, kind = str(given.get("name") or ""), int(given.get("type") or 1)
        if kind in (2, MESSAGE_COMMAND):
            _check_menu(given, [str(index)])
        if kind == 1 and (not COMMAND_NAME.match(name) or name != name.lower()):
            raise _invalid_form([str(index), "name"], "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid")
        description = str(given.get("description") or "")
        if kind == 1 and not 1 <= len(description) <= 100:
            raise _invalid_form(
                [str(index), "description"], "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length."
            )
        if kind == 1:
            _check_localizations(given, [str(index)])
            _check_options(list(given.get("options") or []), [str(index)])
            if _command_size(given) > MAX_COMMAND_SIZE:
                raise _invalid_form(
                    [str(index)], "APPLICATION_COMMAND_TOO_LARGE", f"Command exceeds maximum size ({MAX_COMMAND_SIZE})"
                )
        previous = next(
            (c for c in self._commands.get(scope, []) if c["name"] == name and c.get("type", 1) == kind), None
        )
        command: dict[str, Any] = {
            "id": previous["id"] if previous else str(self._ids.next()),
            "application_id": str(self.application_id),
            "version": str(self._ids.next()),
            "default_member_permissions": None,
            "type": kind,
            "name": name,
            "name_localizations": None,
            "description": description,
            "description_localizations": None,
            "dm_permission": True,
            "contexts": None,
            "integration_types": [0],
            "nsfw": False,
        }
        command.update({k: v for k, v in given.items() if k not in ("id", "application_id", "version")})
        if scope is not None:
            command["guild_id"] = str(scope)
            command.pop("dm_permission", None)
        return command

    def _put_commands(self, call: Call, application_id: str, guild_id: str | None = None) -> _Answer:
        scope = self._command_scope(application_id, guild_id)
        given = call.json if isinstance(call.json, list) else []
        commands = [self._registered(scope, c, i) for i, c in enumerate(given)]
        _check_menu_count(commands)
        self._commands[scope] = commands
        return _Answer(copy.deepcopy(commands))

    def _post_command(self, call: Call, application_id: str, guild_id: str | None = None) -> _Answer:
        scope = self._command_scope(application_id, guild_id)
        command = self._registered(scope, call.json or {}, 0)
        existing = self._commands.setdefault(scope, [])
        created = not any(c["id"] == command["id"] for c in existing)
        _check_menu_count([*(c for c in existing if c["id"] != command["id"]), command])
        self._commands[scope] = [c for c in existing if c["id"] != command["id"]] + [command]
        return _Answer(copy.deepcopy(command), status=201 if created else 200)

    def _callback(self, call: Call, interaction_id: str, token: str) -> _Answer:
        interaction = self._live_interaction(int(interaction_id), token)
        if interaction.response_type is not None:
            raise _Refused(400, 40060, "Interaction has already been acknowledged.")
        if time.monotonic() - interaction.created > self.interaction_deadline:
            raise _not_found("interaction", 10062)
        body = call.json if isinstance(call.json, dict) else {}
        kind = int(body.get("type") or 0)
        data = body.get("data") or {}
        flags = int(data.get("flags") or 0)
        if kind in (RESPONSE_CHANNEL_MESSAGE, RESPONSE_UPDATE_MESSAGE):
            self._check_message(data, ["data"], files=len(call.files))
        if kind in (RESPONSE_DEFERRED_UPDATE_MESSAGE, RESPONSE_UPDATE_MESSAGE) and interaction.message_id is None:
            raise _invalid_form(["type"], "INTERACTION_RESPONSE_TYPE_INVALID", "Interaction response type is invalid")
        if kind == RESPONSE_MODAL and interaction.type == INTERACTION_MODAL_SUBMIT:
            raise _invalid_form(["type"], "INTERACTION_RESPONSE_TYPE_INVALID", "Interaction response type is invalid")
        if kind not in (4, 5, 6, 7, 8, 9):
            raise _invalid_form(["type"], "BASE_TYPE_CHOICES", "Value must be one of {4, 5, 6, 7, 8, 9}.")
        if (kind == RESPONSE_AUTOCOMPLETE_RESULT) != (interaction.type == INTERACTION_AUTOCOMPLETE):
            raise _invalid_form(["type"], "INTERACTION_RESPONSE_TYPE_INVALID", "Interaction response type is invalid")
        if kind == RESPONSE_AUTOCOMPLETE_RESULT:
            self._check_choices(data.get("choices"))
        if kind == RESPONSE_MODAL:
            check_modal(data)
            if (refused := modal_refusal(data)) is not None:
                raise _invalid_form(*refused)
        interaction.response_type = kind
        summary: dict[str, Any] = {
            "id": str(interaction.id),
            "type": interaction.type,
            "response_message_loading": kind == RESPONSE_DEFERRED_CHANNEL_MESSAGE,
            "response_message_ephemeral": bool(flags & FLAG_EPHEMERAL),
        }
        answer = _Answer({"interaction": summary})
        if kind in (RESPONSE_CHANNEL_MESSAGE, RESPONSE_DEFERRED_CHANNEL_MESSAGE):
            shown = data if kind == RESPONSE_CHANNEL_MESSAGE else {"flags": flags}
            message = self._interaction_message(
                interaction, shown, flags=FLAG_LOADING if kind == 5 else 0, files=call.files
            )
            interaction.original_id = int(message["id"])
            answer.events = self._bot_message_events(message, "MESSAGE_CREATE")
        elif kind in (RESPONSE_DEFERRED_UPDATE_MESSAGE, RESPONSE_UPDATE_MESSAGE):
            interaction.original_id = interaction.message_id
            message = self._messages.get(interaction.message_id or 0) or {}
            if kind == RESPONSE_UPDATE_MESSAGE and message:
                self._edit(message, data)
                answer.events = self._bot_message_events(message, "MESSAGE_UPDATE")
        elif kind == RESPONSE_MODAL:
            self._modals[str(data.get("custom_id"))] = _Modal(
                {**copy.deepcopy(data), "components": _number_components(copy.deepcopy(data.get("components") or []))},
                interaction,
            )
        if interaction.original_id is not None:
            summary["response_message_id"] = str(interaction.original_id)
            stored = self._messages.get(interaction.original_id)
            if kind != RESPONSE_DEFERRED_UPDATE_MESSAGE and stored is not None:
                answer.body["resource"] = {"type": kind, "message": copy.deepcopy(stored)}
        if not _truthy(call.query.get("with_response")):
            answer = _Answer(status=204, events=answer.events)
        return answer

    @staticmethod
    def _check_choices(choices: Any) -> None:
        if not isinstance(choices, list):
            raise _invalid_form(["data", "choices"], "BASE_TYPE_REQUIRED", "This field is required")
        if len(choices) > 25:
            raise _invalid_form(["data", "choices"], "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
        for index, choice in enumerate(choices):
            name, value = choice.get("name"), choice.get("value")
            if not isinstance(name, str) or not 1 <= len(name) <= 100:
                raise _invalid_form(
                    ["data", "choices", str(index), "name"],
                    "BASE_TYPE_BAD_LENGTH",
                    "Must be between 1 and 100 in length.",
                )
            if isinstance(value, str) and len(value) > 100:
                raise _invalid_form(
                    ["data", "choices", str(index), "value"], "BASE_TYPE_MAX_LENGTH", "Must be 100 or fewer in length."
                )

    def _followup(self, call: Call, application_id: str, token: str) -> _Answer:
        interaction = self._interaction_by_token(int(application_id), token)
        body = call.json if isinstance(call.json, dict) else {}
        self._check_upload(call.files)
        self._check_message(body, [], files=len(call.files))
        message = self._interaction_message(interaction, body, files=call.files)
        events = self._bot_message_events(message, "MESSAGE_CREATE")
        if not _truthy(call.query.get("wait")):
            return _Answer(status=204, events=events)
        return _Answer(copy.deepcopy(message), events=events)

    def _webhook_message(self, interaction: _Interaction, which: str) -> dict[str, Any]:
        message_id = interaction.original_id if which == "@original" else int(which)
        allowed = interaction.message_ids | ({interaction.original_id} if interaction.original_id else set())
        message = self._messages.get(message_id or 0)
        if message is None or message_id not in allowed:
            raise _not_found("Message", 10008)
        return message

    def _get_webhook_message(self, call: Call, application_id: str, token: str, which: str) -> _Answer:
        interaction = self._interaction_by_token(int(application_id), token)
        return _Answer(copy.deepcopy(self._webhook_message(interaction, which)))

    def _edit_webhook_message(self, call: Call, application_id: str, token: str, which: str) -> _Answer:
        interaction = self._interaction_by_token(int(application_id), token)
        message = self._webhook_message(interaction, which)
        body = call.json if isinstance(call.json, dict) else {}
        self._check_message({**message, **body}, [], files=len(call.files))
        self._edit(message, body)
        if call.files:
            message["attachments"] += self._attachments(int(message["channel_id"]), body, call.files)
        return _Answer(copy.deepcopy(message), events=self._bot_message_events(message, "MESSAGE_UPDATE"))

    def _delete_webhook_message(self, call: Call, application_id: str, token: str, which: str) -> _Answer:
        interaction = self._interaction_by_token(int(application_id), token)
        message = self._webhook_message(interaction, which)
        return self._delete(message)

    def _delete(self, message: dict[str, Any]) -> _Answer:
        del self._messages[int(message["id"])]
        events: list[tuple[str, dict[str, Any]]] = []
        if not int(message["flags"]) & FLAG_EPHEMERAL:
            data = {"id": message["id"], "channel_id": message["channel_id"], "guild_id": str(self.guild_id)}
            events.append(("MESSAGE_DELETE", data))
        return _Answer(status=204, events=events)

    def _rest_channel(self, channel_id: str) -> dict[str, Any]:
        channel = self._channels.get(int(channel_id))
        if channel is None:
            channel = next((c for c in self._dm_channels.values() if c["id"] == str(channel_id)), None)
        if channel is None:
            raise _not_found("Channel", 10003)
        return channel

    def _rest_message(self, channel_id: str, message_id: str) -> dict[str, Any]:
        self._rest_channel(channel_id)
        message = self._messages.get(int(message_id))
        if message is None or message["channel_id"] != channel_id:
            raise _not_found("Message", 10008)
        return message

    def _get_channel(self, call: Call, channel_id: str) -> _Answer:
        return _Answer(copy.deepcopy(self._rest_channel(channel_id)))

    def _list_messages(self, call: Call, channel_id: str) -> _Answer:
        self._rest_channel(channel_id)
        limit = max(1, min(int(call.query.get("limit") or 50), 100))
        messages = [m for m in self._messages.values() if m["channel_id"] == channel_id]
        if "before" in call.query:
            messages = [m for m in messages if int(m["id"]) < int(call.query["before"])]
        if "after" in call.query:
            messages = [m for m in messages if int(m["id"]) > int(call.query["after"])][:limit]
        newest_first = sorted(messages, key=lambda m: int(m["id"]), reverse=True)[:limit]
        return _Answer(copy.deepcopy(newest_first))

    def _post_message(self, call: Call, channel_id: str) -> _Answer:
        channel = self._rest_channel(channel_id)
        if channel["type"] == GUILD_CATEGORY:
            raise _Refused(400, 50008, "Cannot send messages in a non-text channel")
        body = call.json if isinstance(call.json, dict) else {}
        self._check_upload(call.files)
        self._check_message(body, [], files=len(call.files))
        nonce = None if body.get("nonce") is None else str(body["nonce"])
        if nonce is not None and len(nonce) > MAX_NONCE_LENGTH:
            raise _invalid_form(["nonce"], "BASE_TYPE_MAX_LENGTH", f"Must be {MAX_NONCE_LENGTH} or fewer in length.")
        if nonce is not None and _truthy(body.get("enforce_nonce")):
            kept = self._nonces.get((self.bot_user_id, nonce))
            if kept is not None and time.monotonic() - kept[1] <= self.nonce_window and kept[0] in self._messages:
                return _Answer(copy.deepcopy(self._messages[kept[0]]))  # the same message, nothing new
        pace = self.pace
        wait = pace.take(channel_id) if pace is not None else None
        if pace is not None and wait is not None:
            limited, headers = _rate_limit_answer(wait, via=True, limit=pace.burst)
            return _Answer(limited, status=429, headers=headers)
        attachments = self._attachments(int(channel_id), body, call.files)
        message = self._compose(int(channel_id), body, author=self._user(self.bot_user_id), attachments=attachments)
        self._store(channel, message)
        if nonce is not None:
            self._nonces[(self.bot_user_id, nonce)] = (int(message["id"]), time.monotonic())
        return _Answer(copy.deepcopy(message), events=self._bot_message_events(message, "MESSAGE_CREATE"))

    def _get_channel_message(self, call: Call, channel_id: str, message_id: str) -> _Answer:
        return _Answer(copy.deepcopy(self._rest_message(channel_id, message_id)))

    def _edit_channel_message(self, call: Call, channel_id: str, message_id: str) -> _Answer:
        message = self._rest_message(channel_id, message_id)
        body = call.json if isinstance(call.json, dict) else {}
        if int(message["author"]["id"]) != self.bot_user_id and set(body) - {"flags"}:
            raise _Refused(403, 50005, "Cannot edit a message authored by another user")
        self._check_message({**message, **body}, [], files=len(call.files))
        self._edit(message, body)
        if call.files:
            message["attachments"] += self._attachments(int(channel_id), body, call.files)
        return _Answer(copy.deepcopy(message), events=self._bot_message_events(message, "MESSAGE_UPDATE"))

    def _delete_channel_message(self, call: Call, channel_id: str, message_id: str) -> _Answer:
        return self._delete(self._rest_message(channel_id, message_id))

    def _new_thread(self, parent: dict[str, Any], body: dict[str, Any], thread_id: int, kind: int) -> dict[str, Any]:
        name = str(body.get("name") or "")
        if not 1 <= len(name) <= 100:
            raise _invalid_form(["name"], "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.")
        now = iso(datetime.now(UTC))
        metadata: dict[str, Any] = {
            "archived": False,
            "auto_archive_duration": int(body.get("auto_archive_duration") or 1440),
            "archive_timestamp": now,
            "locked": False,
            "create_timestamp": now,
        }
        if kind == PRIVATE_THREAD:
            metadata["invitable"] = bool(body.get("invitable", True))
        thread: dict[str, Any] = {
            "id": str(thread_id),
            "type": kind,
            "guild_id": str(self.guild_id),
            "parent_id": parent["id"],
            "owner_id": str(self.bot_user_id),
            "name": name,
            "last_message_id": None,
            "rate_limit_per_user": int(body.get("rate_limit_per_user") or 0),
            "flags": 0,
            "message_count": 0,
            "member_count": 1,
            "total_message_sent": 0,
            "thread_metadata": metadata,
            "member": {"id": str(thread_id), "user_id": str(self.bot_user_id), "join_timestamp": now, "flags": 1},
        }
        self._channels[thread_id] = thread
        return thread

    def _thread_answer(self, thread: dict[str, Any]) -> _Answer:
        event = {**copy.deepcopy(thread), "newly_created": True}
        return _Answer(copy.deepcopy(thread), status=201, events=[("THREAD_CREATE", event)])

    def _start_thread(self, call: Call, channel_id: str) -> _Answer:
        parent = self._rest_channel(channel_id)
        if parent["type"] not in (GUILD_TEXT, GUILD_ANNOUNCEMENT):
            raise _invalid_form(["type"], "BASE_TYPE_CHOICES", "Value must be one of {10, 11, 12}.")
        body = call.json if isinstance(call.json, dict) else {}
        kind = int(body.get("type") or PRIVATE_THREAD)  # Discord's default when no type is given
        if kind not in THREAD_TYPES:
            raise _invalid_form(["type"], "BASE_TYPE_CHOICES", "Value must be one of {10, 11, 12}.")
        return self._thread_answer(self._new_thread(parent, body, self._ids.next(), kind))

    def _start_thread_from_message(self, call: Call, channel_id: str, message_id: str) -> _Answer:
        parent = self._rest_channel(channel_id)
        message = self._rest_message(channel_id, message_id)
        if "thread" in message or int(message_id) in self._channels:
            raise _Refused(400, 160004, "A thread has already been created for this message")
        body = call.json if isinstance(call.json, dict) else {}
        kind = ANNOUNCEMENT_THREAD if parent["type"] == GUILD_ANNOUNCEMENT else PUBLIC_THREAD
        thread = self._new_thread(parent, body, int(message_id), kind)
        message["thread"] = copy.deepcopy(thread)
        message["flags"] = int(message["flags"]) | FLAG_HAS_THREAD
        return self._thread_answer(thread)

    def _typing(self, call: Call, channel_id: str) -> _Answer:
        self._rest_channel(channel_id)
        return _Answer(status=204)

    def _thread_member(self, call: Call, channel_id: str, user: str) -> _Answer:
        thread = self._rest_channel(channel_id)
        if thread["type"] not in THREAD_TYPES:
            raise _Refused(400, 50024, "Cannot execute action on this channel type")
        return _Answer(status=204)

    def _get_guild(self, call: Call, guild_id: str) -> _Answer:
        if int(guild_id) != self.guild_id:
            raise _not_found("Guild", 10004)
        guild = self._guild_payload(0)
        for key in ("members", "channels", "threads", "voice_states", "presences", "joined_at", "large", "lazy"):
            guild.pop(key, None)
        return _Answer(guild)

    def _get_guild_channels(self, call: Call, guild_id: str) -> _Answer:
        if int(guild_id) != self.guild_id:
            raise _not_found("Guild", 10004)
        channels = [copy.deepcopy(c) for c in self._channels.values() if c["type"] not in THREAD_TYPES]
        return _Answer(channels)

    def _get_guild_member(self, call: Call, guild_id: str, user_id: str) -> _Answer:
        if int(guild_id) != self.guild_id:
            raise _not_found("Guild", 10004)
        if int(user_id) not in self._members:
            raise _not_found("Member", 10007)
        return _Answer(self._member_payload(int(user_id)))

    async def _attachment(self, request: web.Request) -> web.StreamResponse:
        path = request.match_info["path"]
        with self._lock:
            self.downloads.append(path)
            data = self._files.get(path)
            redirect = self._redirects.get(path)
            chunked = path in self._chunked
        if redirect is not None:
            return web.Response(status=302, headers={"Location": redirect})
        if data is None:
            return web.Response(status=404)
        if not chunked:
            return web.Response(body=data, headers={"Content-Type": _content_type(path)})
        response = web.StreamResponse(headers={"Content-Type": _content_type(path)})
        response.enable_chunked_encoding()
        await response.prepare(request)
        with contextlib.suppress(ConnectionResetError):  # the reader may stop early
            for start in range(0, len(data), 256 * 1024):
                await response.write(data[start : start + 256 * 1024])
            await response.write_eof()
        return response

    # -- gateway -----------------------------------------------------------------------------

    async def _gateway(self, request: web.Request) -> web.StreamResponse:
        socket = web.WebSocketResponse(max_msg_size=0)
        await socket.prepare(request)
        connection = _Connection(socket, compress=request.query.get("compress") == "zlib-stream")
        with self._lock:
            self._gateway_connections.append({**request.query, "path": request.path})
        self._connections.add(connection)
        try:
            if request.query.get("v", str(API_VERSION)) != str(API_VERSION):
                await socket.close(code=4012, message=b"Invalid API version")
                return socket
            trace = ['["gateway-prd-us-east1-b-0",{"micros":0.0}]']
            await connection.send(
                {
                    "op": OP_HELLO,
                    "d": {"heartbeat_interval": self.heartbeat_interval_ms, "_trace": trace},
                    "s": None,
                    "t": None,
                }
            )
            async for received in socket:
                if received.type is not WSMsgType.TEXT:
                    continue
                frame = json.loads(received.data)
                await self._on_frame(connection, frame)
        finally:
            self._connections.discard(connection)
            if self._connection is connection:
                self._connection = None
        return socket

    async def _on_frame(self, connection: _Connection, frame: dict[str, Any]) -> None:
        with self._lock:
            self._gateway_received.append(copy.deepcopy(frame))
        op, data = frame.get("op"), frame.get("d")
        if op == OP_HEARTBEAT:
            await connection.send({"op": OP_HEARTBEAT_ACK, "d": None, "s": None, "t": None})
        elif op == OP_IDENTIFY:
            await self._identify(connection, data or {})
        elif op == OP_RESUME:
            await self._resume(connection, data or {})
        elif op == OP_REQUEST_GUILD_MEMBERS:
            await self._members_chunk(data or {})

    async def _identify(self, connection: _Connection, data: dict[str, Any]) -> None:
        if not data.get("token"):
            await connection.socket.close(code=4004, message=b"Authentication failed.")
            return
        intents = int(data.get("intents") or 0)
        for name, (bit, _) in PRIVILEGED_INTENTS.items():
            if intents & bit and name not in self.privileged_intents:
                await connection.socket.close(code=4014, message=b"Disallowed intent(s).")
                return
        assert self._dispatch_lock is not None
        async with self._dispatch_lock:
            session = _Session(secrets.token_hex(16), intents, data.get("shard"))
            with self._lock:
                self._session = session
            self._connection = connection
            connection.session = session
            ready: dict[str, Any] = {
                "v": API_VERSION,
                "user": self._bot_user(),
                "user_settings": {},
                "guilds": [{"id": str(self.guild_id), "unavailable": True}],
                "session_id": session.id,
                "session_type": "normal",
                "resume_gateway_url": self.gateway_url,
                "application": {"id": str(self.application_id), "flags": self._application_flags()},
                "private_channels": [],
                "relationships": [],
                "presences": [],
                "guild_join_requests": [],
                "geo_ordered_rtc_regions": ["us-east", "us-central"],
                "auth": {},
                "_trace": ['["gateway-prd-us-east1-b-0",{"micros":0.0}]'],
            }
            if session.shard is not None:
                ready["shard"] = session.shard
            await self._dispatch_locked("READY", ready)
            with self._lock:
                guild = self._guild_payload(intents)
            await self._dispatch_locked("GUILD_CREATE", guild)
            with self._lock:
                self._ready_count += 1

    async def _resume(self, connection: _Connection, data: dict[str, Any]) -> None:
        assert self._dispatch_lock is not None
        async with self._dispatch_lock:
            session = self._session
            if session is None or data.get("session_id") != session.id or not data.get("token"):
                await connection.send({"op": OP_INVALID_SESSION, "d": False, "s": None, "t": None})
                return
            seen = int(data.get("seq") or 0)
            for frame in session.log:
                if frame["s"] > seen:
                    await connection.send(frame)
            self._connection = connection
            connection.session = session
            await self._dispatch_locked("RESUMED", {"_trace": ['["gateway-prd-us-east1-b-0",{"micros":0.0}]']})
            with self._lock:
                self._resumed_count += 1

    async def _members_chunk(self, data: dict[str, Any]) -> None:
        with self._lock:
            wanted = {int(u) for u in data.get("user_ids") or []}
            query = str(data.get("query") or "").lower()
            members = [
                self._member_payload(user_id)
                for user_id, member in self._members.items()
                if (not wanted or user_id in wanted) and member.name.lower().startswith(query)
            ]
        chunk: dict[str, Any] = {
            "guild_id": str(self.guild_id),
            "members": members,
            "chunk_index": 0,
            "chunk_count": 1,
        }
        if data.get("nonce"):
            chunk["nonce"] = data["nonce"]
        await self._dispatch("GUILD_MEMBERS_CHUNK", chunk)

    async def _request_reconnect(self) -> None:
        assert self._dispatch_lock is not None
        async with self._dispatch_lock:
            connection = self._connection
            if connection is None:
                raise RuntimeError("no client is connected to the gateway")
            self._connection = None
            await connection.send({"op": OP_RECONNECT, "d": None, "s": None, "t": None})

    async def _invalidate_session(self) -> None:
        assert self._dispatch_lock is not None
        async with self._dispatch_lock:
            connection = self._connection
            if connection is None:
                raise RuntimeError("no client is connected to the gateway")
            self._connection = None
            with self._lock:
                self._session = None
            await connection.send({"op": OP_INVALID_SESSION, "d": False, "s": None, "t": None})

    async def _dispatch(self, event: str, data: dict[str, Any]) -> None:
        assert self._dispatch_lock is not None
        async with self._dispatch_lock:
            await self._dispatch_locked(event, data)

    async def _dispatch_locked(self, event: str, data: dict[str, Any]) -> None:
        with self._lock:
            session = self._session
            if session is None:
                return
            session.seq += 1
            frame = {"op": OP_DISPATCH, "t": event, "s": session.seq, "d": data}
            session.log.append(frame)
            self._dispatched.append({"t": event, "s": session.seq, "d": copy.deepcopy(data)})
        connection = self._connection
        if connection is not None:
            await connection.send(frame)

    def _deliver(self, event: str, data: dict[str, Any]) -> None:
        with self._lock:
            if self._session is None:
                raise RuntimeError("no client has identified to the gateway yet")
        self._run(self._dispatch(event, data))


def _rate_limit_answer(retry_after: float, via: bool, limit: int = 5) -> tuple[dict[str, Any], dict[str, str]]:
    """Discord's 429 body and headers, computed when it is answered (the header set and the body are
    the examples of docs/topics/rate-limits in discord/discord-api-docs; `limit` 5 is the example's,
    Discord publishing no per-route number: "rate limits should not be hard coded")."""
    headers = {
        "Retry-After": retry_after_header(retry_after),
        "X-RateLimit-Limit": str(limit),
        "X-RateLimit-Remaining": "0",
        "X-RateLimit-Reset": f"{time.time() + retry_after:.3f}",
        "X-RateLimit-Reset-After": f"{retry_after:.3f}",
        "X-RateLimit-Bucket": secrets.token_hex(16),
        "X-RateLimit-Scope": "user",
    }
    if via:
        headers["Via"] = "1.1 google"
    return {"message": "You are being rate limited.", "retry_after": retry_after, "global": False}, headers


def _rate_limit(retry_after: float, via: bool) -> Failure:
    """Discord's 429, its rate-limit headers computed when it is answered."""

    def answer() -> web.StreamResponse:
        body, headers = _rate_limit_answer(retry_after, via)
        return json_response(body, 429, headers)

    return Failure(answer)


def _failure(status: int) -> Failure:
    return Failure(lambda: json_response({"message": f"{status}: fake failure", "code": 0}, status))


def _truthy(value: Any) -> bool:
    return str(value).lower() in ("1", "true")


def _content_type(filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    return {
        "csv": "text/csv; charset=utf-8",
        "txt": "text/plain; charset=utf-8",
        "json": "application/json; charset=utf-8",
        "png": "image/png",
        "jpg": "image/jpeg",
        "jpeg": "image/jpeg",
        "pdf": "application/pdf",
    }.get(suffix, "application/octet-stream")


async def _read_body(request: web.Request) -> tuple[Any, dict[str, bytes]]:
    """The JSON body (a multipart body's `payload_json`) and the uploaded files by name."""
    if request.content_type.startswith("multipart/"):
        payload: Any = None
        files: dict[str, bytes] = {}
        reader = await request.multipart()
        while (part := await reader.next()) is not None:
            if not isinstance(part, BodyPartReader):
                continue
            data = await part.read()
            if part.name == "payload_json":
                payload = json.loads(data.decode("utf-8"))
            elif part.filename:
                files[part.filename] = bytes(data)
        return payload, files
    raw = await request.read()
    if not raw:
        return None, {}
    try:
        return json.loads(raw.decode("utf-8")), {}
    except ValueError:
        return raw.decode("utf-8", errors="replace"), {}

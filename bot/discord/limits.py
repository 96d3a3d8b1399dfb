"""Discord's limits, in one place: on an application command (checked on the payload before it is
synced) and on a message, its embeds and components, and a modal (checked on every message the bot
renders before it is sent, see `bot.discord.render`).

Discord refuses a whole sync or message (HTTP 400, code 50035 "Invalid Form Body") when one part
breaks a limit, so the bot checks first. The numbers are from the Discord developer docs
(discord/discord-api-docs); each names its page:
- "Application Commands", https://discord.com/developers/docs/interactions/application-commands
- "Message Resource", https://discord.com/developers/docs/resources/message
- "Message Components", https://discord.com/developers/docs/interactions/message-components
- "Receiving and Responding", https://discord.com/developers/docs/interactions/receiving-and-responding
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

# "Application Command Naming": CHAT_INPUT command and option names are 1-32 characters matching
# ^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$, in their lowercase variant. We keep to the
# stricter ^[-_\p{L}\p{N}]{1,32}$, which every revision of the docs accepts.
NAME_LENGTH = (1, 32)
NAME_PUNCTUATION = frozenset("-_")
# "Application Command Structure" and "Option Structure": descriptions are 1-100 characters.
DESCRIPTION_LENGTH = (1, 100)
# Options per command, and sub-commands or groups per group ("options ... max of 25", "up to 25").
MAX_OPTIONS = 25
# "Option Choice Structure": at most 25 choices, names 1-100 characters, string values up to 100.
MAX_CHOICES = 25
CHOICE_NAME_LENGTH = (1, 100)
CHOICE_VALUE_LENGTH = 100
# "Receiving and Responding", autocomplete result: at most 25 choices (named as above).
MAX_AUTOCOMPLETE_CHOICES = 25
# "Application Command Option Structure": required options must be listed before optional ones,
# and autocomplete may not be combined with choices.
# Names, descriptions and choice names and values of a command with all its sub-commands together
# ("Command exceeds maximum size (8000)").
MAX_COMMAND_SIZE = 8000

SUB_COMMAND, SUB_COMMAND_GROUP = 1, 2
SOURCE = 'Discord developer docs, "Application Commands"'

# "Message Resource", Create Message: content is up to 2000 characters, and up to 10 embeds.
MAX_CONTENT = 2000
MAX_EMBEDS = 10
# "Message Resource", Embed Limits: title 256, description 4096, up to 25 fields, field name 256,
# field value 1024, footer text 2048, author name 256; and all of those together, across every
# embed of a message, at most 6000 ("Violating any of these constraints will result in a Bad Request").
EMBED_TITLE = 256
EMBED_DESCRIPTION = 4096
EMBED_FIELDS = 25
FIELD_NAME = 256
FIELD_VALUE = 1024
EMBED_FOOTER = 2048
EMBED_AUTHOR = 256
MAX_EMBED_TEXT = 6000
# "Message Components": up to 5 action rows in a message, up to 5 buttons in a row, a button's
# label up to 80 characters, a custom_id 1-100 characters; a string select up to 25 options.
MAX_ACTION_ROWS = 5
MAX_ROW_BUTTONS = 5
BUTTON_LABEL = 80
CUSTOM_ID = 100
SELECT_OPTIONS = 25
# "Receiving and Responding", Modal: title up to 45 characters, 1-5 components; "Message
# Components", Text Input: label up to 45 characters, value and max_length up to 4000, placeholder 100.
MODAL_TITLE = 45
MODAL_COMPONENTS = 5
INPUT_LABEL = 45
INPUT_VALUE = 4000
INPUT_PLACEHOLDER = 100
# Messages a person writes: 2000 characters, 4000 with Nitro ("Message Resource", content; Discord
# Nitro's "longer messages"). What the bot relays from them is split to fit its own 2000.
MAX_NITRO_CONTENT = 4000


class CommandLimitError(ValueError):
    """A command Discord would refuse, named by its path, e.g. `/marketsafe store strike`."""


def check_command(payload: dict[str, Any]) -> None:
    """Refuse a CHAT_INPUT command (as discord.py sends it) that breaks one of Discord's limits."""
    path = f"/{payload.get('name', '')}"
    _check_named(payload, path, "command")
    _check_options(payload.get("options") or [], path)
    size = sum(_characters(payload))
    if size > MAX_COMMAND_SIZE:
        raise CommandLimitError(
            f"{path}: its names, descriptions and choices add up to {size} characters; "
            f"Discord allows {MAX_COMMAND_SIZE} per command ({SOURCE}). Shorten some summaries or option descriptions."
        )


def _check_options(options: list[dict[str, Any]], path: str) -> None:
    if len(options) > MAX_OPTIONS:
        raise CommandLimitError(
            f"{path}: {len(options)} options or sub-commands; Discord allows {MAX_OPTIONS} ({SOURCE})."
        )
    seen_optional = None
    for option in options:
        kind = option.get("type")
        where = f"{path} {option.get('name', '')}" if kind in (SUB_COMMAND, SUB_COMMAND_GROUP) else path
        _check_named(option, where, "sub-command" if kind in (SUB_COMMAND, SUB_COMMAND_GROUP) else "option")
        if kind in (SUB_COMMAND, SUB_COMMAND_GROUP):
            _check_options(option.get("options") or [], where)
            continue
        name = option["name"]
        if option.get("required"):
            if seen_optional is not None:
                raise CommandLimitError(
                    f"{path}: required option '{name}' comes after optional '{seen_optional}'; "
                    f"Discord wants required options first ({SOURCE})."
                )
        else:
            seen_optional = name
        _check_choices(option, path)


def _check_choices(option: dict[str, Any], path: str) -> None:
    choices = option.get("choices") or []
    name = option["name"]
    if choices and option.get("autocomplete"):
        raise CommandLimitError(f"{path}: option '{name}' has both choices and autocomplete ({SOURCE}).")
    if len(choices) > MAX_CHOICES:
        raise CommandLimitError(f"{path}: option '{name}' has {len(choices)} choices; Discord allows {MAX_CHOICES}.")
    low, high = CHOICE_NAME_LENGTH
    for choice in choices:
        label, value = str(choice.get("name", "")), choice.get("value")
        if not low <= len(label) <= high:
            raise CommandLimitError(f"{path}: option '{name}' choice '{label}' must be {low}-{high} characters.")
        if isinstance(value, str) and len(value) > CHOICE_VALUE_LENGTH:
            raise CommandLimitError(
                f"{path}: option '{name}' choice value '{value[:20]}…' is over {CHOICE_VALUE_LENGTH} characters."
            )


def _check_named(part: dict[str, Any], path: str, what: str) -> None:
    name, description = str(part.get("name", "")), str(part.get("description", ""))
    if not valid_name(name):
        low, high = NAME_LENGTH
        raise CommandLimitError(
            f"{path}: {what} name '{name}' is not {low}-{high} lowercase letters, digits, '-' or '_' ({SOURCE})."
        )
    check_description(description, f"{path}: {what} '{name}'")


def check_description(description: str, what: str) -> None:
    """Refuse a description Discord would refuse (or discord.py would cut short with '…')."""
    low, high = DESCRIPTION_LENGTH
    if not low <= len(description) <= high:
        raise CommandLimitError(
            f"{what} has a description of {len(description)} characters; Discord allows {low}-{high} ({SOURCE})."
        )


def valid_name(name: str) -> bool:
    """A CHAT_INPUT command or option name Discord accepts."""
    low, high = NAME_LENGTH
    letters = all(char.isalpha() or char.isnumeric() or char in NAME_PUNCTUATION for char in name)
    return low <= len(name) <= high and letters and name == name.lower()


def _characters(part: dict[str, Any]) -> Iterator[int]:
    yield len(str(part.get("name", ""))) + len(str(part.get("description", "")))
    for choice in part.get("choices") or []:
        yield len(str(choice.get("name", ""))) + len(str(choice.get("value", "")))
    for option in part.get("options") or []:
        yield from _characters(option)


class MessageLimitError(ValueError):
    """A message Discord would refuse; names each part that breaks a limit, e.g. `embeds.0.description`."""


def check_message(payload: dict[str, Any]) -> None:
    """Refuse a message payload (as discord.py sends it) that breaks one of Discord's limits."""
    problems = list(_message_problems(payload))
    if problems:
        raise MessageLimitError("; ".join(problems))


def _too_long(path: str, text: Any, most: int) -> Iterator[str]:
    if text is not None and len(str(text)) > most:
        yield f"{path} is {len(str(text))} characters; Discord allows {most}"


def _message_problems(payload: dict[str, Any]) -> Iterator[str]:
    yield from _too_long("content", payload.get("content"), MAX_CONTENT)
    embeds = payload.get("embeds") or []
    if len(embeds) > MAX_EMBEDS:
        yield f"embeds: {len(embeds)}; Discord allows {MAX_EMBEDS}"
    total = 0
    for number, embed in enumerate(embeds):
        path = f"embeds.{number}"
        yield from _too_long(f"{path}.title", embed.get("title"), EMBED_TITLE)
        yield from _too_long(f"{path}.description", embed.get("description"), EMBED_DESCRIPTION)
        yield from _too_long(f"{path}.footer.text", (embed.get("footer") or {}).get("text"), EMBED_FOOTER)
        yield from _too_long(f"{path}.author.name", (embed.get("author") or {}).get("name"), EMBED_AUTHOR)
        fields = embed.get("fields") or []
        if len(fields) > EMBED_FIELDS:
            yield f"{path}.fields: {len(fields)}; Discord allows {EMBED_FIELDS}"
        for index, item in enumerate(fields):
            yield from _too_long(f"{path}.fields.{index}.name", item.get("name"), FIELD_NAME)
            yield from _too_long(f"{path}.fields.{index}.value", item.get("value"), FIELD_VALUE)
        total += embed_text_size(embed)
    if total > MAX_EMBED_TEXT:
        yield f"embeds: {total} characters of text together; Discord allows {MAX_EMBED_TEXT}"
    rows = payload.get("components") or []
    if len(rows) > MAX_ACTION_ROWS:
        yield f"components: {len(rows)} action rows; Discord allows {MAX_ACTION_ROWS}"
    for number, row in enumerate(rows):
        buttons = [c for c in row.get("components") or [] if c.get("type") == 2]
        if len(buttons) > MAX_ROW_BUTTONS:
            yield f"components.{number}: {len(buttons)} buttons; Discord allows {MAX_ROW_BUTTONS}"
        for index, component in enumerate(row.get("components") or []):
            path = f"components.{number}.components.{index}"
            yield from _too_long(f"{path}.label", component.get("label"), BUTTON_LABEL)
            yield from _too_long(f"{path}.custom_id", component.get("custom_id"), CUSTOM_ID)
            options = component.get("options")
            if options is not None and len(options) > SELECT_OPTIONS:
                yield f"{path}.options: {len(options)}; Discord allows {SELECT_OPTIONS}"


def embed_text_size(embed: dict[str, Any]) -> int:
    """The characters of an embed that count towards a message's 6000: title, description, field
    names and values, footer text and author name."""
    size = len(embed.get("title") or "") + len(embed.get("description") or "")
    size += len((embed.get("footer") or {}).get("text") or "") + len((embed.get("author") or {}).get("name") or "")
    return size + sum(len(f.get("name") or "") + len(f.get("value") or "") for f in embed.get("fields") or [])

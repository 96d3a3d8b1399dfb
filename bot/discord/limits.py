"""Discord's limits on an application command, checked on the payload before it is synced.

Discord refuses a whole sync (HTTP 400, code 50035) when one part breaks a limit, so the bot checks
at start-up and fails with an error naming the command instead. The numbers are from the Discord
developer docs, "Application Commands" (discord/discord-api-docs,
docs/interactions/application-commands.mdx; the project's FACTS.md lists the lines).
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

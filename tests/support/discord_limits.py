"""What Discord refuses in a message (content, embeds, components) and in a modal.

The numbers are Discord's documented limits, kept here apart from the bot's own copy
(`bot.discord.limits`) so that a mistake there is caught by the fake; each names the page of the
Discord developer docs it comes from (discord/discord-api-docs; FACTS.md gives the lines).
`message_refusal` and `modal_refusal` answer the first problem as Discord reports it: the path of
the failing field, an error code and a message, for a 400 with code 50035 "Invalid Form Body".
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

# "Message Resource", Create Message: content up to 2000 characters, up to 10 embeds.
MAX_CONTENT = 2000
MAX_EMBEDS = 10
# "Message Resource", Embed Limits: title 256, description 4096, 25 fields, field name 256,
# field value 1024, footer text 2048, author name 256; 6000 characters across all of a message's embeds.
EMBED_TITLE = 256
EMBED_DESCRIPTION = 4096
EMBED_FIELDS = 25
FIELD_NAME = 256
FIELD_VALUE = 1024
EMBED_FOOTER = 2048
EMBED_AUTHOR = 256
MAX_EMBED_TEXT = 6000
# "Message Components" (components/reference): 5 action rows, 5 buttons a row, button label 80,
# custom_id 1-100 and unique within the message, string select 1-25 options.
MAX_ROWS = 5
MAX_ROW_BUTTONS = 5
BUTTON_LABEL = 80
CUSTOM_ID = (1, 100)
SELECT_OPTIONS = (1, 25)
# "Receiving and Responding", Modal: title up to 45 characters, 1-5 components, custom_id 1-100.
# "Message Components", Text Input: label 45, placeholder 100, value and min/max_length up to 4000.
MODAL_TITLE = 45
MODAL_COMPONENTS = (1, 5)
INPUT_LABEL = 45
INPUT_PLACEHOLDER = 100
INPUT_VALUE = 4000

BUTTON, STRING_SELECT, TEXT_INPUT, LABEL = 2, 3, 4, 18
DUPLICATED = "Component custom id cannot be duplicated"

Refusal = tuple[list[str], str, str]  # the failing field's path, Discord's error code, its message


def message_refusal(body: dict[str, Any]) -> Refusal | None:
    """The first limit a message body breaks, as Discord reports it, or None."""
    return next(_message_problems(body), None)


def modal_refusal(data: dict[str, Any]) -> Refusal | None:
    """The first limit a modal (an interaction answer of type 9's `data`) breaks, or None."""
    return next(_modal_problems(data), None)


def _longer(path: list[str], value: Any, most: int) -> Iterator[Refusal]:
    if isinstance(value, str) and len(value) > most:
        yield path, "BASE_TYPE_MAX_LENGTH", f"Must be {most} or fewer in length."


def _outside(path: list[str], value: Any, low: int, high: int) -> Iterator[Refusal]:
    if not isinstance(value, str) or not low <= len(value) <= high:
        yield path, "BASE_TYPE_BAD_LENGTH", f"Must be between {low} and {high} in length."


def _count(path: list[str], items: list[Any], low: int, high: int) -> Iterator[Refusal]:
    if len(items) > high:
        yield path, "BASE_TYPE_MAX_LENGTH", f"Must be {high} or fewer in length."
    elif len(items) < low:
        yield path, "BASE_TYPE_MIN_LENGTH", f"Must be {low} or more in length."


def _message_problems(body: dict[str, Any]) -> Iterator[Refusal]:
    yield from _longer(["content"], body.get("content"), MAX_CONTENT)
    embeds = body.get("embeds") or []
    yield from _count(["embeds"], embeds, 0, MAX_EMBEDS)
    total = 0
    for number, embed in enumerate(embeds):
        where = ["embeds", str(number)]
        yield from _longer([*where, "title"], embed.get("title"), EMBED_TITLE)
        yield from _longer([*where, "description"], embed.get("description"), EMBED_DESCRIPTION)
        yield from _longer([*where, "footer", "text"], (embed.get("footer") or {}).get("text"), EMBED_FOOTER)
        yield from _longer([*where, "author", "name"], (embed.get("author") or {}).get("name"), EMBED_AUTHOR)
        fields = embed.get("fields") or []
        yield from _count([*where, "fields"], fields, 0, EMBED_FIELDS)
        for index, item in enumerate(fields):
            for key, most in (("name", FIELD_NAME), ("value", FIELD_VALUE)):
                text = item.get(key)
                if not isinstance(text, str) or not text.strip():
                    yield [*where, "fields", str(index), key], "BASE_TYPE_REQUIRED", "This field is required"
                yield from _longer([*where, "fields", str(index), key], text, most)
        total += _embed_size(embed)
    if total > MAX_EMBED_TEXT:
        yield ["embeds"], "MAX_EMBED_SIZE_EXCEEDED", f"Embed size exceeds maximum size of {MAX_EMBED_TEXT}"
    yield from _component_problems(body.get("components") or [])


def _embed_size(embed: dict[str, Any]) -> int:
    size = len(embed.get("title") or "") + len(embed.get("description") or "")
    size += len((embed.get("footer") or {}).get("text") or "") + len((embed.get("author") or {}).get("name") or "")
    return size + sum(len(f.get("name") or "") + len(f.get("value") or "") for f in embed.get("fields") or [])


def _component_problems(rows: list[dict[str, Any]]) -> Iterator[Refusal]:
    yield from _count(["components"], rows, 0, MAX_ROWS)
    seen: set[str] = set()
    for number, row in enumerate(rows):
        children = row.get("components") or []
        where = ["components", str(number), "components"]
        if sum(1 for child in children if child.get("type") == BUTTON) > MAX_ROW_BUTTONS:
            yield where, "BASE_TYPE_MAX_LENGTH", f"Must be {MAX_ROW_BUTTONS} or fewer in length."
        for index, child in enumerate(children):
            path = [*where, str(index)]
            if child.get("type") == BUTTON:
                yield from _longer([*path, "label"], child.get("label"), BUTTON_LABEL)
            if "custom_id" in child or (child.get("type") in (BUTTON, STRING_SELECT) and "url" not in child):
                custom_id = child.get("custom_id")
                yield from _outside([*path, "custom_id"], custom_id, *CUSTOM_ID)
                if custom_id in seen:
                    yield [*path, "custom_id"], "COMPONENT_CUSTOM_ID_DUPLICATED", DUPLICATED
                seen.add(str(custom_id))
            if child.get("type") == STRING_SELECT:
                yield from _count([*path, "options"], child.get("options") or [], *SELECT_OPTIONS)


def _modal_problems(data: dict[str, Any]) -> Iterator[Refusal]:
    yield from _outside(["data", "title"], data.get("title"), 1, MODAL_TITLE)
    yield from _outside(["data", "custom_id"], data.get("custom_id"), *CUSTOM_ID)
    tops = data.get("components") or []
    yield from _count(["data", "components"], tops, *MODAL_COMPONENTS)
    for number, top in enumerate(tops):
        where = ["data", "components", str(number)]
        if top.get("type") == LABEL:  # a label component around its input: the label is its own
            yield from _outside([*where, "label"], top.get("label"), 1, INPUT_LABEL)
            yield from _input_problems([*where, "component"], top.get("component") or {})
            continue
        for index, child in enumerate(top.get("components") or []):
            yield from _input_problems([*where, "components", str(index)], child)


def _input_problems(path: list[str], component: dict[str, Any]) -> Iterator[Refusal]:
    yield from _outside([*path, "custom_id"], component.get("custom_id"), *CUSTOM_ID)
    if component.get("type") != TEXT_INPUT:
        return
    if "label" in component:
        yield from _outside([*path, "label"], component.get("label"), 1, INPUT_LABEL)
    yield from _longer([*path, "placeholder"], component.get("placeholder"), INPUT_PLACEHOLDER)
    yield from _longer([*path, "value"], component.get("value"), INPUT_VALUE)
    for key in ("min_length", "max_length"):
        bound = component.get(key)
        if bound is not None and not 0 <= int(bound) <= INPUT_VALUE:
            yield [*path, key], "NUMBER_TYPE_MAX", f"int value should be less than or equal to {INPUT_VALUE}."

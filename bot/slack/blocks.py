"""Replies, notices and forms as Block Kit. Every piece of text is escaped: a user's words can
never become a mention (`<!channel>`, `<@U..>`) or a link in what the bot posts. The words the bot
adds (a note of what was left out, a modal's Cancel) are in the current language: the reader's."""

from __future__ import annotations

import json
from typing import Any

from handlers.kit.forms import FormRequest
from handlers.kit.i18n import _
from handlers.kit.replies import Button, Reply

MAX_SECTION = 2900  # Slack's limit for a section's text is 3000 characters ("Block Kit reference")
MAX_MESSAGE_BLOCKS = 50  # blocks in one message ("Block Kit reference", Blocks)
MAX_VIEW_BLOCKS = 100  # blocks in a modal or the home tab ("Block Kit reference", Blocks)
MAX_MESSAGES = 5  # messages one reply may take before the rest is left out with a note
# The text of all blocks of one posted message together: Slack refuses more with msg_blocks_too_long.
# Not in the reference docs; about 12,000 characters plus the blocks' own overhead, as Slack's
# maintainers put it (slackapi/bolt-js#2867, measured near 13,200 in #2509; see FACTS.md).
MAX_MESSAGE_TEXT = 11_000
FORM_CALLBACK = "form:"
Blocks = list[dict[str, Any]]


def escape(text: str) -> str:
    """Slack's three control characters; the rest is shown as written."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _section(shown: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": shown, "verbatim": True}}


def _cut(shown: str) -> int:
    """Where to end a section of escaped text: the last line break, else space, that fits, and
    never inside an escaped character."""
    for separator in ("\n", " "):
        cut = shown.rfind(separator, 0, MAX_SECTION + 1)
        if cut > 0:
            return cut
    amp = shown.rfind("&", MAX_SECTION - 4, MAX_SECTION)
    return amp if amp > 0 and ";" not in shown[amp:MAX_SECTION] else MAX_SECTION


def sections(text: str) -> Blocks:
    """`text` escaped, over as many sections as it needs, in order; none is empty (Slack refuses those)."""
    shown, blocks = escape(text), []
    while len(shown) > MAX_SECTION:
        cut = _cut(shown)
        if shown[:cut].strip():
            blocks.append(_section(shown[:cut]))
        shown = shown[cut:].lstrip("\n ")
    if shown.strip():
        blocks.append(_section(shown))
    return blocks


def buttons_block(buttons: list[Button], block_id: str = "case_actions") -> dict[str, Any]:
    elements = []
    for index, button in enumerate(buttons[:25]):
        element: dict[str, Any] = {
            "type": "button",
            "action_id": f"run:{index}",
            "text": {"type": "plain_text", "text": button.label[:75]},
            "value": button.command[:2000],
        }
        if button.style in ("primary", "danger"):
            element["style"] = button.style
        elements.append(element)
    return {"type": "actions", "block_id": block_id, "elements": elements}


def _parts(
    text: str, fields: list[tuple[str, str]], lines: list[str], buttons: list[Button], most: int, parts: int
) -> list[Blocks]:
    """The blocks over at most `parts` messages of `most` blocks, buttons last; what does not fit
    is replaced by a last section saying how much more there is and how to see it."""
    content = sections(text) + [b for name, value in fields for b in sections(f"{name}:\n{value}")]
    content += sections("\n".join(lines))
    tail = [buttons_block(buttons)] if buttons else []
    room = most * parts - len(tail)
    if len(content) > room:
        hidden = len(content) - room + 1
        more = _(
            "… and {hidden} more sections not shown. Narrow the command (`help <command>` shows its options).",
            hidden=hidden,
        )
        content = content[: room - 1] + sections(more)
    blocks = content + tail
    return [blocks[start : start + most] for start in range(0, len(blocks), most)] or [[]]


def message_blocks(
    text: str, fields: list[tuple[str, str]], lines: list[str], buttons: list[Button], most: int = MAX_MESSAGE_BLOCKS
) -> Blocks:
    """One message's blocks (or a view's, with `most`), what does not fit left out with a note."""
    return _parts(text, fields, lines, buttons, most, 1)[0]


def notice_messages(text: str, fields: list[tuple[str, str]], buttons: list[Button]) -> list[Blocks]:
    """A notice as the messages it takes, in order, with nothing left out: each of at most 50
    blocks and `MAX_MESSAGE_TEXT` characters of text (a thread message of 40,000 characters takes
    four), the buttons on the last."""
    content = sections(text) + [b for name, value in fields for b in sections(f"{name}:\n{value}")]
    messages: list[Blocks] = [[]]
    size = 0
    for block in content:
        grown = size + len(block["text"]["text"])
        if messages[-1] and (grown > MAX_MESSAGE_TEXT or len(messages[-1]) >= MAX_MESSAGE_BLOCKS - 1):
            messages.append([])
            grown = len(block["text"]["text"])
        messages[-1].append(block)
        size = grown
    if buttons:
        messages[-1].append(buttons_block(buttons))
    return messages


def _shown(reply: Reply) -> str:
    return f":warning: {reply.text}" if reply.is_error else reply.text


def reply_messages(reply: Reply) -> list[Blocks]:
    """A reply as the messages it takes, in order: each within Slack's limit of blocks."""
    return _parts(_shown(reply), reply.fields, reply.lines, reply.buttons, MAX_MESSAGE_BLOCKS, MAX_MESSAGES)


def view_blocks(reply: Reply) -> Blocks:
    """A reply as the blocks of the home tab."""
    return message_blocks(_shown(reply), reply.fields, reply.lines, reply.buttons, MAX_VIEW_BLOCKS)


def fallback_text(text: str) -> str:
    """The notification text Slack shows where blocks are not rendered."""
    return escape(text)[:3000]


def continued(index: int, count: int) -> str:
    """The notification text of a later message of several: `(continued, 2 of 3)`."""
    return _("(continued, {part} of {parts})", part=index + 1, parts=count)


def modal(request: FormRequest, metadata: dict[str, str]) -> dict[str, Any]:
    form = request.form
    blocks = []
    for item in form.fields:
        element: dict[str, Any]
        if item.kind == "select":
            options = [
                {"text": {"type": "plain_text", "text": choice.label[:75]}, "value": choice.value[:150]}
                for choice in request.choices.get(item.name, ())[:100]
            ]
            element = {"type": "static_select", "action_id": "value", "options": options}
            chosen = next((o for o in options if o["value"] == request.initial.get(item.name)), None)
            if chosen is not None:
                element["initial_option"] = chosen
        else:
            element = {"type": "plain_text_input", "action_id": "value", "multiline": item.kind == "multiline"}
            element["max_length"] = item.max_length
            if request.initial.get(item.name):
                element["initial_value"] = request.initial[item.name]
        if item.placeholder:
            element["placeholder"] = {"type": "plain_text", "text": (item.placeholder or "")[:150]}
        blocks.append(
            {
                "type": "input",
                "block_id": item.name,
                "optional": item.optional,
                "label": {"type": "plain_text", "text": item.label[:2000]},
                "element": element,
            }
        )
    return {
        "type": "modal",
        "callback_id": FORM_CALLBACK + form.command,
        "private_metadata": json.dumps(metadata)[:3000],
        "title": {"type": "plain_text", "text": form.title[:24]},
        "submit": {"type": "plain_text", "text": form.submit[:24]},
        "close": {"type": "plain_text", "text": _("Cancel")[:24]},
        "blocks": blocks,
    }


def submitted_values(state: dict[str, dict[str, dict[str, Any]]]) -> dict[str, str]:
    """Form values from a view's state: text as typed, selects by their chosen value."""
    values: dict[str, str] = {}
    for block_id, actions in state.items():
        for action in actions.values():
            if action.get("type") == "static_select":
                selected = action.get("selected_option") or {}
                values[block_id] = str(selected.get("value") or "")
            else:
                values[block_id] = str(action.get("value") or "")
    return values

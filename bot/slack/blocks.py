"""Replies, notices and forms as Block Kit. Every piece of text is escaped: a user's words can
never become a mention (`<!channel>`, `<@U..>`) or a link in what the bot posts."""

from __future__ import annotations

import json
from typing import Any

from handlers.kit.forms import FormRequest
from handlers.kit.replies import Button, Reply

MAX_SECTION = 2900  # Slack's limit for a section's text is 3000 characters
FORM_CALLBACK = "form:"


def escape(text: str) -> str:
    """Slack's three control characters; the rest is shown as written."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": escape(text)[:MAX_SECTION], "verbatim": True}}


def _fields(fields: list[tuple[str, str]]) -> list[dict[str, Any]]:
    return [_section(f"{name}:\n{value}") for name, value in fields]


def _lines(lines: list[str]) -> list[dict[str, Any]]:
    blocks, chunk = [], ""
    for line in lines:
        if len(chunk) + len(line) + 1 > MAX_SECTION:
            blocks.append(_section(chunk))
            chunk = ""
        chunk += line + "\n"
    if chunk:
        blocks.append(_section(chunk))
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


def message_blocks(
    text: str, fields: list[tuple[str, str]], lines: list[str], buttons: list[Button]
) -> list[dict[str, Any]]:
    blocks = [_section(text), *_fields(fields), *_lines(lines)]
    if buttons:
        blocks.append(buttons_block(buttons))
    return blocks[:50]


def reply_blocks(reply: Reply) -> list[dict[str, Any]]:
    text = f":warning: {reply.text}" if reply.is_error else reply.text
    return message_blocks(text, reply.fields, reply.lines, reply.buttons)


def fallback_text(text: str) -> str:
    """The notification text Slack shows where blocks are not rendered."""
    return escape(text)[:3000]


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
        "close": {"type": "plain_text", "text": "Cancel"},
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

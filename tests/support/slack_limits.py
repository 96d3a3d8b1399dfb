"""What Slack refuses in the blocks and text of a message, a modal or the home tab.

The numbers are Slack's documented limits; each names the page of the Slack API docs it comes
from. `refusal` answers the error Slack gives, or None when Slack would accept the payload.
"""

from __future__ import annotations

from typing import Any

# "chat.postMessage" (Slack API docs): text over 40,000 characters is refused with msg_too_long.
MAX_MESSAGE_TEXT = 40_000
# "Block Kit reference", Blocks: up to 50 blocks in a message, 100 in a modal or the home tab.
MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
# "Block Kit reference", Section block: text at least 1 and at most 3,000 characters.
MAX_SECTION_TEXT = 3_000
# "Block Kit reference", Header block: text at most 150 characters.
MAX_HEADER_TEXT = 150
# "Block Kit reference", Select menu element (static): options at least 1, at most 100.
MAX_SELECT_OPTIONS = 100
# "Block Kit reference", Button element: text at most 75 characters, value at most 2,000.
MAX_BUTTON_TEXT = 75
MAX_BUTTON_VALUE = 2_000
# "Block Kit reference", every interactive element: action_id at most 255 characters.
MAX_ACTION_ID = 255
# "Plain-text input element" (docs.slack.dev/reference/block-kit/block-elements/plain-text-input-element):
# max_length between 1 and 3,000, min_length between 0 and 3,000.
PLAIN_TEXT_INPUT_LENGTH = 3_000

# "files.getUploadURLExternal" (Slack API docs, errors): alt_txt_too_large is "longer than the
# limit of 1000 character"; missing_argument "typically only occurs when the `length` provided is 0".
MAX_ALT_TEXT = 1_000
# Slack Help Center, "Upload files to Slack": a file can be up to 1 GB.
MAX_FILE_BYTES = 1024 * 1024 * 1024
# "files.completeUploadExternal" (Slack API docs, errors): channels_limit_exceeded, "A maximum of
# 100 channels is allowed per request".
MAX_SHARE_CHANNELS = 100

MESSAGE_METHODS = frozenset({"chat.postMessage", "chat.update", "chat.postEphemeral", "response_url"})
VIEW_METHODS = frozenset({"views.open", "views.update", "views.publish", "views.push"})


def refusal(method: str, params: dict[str, Any]) -> str | None:
    """The error Slack answers `method` with for these params, or None if it accepts them."""
    if method in MESSAGE_METHODS:
        text = params.get("text")
        if isinstance(text, str) and len(text) > MAX_MESSAGE_TEXT:
            return "msg_too_long"
        return _blocks_refusal(params.get("blocks"), MAX_MESSAGE_BLOCKS)
    if method in VIEW_METHODS:
        view = params.get("view")
        return _blocks_refusal(view.get("blocks") if isinstance(view, dict) else None, MAX_VIEW_BLOCKS)
    return None


def _blocks_refusal(blocks: Any, most: int) -> str | None:
    if blocks is None:
        return None
    if not isinstance(blocks, list) or len(blocks) > most:
        return "invalid_blocks"
    return "invalid_blocks" if any(not _block_ok(block) for block in blocks) else None


def _text(node: Any) -> str:
    return str(node.get("text") or "") if isinstance(node, dict) else ""


def _block_ok(block: Any) -> bool:
    if not isinstance(block, dict):
        return False
    kind = block.get("type")
    if kind == "section":
        text = block.get("text")
        if text is not None and not 1 <= len(_text(text)) <= MAX_SECTION_TEXT:
            return False
        if text is None and not block.get("fields"):
            return False
    if kind == "header" and not 1 <= len(_text(block.get("text"))) <= MAX_HEADER_TEXT:
        return False
    elements = list(block.get("elements") or []) if kind == "actions" else []
    for name in ("element", "accessory"):
        if isinstance(block.get(name), dict):
            elements.append(block[name])
    return all(_element_ok(element) for element in elements)


def _element_ok(element: dict[str, Any]) -> bool:
    if len(str(element.get("action_id") or "")) > MAX_ACTION_ID:
        return False
    kind = element.get("type")
    if kind == "button":
        label = _text(element.get("text"))
        return 1 <= len(label) <= MAX_BUTTON_TEXT and len(str(element.get("value") or "")) <= MAX_BUTTON_VALUE
    if kind == "plain_text_input":
        most, least = element.get("max_length"), element.get("min_length")
        if most is not None and not 1 <= int(most) <= PLAIN_TEXT_INPUT_LENGTH:
            return False
        return least is None or 0 <= int(least) <= PLAIN_TEXT_INPUT_LENGTH
    if kind == "static_select":
        options = element.get("options")
        if element.get("option_groups"):
            return True
        return isinstance(options, list) and 1 <= len(options) <= MAX_SELECT_OPTIONS
    return True


# chat.postMessage is rate limited "Special": "generally allows posting one message per second per
# channel, while also allowing short bursts over that limit"
# (https://api.slack.com/methods/chat.postMessage, "Rate limits"). The size of a burst is not given.
POSTS_PER_SECOND_PER_CHANNEL = 1.0

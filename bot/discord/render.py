"""Replies, notices and forms as Discord messages, buttons and modals.

Every piece of text has its mentions escaped, and every message is sent with no mentions
allowed: a user's words can never ping anyone in what the bot posts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Protocol, cast

import discord

from bot.discord import limits
from bot.text_parts import split_text
from handlers.kit.i18n import N_, _
from handlers.kit.replies import Button, Reply

RUN_PREFIX = "run:"
MAX_CUSTOM_ID = limits.CUSTOM_ID
# Messages one answer or notice may take; what is left after them is named in a last line.
MAX_MESSAGES = 10
MAX_BUTTONS = limits.MAX_ACTION_ROWS * limits.MAX_ROW_BUTTONS
CONTINUED = N_("(continued)")  # shown in the reader's language: `_(CONTINUED)`
NO_MENTIONS = discord.AllowedMentions.none()
# Discord's masked link is `[text](url)`, also across lines, with `<url>`, with brackets nested in its
# text, or after an escaped backslash (`\\[text](url)`). A text with `](` anywhere has every bracket
# escaped, and each backslash before one doubled so it cannot cancel the escape; Discord shows the
# escaped text exactly as typed. A text without `](` cannot hold a masked link and is left as is.
_LINK_CLOSE = "]("
_BRACKET = re.compile(r"(\\*)([\[\]])")


def escape(text: str) -> str:
    """`@everyone`, `@here` and user/role mentions made inert, and masked links (`[click here](https://…)`)
    shown as written, so nobody can put a disguised link under the bot's name."""
    text = discord.utils.escape_mentions(text)
    if _LINK_CLOSE not in text:
        return text
    return _BRACKET.sub(lambda found: found[1] * 2 + "\\" + found[2], text)


@dataclass(slots=True)
class Rendered:
    """What a message is made of: `channel.send(**rendered.arguments())`."""

    content: str
    embeds: list[discord.Embed] = field(default_factory=list)
    view: discord.ui.View | None = None

    def arguments(self) -> dict[str, Any]:
        found: dict[str, Any] = {"content": self.content, "embeds": self.embeds, "allowed_mentions": NO_MENTIONS}
        if self.view is not None:
            found["view"] = self.view
        return found

    def payload(self) -> dict[str, Any]:
        """The message as Discord receives it (content, embeds, components), to check its limits."""
        return {
            "content": self.content,
            "embeds": [dict(embed.to_dict()) for embed in self.embeds],
            "components": self.view.to_components() if self.view is not None else [],
        }

    def text(self) -> str:
        """Everything the message says, in order: its content, then each embed's fields and description."""
        parts = [self.content]
        for embed in self.embeds:
            parts.extend(f"{f.name}\n{f.value}" for f in embed.fields)
            parts.append(embed.description or "")
        return "\n".join(part for part in parts if part)


def render_messages(
    text: str,
    fields: list[tuple[str, str]],
    lines: list[str],
    buttons: list[Button],
    *,
    error: bool = False,
    most: int | None = MAX_MESSAGES,
) -> list[Rendered]:
    """The messages an answer or notice takes, in order, each within Discord's limits: the text as
    the content of as many messages as it needs, then the fields and lines as embeds, then the
    buttons on the last message. Nothing is cut: past `most` messages (an answer's; a notice,
    such as a relayed thread message, takes as many as it needs) the last one says how much is
    left and how to see it. The words the bot adds are in the current language (the reader's,
    the channel's for a notice)."""
    shown = escape(f"⚠ {text}" if error else text).strip() or "…"
    contents = split_text(shown, limits.MAX_CONTENT)
    pressable = [b for b in buttons if len(RUN_PREFIX + b.command) <= MAX_CUSTOM_ID]
    # A command too long to ride on a button is shown for typing instead.
    typed = [f"{b.label}: {b.command}" for b in buttons if b not in pressable]
    embeds = _field_embeds(fields) + _line_embeds([*lines, *typed])
    messages = [Rendered(content) for content in contents]
    for embed in embeds:
        last = messages[-1]
        size = sum(_size(e) for e in [*last.embeds, embed])
        if len(last.embeds) >= limits.MAX_EMBEDS or size > limits.MAX_EMBED_TEXT:
            messages.append(Rendered(""))
        messages[-1].embeds.append(embed)
    for start in range(0, len(pressable), MAX_BUTTONS):
        if start:
            messages.append(Rendered(_(CONTINUED)))
        messages[-1].view = buttons_view(pressable[start : start + MAX_BUTTONS])
    if most is not None:
        messages = _at_most(messages, most)
    for message in messages:
        message.content = message.content or ("" if message.embeds else _(CONTINUED))
        limits.check_message(message.payload())
    return messages


def _size(embed: discord.Embed) -> int:
    return limits.embed_text_size(dict(embed.to_dict()))


def reply_messages(reply: Reply) -> list[Rendered]:
    """A reply as the messages it takes, in order."""
    return render_messages(reply.text, reply.fields, reply.lines, reply.buttons, error=reply.is_error)


def _field_embeds(fields: list[tuple[str, str]]) -> list[discord.Embed]:
    """Fields in embeds of at most 25 that stay under the 6000 characters of a message; a long
    value continues in the next field, a long name in its value."""
    pairs: list[tuple[str, str]] = []
    continued = _(CONTINUED)
    for raw_name, raw_value in fields:
        names = split_text(escape(raw_name), limits.FIELD_NAME)
        value = "\n".join([*names[1:], escape(raw_value)]).strip()
        name = names[0] or "-"
        for number, chunk in enumerate(split_text(value, limits.FIELD_VALUE)):
            later = f"{name} {continued}" if len(name) + len(continued) < limits.FIELD_NAME else continued
            pairs.append((later if number else name, chunk or "-"))
    embeds: list[discord.Embed] = []
    size = 0
    for name, value in pairs:
        grown = size + len(name) + len(value)
        if not embeds or len(embeds[-1].fields) >= limits.EMBED_FIELDS or grown > limits.MAX_EMBED_TEXT:
            embeds.append(discord.Embed())
            grown = len(name) + len(value)
        embeds[-1].add_field(name=name, value=value, inline=False)
        size = grown
    return embeds


def _line_embeds(lines: list[str]) -> list[discord.Embed]:
    if not lines:
        return []
    text = escape("\n".join(lines))
    return [discord.Embed(description=part) for part in split_text(text, limits.EMBED_DESCRIPTION) if part]


def _at_most(messages: list[Rendered], most: int) -> list[Rendered]:
    """The first `most` messages, the last of them saying how many more there were and how to see them."""
    if len(messages) <= most:
        return messages
    kept, left = messages[: most - 1], messages[most - 1 :]
    hidden = sum(len(m.embeds) for m in left) or len(left)
    note = _(
        "… and {hidden} more parts not shown ({messages} messages). Narrow the command or ask for the "
        "next page (`page=2`, …); `help <command>` shows its options.",
        hidden=hidden,
        messages=len(left),
    )
    return [*kept, Rendered(note)]


class ButtonRunner(Protocol):
    """The client: runs a button's command as the person who pressed it."""

    async def run_button(self, interaction: discord.Interaction, command: str) -> None: ...


STYLES = {"primary": discord.ButtonStyle.primary, "danger": discord.ButtonStyle.danger}


class RunButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=re.compile(r"run:(?P<command>.+)", re.S)):
    """A button whose custom_id carries the command line it runs: matched by pattern, so buttons
    on messages posted before a restart still work."""

    def __init__(self, command: str, label: str = "", style: discord.ButtonStyle = discord.ButtonStyle.secondary):
        super().__init__(
            discord.ui.Button(label=_label(label), style=style, custom_id=(RUN_PREFIX + command)[:MAX_CUSTOM_ID])
        )
        self.command = command

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> RunButton:
        button = cast(discord.ui.Button[Any], item)
        return cls(match["command"], button.label or "", button.style)

    async def callback(self, interaction: discord.Interaction) -> None:
        await cast(ButtonRunner, interaction.client).run_button(interaction, self.command)


def _label(label: str) -> str:
    """A button's label within Discord's 80 characters, a longer one visibly shortened."""
    if len(label) <= limits.BUTTON_LABEL:
        return label or _("Run")
    return label[: limits.BUTTON_LABEL - 1] + "…"


def buttons_view(buttons: list[Button]) -> discord.ui.View | None:
    if not buttons:
        return None
    view = discord.ui.View(timeout=None)
    for button in buttons[:MAX_BUTTONS]:
        style = STYLES.get(button.style or "", discord.ButtonStyle.secondary)
        view.add_item(RunButton(button.command, button.label, style))
    return view

"""Replies, notices and forms as Discord messages, buttons and modals.

Every piece of text has its mentions escaped, and every message is sent with no mentions
allowed: a user's words can never ping anyone in what the bot posts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Protocol, cast

import discord

from handlers.kit.replies import Button, Reply

MAX_CONTENT = 2000
MAX_DESCRIPTION = 3000
MAX_EMBED = 5500  # Discord's limit for an embed's text is 6000 characters
MAX_CUSTOM_ID = 100
MAX_BUTTONS = 25
RUN_PREFIX = "run:"
NO_MENTIONS = discord.AllowedMentions.none()
# Discord's masked link: `[text](url)`, also across lines and with `<url>`; escaping its bracket shows it as typed.
_MASKED_LINK = re.compile(r"(?<!\\)\[([^\]]*)\]\(")


def escape(text: str) -> str:
    """`@everyone`, `@here` and user/role mentions made inert, and masked links (`[click here](https://…)`)
    shown as written, so nobody can put a disguised link under the bot's name."""
    return _MASKED_LINK.sub(r"\\[\1](", discord.utils.escape_mentions(text))


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


def render(
    text: str, fields: list[tuple[str, str]], lines: list[str], buttons: list[Button], *, error: bool = False
) -> Rendered:
    content = escape(f"⚠ {text}" if error else text).strip() or "…"
    if len(content) > MAX_CONTENT:
        content = content[: MAX_CONTENT - 1] + "…"
    embeds = [_embed(fields, lines)] if fields or lines else []
    return Rendered(content, embeds, buttons_view(buttons))


def render_reply(reply: Reply) -> Rendered:
    return render(reply.text, reply.fields, reply.lines, reply.buttons, error=reply.is_error)


def _embed(fields: list[tuple[str, str]], lines: list[str]) -> discord.Embed:
    description = escape("\n".join(lines))
    if len(description) > MAX_DESCRIPTION:
        description = description[: MAX_DESCRIPTION - 1] + "…"
    embed = discord.Embed(description=description or None)
    used = len(description)
    for raw_name, raw_value in fields[:25]:
        name, value = escape(raw_name)[:256] or "-", escape(raw_value)[:1024] or "-"
        if used + len(name) + len(value) > MAX_EMBED:
            break
        used += len(name) + len(value)
        embed.add_field(name=name, value=value, inline=False)
    return embed


class ButtonRunner(Protocol):
    """The client: runs a button's command as the person who pressed it."""

    async def run_button(self, interaction: discord.Interaction, command: str) -> None: ...


STYLES = {"primary": discord.ButtonStyle.primary, "danger": discord.ButtonStyle.danger}


class RunButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=re.compile(r"run:(?P<command>.+)", re.S)):
    """A button whose custom_id carries the command line it runs: matched by pattern, so buttons
    on messages posted before a restart still work."""

    def __init__(self, command: str, label: str = "Run", style: discord.ButtonStyle = discord.ButtonStyle.secondary):
        super().__init__(
            discord.ui.Button(label=label[:80] or "Run", style=style, custom_id=(RUN_PREFIX + command)[:MAX_CUSTOM_ID])
        )
        self.command = command

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> RunButton:
        button = cast(discord.ui.Button[Any], item)
        return cls(match["command"], button.label or "Run", button.style)

    async def callback(self, interaction: discord.Interaction) -> None:
        await cast(ButtonRunner, interaction.client).run_button(interaction, self.command)


def buttons_view(buttons: list[Button]) -> discord.ui.View | None:
    if not buttons:
        return None
    view = discord.ui.View(timeout=None)
    for button in buttons[:MAX_BUTTONS]:
        style = STYLES.get(button.style or "", discord.ButtonStyle.secondary)
        view.add_item(RunButton(button.command, button.label, style))
    return view

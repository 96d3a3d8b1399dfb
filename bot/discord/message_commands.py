"""The message command "File as complaint" (a message's Apps menu): the complaint form with the
links of that message filled in, as the person who used it.

Discord's limits on message commands ("Application Commands", discord/discord-api-docs
docs/interactions/application-commands.mdx): a name of 1-32 characters, which unlike a slash
command's may be mixed case and hold spaces; an empty description and no options; and "5 global
`MESSAGE` commands ... the same amount of guild-specific commands per guild" (later revisions of the
page allow 15; the bot keeps to 5, which every revision accepts).
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Sequence
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

from bot.discord.limits import NAME_LENGTH, CommandLimitError
from bot.router import Incoming
from handlers.cases.complaint_from_message import complaint_from_message
from handlers.kit.context import Caller
from handlers.kit.i18n import N_
from handlers.kit.replies import Reply

if TYPE_CHECKING:
    from bot.discord.client import MarketSafeClient

MAX_MESSAGE_COMMANDS = 5
FILE_AS_COMPLAINT = N_("File as complaint")
PLATFORM = "discord"


def message_commands(client: MarketSafeClient) -> list[app_commands.ContextMenu]:
    """The bot's message commands, checked against Discord's limits before they are synced."""

    async def file_as_complaint(interaction: discord.Interaction, message: discord.Message) -> None:
        await client._respond(interaction, _complaint_form(client, interaction, message), forms=True)

    menus = [app_commands.ContextMenu(name=FILE_AS_COMPLAINT, callback=file_as_complaint)]
    check_message_commands(menus)
    return menus


def check_message_commands(menus: Sequence[app_commands.ContextMenu]) -> None:
    """Refuse message commands Discord would refuse: too many, or a name outside 1-32 characters."""
    if len(menus) > MAX_MESSAGE_COMMANDS:
        raise CommandLimitError(f"{len(menus)} message commands; Discord allows {MAX_MESSAGE_COMMANDS} per scope.")
    low, high = NAME_LENGTH
    for menu in menus:
        if not low <= len(menu.name) <= high:
            raise CommandLimitError(f"message command '{menu.name}': a name of {low}-{high} characters.")


def _complaint_form(
    client: MarketSafeClient, interaction: discord.Interaction, message: discord.Message
) -> Coroutine[Any, Any, Reply]:
    user = interaction.user
    incoming = Incoming(
        caller=Caller(PLATFORM, str(user.id), user.name),
        text="complaint",
        channel=str(interaction.channel_id) if interaction.channel_id else None,
        locale=interaction.locale.value,  # the reader's Discord language, e.g. zh-CN
    )
    text = message.content
    return asyncio.to_thread(
        client.router.run, incoming, "complaint", lambda ctx, session: complaint_from_message(ctx, session, text)
    )

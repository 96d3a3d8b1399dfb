"""The Discord client: `/marketsafe <word> [text]` slash commands, buttons and modals, each run
through the router as the Discord user who used them and answered only to them."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

import discord
from discord import app_commands

from bot.discord.render import FormModal, RunButton, field_label, render_reply
from bot.router import Incoming, Router
from handlers.catalogue import COMMANDS
from handlers.context import Caller
from handlers.forms import FormRequest
from handlers.replies import Reply

log = logging.getLogger(__name__)
PLATFORM = "discord"
GROUP = "marketsafe"

Callback = Callable[..., Coroutine[Any, Any, None]]


class MarketSafeClient(discord.Client):
    """A plain client with one command group; it syncs the group to the guild (or globally) when it starts."""

    def __init__(
        self, router: Router, *, guild_id: int | None = None, sync_commands: bool = True, **options: Any
    ) -> None:
        options.setdefault("intents", discord.Intents.default())
        super().__init__(**options)
        self.router = router
        self.guild = discord.Object(id=guild_id) if guild_id else None
        self.sync_commands = sync_commands
        self.tree = app_commands.CommandTree(self)
        self.tree.add_command(self._command_group(), guild=self.guild)

    async def setup_hook(self) -> None:
        self.add_dynamic_items(RunButton)
        if self.sync_commands:
            await self.tree.sync(guild=self.guild)

    def _command_group(self) -> app_commands.Group:
        group = app_commands.Group(name=GROUP, description="MarketSafe working-group bot")
        for word, spec in sorted(COMMANDS.items()):
            callback = self._slash_callback(word)
            description = (spec.summary or word)[:100]
            group.add_command(app_commands.Command(name=word, description=description, callback=callback, parent=group))
        return group

    def _slash_callback(self, word: str) -> Callback:
        async def command(interaction: discord.Interaction, text: str | None = None) -> None:
            await self.run_command(interaction, f"{word} {text or ''}".strip())

        app_commands.describe(text="what follows the command word, as you would type it")(command)
        return command

    # -- what people do ------------------------------------------------------------------------

    async def run_command(self, interaction: discord.Interaction, text: str) -> None:
        """A slash command: a form when the command asks for one, else an ephemeral reply."""
        reply = await self._handle(interaction, text)
        if reply.form is not None:
            await interaction.response.send_modal(FormModal(reply.form, self.submit_form))
            return
        await self._answer(interaction, reply)

    async def run_button(self, interaction: discord.Interaction, command: str) -> None:
        """A button runs the command line it carries, as the person who pressed it."""
        reply = await self._handle(interaction, command)
        if reply.form is not None and interaction.type is not discord.InteractionType.modal_submit:
            await interaction.response.send_modal(FormModal(reply.form, self.submit_form))
            return
        await self._answer(interaction, reply)

    async def submit_form(self, interaction: discord.Interaction, request: FormRequest, values: dict[str, str]) -> None:
        """A submitted modal runs its form's command with the values; an error names the field."""
        form = request.form
        reply = await self._handle(interaction, form.command, args=form.to_args(values))
        if reply.is_error:
            _, label = field_label(request, reply.error_field)
            reply = Reply(f"{label}: {reply.text}", is_error=True)
        reply.form = None  # a modal cannot answer with another modal
        await self._answer(interaction, reply)

    async def _handle(self, interaction: discord.Interaction, text: str, **extra: Any) -> Reply:
        user = interaction.user
        incoming = Incoming(
            caller=Caller(PLATFORM, str(user.id), user.name),
            text=text,
            channel=str(interaction.channel_id) if interaction.channel_id else None,
            request_key=f"discord:interaction:{interaction.id}",
            **extra,
        )
        return await asyncio.to_thread(self.router.handle, incoming)

    @staticmethod
    async def _answer(interaction: discord.Interaction, reply: Reply) -> None:
        rendered = render_reply(reply)
        arguments = rendered.arguments()
        if rendered.view is None:
            arguments.pop("view", None)
        await interaction.response.send_message(ephemeral=True, **arguments)

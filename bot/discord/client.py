"""The Discord client: `/marketsafe` slash commands (built from the command registry, see
`bot.discord.commands`), buttons and modals, each run through the router as the Discord user who
used them and answered only to them."""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Callable, Coroutine
from typing import Any

import discord
from discord import app_commands
from sqlmodel import Session

from bot.discord.commands import Suggester, check_limits, marketsafe_commands
from bot.discord.limits import CHOICE_NAME_LENGTH, CHOICE_VALUE_LENGTH, MAX_AUTOCOMPLETE_CHOICES, MessageLimitError
from bot.discord.render import FormModal, Rendered, RunButton, field_label, render_messages, reply_messages
from bot.router import Incoming, Router, ThreadMessage
from handlers.cases.suggestions import case_suggestions, right_suggestions
from handlers.kit.arguments import Args
from handlers.kit.context import Caller, Context
from handlers.kit.forms import FormRequest
from handlers.kit.registry import OptionKind
from handlers.kit.replies import Button, Reply

log = logging.getLogger(__name__)
PLATFORM = "discord"
# Discord wants an interaction answered within 3 s: a reply not ready by then is deferred.
DEFER_AFTER = 1.5

Suggest = Callable[[Context, Session, str], list[tuple[str, str]]]


class MarketSafeClient(discord.Client):
    """A plain client with one command group; it syncs the group to the guild (or globally) when it starts."""

    def __init__(
        self, router: Router, *, guild_id: int | None = None, sync_commands: bool = True, **options: Any
    ) -> None:
        intents = options.pop("intents", None) or discord.Intents.default()
        intents.message_content = True  # a person's words in a case thread are relayed
        super().__init__(intents=intents, **options)
        self.router = router
        self.defer_after = DEFER_AFTER
        self.guild = discord.Object(id=guild_id) if guild_id else None
        self.sync_commands = sync_commands
        self.tree = app_commands.CommandTree(self)
        suggesters = {
            OptionKind.CASE: self._suggester(case_suggestions),
            OptionKind.RIGHT: self._suggester(right_suggestions),
        }
        commands = marketsafe_commands(self.run_typed, suggesters)
        check_limits(commands, self.tree)
        for command in commands:
            self.tree.add_command(command, guild=self.guild)

    async def setup_hook(self) -> None:
        self.add_dynamic_items(RunButton)
        if self.sync_commands:
            await self.tree.sync(guild=self.guild)

    def _suggester(self, suggest: Suggest) -> Suggester:
        """An autocomplete callback offering `suggest`'s choices for the caller; never raises."""

        async def suggester(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
            try:
                found = await asyncio.to_thread(self.suggestions, interaction, suggest, current or "")
            except Exception:  # a failed suggestion must not fail the interaction
                log.exception("autocomplete for %s failed", interaction.user.id)
                return []
            return [
                app_commands.Choice(name=label[: CHOICE_NAME_LENGTH[1]], value=value[:CHOICE_VALUE_LENGTH])
                for label, value in found[:MAX_AUTOCOMPLETE_CHOICES]
            ]

        return suggester

    def suggestions(self, interaction: discord.Interaction, suggest: Suggest, typed: str) -> list[tuple[str, str]]:
        """`suggest` run with the caller's context (as the router builds it) in one transaction."""
        user = interaction.user
        incoming = Incoming(
            caller=Caller(PLATFORM, str(user.id), user.name),
            text="",
            channel=str(interaction.channel_id) if interaction.channel_id else None,
        )
        with self.router.database.transaction() as session:
            ctx = self.router.context_for(session, incoming)
            return suggest(ctx, session, typed)

    # -- what people do ------------------------------------------------------------------------

    async def run_typed(self, interaction: discord.Interaction, command: str, args: Args) -> None:
        """A slash command, its values already parsed: a form when the command asks for one, else
        an ephemeral reply."""
        await self._respond(interaction, self._handle(interaction, command, args=args), forms=True)

    async def run_button(self, interaction: discord.Interaction, command: str) -> None:
        """A button runs the command line it carries, as the person who pressed it."""
        forms = interaction.type is not discord.InteractionType.modal_submit
        await self._respond(interaction, self._handle(interaction, command), forms=forms)

    async def submit_form(self, interaction: discord.Interaction, request: FormRequest, values: dict[str, str]) -> None:
        """A submitted modal runs its form's command with the values; an error names the field."""
        form = request.form

        async def handled() -> Reply:
            reply = await self._handle(interaction, form.command, args=form.to_args(values))
            if reply.is_error:
                _, label = field_label(request, reply.error_field)
                reply = Reply(f"{label}: {reply.text}", is_error=True)
            reply.form = None  # a modal cannot answer with another modal
            return reply

        await self._respond(interaction, handled(), forms=False)

    async def _respond(
        self, interaction: discord.Interaction, handling: Coroutine[Any, Any, Reply], *, forms: bool
    ) -> None:
        """Answer with the reply when it is ready within `defer_after`; else defer (ephemeral
        "thinking"), and put the reply in place of the deferred answer when it is ready. A form
        can only be opened as the first answer: after a deferral it is offered as a button."""
        task = asyncio.ensure_future(handling)
        done, _ = await asyncio.wait({task}, timeout=self.defer_after)
        if task in done:
            reply = task.result()
            if reply.form is not None and forms:
                await interaction.response.send_modal(FormModal(reply.form, self.submit_form))
                return
            reply.form = None
            await self._answer(interaction, reply)
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        reply = await task
        if reply.form is not None:
            command = reply.form.form.command
            reply.buttons = [Button(label="Open the form", command=command), *reply.buttons]
            reply.form = None
        await self._answer(interaction, reply, deferred=True)

    # -- messages in the bot's threads ------------------------------------------------------------

    async def on_message(self, message: discord.Message) -> None:
        """A person's message in one of the bot's threads: the router decides what it stands for
        (a case reply relayed to the other side, an answer to a language request)."""
        if message.author.bot or message.webhook_id is not None:
            return
        if not message.content.strip():
            return  # nothing to act on: spare the channel lookup
        thread = message.channel
        if isinstance(thread, discord.PartialMessageable) and message.guild is not None:
            try:
                thread = await self.fetch_channel(thread.id)  # type: ignore[assignment]
            except discord.HTTPException:
                return
        if not isinstance(thread, discord.Thread) or thread.parent_id is None:
            return
        author = message.author
        in_thread = ThreadMessage(
            platform=PLATFORM,
            channel_ref=str(thread.parent_id),
            thread_ref=str(thread.id),
            author=str(author.id),
            text=message.content,
            request_key=f"discord:message:{message.id}",
            author_name=lambda: author.display_name,
        )
        try:
            reply = await asyncio.to_thread(self.router.thread_message, in_thread)
            if reply is not None and reply.is_error:
                # Not relayed (too long, or not allowed): the author is told why, under their message.
                first, *rest = reply_messages(reply)
                await message.reply(**first.arguments())
                for rendered in rest:
                    await thread.send(**rendered.arguments())
        except Exception:  # one message must not take the client down
            log.exception("message %s in thread %s not relayed", message.id, thread.id)

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
    async def _answer(interaction: discord.Interaction, reply: Reply, *, deferred: bool = False) -> None:
        """The reply as the interaction's answer (in place of the deferred one), and its further
        messages as follow-ups, in order. An answer Discord refuses is replaced by a short one
        saying so, with a reference that finds the logged error."""
        shown = False
        try:
            first, *rest = reply_messages(reply)
            if deferred:
                await interaction.edit_original_response(**_arguments(first))
            else:
                await interaction.response.send_message(ephemeral=True, **_arguments(first))
            shown = True
            await _follow_up(interaction, rest)
        except (MessageLimitError, discord.HTTPException) as error:
            if isinstance(error, discord.HTTPException) and error.status != 400:
                raise
            await _tell_refused(interaction, error, in_place=deferred and not shown)


def _arguments(rendered: Rendered) -> dict[str, Any]:
    arguments = rendered.arguments()
    if rendered.view is None:
        arguments.pop("view", None)
    return arguments


async def _tell_refused(
    interaction: discord.Interaction, error: MessageLimitError | discord.HTTPException, *, in_place: bool
) -> None:
    """The short answer for an answer Discord refused (in place of the deferred answer when
    `in_place`, else after what was shown); the log names the error under the same reference."""
    reference = secrets.token_hex(4)
    reason = f"code {error.code}" if isinstance(error, discord.HTTPException) else "over its limits"
    log.warning("Discord refused an answer (%s: %s); reference %s", type(error).__name__, error, reference)
    short = render_messages(f"That answer could not be shown (Discord refused it, {reason}); reference {reference}.",
                            [], [], [], error=True)[0]  # fmt: skip
    if in_place:
        await interaction.edit_original_response(**_arguments(short))
    elif interaction.response.is_done():
        await interaction.followup.send(ephemeral=True, **_arguments(short))
    else:
        await interaction.response.send_message(ephemeral=True, **_arguments(short))


async def _follow_up(interaction: discord.Interaction, messages: list[Rendered]) -> None:
    """A long reply's later messages, seen only by the caller like its first, one after the other."""
    for rendered in messages:
        await interaction.followup.send(ephemeral=True, wait=True, **_arguments(rendered))

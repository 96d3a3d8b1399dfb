"""The Discord client: `/marketsafe <word> [text]` slash commands, buttons and modals, each run
through the router as the Discord user who used them and answered only to them."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

import discord
from discord import app_commands
from sqlmodel import Session

from bot.discord.render import FormModal, RunButton, field_label, render_reply
from bot.router import Incoming, Router
from handlers.cases.suggestions import case_suggestions, right_suggestions
from handlers.catalogue import top_words
from handlers.kit.arguments import Args
from handlers.kit.context import Caller, Context
from handlers.kit.forms import FormRequest
from handlers.kit.registry import summary_of
from handlers.kit.replies import Button, Reply
from storage.queries.outbox import posted_thread
from storage.vocabulary import Channel, Platform, ReasonCode

log = logging.getLogger(__name__)
PLATFORM = "discord"
GROUP = "marketsafe"
CASE_REFERENCE, LANGUAGE_REFERENCE = "MS-", "LR-"
# Discord wants an interaction answered within 3 s: a reply not ready by then is deferred.
DEFER_AFTER = 1.5

# Commands that name a case first: their `case` option is suggested from the caller's cases.
CASE_WORDS = frozenset({"case", "withdraw", "outcome"})
TEXT_HELP = "what follows the command word, as you would type it"
MAX_CHOICES, CHOICE_LIMIT = 25, 100  # Discord's limits on autocomplete choices

Callback = Callable[..., Coroutine[Any, Any, None]]
Suggest = Callable[[Context, Session, str], list[tuple[str, str]]]
Suggester = Callable[[discord.Interaction, str], Coroutine[Any, Any, list[app_commands.Choice[str]]]]


def command_line(word: str, *parts: str | None) -> str:
    """`word` followed by the parts given, e.g. `outcome MS-000012 all removed`."""
    return " ".join([word, *(part.strip() for part in parts if part and part.strip())])


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
        self.tree.add_command(self._command_group(), guild=self.guild)

    async def setup_hook(self) -> None:
        self.add_dynamic_items(RunButton)
        if self.sync_commands:
            await self.tree.sync(guild=self.guild)

    def _command_group(self) -> app_commands.Group:
        group = app_commands.Group(name=GROUP, description="MarketSafe working-group bot")
        for word in sorted(top_words()):
            callback = self._slash_callback(word)
            description = (summary_of(word) or word)[:100]
            group.add_command(app_commands.Command(name=word, description=description, callback=callback, parent=group))
        return group

    def _slash_callback(self, word: str) -> Callback:
        if word in CASE_WORDS:
            return self._case_callback(word)
        if word == "complaint":
            return self._complaint_callback()

        async def command(interaction: discord.Interaction, text: str | None = None) -> None:
            await self.run_command(interaction, f"{word} {text or ''}".strip())

        app_commands.describe(text=TEXT_HELP)(command)
        return command

    def _case_callback(self, word: str) -> Callback:
        """`<word> [case] [text]`: the case is suggested from the ones the caller may name."""

        async def command(interaction: discord.Interaction, case: str | None = None, text: str | None = None) -> None:
            await self.run_command(interaction, command_line(word, (case or "").strip(), text))

        app_commands.describe(case="the case id, e.g. MS-000012", text=TEXT_HELP)(command)
        app_commands.autocomplete(case=self._suggester(case_suggestions))(command)
        return command

    def _complaint_callback(self) -> Callback:
        """`complaint [right] [platform] [reason] [text]`: the right suggested, the others chosen."""

        async def command(
            interaction: discord.Interaction,
            right: str | None = None,
            platform: str | None = None,
            reason: str | None = None,
            text: str | None = None,
        ) -> None:
            given = (("right", right), ("platform", platform), ("reason", reason))
            options = " ".join(f"{name}={value.strip()}" for name, value in given if value and value.strip())
            await self.run_command(interaction, command_line("complaint", options, text))

        app_commands.describe(
            right="the IP right the complaint relies on",
            platform="the marketplace (found from the links when left out)",
            reason="why the listings infringe (counterfeit when left out)",
            text="the links, and any other options, as you would type them",
        )(command)
        app_commands.choices(
            platform=[app_commands.Choice(name=p.label, value=p.value) for p in Platform],
            reason=[app_commands.Choice(name=r.value.replace("_", " "), value=r.value) for r in ReasonCode],
        )(command)
        app_commands.autocomplete(right=self._suggester(right_suggestions))(command)
        return command

    def _suggester(self, suggest: Suggest) -> Suggester:
        """An autocomplete callback offering `suggest`'s choices for the caller; never raises."""

        async def suggester(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
            try:
                found = await asyncio.to_thread(self.suggestions, interaction, suggest, current or "")
            except Exception:  # a failed suggestion must not fail the interaction
                log.exception("autocomplete for %s failed", interaction.user.id)
                return []
            return [
                app_commands.Choice(name=label[:CHOICE_LIMIT], value=value[:CHOICE_LIMIT])
                for label, value in found[:MAX_CHOICES]
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

    async def run_command(self, interaction: discord.Interaction, text: str) -> None:
        """A slash command: a form when the command asks for one, else an ephemeral reply."""
        await self._respond(interaction, self._handle(interaction, text), forms=True)

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
        rendered = render_reply(reply)
        arguments = rendered.arguments()
        if rendered.view is None:
            arguments.pop("view", None)
        await interaction.edit_original_response(**arguments)

    # -- messages in case threads ----------------------------------------------------------------

    async def on_message(self, message: discord.Message) -> None:
        """A person's message in a case thread is relayed to the case thread on the other side."""
        if message.author.bot or message.webhook_id is not None:
            return
        text = message.content.strip()
        if not text:
            return
        thread = message.channel
        if isinstance(thread, discord.PartialMessageable) and message.guild is not None:
            try:
                thread = await self.fetch_channel(thread.id)  # type: ignore[assignment]
            except discord.HTTPException:
                return
        if not isinstance(thread, discord.Thread) or thread.parent_id is None:
            return
        try:
            await asyncio.to_thread(self._relay, message, thread, text)
        except Exception:  # one message must not take the client down
            log.exception("message %s in thread %s not relayed", message.id, thread.id)

    def _relay(self, message: discord.Message, thread: discord.Thread, text: str) -> None:
        with self.router.database.transaction() as session:
            found = posted_thread(session, PLATFORM, str(thread.parent_id), str(thread.id))
        if found is None:
            return
        logical_channel, case_id = found
        author = message.author
        caller = Caller(PLATFORM, str(author.id), author.display_name)
        request_key = f"discord:message:{message.id}"
        channel = str(thread.parent_id)
        if case_id.startswith(LANGUAGE_REFERENCE):
            if logical_channel != Channel.LANGUAGE:
                return  # the member's copy of the thread: answers are given in the language channel
            incoming = Incoming(caller, f"language answer {case_id} {text}", channel, request_key=request_key)
        elif case_id.startswith(CASE_REFERENCE):
            incoming = Incoming(
                caller=caller,
                text="case",
                channel=channel,
                thread=logical_channel,
                request_key=request_key,
                args=Args(words=[case_id, "reply"], text=f"{case_id} reply {text}"),
            )
        else:
            return  # raid threads are the team's working notes
        reply = self.router.handle(incoming)
        if reply.is_error:
            log.info("message in %s thread not relayed: %s", case_id, reply.text)

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

"""The Discord client: `/marketsafe` slash commands (built from the command registry, see
`bot.discord.commands`), buttons, forms in steps of modals (`bot.discord.form_steps`) and direct
messages, each run through the router as the Discord user who used them and answered only to
them. Files attached to a command or a direct message are fetched by `bot.discord.downloads`."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import secrets
from collections.abc import Callable, Coroutine, Sequence
from typing import Any

import discord
from discord import app_commands
from sqlmodel import Session

from bot import metrics
from bot.discord.commands import Suggester, check_limits, marketsafe_commands
from bot.discord.downloads import Downloads, NotDownloaded, limit_for
from bot.discord.form_steps import EXPIRED, MODAL_COMPONENTS, ContinueButton, Draft, FormDrafts, StepModal, field_label
from bot.discord.limits import CHOICE_NAME_LENGTH, CHOICE_VALUE_LENGTH, MAX_AUTOCOMPLETE_CHOICES, MessageLimitError
from bot.discord.message_commands import message_commands
from bot.discord.render import Rendered, RunButton, render_messages, reply_messages
from bot.discord.translations import CatalogTranslator
from bot.discord.uploads import send_files_in, send_files_to_caller
from bot.message_files import file_command, may_run, over_caps
from bot.router import Incoming, Router, ThreadMessage
from handlers.cases.suggestions import case_suggestions, right_suggestions
from handlers.kit.arguments import Args
from handlers.kit.context import Attachment, Caller, Context
from handlers.kit.forms import FormRequest
from handlers.kit.i18n import _, in_language
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
        self,
        router: Router,
        *,
        guild_id: int | None = None,
        sync_commands: bool = True,
        api_url: str = "",
        **options: Any,
    ) -> None:
        intents = options.pop("intents", None) or discord.Intents.default()
        intents.message_content = True  # a person's words in a case thread are relayed
        intents.dm_messages = True  # commands written to the bot directly
        super().__init__(intents=intents, **options)
        self.router = router
        self.downloads = Downloads(api_url, proxy=self.http.proxy, proxy_auth=self.http.proxy_auth)
        self.drafts = FormDrafts()
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
        for command in [*commands, *message_commands(self)]:
            self.tree.add_command(command, guild=self.guild)

    async def setup_hook(self) -> None:
        self.add_dynamic_items(RunButton, ContinueButton)
        await self.tree.set_translator(CatalogTranslator())  # descriptions for zh-CN and zh-TW readers
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

    async def run_typed(
        self, interaction: discord.Interaction, command: str, args: Args, files: tuple[discord.Attachment, ...] = ()
    ) -> None:
        """A slash command, its values already parsed and its file fetched: a form when the command
        asks for one, else an ephemeral reply."""
        kept: list[Attachment] = []

        async def handled() -> Reply:
            user = interaction.user
            wanting = Incoming(caller=Caller(PLATFORM, str(user.id), user.name), text=command)
            fetched, refused = await self._fetched(wanting, files, interaction.locale.value)
            if refused is not None:
                return refused
            kept.extend(fetched)
            return await self._handle(interaction, command, args=args, attachments=tuple(kept))

        await self._respond(interaction, handled(), forms=True, kept=kept)

    async def run_button(self, interaction: discord.Interaction, command: str) -> None:
        """A button runs the command line it carries, as the person who pressed it."""
        forms = interaction.type is not discord.InteractionType.modal_submit
        await self._respond(interaction, self._handle(interaction, command), forms=forms)

    async def submit_step(self, interaction: discord.Interaction, draft: Draft, values: dict[str, str]) -> None:
        """A submitted step of a form: kept, and a Continue button to the next step; after the
        last step the form's command runs with every value, and an error names its field and
        offers that field's step again, with what was typed."""
        if self.drafts.get(draft.key, interaction.user.id) is not draft:
            await self._tell_expired(interaction)
            return
        draft.values.update(values)
        steps = draft.steps
        if draft.step + 1 < len(steps):
            draft.step += 1
            following = ", ".join(item.label for item in steps[draft.step])
            with in_language(draft.language):
                text = _(
                    "Step {step} of {steps} kept. Continue with step {next}: {fields}.",
                    step=draft.step, steps=len(steps), next=draft.step + 1, fields=following,
                )  # fmt: skip
                button = ContinueButton(draft.key)
            await self._answer(interaction, Reply(text, language=draft.language), button)
            return
        form = draft.form
        kept: list[ContinueButton] = []

        async def handled() -> Reply:
            reply = await self._handle(
                interaction, form.command, args=form.to_args(dict(draft.values)), attachments=draft.attachments
            )
            if reply.is_error:
                name, label = field_label(draft.request, reply.error_field)
                draft.step = form.step_of(name, MODAL_COMPONENTS)
                with in_language(reply.language or draft.language):
                    kept.append(ContinueButton(draft.key, _("Correct {field}", field=label)))
                reply = Reply(f"{label}: {reply.text}", is_error=True, language=reply.language)
            else:
                self.drafts.close(draft.key)
            reply.form = None  # a modal cannot answer with another modal
            return reply

        await self._respond(interaction, handled(), forms=False, extra=kept)

    async def continue_form(self, interaction: discord.Interaction, key: str) -> None:
        """A Continue button: the draft's next step, for the person who opened the form only."""
        draft = self.drafts.get(key, interaction.user.id)
        if draft is None:
            await self._tell_expired(interaction)
            return
        with in_language(draft.language):
            modal = StepModal(draft, self.submit_step)
        await interaction.response.send_modal(modal)

    async def _tell_expired(self, interaction: discord.Interaction) -> None:
        """A form step or Continue button whose draft is gone (expired, or someone else's)."""
        with in_language(await self._language(interaction.user, interaction.locale.value)):
            text = f"⚠ {_(EXPIRED)}"
        await interaction.response.send_message(text, ephemeral=True)

    async def _language(self, user: discord.abc.User, locale: str | None = None) -> str:
        """The reader's language for what the client says outside a command (the router's choice:
        their own, else their Discord language, else the program's); read off the event loop."""
        return await asyncio.to_thread(self.router.language_of, Caller(PLATFORM, str(user.id), user.name), locale)

    async def _respond(
        self,
        interaction: discord.Interaction,
        handling: Coroutine[Any, Any, Reply],
        *,
        forms: bool,
        kept: Sequence[Attachment] = (),
        extra: Sequence[discord.ui.Item[Any]] = (),
    ) -> None:
        """Answer with the reply when it is ready within `defer_after`; else defer (ephemeral
        "thinking"), and put the reply in place of the deferred answer when it is ready. A form
        can only be opened as the first answer: after a deferral it is offered as a button. The
        files `kept` (filled in while handling) go with the form to its last step; `extra` items
        (filled in while handling) join the reply's buttons."""
        metrics.time_discord_ack(interaction)
        task = asyncio.ensure_future(handling)
        done, _pending = await asyncio.wait({task}, timeout=self.defer_after)
        if task in done:
            reply = task.result()
            if reply.form is not None and forms:
                draft = self._draft(interaction, reply.form, tuple(kept), reply.language)
                with in_language(draft.language):
                    modal = StepModal(draft, self.submit_step)
                await interaction.response.send_modal(modal)
                return
            reply.form = None
            await self._answer(interaction, reply, *extra)
            await send_files_to_caller(interaction, reply)
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        reply = await task
        items = list(extra)
        if reply.form is not None:
            draft_language = reply.language
            with reply.in_its_language():
                label = _("Open the form")
                if kept:  # the files wait in a draft: the button opens that draft's form
                    draft = self._draft(interaction, reply.form, tuple(kept), draft_language)
                    items.insert(0, ContinueButton(draft.key, label))
                else:
                    reply.buttons = [Button(label=label, command=reply.form.form.command), *reply.buttons]
            reply.form = None
        await self._answer(interaction, reply, *items, deferred=True)
        await send_files_to_caller(interaction, reply)

    def _draft(
        self, interaction: discord.Interaction, request: FormRequest, kept: tuple[Attachment, ...], language: str | None
    ) -> Draft:
        return self.drafts.open(
            interaction.user.id, request, channel_id=interaction.channel_id, attachments=kept, language=language
        )

    # -- messages: to the bot directly, and in the bot's threads -----------------------------------

    async def on_message(self, message: discord.Message) -> None:
        """A direct message to the bot is a command (with any files attached); a person's message
        in one of the bot's threads stands for what the router decides (a case reply relayed to
        the other side, an answer to a language request)."""
        if message.author.bot or message.webhook_id is not None:
            return
        if isinstance(message.channel, discord.DMChannel):
            await self.on_direct_message(message)
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
                with reply.in_its_language():
                    first, *rest = reply_messages(reply)
                await message.reply(**first.arguments())
                for rendered in rest:
                    await thread.send(**rendered.arguments())
        except Exception:  # one message must not take the client down
            log.exception("message %s in thread %s not relayed", message.id, thread.id)

    async def on_direct_message(self, message: discord.Message) -> None:
        """`complaint <links>`, `complaint` with a CSV file, `raid ...` with its documents, or any
        command at all, written to the bot directly: answered in the same conversation."""
        text = message.content.strip()
        if not text and not message.attachments:
            return
        try:
            author = message.author
            incoming = Incoming(
                caller=Caller(PLATFORM, str(author.id), author.name),
                text=text,
                channel=str(message.channel.id),
                request_key=f"discord:message:{message.id}",
            )
            attachments, refused = await self._fetched(incoming, message.attachments)
            if refused is not None:
                reply = refused
            else:
                incoming = dataclasses.replace(incoming, attachments=attachments)
                reply = await asyncio.to_thread(self.router.handle, incoming)
            reply.form = None  # a message cannot open a modal: the reply says what to type instead
            with reply.in_its_language():
                messages = reply_messages(reply)
            for rendered in messages:
                await message.channel.send(**_arguments(rendered))
            await send_files_in(message.channel, reply)
        except Exception:  # one message must not take the client down
            log.exception("direct message %s not answered", message.id)

    async def _fetched(
        self, incoming: Incoming, files: Sequence[discord.Attachment], locale: str | None = None
    ) -> tuple[tuple[Attachment, ...], Reply | None]:
        """The files of a command that takes them, run by someone its roles allow, fetched; none for
        any other message (answered as without them). A message over the caps of
        `bot.message_files`, or a file that cannot be fetched, gives the refusal instead."""
        if not files:
            return (), None
        spec = file_command(incoming.text)
        if spec is None or not await asyncio.to_thread(may_run, self.router, incoming, spec):
            log.info(
                "%s files of %s not fetched: %s", len(files), incoming.request_key or "a command",
                "its command takes no files" if spec is None else "its command is not for the caller's role",
            )  # fmt: skip
            return (), None
        language = await asyncio.to_thread(self.router.language_of, incoming.caller, locale)
        try:
            with in_language(language):
                refusal = over_caps([file.size if isinstance(file.size, int) else 0 for file in files])
                if refusal is not None:
                    log.info("%s files of %s not fetched: over the caps of a message", len(files), spec.word)
                    raise NotDownloaded(refusal)
                return await self.downloads.fetch_all(files, limit_for(spec.word)), None
        except NotDownloaded as error:
            return (), Reply(str(error), is_error=True, language=language)

    async def _handle(self, interaction: discord.Interaction, text: str, **extra: Any) -> Reply:
        user = interaction.user
        incoming = Incoming(
            caller=Caller(PLATFORM, str(user.id), user.name),
            text=text,
            channel=str(interaction.channel_id) if interaction.channel_id else None,
            request_key=f"discord:interaction:{interaction.id}",
            locale=interaction.locale.value,  # the reader's Discord language, e.g. zh-CN
            **extra,
        )
        return await asyncio.to_thread(self.router.handle, incoming)

    @staticmethod
    async def _answer(
        interaction: discord.Interaction, reply: Reply, *extra: discord.ui.Item[Any], deferred: bool = False
    ) -> None:
        """The reply as the interaction's answer (in place of the deferred one), and its further
        messages as follow-ups, in order; `extra` items (a form's Continue button) go after the
        last message's buttons. An answer Discord refuses is replaced by a short one saying so,
        with a reference that finds the logged error."""
        shown = False
        try:
            with reply.in_its_language():
                messages = reply_messages(reply)
            _add_items(messages[-1], extra)
            first, *rest = messages
            if deferred:
                await interaction.edit_original_response(**_arguments(first))
            else:
                await interaction.response.send_message(ephemeral=True, **_arguments(first))
            shown = True
            await _follow_up(interaction, rest)
        except (MessageLimitError, discord.HTTPException) as error:
            if isinstance(error, discord.HTTPException) and error.status != 400:
                raise
            with reply.in_its_language():
                short = _refused_answer(error)
            await _tell_refused(interaction, short, in_place=deferred and not shown)


def _add_items(rendered: Rendered, extra: Sequence[discord.ui.Item[Any]]) -> None:
    if extra:
        rendered.view = rendered.view or discord.ui.View(timeout=None)
        for item in extra:
            rendered.view.add_item(item)


def _arguments(rendered: Rendered) -> dict[str, Any]:
    arguments = rendered.arguments()
    if rendered.view is None:
        arguments.pop("view", None)
    return arguments


def _refused_answer(error: MessageLimitError | discord.HTTPException) -> Rendered:
    """The short answer for an answer Discord refused, in the current language; the log names the
    error under the reference it shows."""
    reference = secrets.token_hex(4)
    if isinstance(error, discord.HTTPException):
        reason = _("Discord refused it, code {code}", code=error.code)
    else:
        reason = _("Discord refused it, over its limits")
    log.warning("Discord refused an answer (%s: %s); reference %s", type(error).__name__, error, reference)
    text = _("That answer could not be shown ({reason}); reference {reference}.", reason=reason, reference=reference)
    return render_messages(text, [], [], [], error=True)[0]


async def _tell_refused(interaction: discord.Interaction, short: Rendered, *, in_place: bool) -> None:
    """`short` in place of the deferred answer when `in_place`, else after what was shown."""
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

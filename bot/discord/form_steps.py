"""Forms as Discord modals, in steps of at most five inputs.

A Discord modal holds at most 5 components, so a form with more fields is shown in steps: the
first modal, then an ephemeral message with a Continue button, then the next modal, and so on;
the last step's submission runs the form's command with every value. What was typed between
steps (and any file sent with the command) is kept here, in a draft held by the bot, keyed by an
opaque random key and bound to the person who opened the form. A button or modal carries only
that key: a forged or stolen key finds nothing for anyone else, and a draft expires.
"""

from __future__ import annotations

import re
import secrets
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol, cast

import discord

from handlers.kit.context import Attachment
from handlers.kit.forms import Form, FormField, FormRequest
from handlers.kit.i18n import N_, _

# Discord developer docs, "Receiving and Responding", modal (receiving-and-responding.mdx:320-322):
# a title of at most 45 characters, 1 to 5 components, a custom_id of 1 to 100 characters.
MODAL_COMPONENTS = 5
MODAL_TITLE = 45
CUSTOM_ID = 100
# Components reference, text input (components/reference.mdx:501-507): label at most 45 characters,
# placeholder at most 100, value and max_length at most 4000.
INPUT_LABEL = 45
INPUT_PLACEHOLDER = 100
INPUT_VALUE = 4000
# An interaction's token lasts 15 minutes (receiving-and-responding.mdx:432): a draft no longer.
DRAFT_SECONDS = 15 * 60
DRAFTS_PER_PERSON = 3
MAX_DRAFTS = 2000
DRAFT_FILE_BYTES = 256 * 1024 * 1024  # files held across all drafts; the oldest drafts go first
MODAL_PREFIX = "form:"
CONTINUE_PREFIX = "form-step:"
KEY = r"[A-Za-z0-9_-]{16,64}"
EXPIRED = N_(
    "This form is no longer open: a form is kept for 15 minutes, for the person who opened it. "
    "Run the command again to start over."
)


@dataclass(slots=True)
class Draft:
    """One person's form in progress: what they typed so far and the files sent with the command."""

    key: str
    user_id: int
    request: FormRequest
    channel_id: int | None
    attachments: tuple[Attachment, ...] = ()
    values: dict[str, str] = field(default_factory=dict)
    step: int = 0
    expires: float = 0.0
    language: str | None = None  # the reader's, for the steps' titles, buttons and messages

    @property
    def form(self) -> Form:
        return self.request.form

    @property
    def steps(self) -> tuple[tuple[FormField, ...], ...]:
        return self.form.steps(MODAL_COMPONENTS)

    @property
    def file_bytes(self) -> int:
        return sum(len(attachment.content) for attachment in self.attachments)


class FormDrafts:
    """The drafts of the forms people have open, bounded in number, age and bytes held."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._drafts: OrderedDict[str, Draft] = OrderedDict()

    def open(
        self,
        user_id: int,
        request: FormRequest,
        *,
        channel_id: int | None = None,
        attachments: tuple[Attachment, ...] = (),
        language: str | None = None,
    ) -> Draft:
        """A new draft for `user_id`; their oldest is dropped when they already hold the most allowed."""
        self._expire()
        mine = [draft for draft in self._drafts.values() if draft.user_id == user_id]
        for old in mine[: max(0, len(mine) - DRAFTS_PER_PERSON + 1)]:
            self._drafts.pop(old.key, None)
        draft = Draft(
            secrets.token_urlsafe(18),
            user_id,
            request,
            channel_id,
            attachments,
            values=dict(request.initial),
            expires=self._clock() + DRAFT_SECONDS,
            language=language,
        )
        self._drafts[draft.key] = draft
        while len(self._drafts) > MAX_DRAFTS or (self._file_bytes() > DRAFT_FILE_BYTES and len(self._drafts) > 1):
            self._drafts.popitem(last=False)
        return draft

    def get(self, key: str, user_id: int) -> Draft | None:
        """The draft `key` when it is open and `user_id` opened it; else None."""
        self._expire()
        draft = self._drafts.get(key)
        return draft if draft is not None and draft.user_id == user_id else None

    def close(self, key: str) -> None:
        self._drafts.pop(key, None)

    def __len__(self) -> int:
        self._expire()
        return len(self._drafts)

    def _expire(self) -> None:
        now = self._clock()
        for key in [key for key, draft in self._drafts.items() if draft.expires <= now]:
            del self._drafts[key]

    def _file_bytes(self) -> int:
        return sum(draft.file_bytes for draft in self._drafts.values())


class StepRunner(Protocol):
    """The client: takes a submitted step, and opens the next one from a Continue button."""

    async def submit_step(self, interaction: discord.Interaction, draft: Draft, values: dict[str, str]) -> None: ...

    async def continue_form(self, interaction: discord.Interaction, key: str) -> None: ...


Submit = Callable[[discord.Interaction, Draft, dict[str, str]], Awaitable[None]]


class StepModal(discord.ui.Modal):
    """One step of a form: a text input per field (a select's choices listed in its placeholder),
    built in the current language (the reader's)."""

    def __init__(self, draft: Draft, submit: Submit) -> None:
        steps = draft.steps
        count = " " + _("({step}/{steps})", step=draft.step + 1, steps=len(steps)) if len(steps) > 1 else ""
        title = draft.form.title[: MODAL_TITLE - len(count)] + count
        custom_id = f"{MODAL_PREFIX}{draft.key}:{draft.step}"
        super().__init__(title=title, custom_id=custom_id[:CUSTOM_ID], timeout=DRAFT_SECONDS)
        self.draft = draft
        self._submit = submit
        self.inputs: dict[str, discord.ui.TextInput[StepModal]] = {}
        for item in steps[draft.step]:
            text_input = _text_input(item, draft)
            self.inputs[item.name] = text_input
            self.add_item(text_input)

    def values(self) -> dict[str, str]:
        """What was entered, a select's answer given as its choice's value."""
        found = {}
        for name, text_input in self.inputs.items():
            value = text_input.value.strip()
            choices = self.draft.request.choices.get(name)
            if choices and value:
                wanted = value.lower()
                chosen = next(
                    (c for c in choices if wanted in (c.value.lower(), c.label.lower(), _word(c.label))), None
                )
                value = chosen.value if chosen else value
            found[name] = value
        return found

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await self._submit(interaction, self.draft, self.values())


def _word(label: str) -> str:
    return label.lower().replace(" ", "_")


def _text_input(item: FormField, draft: Draft) -> discord.ui.TextInput[StepModal]:
    placeholder = item.placeholder
    default = draft.values.get(item.name)
    max_length = min(item.max_length, INPUT_VALUE)
    if item.kind == "select":
        choices = draft.request.choices.get(item.name, ())
        listed = ", ".join(c.value if _word(c.label) == c.value else f"{c.value} ({c.label})" for c in choices)
        placeholder = _("One of: {choices}", choices=listed) if listed else placeholder
        max_length = 100
        if default is None and len(choices) == 1 and not item.optional:
            default = choices[0].value
    return discord.ui.TextInput(
        label=item.label[:INPUT_LABEL],
        custom_id=item.name,
        style=discord.TextStyle.long if item.kind == "multiline" else discord.TextStyle.short,
        required=not item.optional,
        max_length=max_length,
        placeholder=(placeholder or "")[:INPUT_PLACEHOLDER] or None,
        default=(default or "")[:max_length] or None,
    )


def field_label(request: FormRequest, name: str | None) -> tuple[str, str]:
    """The form field an error names (the first field when it names none): name and label."""
    form = request.form
    item = form.field(name or "") or form.fields[0]
    return item.name, item.label


class ContinueButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=re.compile(rf"{CONTINUE_PREFIX}(?P<key>{KEY})")
):
    """Opens the next (or a given) step of a draft; it carries the draft's key and nothing else."""

    def __init__(self, key: str, label: str = "") -> None:
        super().__init__(
            discord.ui.Button(
                label=label[:80] or _("Continue"), style=discord.ButtonStyle.primary, custom_id=CONTINUE_PREFIX + key
            )
        )
        self.key = key

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> ContinueButton:
        button = cast(discord.ui.Button[Any], item)
        return cls(match["key"], button.label or "")

    async def callback(self, interaction: discord.Interaction) -> None:
        await cast(StepRunner, interaction.client).continue_form(interaction, self.key)

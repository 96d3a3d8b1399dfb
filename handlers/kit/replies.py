"""What handlers hand back: a reply to the caller and notices to post elsewhere.

Text here is plain: no platform markup. Adapters render it and escape it for their platform, so
user text echoed inside a reply can never become a mention or a link.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from handlers.kit.i18n import _, current_language, in_language
from storage.vocabulary import NoticeKind

if TYPE_CHECKING:
    from handlers.kit.forms import FormRequest


@dataclass(frozen=True, slots=True)
class Button:
    """An action a viewer can press; `command` is the command line it runs, e.g. an outcome."""

    label: str
    command: str
    style: str | None = None  # "primary" or "danger"; platforms map it to their own styles


@dataclass(frozen=True, slots=True)
class Wording:
    """A notice's words in one language: its text, its fields and its buttons' labels."""

    text: str
    fields: tuple[tuple[str, str], ...] = ()
    labels: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Notice:
    """A message for a logical channel (`team`, `outcomes`, `org:acme`, ...).

    With `case_id` it belongs in that case's thread in the channel. `dedupe_key` makes a notice
    that may be produced twice (by a retried job) be written once.
    """

    channel: str
    text: str
    kind: NoticeKind = NoticeKind.INFO
    case_id: str | None = None
    fields: tuple[tuple[str, str], ...] = ()
    buttons: tuple[Button, ...] = ()
    dedupe_key: str | None = None
    # Replace the case's first message in the channel (its summary) instead of adding to the thread.
    replaces_case_message: bool = False
    # Its wording in each language, when built with `localized(lambda: Notice(...))`; the text,
    # fields and labels above are the program language's.
    variants: tuple[tuple[str, Wording], ...] = ()

    def with_variants(self, variants: dict[str, Notice]) -> Notice:
        """This notice carrying the wording of each language's build of it."""
        wordings = tuple(
            (lang, Wording(n.text, n.fields, tuple(b.label for b in n.buttons))) for lang, n in variants.items()
        )
        return replace(self, variants=wordings)


@dataclass(frozen=True, slots=True)
class ReplyFile:
    """A file for the caller alone (an export, a chart): each platform delivers it privately,
    Slack and Discord in a direct message, the console in its export directory."""

    name: str  # a plain file name, e.g. `cases-2026-11.csv`
    content_type: str  # `text/csv`, `image/png`, ...
    data: bytes
    description: str = ""  # what it shows, for screen readers (alt text)


@dataclass(slots=True)
class Reply:
    """The answer to the caller. `private` replies are shown only to the caller."""

    text: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    buttons: list[Button] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    private: bool = True
    is_error: bool = False
    error_field: str | None = None  # the option or form field an error concerns
    form: FormRequest | None = None  # input to ask for; platforms without forms show `text`
    files: list[ReplyFile] = field(default_factory=list)  # delivered to the caller privately
    # The reader's language, set by the router: an adapter's own words around the reply (a long
    # answer's "continued", a refusal) are written in it. None: the language of the moment.
    language: str | None = None

    def in_its_language(self) -> AbstractContextManager[None]:
        """A block run in the reply's reader's language (`language`); in the current one when unknown."""
        return in_language(self.language or current_language())

    def render_plain(self, typed: Callable[[str], str] = str) -> str:
        """The reply as plain text, the way the console prints it; `typed` shows a button's command
        as one types it (see `registry.as_typed`)."""
        parts = [self.text]
        # A field's later lines are indented under its first, so that the list reads as one.
        parts.extend(f"  {name}: " + value.replace("\n", "\n    ") for name, value in self.fields)
        parts.extend(f"  {line}" for line in self.lines)
        if self.buttons:
            parts.append("  " + _("actions: {commands}", commands=" | ".join(typed(b.command) for b in self.buttons)))
        return "\n".join(parts)


def plural(count: int, noun: str, plural_noun: str | None = None) -> str:
    """`1 item`, `3 items`."""
    return f"{count} {noun if count == 1 else (plural_noun or noun + 's')}"

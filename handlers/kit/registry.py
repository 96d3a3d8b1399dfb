"""The command table: every command and sub-command, who may use it, its usage, its options, and the
function behind it.

A command is named by its path of words: `stats`, `store strike`, `admin member add`. The first word is
one of the contract's command words; the words after it name a sub-command with its own docstring (its
`help`), its own roles (checked by the router before the handler runs) and its own typed options (which
platforms with typed input, such as Discord, offer as fields).
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from sqlmodel import Session

from handlers.kit.arguments import Args
from handlers.kit.context import STAFF_ROLES, Context
from handlers.kit.errors import NotPermitted
from handlers.kit.i18n import _
from handlers.kit.replies import Reply
from storage.vocabulary import Role

Handler = Callable[[Context, Args, Session], Reply]

# The command words of the contract, in the order help lists them.
COMMAND_WORDS = (
    "help", "complaint", "case", "cases", "lookup", "export", "outcome", "withdraw", "store", "raid", "language",
    "apply", "applications", "calendar", "remind", "stats", "propose", "practices", "admin", "lang",
)  # fmt: skip
EVERYONE: frozenset[Role] | None = None
MEMBERS = frozenset(Role)
STAFF = STAFF_ROLES
ADMINS = frozenset({Role.ADMIN})
MAX_DEPTH = 3  # `admin member add`
_WORD = re.compile(r"\S+")


class OptionKind(StrEnum):
    """What an option holds, so that a platform can offer the right input for it."""

    TEXT = "text"
    NUMBER = "number"
    CASE = "case"  # a case id the caller may name (suggested)
    RIGHT = "right"  # one of the caller's organisation's usable IP rights (suggested)
    PLATFORM = "platform"  # a marketplace platform (chosen)
    REASON = "reason"  # a complaint reason code (chosen)
    CHOICE = "choice"  # one of `choices`


@dataclass(frozen=True, slots=True)
class Option:
    """One input of a command: a word in its place (`store strike <link>`) or a `name=value` option."""

    name: str
    description: str
    kind: OptionKind = OptionKind.TEXT
    required: bool = False
    keyword: bool = False  # typed as `name=value`, not as a word in its place
    choices: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CommandSpec:
    path: tuple[str, ...]
    summary: str
    usage: str
    handler: Handler
    roles: frozenset[Role] | None  # None: anyone, even people not yet in the program
    action: str  # what the roles allow, for a refusal: "strike storefronts"
    options: tuple[Option, ...] = ()
    default: bool = False  # runs when its first word comes without a sub-command word
    subject_first: bool = False  # its first word may come before its name: `case MS-000123 reply`
    # It changes nothing: its transaction is never committed, and running it twice (a retried
    # request, a command taken over from a process that died) needs no record of the first run.
    reads_only: bool = False

    @property
    def word(self) -> str:
        return " ".join(self.path)

    @property
    def top(self) -> str:
        return self.path[0]

    def check_role(self, ctx: Context) -> None:
        """Refuse a caller whose role this command does not allow, saying who may use it."""
        if self.roles is None or ctx.role in self.roles:
            return
        action = _("use `{command}`", command=self.action) if self.action == self.word else self.action
        if self.roles <= ADMINS:
            ctx.require_admin(action)
        if self.roles <= STAFF:
            ctx.require_staff(action)
        if ctx.role is None:
            raise NotPermitted(
                _("You need to be in the program to use `{command}`.", command=self.top if self.default else self.word),
                hint=_("Ask a program admin to add you to your organisation."),
            )
        allowed = ", ".join(sorted(role.value for role in self.roles))
        raise NotPermitted(
            _("`{command}` is for these roles: {allowed}; yours is {role}.", command=self.word, allowed=allowed,
              role=ctx.role.value)
        )  # fmt: skip


@dataclass(frozen=True, slots=True)
class Group:
    """A command word whose work is done by sub-commands; its summary is what `help` lists, and
    `order` the order in which help (and Discord) list its sub-commands' second words."""

    word: str
    summary: str
    order: tuple[str, ...] = ()


COMMANDS: dict[str, CommandSpec] = {}
GROUPS: dict[str, Group] = {}


def command(
    path: str,
    *,
    summary: str,
    roles: frozenset[Role] | None = MEMBERS,
    action: str | None = None,
    options: tuple[Option, ...] = (),
    default: bool = False,
    subject_first: bool = False,
    reads_only: bool = False,
) -> Callable[[Handler], Handler]:
    """Register a handler under its words; its docstring is the usage shown by `help <words>`."""
    words = tuple(path.split())
    if not words or words[0] not in COMMAND_WORDS:
        raise ValueError(f"{path!r} does not start with a command word of the contract")
    if len(words) > MAX_DEPTH:
        raise ValueError(f"{path!r} is deeper than {MAX_DEPTH} words")

    def register(handler: Handler) -> Handler:
        usage = inspect.cleandoc(handler.__doc__ or summary)
        # `action` completes "Only program admins can ...": marked with N_ where given, translated when shown.
        spec = CommandSpec(
            words, summary, usage, handler, roles, action or path, options, default, subject_first, reads_only
        )
        if spec.word in COMMANDS:
            raise ValueError(f"{spec.word!r} is registered twice")
        COMMANDS[spec.word] = spec
        return handler

    return register


def group(word: str, *, summary: str, order: tuple[str, ...] = ()) -> None:
    """Declare a command word whose work is done by its sub-commands, listed in `order`."""
    if word not in COMMAND_WORDS:
        raise ValueError(f"{word} is not a command word of the contract")
    GROUPS[word] = Group(word, summary, order)


@dataclass(frozen=True, slots=True)
class Resolved:
    spec: CommandSpec
    rest: str  # the text after the command's words, exactly as written


def resolve(text: str) -> Resolved | None:
    """The command a line names (its longest registered path of leading words), and the rest of it."""
    matches = list(_WORD.finditer(text))[:MAX_DEPTH]
    for count in range(len(matches), 0, -1):
        spec = COMMANDS.get(" ".join(match.group().lower() for match in matches[:count]))
        if spec is not None:
            return Resolved(spec, text[matches[count - 1].end() :].strip())
    if len(matches) >= 3:  # `case MS-000123 reply hello` -> `case reply` with `MS-000123 hello`
        spec = COMMANDS.get(f"{matches[0].group().lower()} {matches[2].group().lower()}")
        if spec is not None and spec.subject_first:
            return Resolved(spec, f"{matches[1].group()} {text[matches[2].end() :].strip()}".strip())
    if matches and (fallback := default_of(matches[0].group().lower())) is not None:
        return Resolved(fallback, text[matches[0].end() :].strip())
    return None


_USAGE_PART = re.compile(r"<[^>]*>|\[[^\]]*\]|\S+")


def as_typed(command_line: str) -> str:
    """A button's command as someone types it where buttons cannot open forms: what the form would
    ask is shown as the usage's placeholders (`outcome MS-000001` -> `outcome MS-000001 <all | items>
    <outcome>`); a complete command line is unchanged."""
    resolved = resolve(command_line)
    if resolved is None:
        return command_line
    usage = _USAGE_PART.findall(resolved.spec.usage.splitlines()[0])
    rest = usage[len(command_line.split()) :]
    missing = []
    for part in rest:
        if not part.startswith("<"):
            break
        missing.append(part)
    return " ".join([command_line, *missing])


def default_of(word: str) -> CommandSpec | None:
    """The sub-command that runs when `word` comes with no sub-command word of its own."""
    return next((spec for spec in COMMANDS.values() if spec.top == word and spec.default), None)


def subcommands(word: str) -> list[CommandSpec]:
    """The sub-commands under a command word: in its group's order, then in the order registered."""
    found = [spec for spec in COMMANDS.values() if spec.top == word and len(spec.path) > 1]
    order = GROUPS[word].order if word in GROUPS else ()
    return sorted(found, key=lambda spec: order.index(spec.path[1]) if spec.path[1] in order else len(order))


def top_words() -> list[str]:
    """The contract's command words that have a command or sub-commands, in help's order."""
    registered = {spec.top for spec in COMMANDS.values()}
    return [word for word in COMMAND_WORDS if word in registered]


def summary_of(word: str) -> str:
    """What `help` says of a command word, in the reader's language: its group's summary, or its command's."""
    if word in GROUPS:
        return _(GROUPS[word].summary)
    spec = COMMANDS.get(word)
    return _(spec.summary) if spec else ""

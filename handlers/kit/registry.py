"""The command table: each command word, who may use it, its usage, and the function behind it."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass

from sqlmodel import Session

from handlers.kit.arguments import Args
from handlers.kit.context import Context
from handlers.kit.replies import Reply
from storage.vocabulary import Role

Handler = Callable[[Context, Args, Session], Reply]

# The command words of the contract, in the order help lists them.
COMMAND_WORDS = (
    "help", "complaint", "case", "cases", "outcome", "withdraw", "store", "raid", "language",
    "apply", "applications", "calendar", "remind", "stats", "propose", "practices", "admin",
)  # fmt: skip
EVERYONE: frozenset[Role] | None = None
MEMBERS = frozenset(Role)


@dataclass(frozen=True, slots=True)
class CommandSpec:
    word: str
    summary: str
    usage: str
    handler: Handler
    roles: frozenset[Role] | None  # None: anyone, even people not yet in the program


COMMANDS: dict[str, CommandSpec] = {}


def command(word: str, *, summary: str, roles: frozenset[Role] | None = MEMBERS) -> Callable[[Handler], Handler]:
    """Register a handler; its docstring is the usage shown by `help <word>`."""
    if word not in COMMAND_WORDS:
        raise ValueError(f"{word} is not a command word of the contract")

    def register(handler: Handler) -> Handler:
        usage = inspect.cleandoc(handler.__doc__ or summary)
        COMMANDS[word] = CommandSpec(word, summary, usage, handler, roles)
        return handler

    return register

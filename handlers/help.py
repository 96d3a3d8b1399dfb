"""`help`: every command with its usage, from the handlers' own docstrings."""

from __future__ import annotations

from sqlmodel import Session

from handlers.kit.arguments import Args
from handlers.kit.context import Context
from handlers.kit.errors import UserError
from handlers.kit.registry import COMMAND_WORDS, COMMANDS, EVERYONE, command
from handlers.kit.replies import Reply


@command("help", summary="list the commands, or show how to use one", roles=EVERYONE)
def help_command(ctx: Context, args: Args, session: Session) -> Reply:
    """help [<command>]
    Example: help complaint"""
    if args.words:
        word = args.words[0].lower().lstrip("/")
        if word in COMMANDS:
            spec = COMMANDS[word]
            return Reply(f"{spec.word}: {spec.summary}", lines=spec.usage.splitlines())
        if word in COMMAND_WORDS:
            return Reply(f"`{word}` is not available in this version of the bot yet.")
        raise UserError(f"There is no command '{word}'.", hint="`help` lists them.")
    reply = Reply("MarketSafe commands (`help <command>` for details):")
    reply.lines = [f"{found.word}: {found.summary}" for word in COMMAND_WORDS if (found := COMMANDS.get(word))]
    later = [word for word in COMMAND_WORDS if word not in COMMANDS]
    if later:
        reply.lines.append(f"Not available yet: {', '.join(later)}.")
    if ctx.role is None:
        reply.lines.append("You are not in the program yet: ask a program admin to add you to your organisation.")
    return reply

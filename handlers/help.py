"""`help`: every command with its usage, from the handlers' own docstrings (translated in the `help`
catalog: the syntax as typed, the explanations in the reader's language)."""

from __future__ import annotations

from sqlmodel import Session

from handlers.kit.arguments import Args
from handlers.kit.context import Context
from handlers.kit.errors import UserError
from handlers.kit.i18n import N_, _
from handlers.kit.registry import COMMAND_WORDS, COMMANDS, EVERYONE, GROUPS, command, subcommands, summary_of, top_words
from handlers.kit.replies import Reply


@command("help", summary=N_("list the commands, or show how to use one"), roles=EVERYONE, reads_only=True)
def help_command(ctx: Context, args: Args, session: Session) -> Reply:
    """help [<command> [<sub-command>]]
    Example: help store strike"""
    if args.words:
        return _help_for([word.lower().lstrip("/") for word in args.words])
    reply = Reply(_("MarketSafe commands (`help <command>` for details):"))
    reply.lines = [f"{word}: {summary_of(word)}" for word in top_words()]
    later = [word for word in COMMAND_WORDS if word not in top_words()]
    if later:
        reply.lines.append(_("Not available yet: {words}.", words=", ".join(later)))
    if ctx.role is None:
        reply.lines.append(_("You are not in the program yet: ask a program admin to add you to your organisation."))
    return reply


def _help_for(words: list[str]) -> Reply:
    """The usage of the longest command the words name; for a command word with sub-commands, each of them."""
    for count in range(len(words), 0, -1):
        path = " ".join(words[:count])
        if path in COMMANDS and (count > 1 or path not in GROUPS):
            spec = COMMANDS[path]
            return Reply(f"{spec.word}: {_(spec.summary)}", lines=_(spec.usage).splitlines())
        below = [spec for spec in subcommands(words[0]) if spec.path[:count] == tuple(words[:count])]
        if below:
            count_said = _("{count} sub-commands", count=len(below))
            reply = Reply(f"{path}: {summary_of(path) or count_said}")
            bare = COMMANDS.get(path) if count == 1 else None  # the word alone runs a command too
            reply.lines = [
                *(_(bare.usage).splitlines() if bare else ()),
                *(f"{spec.word}: {_(spec.summary)}" for spec in below),
            ]
            reply.lines.append(_("`help {command}` shows one in full.", command=below[0].word))
            return reply
    if words[0] in COMMAND_WORDS:
        return Reply(_("`{word}` is not available in this version of the bot yet.", word=words[0]))
    raise UserError(_("There is no command '{word}'.", word=words[0][:40]), hint=_("`help` lists them."))

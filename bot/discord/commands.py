"""The MarketSafe application commands, one per command word, built from the command registry.

Discord counts the names, descriptions and choices of a top-level command with all its sub-commands
against one limit of 8,000 characters, which the whole bot with typed options far exceeds; so each
command word is a top-level command of its own, `/marketsafe-<word>`, each well inside the limit, and
Discord's picker lists them together under "marketsafe". A word without sub-commands is a command;
a word with sub-commands is a group whose sub-commands are the registered paths (`admin member add`
-> `/marketsafe-admin member add`). Each registered `Option` becomes a typed Discord option; a
trailing optional `text` takes anything more, typed as on any other platform. The commands that
take a file (`FILE_OPTIONS`) have an optional attachment option as well, and a command that opens a
form when given nothing (`apply submit`, `raid submit`) has every option optional: left empty, they
open the form.
"""

from __future__ import annotations

import contextlib
import dataclasses
import inspect
from collections.abc import Callable, Coroutine, Iterator, Mapping, Sequence
from typing import Any

import discord
from discord import app_commands

from bot.discord.limits import CommandLimitError, check_command, check_description
from handlers.catalogue import GROUPS, CommandSpec, subcommands, top_words
from handlers.kit.arguments import Args
from handlers.kit.forms import FORMS
from handlers.kit.registry import COMMANDS, Option, OptionKind, summary_of
from storage.vocabulary import Platform, ReasonCode

PREFIX = "marketsafe-"
FREE = "text"  # the trailing option holding anything more, as typed on other platforms
FREE_DESCRIPTION = "anything more, as you would type it"

# The commands that take a file on Discord: the attachment option's name and description.
FILE_OPTIONS = {
    "complaint": ("file", "a CSV file of links, with a link column"),
    "raid submit": ("document", "a document of the raid: its record, photos or inventory"),
    "language": ("document", "a document to translate or explain (PDF, PNG, JPEG or TXT)"),
    "apply submit": ("letter", "representatives: the signed letter of authorisation (PDF, PNG, JPEG)"),
}

# Runs a command: the interaction, the command's path (`store strike`), its arguments and the
# files attached to it.
Run = Callable[[discord.Interaction, str, Args, tuple[discord.Attachment, ...]], Coroutine[Any, Any, None]]
Suggester = Callable[[discord.Interaction, str], Coroutine[Any, Any, list[app_commands.Choice[str]]]]


Command = app_commands.Command[Any, ..., None] | app_commands.Group


def marketsafe_commands(run: Run, suggesters: Mapping[OptionKind, Suggester]) -> list[Command]:
    """`/marketsafe-<word>` for every registered command word; refuses (naming it) what Discord would."""
    commands: list[Command] = []
    for word in top_words():
        name = command_name(word)
        specs = subcommands(word)
        if not specs and word not in GROUPS:
            commands.append(_command(COMMANDS[word], name, None, run, suggesters))
            continue
        with _naming(f"/{name}"):
            group = app_commands.Group(name=name, description=summary_of(word) or word)
        own = COMMANDS.get(word)  # a word that runs on its own as well as with sub-commands
        nested: dict[str, app_commands.Group] = {}
        for spec in [own, *specs] if own else specs:
            parent = group
            if len(spec.path) == 3:  # `admin member add`: the group `member` under `/marketsafe-admin`
                if spec.path[1] not in nested:
                    pair = " ".join(spec.path[:2])
                    with _naming(f"/{name} {spec.path[1]}"):  # a group given its parent is added to it
                        nested[spec.path[1]] = app_commands.Group(
                            name=spec.path[1], description=summary_of(pair) or pair, parent=group
                        )
                parent = nested[spec.path[1]]
            command = _command(spec, spec.path[-1], parent, run, suggesters)
            with _naming(f"/{name} {' '.join(spec.path[1:])}"):
                parent.add_command(command)
        commands.append(group)
    return commands


def check_limits(commands: Sequence[Command], tree: app_commands.CommandTree[Any]) -> None:
    """Refuse a command Discord would refuse, before it is synced."""
    for command in commands:
        check_command(command.to_dict(tree))


def command_name(word: str) -> str:
    """The top-level Discord command of a command word: `store` -> `marketsafe-store`."""
    return f"{PREFIX}{word}"


def to_args(options: Sequence[Option], values: Mapping[str, Any]) -> Args:
    """The arguments of a command from its typed values, as the handler would get them from a line.

    Words and options hold the values exactly as given (quotes, `=` and all); the free `text` adds
    its words and `name=value` options after them. `text` is the line a person would have typed,
    for the handlers that read free text.
    """
    words: list[str] = []
    named: dict[str, str] = {}
    for option in options:
        value = values.get(option.name)
        if option.name == FREE or value is None or not str(value).strip():
            continue
        if option.keyword:
            named[option.name] = str(value).strip()
        else:
            words.append(str(value).strip())
    free = str(values.get(FREE) or "").strip()
    parsed = Args.parse(free)
    line = [*(_quoted(word) for word in words), *(f"{name}={_quoted(value)}" for name, value in named.items())]
    # An option typed in its own field and again in the free text is given twice, as on a line.
    repeated = [*parsed.repeated, *(name for name in named if name in parsed.options and name not in parsed.repeated)]
    return Args(
        words=[*words, *parsed.words],
        options={**parsed.options, **named},
        text=" ".join([*line, free]).strip(),
        repeated=repeated,
    )


def _quoted(value: str) -> str:
    return f'"{value}"' if not value or any(char.isspace() or char == '"' for char in value) else value


def _command(
    spec: CommandSpec,
    name: str,
    parent: app_commands.Group | None,
    run: Run,
    suggesters: Mapping[OptionKind, Suggester],
) -> app_commands.Command[Any, ..., None]:
    options = _with_free_text(_optional_when_form(spec, spec.options))
    names = {_parameter(index): option.name for index, option in enumerate(options)}
    file_option = FILE_OPTIONS.get(spec.word)

    async def callback(interaction: discord.Interaction, **values: Any) -> None:
        attached = values.pop(FILE_PARAMETER, None)
        files = (attached,) if isinstance(attached, discord.Attachment) else ()
        await run(interaction, spec.word, to_args(options, {names[key]: value for key, value in values.items()}), files)

    path = f"/{command_name(spec.top)} {' '.join(spec.path[1:])}".strip()
    with _naming(path):
        _declare(callback, options, suggesters, file_option)
        return app_commands.Command(name=name, description=spec.summary, callback=callback, parent=parent)


def _optional_when_form(spec: CommandSpec, options: Sequence[Option]) -> Sequence[Option]:
    """A command that opens a form when given nothing takes every option optionally on Discord,
    so that it can be run empty; the handler still names each missing answer when some are given."""
    has_form = spec.word in FORMS or (spec.default and spec.top in FORMS)
    if not has_form:
        return options
    return [dataclasses.replace(option, required=False) for option in options]


def _with_free_text(options: Sequence[Option]) -> tuple[Option, ...]:
    """Required options first (Discord's rule), then optional ones, the free text last."""
    required = [option for option in options if option.required]
    optional = [option for option in options if not option.required and option.name != FREE]
    free = next((option for option in options if option.name == FREE), Option(FREE, FREE_DESCRIPTION))
    return (*required, *optional) if free.required else (*required, *optional, free)


FILE_PARAMETER = "attached"


def _parameter(index: int) -> str:
    # An option's name need not be a Python identifier (`member-id`, `in`): parameters are p0, p1, ...
    # renamed to the options' names for Discord.
    return f"p{index}"


def _declare(
    callback: Any,
    options: Sequence[Option],
    suggesters: Mapping[OptionKind, Suggester],
    file_option: tuple[str, str] | None = None,
) -> None:
    """Give the callback a typed parameter per option, with its description and choices or
    autocomplete, and an optional attachment when the command takes a file."""
    parameters = [
        inspect.Parameter("interaction", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=discord.Interaction)
    ]
    renames: dict[str, str] = {}
    descriptions: dict[str, str] = {}
    choices: dict[str, list[app_commands.Choice[str]]] = {}
    autocompletes: dict[str, Suggester] = {}
    for index, option in enumerate(options):
        parameter = _parameter(index)
        check_description(option.description, f"option '{option.name}'")  # discord.py would shorten it silently
        kind: type = int if option.kind is OptionKind.NUMBER else str
        parameters.append(
            inspect.Parameter(
                parameter,
                inspect.Parameter.KEYWORD_ONLY,
                default=inspect.Parameter.empty if option.required else None,
                annotation=kind if option.required else kind | None,
            )
        )
        renames[parameter], descriptions[parameter] = option.name, option.description
        if (listed := _choices(option)) is not None:
            choices[parameter] = listed
        elif option.kind in (OptionKind.CASE, OptionKind.RIGHT):
            autocompletes[parameter] = suggesters[option.kind]
    if file_option is not None:
        name, description = file_option
        check_description(description, f"option '{name}'")
        parameters.append(
            inspect.Parameter(
                FILE_PARAMETER, inspect.Parameter.KEYWORD_ONLY, default=None, annotation=discord.Attachment | None
            )
        )
        renames[FILE_PARAMETER], descriptions[FILE_PARAMETER] = name, description
    callback.__signature__ = inspect.Signature(parameters)
    app_commands.rename(**renames)(callback)
    app_commands.describe(**descriptions)(callback)
    if choices:
        app_commands.choices(**choices)(callback)
    if autocompletes:
        app_commands.autocomplete(**autocompletes)(callback)


def _choices(option: Option) -> list[app_commands.Choice[str]] | None:
    if option.kind is OptionKind.PLATFORM:
        return [app_commands.Choice(name=platform.label, value=platform.value) for platform in Platform]
    if option.kind is OptionKind.REASON:
        return [app_commands.Choice(name=reason.value.replace("_", " "), value=reason.value) for reason in ReasonCode]
    if option.kind is OptionKind.CHOICE:
        if not option.choices:
            raise CommandLimitError(f"option '{option.name}' is a choice with no choices")
        return [app_commands.Choice(name=choice, value=choice) for choice in option.choices]
    return None


@contextlib.contextmanager
def _naming(path: str) -> Iterator[None]:
    """discord.py's own refusals (a bad name, a 26th sub-command) re-raised naming the command."""
    try:
        yield
    except (ValueError, TypeError) as error:  # CommandLimitError included
        raise CommandLimitError(f"{path}: {error}") from error

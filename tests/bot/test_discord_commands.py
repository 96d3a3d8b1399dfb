"""The `/marketsafe-<word>` commands as Discord gets them: built from the command registry, within
Discord's limits, and refused at start-up (naming the command) when a registration would break one."""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable
from typing import Any, cast

import discord
import pytest
from discord import app_commands

from bot.discord.client import MarketSafeClient
from bot.discord.commands import marketsafe_commands, to_args
from bot.discord.limits import MAX_COMMAND_SIZE, CommandLimitError, check_command
from bot.router import Router
from handlers.kit.arguments import Args
from handlers.kit.errors import UserError
from handlers.kit.registry import COMMANDS, Option, OptionKind, top_words

STRIKE = COMMANDS["store strike"]


async def _run(
    interaction: discord.Interaction, command: str, args: Args, files: tuple[discord.Attachment, ...]
) -> None:
    pass


async def _suggest(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    return []


def payloads() -> dict[str, dict[str, Any]]:
    """Every `/marketsafe-<word>` as discord.py would send it, from the registry as it is, by name."""
    tree = app_commands.CommandTree(discord.Client(intents=discord.Intents.default()))
    commands = marketsafe_commands(_run, {OptionKind.CASE: _suggest, OptionKind.RIGHT: _suggest})
    return {command.name: command.to_dict(tree) for command in commands}


def payload() -> dict[str, Any]:
    """`/marketsafe-store`, the command the limit checks below break in each way Discord refuses."""
    return payloads()["marketsafe-store"]


def sub(found: dict[str, Any], *names: str) -> dict[str, Any]:
    for name in names:
        found = next(option for option in found["options"] if option["name"] == name)
    return found


def test_the_command_tree_from_the_registry_keeps_within_every_discord_limit() -> None:
    def sizes(part: dict[str, Any]) -> int:
        own = len(part["name"]) + len(part["description"])
        choices = sum(len(c["name"]) + len(str(c["value"])) for c in part.get("choices") or [])
        return own + choices + sum(sizes(option) for option in part.get("options") or [])

    for name, built in payloads().items():
        check_command(built)  # raises naming the command that breaks a limit
        assert sizes(built) <= MAX_COMMAND_SIZE, f"/{name} holds {sizes(built)} characters"
        assert len(built["options"]) <= 25
        for option in built["options"]:
            if option["type"] == 2:  # a group's sub-commands carry only values, never deeper groups
                assert all(child["type"] == 1 for child in option["options"]), option["name"]


def test_every_command_word_is_a_command_or_a_group_of_its_registered_paths() -> None:
    built = payloads()
    assert list(built) == [f"marketsafe-{word}" for word in top_words()]
    store = built["marketsafe-store"]
    assert [child["name"] for child in store["options"]] == [
        "show",
        "strike",
        "close",
        "reinstate",
        "refer",
        "referral",
        "list",
    ]
    assert all(child["type"] == 1 for child in store["options"])
    assert [o["name"] for o in built["marketsafe-help"]["options"]] == ["text"]
    assert [o["name"] for o in sub(built["marketsafe-case"], "show")["options"]] == ["case", "page", "text"]
    assert sub(built["marketsafe-case"], "show", "case")["autocomplete"] is True
    listed = {o["name"]: o for o in sub(store, "list")["options"]}
    assert [c["value"] for c in listed["closed"]["choices"]] == ["closed"]
    assert {"name": "Alibaba.com", "value": "alibaba"} in listed["platform"]["choices"]


def test_a_third_word_is_a_sub_command_of_a_nested_group() -> None:
    admin = payloads()["marketsafe-admin"]
    check_command(admin)
    assert sub(admin, "member")["type"] == 2
    assert [child["name"] for child in sub(admin, "member")["options"]] == ["add", "remove"]
    assert [option["name"] for option in sub(admin, "member", "add")["options"]][:3] == [
        "identity",
        "organisation",
        "role",
    ]


def test_values_reach_the_handler_exactly_and_the_free_text_adds_its_words_and_options() -> None:
    options = (*STRIKE.options, Option("text", "more"))
    note = 'a "quoted" note, with note=inside'
    args = to_args(options, {"link": " https://shop1.taobao.com ", "note": note, "text": 'extra "two words" page=2'})
    assert args.words == ["https://shop1.taobao.com", "extra", "two words"]
    assert args.options == {"note": note, "page": "2"}
    assert args.text.startswith('https://shop1.taobao.com note="a "quoted" note, with note=inside" extra')
    assert to_args(options, {"link": "https://shop1.taobao.com", "note": None, "text": None}) == Args(
        words=["https://shop1.taobao.com"], text="https://shop1.taobao.com"
    )


def test_an_option_typed_in_its_field_and_again_in_the_free_text_is_refused_as_given_twice() -> None:
    options = (*STRIKE.options, Option("text", "more"))
    args = to_args(options, {"link": "https://shop1.taobao.com", "note": "typed", "text": "note=again"})
    assert args.repeated == ["note"]
    with pytest.raises(UserError) as refused:
        args.option("note")
    assert refused.value.field == "note"
    assert to_args(options, {"link": "https://shop1.taobao.com", "note": "typed", "text": "page=2"}).repeated == []


def start_up() -> None:
    MarketSafeClient(cast(Router, None), sync_commands=False)


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (lambda spec: dataclasses.replace(spec, summary="x" * 101), "/marketsafe-store strike"),
        (lambda spec: dataclasses.replace(spec, summary=""), "/marketsafe-store strike"),
        (lambda spec: dataclasses.replace(spec, options=(Option("Link", "the link", required=True),)), "store strike"),
        (lambda spec: dataclasses.replace(spec, options=(Option("link", "y" * 101),)), "/marketsafe-store strike"),
        (lambda spec: dataclasses.replace(spec, path=("store", "Strike!")), "/marketsafe-store"),
        (
            lambda spec: dataclasses.replace(spec, options=tuple(Option(f"o{n}", "an option") for n in range(25))),
            "/marketsafe-store strike",
        ),
        (
            lambda spec: dataclasses.replace(
                spec, options=(Option("pick", "one", OptionKind.CHOICE, choices=tuple(f"c{n}" for n in range(26))),)
            ),
            "/marketsafe-store strike",
        ),
    ],
    ids=[
        "long summary",
        "empty summary",
        "uppercase option",
        "long option description",
        "bad name",
        "26 options",
        "26 choices",
    ],
)
def test_a_registration_discord_would_refuse_stops_start_up_naming_the_command(
    monkeypatch: pytest.MonkeyPatch, change: Callable[[Any], Any], named: str
) -> None:
    monkeypatch.setitem(COMMANDS, "store strike", change(STRIKE))
    with pytest.raises(CommandLimitError, match=named):
        start_up()


def test_a_26th_sub_command_in_a_group_stops_start_up_naming_the_group(monkeypatch: pytest.MonkeyPatch) -> None:
    for number in range(19):  # store has 7
        path = ("store", f"extra{number}")
        monkeypatch.setitem(COMMANDS, " ".join(path), dataclasses.replace(STRIKE, path=path))
    with pytest.raises(CommandLimitError, match="/marketsafe-store"):
        start_up()


def broken(change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    found = copy.deepcopy(payload())
    change(found)
    return found


def link_option(found: dict[str, Any]) -> dict[str, Any]:
    return sub(found, "strike", "link")


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (lambda p: link_option(p).update(description=""), "description of 0 characters"),
        (lambda p: link_option(p).update(name="Link"), "name 'Link'"),
        (lambda p: link_option(p).update(name="l" * 33), "name 'lll"),
        (lambda p: link_option(p).update(name="a link"), "name 'a link'"),
        (lambda p: sub(p, "strike")["options"].reverse(), "required option 'link' comes after"),
        (
            lambda p: sub(p, "strike")["options"].extend([{"type": 3, "name": "x", "description": "x"}] * 23),
            "26",
        ),
        (lambda p: link_option(p).update(choices=[{"name": "a", "value": "a"}] * 26), "26 choices"),
        (lambda p: link_option(p).update(choices=[{"name": "n" * 101, "value": "a"}]), "must be 1-100"),
        (lambda p: link_option(p).update(choices=[{"name": "a", "value": "v" * 101}]), "over 100"),
        (lambda p: link_option(p).update(choices=[{"name": "a", "value": "a"}], autocomplete=True), "autocomplete"),
        (
            lambda p: [  # two options' worth of the longest choices: over 8,000 together
                option.update(description="d" * 100, choices=[{"name": "n" * 100, "value": "v" * 100}] * 25)
                for option in sub(p, "strike")["options"][:2]
            ],
            "add up",
        ),
        (
            lambda p: p["options"].extend([{"type": 1, "name": f"w{n}", "description": "w"} for n in range(26)]),
            "options",
        ),
    ],
)
def test_the_limit_check_refuses_what_discord_refuses(change: Callable[[dict[str, Any]], None], says: str) -> None:
    with pytest.raises(CommandLimitError, match=says):
        check_command(broken(change))

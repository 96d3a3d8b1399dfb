"""The README's Discord set-up asks for exactly what the code needs."""

from __future__ import annotations

import re
from pathlib import Path

import discord

from bot.discord.client import MarketSafeClient
from bot.discord.service import BOT_PERMISSIONS, invite_url

README = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")


def test_the_readme_invite_link_is_the_one_the_code_computes() -> None:
    (link,) = re.findall(r"https://discord\.com/oauth2/authorize\?[^`]+", README)
    assert link == invite_url("<application id>")
    assert BOT_PERMISSIONS.embed_links and BOT_PERMISSIONS.create_public_threads
    assert not BOT_PERMISSIONS.administrator and not BOT_PERMISSIONS.mention_everyone


def test_every_permission_the_readme_names_is_granted_and_none_other() -> None:
    section = README.split("## Discord", 1)[1].split("\n## ", 1)[0]
    asked = " ".join(section.split("2. Invite it", 1)[1].split("`https", 1)[0].split())
    named = set(re.findall(r"\*([A-Z][A-Za-z ]+)\*", asked))
    flags = {name.lower().replace(" ", "_").replace("view_channels", "view_channel") for name in named}
    assert discord.Permissions(**dict.fromkeys(flags, True)) == BOT_PERMISSIONS


def test_the_privileged_intent_the_client_asks_for_is_the_one_the_readme_says_to_enable() -> None:
    client = MarketSafeClient(router=None, sync_commands=False)  # type: ignore[arg-type]
    privileged = {
        name for name, value in client.intents if value and name in {"members", "presences", "message_content"}
    }
    assert privileged == {"message_content"}
    assert "Message Content Intent" in README
    assert isinstance(client.intents, discord.Intents)

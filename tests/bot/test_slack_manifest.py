"""The Slack app manifest asks for exactly what the bot uses."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from bot.slack.app import EVENTS_PATH
from support.fake_slack import MANIFEST_SCOPES

MANIFEST = Path(__file__).resolve().parents[2] / "slack-app-manifest.yml"


def manifest() -> dict[str, Any]:
    loaded = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def test_every_request_url_is_the_bots_events_path() -> None:
    found = manifest()
    urls = [
        *(command["url"] for command in found["features"]["slash_commands"]),
        found["settings"]["event_subscriptions"]["request_url"],
        found["settings"]["interactivity"]["request_url"],
    ]
    assert len(urls) == 3 and all(url.endswith(EVENTS_PATH) for url in urls)


def test_the_slash_command_is_marketsafe_and_keeps_links_as_typed() -> None:
    (command,) = manifest()["features"]["slash_commands"]
    assert command["command"] == "/marketsafe" and command["should_escape"] is False


def test_the_events_the_bot_listens_to_are_subscribed_and_home_is_enabled() -> None:
    found = manifest()
    assert set(found["settings"]["event_subscriptions"]["bot_events"]) == {
        "app_home_opened",
        "message.channels",
        "message.groups",
        "message.im",
    }
    assert found["features"]["app_home"]["home_tab_enabled"] is True
    assert found["settings"]["interactivity"]["is_enabled"] is True


def test_the_scopes_are_the_smallest_set_the_bot_calls_need() -> None:
    scopes = set(manifest()["oauth_config"]["scopes"]["bot"])
    # commands: the slash command; chat:write: post, update, ephemeral; *:history: thread relay
    # and finding already-posted notices; users:read: names beside relayed messages and each
    # person's locale (their language); im:history and files:read: commands written to the bot
    # directly, with their files; files:write and im:write: exports and charts sent to the
    # caller's direct messages.
    assert scopes == {
        "commands", "chat:write", "channels:history", "groups:history", "users:read", "im:history", "files:read",
        "files:write", "im:write",
    }  # fmt: skip
    # The fake grants the bot token exactly these, and refuses calls that need another.
    assert set(MANIFEST_SCOPES) == scopes


def test_members_can_write_to_the_bot_in_its_messages_tab() -> None:
    """Commands by direct message and shared files (CSV links, raid and language documents) need a
    writable Messages tab: a read-only tab lets nobody write to the bot."""
    app_home = manifest()["features"]["app_home"]
    assert app_home["messages_tab_enabled"] is True
    assert app_home["messages_tab_read_only_enabled"] is False


def test_the_message_shortcut_is_declared_within_slacks_limits_and_handled_by_the_bot() -> None:
    """docs.slack.dev/reference/app-manifest: at most 10 shortcuts; each a name, a `callback_id` of
    at most 255 characters, a description of at most 150, and the type `message` or `global`."""
    from bot.slack.shortcuts import FILE_AS_COMPLAINT

    shortcuts = manifest()["features"]["shortcuts"]
    assert len(shortcuts) <= 10
    (shortcut,) = shortcuts
    assert shortcut["type"] == "message" and shortcut["callback_id"] == FILE_AS_COMPLAINT
    assert len(shortcut["callback_id"]) <= 255 and 1 <= len(shortcut["description"]) <= 150
    assert shortcut["name"] == "File as complaint"
    # Shortcuts arrive as interactivity requests: the bot's events path.
    assert manifest()["settings"]["interactivity"]["request_url"].endswith(EVENTS_PATH)

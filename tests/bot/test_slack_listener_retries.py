"""The listeners' answers through the real slack_sdk clients when a connection drops: an answer
Slack kept is never sent again, a read is; and at start, a refused token or a missing scope is
explained, and bolt warns of nothing."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from slack_bolt import Respond
from slack_sdk import WebClient

from bot.router import Router
from bot.settings import Settings
from bot.slack.answers import checked_respond
from bot.slack.app import build_app, web_client
from bot.slack.blocks import sections
from bot.slack.retries import IDEMPOTENT_METHODS, method_of
from bot.slack.startup import BOT_SCOPES, SlackStartError
from handlers.kit.context import ProgramRules
from storage.database import Database
from support.fake_http import dropped
from support.fake_slack import MANIFEST_SCOPES, FakeSlack

TOKEN = "xoxb-1111-2222-Zq8sK3mT9pLwR4vB"
SECRET = "5b1d8e0c9a7f4e2b8c6d0a1f3e5b7c9d"
MANIFEST = Path(__file__).resolve().parents[2] / "slack-app-manifest.yml"


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeSlack]:
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    with FakeSlack() as fake:
        yield fake


@pytest.fixture
def settings(fake: FakeSlack) -> Settings:
    return Settings(_env_file=None, slack_bot_token=TOKEN, slack_signing_secret=SECRET, slack_api_url=fake.api_url)


@pytest.fixture
def client(settings: Settings) -> WebClient:
    return web_client(settings, retries=True)


def test_a_post_whose_connection_dropped_after_slack_kept_it_is_not_sent_again(
    fake: FakeSlack, client: WebClient
) -> None:
    fake.fail_with(lambda call: call.method == "chat.postMessage", dropped(after_write=True))
    with pytest.raises(OSError):
        client.chat_postMessage(channel="C0BRAND", text="Your case MS-000001 is filed.")
    assert len(fake.calls_to("chat.postMessage")) == 1
    shown = WebClient(base_url=fake.api_url, token=TOKEN).conversations_history(channel="C0BRAND")["messages"]
    assert [message["text"] for message in shown] == ["Your case MS-000001 is filed."]


def test_an_ephemeral_answer_or_a_modal_whose_connection_dropped_is_not_sent_again(
    fake: FakeSlack, client: WebClient
) -> None:
    fake.fail_with(lambda call: call.method in ("chat.postEphemeral", "views.open"), dropped(after_write=True), times=2)
    with pytest.raises(OSError):
        client.chat_postEphemeral(channel="C0BRAND", user="U0BRAND1", text="Filed.")
    with pytest.raises(OSError):
        client.views_open(trigger_id="1.2.3", view={"type": "modal", "title": {"type": "plain_text", "text": "F"}})
    assert [call.method for call in fake.calls] == ["chat.postEphemeral", "views.open"]


def test_a_read_whose_connection_dropped_is_sent_again(fake: FakeSlack, client: WebClient) -> None:
    fake.fail_with(lambda call: call.method == "users.info", dropped())
    assert client.users_info(user="U0BRAND1")["user"]["id"] == "U0BRAND1"
    assert len(fake.calls_to("users.info")) == 2


def test_a_rate_limited_post_is_sent_again_after_the_wait_and_shown_once(fake: FakeSlack, client: WebClient) -> None:
    fake.fail_next("chat.postMessage", retry_after=1)
    client.chat_postMessage(channel="C0BRAND", text="once")
    assert len(fake.calls_to("chat.postMessage")) == 2
    shown = WebClient(base_url=fake.api_url, token=TOKEN).conversations_history(channel="C0BRAND")["messages"]
    assert len(shown) == 1


def test_an_answer_to_a_response_url_whose_connection_dropped_is_posted_once(fake: FakeSlack) -> None:
    fake.fail_with(lambda call: call.method == "response_url", dropped(after_write=True))
    send = checked_respond(Respond(response_url=fake.response_url("command-1")))
    with pytest.raises(OSError):
        send("Filed MS-000001.", sections("Filed MS-000001."))
    assert len(fake.calls_to("response_url")) == 1


def test_only_reads_and_repeatable_writes_are_retried() -> None:
    assert method_of("http://127.0.0.1:1234/api/chat.postMessage") == "chat.postMessage"
    answers = {"chat.postMessage", "chat.postEphemeral", "views.open", "views.push", "chat.delete"}
    assert not answers & IDEMPOTENT_METHODS
    assert {"users.info", "conversations.history", "auth.test"} <= IDEMPOTENT_METHODS


def test_the_app_starts_without_bolts_unused_token_warning(
    settings: Settings, database: Database, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", TOKEN)  # as a deployment sets it
    with caplog.at_level(logging.WARNING):
        build_app(settings, Router(database, ProgramRules(), frozenset()))
    assert not [record for record in caplog.records if "unused" in record.getMessage()]
    assert TOKEN not in caplog.text


def test_a_missing_scope_stops_the_app_before_it_serves(
    fake: FakeSlack, settings: Settings, database: Database
) -> None:
    fake.scopes = tuple(scope for scope in MANIFEST_SCOPES if scope not in ("im:history", "users:read"))
    with pytest.raises(SlackStartError, match="lacks the scopes im:history, users:read"):
        build_app(settings, Router(database, ProgramRules(), frozenset()))


def test_the_scopes_checked_at_start_are_the_manifests() -> None:
    manifest = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    assert set(manifest["oauth_config"]["scopes"]["bot"]) == BOT_SCOPES == set(MANIFEST_SCOPES)

"""The Slack app end to end: the real bolt app served over HTTP on 127.0.0.1, driven by signed Slack
requests, posting through a fake Slack Web API, with the real router and delivery worker on each
database back-end.

Bolt may run a listener after it has answered Slack, so every test waits for what the listener
does (a Web API call recorded by the fake, or the router finishing a request) before it looks.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest
from openpyxl import load_workbook
from slack_sdk import WebClient
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View
from sqlmodel import select

import bot.delivery
from bot.delivery import WORKER_TIMEOUT, DeliveryWorker, Target
from bot.message_files import MAX_MESSAGE_FILES
from bot.router import Incoming, Router
from bot.settings import Settings
from bot.slack.app import SlackService, web_client, wsgi_application
from bot.slack.blocks import MAX_MESSAGES, reply_messages
from bot.slack.bridge import unescape
from bot.slack.poster import SlackPoster
from handlers.home import home
from handlers.kit.context import Caller, ProgramRules
from handlers.kit.outbox import NoticePayload, save_notices
from handlers.kit.replies import Reply
from handlers.working_group.meetings import meeting_agenda_notices
from storage.database import Database
from storage.models import Complaint, Milestone, OutboxNotice
from storage.queries.outbox import mark_delivery
from storage.vocabulary import DeliveryStatus
from support.clock import FakeClock
from support.fake_slack import BOT_ID, BOT_USER_ID, Call, FakeSlack, dm_channel
from support.large_program import (
    ASKED,
    BIG_CASE,
    NEW_LINKS,
    OPEN_CASES,
    THREAD_MESSAGE,
    People,
    big_paste,
    build,
    chinese_title,
    compact,
    file_open_cases,
    listing,
    missing,
)
from support.slack_limits import refusal
from support.slack_requests import SlackSender, payload_template, static_select, text_input

TOKEN = "xoxb-1111-2222-Zq8sK3mT9pLwR4vB"
SECRET = "5b1d8e0c9a7f4e2b8c6d0a1f3e5b7c9d"
ADMIN, BRAND, TEAM = "U0ADMIN1", "U0BRAND1", "U0TEAM1"
TEAM_CHANNEL, ACME_CHANNEL = "C0TEAM0001", "C0ACME0001"
LINKS = "https://item.taobao.com/item.htm?id=1001 https://item.taobao.com/item.htm?id=1002"
CASE = "MS-000001"
HOSTILE = "<!channel> <!here> <@U123> <https://evil.example|click>"
ESCAPED = "&lt;!channel&gt; &lt;!here&gt; &lt;@U123&gt; &lt;https://evil.example|click&gt;"
PROGRAM = (
    'admin org add acme "ACME Corp" country=US size=large',
    'admin right add acme trademark 1234567 mark="ACME" jurisdiction=CN expires=2030-12-31',
    "admin right verify 1",
    'admin right add acme trademark 7654321 mark="ACME PENDING" jurisdiction=CN',
    f"admin member add slack:{BRAND} acme member",
    f"admin member add slack:{TEAM} - team",
    f"admin team slack:{TEAM} platforms=taobao",
    f"admin channel team slack {TEAM_CHANNEL}",
    f"admin channel org:acme slack {ACME_CHANNEL}",
)


class ObservedRouter(Router):
    """The real router, which tests can slow down and whose finished requests they can wait for
    (a relayed thread message answers nobody, so there is no reply to wait for)."""

    def __init__(self, database: Database, clock: FakeClock) -> None:
        super().__init__(database, ProgramRules(), frozenset({f"slack:{ADMIN}"}), clock=clock)
        self.delay = 0.0
        self.replies: list[Reply] = []  # every answer, in the order they were given
        self.finished = 0
        self.in_flight = 0
        self._changed = threading.Condition()

    def handle(self, incoming: Incoming) -> Reply:
        with self._changed:
            self.in_flight += 1
        try:
            time.sleep(self.delay)
            reply = super().handle(incoming)
            self.replies.append(reply)
            return reply
        finally:
            with self._changed:
                self.in_flight -= 1
                self.finished += 1
                self._changed.notify_all()

    @contextmanager
    def handled(self, count: int = 1, timeout: float = 5.0) -> Iterator[None]:
        """On leaving the block, wait until `count` more requests have been handled."""
        with self._changed:
            target = self.finished + count
        yield
        with self._changed:
            if not self._changed.wait_for(lambda: self.finished >= target, timeout):
                raise AssertionError(f"the router finished {self.finished} of {target} requests within {timeout} s")

    def wait_idle(self, timeout: float = 5.0) -> None:
        with self._changed:
            self._changed.wait_for(lambda: self.in_flight == 0, timeout)


@dataclass
class Slack:
    """The bot as a Slack workspace sees it, and the fake workspace it talks to."""

    fake: FakeSlack
    sender: SlackSender
    router: ObservedRouter
    worker: DeliveryWorker
    settings: Settings
    database: Database
    clock: FakeClock

    def deliver(self) -> int:
        """One pass of the delivery worker; how many notices it posted."""
        return self.worker.run_once()

    def command(self, user: str, text: str, *, channel: str = ACME_CHANNEL, **options: Any) -> Call:
        """Run `/marketsafe text` and return the reply posted to its response URL."""
        before = len(self.fake.calls_to("response_url"))
        answer = self.sender.slash_command(user, text, channel_id=channel, **options)
        assert answer.status_code == 200, answer.text
        return self.fake.wait_for("response_url", before + 1)[before]

    def press(self, user: str, message: Call, ts: str, label: str) -> Call:
        """Press the button labelled `label` on a message the bot posted; the ephemeral answer."""
        button = next(b for b in buttons_of(message) if b["text"]["text"] == label)
        before = len(self.fake.calls_to("response_url"))
        answer = self.sender.block_action(
            user, button["action_id"], button["value"], channel_id=message.params["channel"], message_ts=ts
        )
        assert answer.status_code == 200, answer.text
        return self.fake.wait_for("response_url", before + 1)[before]

    def say_in_thread(self, user: str, text: str, *, channel: str, thread_ts: str, **options: Any) -> None:
        """`user` writes in a thread; returns once the bot has dealt with it."""
        with self.router.handled():
            answer = self.sender.message_event(user, text, channel=channel, thread_ts=thread_ts, **options)
            assert answer.status_code == 200

    def new_worker(self) -> DeliveryWorker:
        """A delivery worker as a freshly started process builds it, on the same database."""
        worker = DeliveryWorker(self.database, SlackPoster(web_client(self.settings, retries=False)), clock=self.clock)
        worker.start()
        return worker


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    request_queue_size = 256


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output quiet."""


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch, clock: FakeClock) -> Iterator[FakeSlack]:
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    with FakeSlack(clock=clock) as fake:  # Slack's clock and the worker's agree
        yield fake


@pytest.fixture
def slack(database: Database, clock: FakeClock, fake: FakeSlack, caplog: pytest.LogCaptureFixture) -> Iterator[Slack]:
    """The program set up (acme with a verified right, a brand member, a team member, both
    channels mapped) and the Slack app serving it; nothing delivered yet."""
    caplog.set_level(logging.DEBUG)  # before bolt is built: its loggers take the root's level then
    router = ObservedRouter(database, clock)
    for command in PROGRAM:
        reply = router.handle(Incoming(Caller("slack", ADMIN), command))
        assert not reply.is_error, f"{command!r}: {reply.text}"
    settings = Settings(
        _env_file=None,
        slack_bot_token=TOKEN,
        slack_signing_secret=SECRET,
        slack_api_url=fake.api_url,
        marketsafe_admins=f"slack:{ADMIN}",
    )
    service = SlackService(settings, router, database)
    worker = DeliveryWorker(database, SlackPoster(web_client(settings, retries=False)), clock=clock)
    worker.start()
    server = make_server(
        "127.0.0.1",
        0,
        wsgi_application(service.app, SECRET),
        server_class=_ThreadingWSGIServer,
        handler_class=_QuietHandler,
    )
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    endpoint = f"http://127.0.0.1:{server.server_address[1]}/slack/events"
    try:
        yield Slack(fake, SlackSender(endpoint, SECRET, fake=fake), router, worker, settings, database, clock)
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
        router.wait_idle()


# -- reading what Slack shows ------------------------------------------------------------------------


def buttons_of(call: Call) -> list[dict[str, Any]]:
    return [
        element
        for block in call.params.get("blocks") or []
        if block["type"] == "actions"
        for element in block["elements"]
    ]


def shown_text(blocks: list[dict[str, Any]]) -> str:
    """Every piece of text the blocks show, one per line."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("text"), str):
                found.append(node["text"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(blocks)
    return "\n".join(found)


def posts(fake: FakeSlack, channel: str, *, thread: str | None = None, containing: str = "") -> list[Call]:
    """chat.postMessage calls to `channel` (in `thread`'s replies when given) whose text contains `containing`."""
    return [
        call
        for call in fake.calls_to("chat.postMessage")
        if call.params["channel"] == channel
        and call.params.get("thread_ts") == thread
        and containing in call.params.get("text", "")
    ]


def history(fake: FakeSlack, channel: str, thread: str | None = None) -> list[dict[str, Any]]:
    """The messages a person sees in `channel` (or in one of its threads), oldest first."""
    client = WebClient(base_url=fake.api_url, token=TOKEN)
    if thread is not None:
        return list(client.conversations_replies(channel=channel, ts=thread)["messages"])
    return list(reversed(client.conversations_history(channel=channel)["messages"]))


def ts_of(fake: FakeSlack, channel: str, containing: str) -> str:
    """The ts of the one top-level message in `channel` whose text contains `containing`."""
    (found,) = [m["ts"] for m in history(fake, channel) if containing in m["text"]]
    return str(found)


def assert_inert(text: str) -> None:
    """The hostile text is there, escaped: nothing in it can mention anyone or link anywhere."""
    assert ESCAPED in text
    for live in ("<!channel>", "<!here>", "<@U123>", "<https://evil.example"):
        assert live not in text


def complaint_form(
    view: dict[str, Any], *, links: str | None, reason: str = "counterfeit", note: str | None = None
) -> dict[str, dict[str, dict[str, Any]]]:
    """What a member enters in the complaint modal (the first offered right)."""
    right = view["blocks"][0]["element"]["options"][0]["value"]
    return {
        "right": {"value": static_select(right)},
        "links": {"value": text_input(links)},
        "reason": {"value": static_select(reason)},
        "platform": {"value": static_select(None)},
        "note": {"value": text_input(note)},
    }


def open_form(slack: Slack, user: str, text: str, *, trigger_id: str | None = None) -> dict[str, Any]:
    """Run a command that asks for a form; the modal Slack was asked to open."""
    before = len(slack.fake.calls_to("views.open"))
    answer = slack.sender.slash_command(user, text, channel_id=ACME_CHANNEL, trigger_id=trigger_id)
    assert answer.status_code == 200 and answer.text == ""
    opened = slack.fake.wait_for("views.open", before + 1)[before]
    if trigger_id is not None:
        assert opened.params["trigger_id"] == trigger_id
    view: dict[str, Any] = opened.params["view"]
    return view


def submit(
    slack: Slack, user: str, view: dict[str, Any], values: dict[str, Any], view_id: str = "V0FORM0001"
) -> dict[str, Any] | None:
    """Submit a modal the way Slack does (its callback and metadata, the values entered); the
    JSON answer, or None when the modal is closed."""
    answer = slack.sender.view_submission(
        user, view["callback_id"], values, private_metadata=view["private_metadata"], view_id=view_id
    )
    assert answer.status_code == 200
    if not answer.content:
        return None
    found: dict[str, Any] = answer.json()
    return found


def file_case(slack: Slack, text: str = f"complaint {LINKS}") -> tuple[str, str]:
    """The brand files a case and it is delivered; the ts of its team and brand messages."""
    reply = slack.command(BRAND, text)
    assert f"in {CASE}" in reply.params["text"], reply.params["text"]
    assert slack.deliver() == 3  # the team's case message, the brand's, the assignee's direct message
    return ts_of(slack.fake, TEAM_CHANNEL, CASE), ts_of(slack.fake, ACME_CHANNEL, CASE)


def metadata_lookups(fake: FakeSlack, method: str, **params: str) -> list[Call]:
    """The bot's calls to `method` asking for messages' metadata (how it finds what it posted)."""
    return [
        call
        for call in fake.calls_to(method)
        if call.params.get("include_all_metadata") in ("1", "true", True)
        and all(call.params.get(name) == value for name, value in params.items())
    ]


def thread_event(user: str, text: str, *, channel: str, thread_ts: str, ts: str, **extra: Any) -> dict[str, Any]:
    """A `message` event as Slack sends it for a reply in a thread (text escaped as Slack escapes it)."""
    event = payload_template("event_callback_message")["event"]
    event.update(user=user, text=text, channel=channel, thread_ts=thread_ts, ts=ts, event_ts=ts)
    event.update(parent_user_id=BOT_USER_ID, **extra)
    event["blocks"][0]["elements"][0]["elements"] = [{"type": "text", "text": text}]
    return event


# -- a whole case ------------------------------------------------------------------------------------


def test_a_case_goes_from_the_complaint_modal_to_the_team_and_back_to_the_brand(slack: Slack) -> None:
    fake = slack.fake

    # The brand member asks for the complaint form: a modal with their verified rights only.
    view = open_form(slack, BRAND, "complaint", trigger_id="1700000001.1234.abcdef")
    assert view["callback_id"] == "form:complaint"
    assert [block["block_id"] for block in view["blocks"]] == ["right", "links", "reason", "platform", "note"]
    rights = view["blocks"][0]["element"]["options"]
    assert [option["value"] for option in rights] == ["1"]
    assert "ACME" in rights[0]["text"]["text"] and "PENDING" not in rights[0]["text"]["text"]

    # Filing closes the modal and tells the member, in the channel they opened it from.
    assert submit(slack, BRAND, view, complaint_form(view, links=LINKS)) is None
    (told,) = fake.wait_for("chat.postEphemeral")
    assert told.params["channel"] == ACME_CHANNEL and told.params["user"] == BRAND
    assert CASE in told.params["text"] and CASE in shown_text(told.params["blocks"])

    # The case reaches the team with its outcome buttons, the brand's channel, and its assignee.
    assert slack.deliver() == 3
    (team_post,) = posts(fake, TEAM_CHANNEL, containing=CASE)
    (brand_post,) = posts(fake, ACME_CHANNEL, containing=CASE)
    (assignee_post,) = posts(fake, dm_channel(TEAM), containing=f"{CASE} is yours")
    assert history(fake, dm_channel(TEAM))[-1]["text"] == assignee_post.params["text"]
    assert "ACME Corp" in team_post.params["text"] and "2 Taobao listings" in team_post.params["text"]
    assert "item.htm?id=1001" in shown_text(team_post.params["blocks"])
    offered = [(b["action_id"], b["text"]["text"], b["value"]) for b in buttons_of(team_post)]
    assert offered[:4] == [
        ("run:0", "Removed", f"outcome {CASE} all removed"),
        ("run:1", "Not removed", f"outcome {CASE} all not_removed"),
        ("run:2", "Not found", f"outcome {CASE} all not_found"),
        ("run:3", "Need info", f"outcome {CASE} all need_info"),
    ]
    assert buttons_of(brand_post) == []
    team_ts, brand_ts = ts_of(fake, TEAM_CHANNEL, CASE), ts_of(fake, ACME_CHANNEL, CASE)

    # The brand's App Home lists the open case.
    assert slack.sender.app_home_opened(BRAND).status_code == 200
    (published,) = fake.wait_for("views.publish")
    assert published.params["user_id"] == BRAND and published.params["view"]["type"] == "home"
    home = shown_text(published.params["view"]["blocks"])
    assert "ACME Corp" in home and "Open cases: 1" in home and CASE in home

    # A team member presses "Removed": the outcome is recorded and shown on both sides.
    answer = slack.press(TEAM, team_post, team_ts, "Removed")
    assert answer.params["response_type"] == "ephemeral"
    assert f"{CASE}: items 1-2 are now removed" in answer.params["text"]
    slack.deliver()
    updates = {call.params["channel"]: call for call in fake.calls_to("chat.update")}
    assert updates[TEAM_CHANNEL].params["ts"] == team_ts and updates[ACME_CHANNEL].params["ts"] == brand_ts
    team_message = fake.message(TEAM_CHANNEL, team_ts)
    assert team_message is not None and "actioned" in team_message["text"]
    assert not [block for block in team_message["blocks"] if block["type"] == "actions"]
    (team_outcome,) = posts(fake, TEAM_CHANNEL, thread=team_ts)
    assert f"slack:{TEAM}" in team_outcome.params["text"] and "removed" in team_outcome.params["text"]
    (brand_outcome,) = posts(fake, ACME_CHANNEL, thread=brand_ts)
    assert f"Outcome for {CASE}: items 1-2 removed" in brand_outcome.params["text"]

    # The team writes in its case thread: the brand reads it in theirs, and the answer comes back.
    fake.set_user(TEAM, name="liwei", real_name="Li Wei")
    fake.set_user(BRAND, name="ana", real_name="Ana Costa")
    slack.say_in_thread(
        TEAM, "Both listings are gone; tell us if they come back.", channel=TEAM_CHANNEL, thread_ts=team_ts
    )
    slack.deliver()
    (to_brand,) = posts(fake, ACME_CHANNEL, thread=brand_ts, containing="Both listings are gone")
    assert f"Li Wei (slack:{TEAM}): Both listings are gone" in to_brand.params["text"]
    slack.say_in_thread(BRAND, "Thank you, we will watch for relists.", channel=ACME_CHANNEL, thread_ts=brand_ts)
    slack.deliver()
    (to_team,) = posts(fake, TEAM_CHANNEL, thread=team_ts, containing="we will watch for relists")
    assert f"Ana Costa (slack:{BRAND}): Thank you" in to_team.params["text"]

    # The bot's own relayed message comes back as an event, and another app writes: neither is relayed.
    own = slack.sender.message_event(
        BOT_USER_ID, to_brand.params["text"], channel=ACME_CHANNEL, thread_ts=brand_ts, bot_id=BOT_ID
    )
    other = slack.sender.message_event(
        "U0OTHERBOT", "An integration's note", channel=ACME_CHANNEL, thread_ts=brand_ts, bot_id="B0OTHER"
    )
    assert own.status_code == other.status_code == 200
    slack.say_in_thread(BRAND, "One more thing.", channel=ACME_CHANNEL, thread_ts=brand_ts)
    assert slack.deliver() == 1
    assert [m["text"] for m in history(fake, TEAM_CHANNEL, team_ts)][-1].endswith("One more thing.")
    assert len(history(fake, TEAM_CHANNEL, team_ts)) == 4  # the case, its outcome, two messages from the brand
    assert len(history(fake, ACME_CHANNEL, brand_ts)) == 3  # the case, its outcome, the team's message


# -- forms answer inside the modal ---------------------------------------------------------------------


def test_a_complaint_form_without_links_shows_the_error_beside_the_links_field(slack: Slack) -> None:
    view = open_form(slack, BRAND, "complaint")

    answer = submit(slack, BRAND, view, complaint_form(view, links=None))

    assert answer is not None and answer["response_action"] == "errors"
    assert list(answer["errors"]) == ["links"] and "no marketplace links" in answer["errors"]["links"]
    assert slack.command(BRAND, "cases").params["text"] == "No cases match."
    assert slack.fake.calls_to("chat.postEphemeral") == []
    assert slack.deliver() == 0


def test_reason_other_without_a_note_is_refused_beside_the_note_and_can_be_corrected(slack: Slack) -> None:
    view = open_form(slack, BRAND, "complaint")

    refused = submit(slack, BRAND, view, complaint_form(view, links=LINKS, reason="other"))
    corrected = submit(slack, BRAND, view, complaint_form(view, links=LINKS, reason="other", note="Fake packaging"))

    assert refused is not None and refused["response_action"] == "errors"
    assert list(refused["errors"]) == ["note"] and "note" in refused["errors"]["note"]
    assert corrected is None
    (told,) = slack.fake.wait_for("chat.postEphemeral")
    assert CASE in told.params["text"]
    assert slack.deliver() == 3
    (team_post,) = posts(slack.fake, TEAM_CHANNEL, containing=CASE)
    assert "other · 其他: Fake packaging" in shown_text(team_post.params["blocks"])


def test_an_outcome_form_naming_an_unknown_case_shows_the_error_beside_the_case_field(slack: Slack) -> None:
    file_case(slack)
    view = open_form(slack, TEAM, "outcome")
    assert view["callback_id"] == "form:outcome"
    values = {
        "case": {"value": text_input("MS-000999")},
        "items": {"value": text_input("all")},
        "outcome": {"value": static_select("removed")},
        "note": {"value": text_input(None)},
    }

    answer = submit(slack, TEAM, view, values)

    assert answer is not None and answer["response_action"] == "errors"
    assert list(answer["errors"]) == ["case"] and "MS-000999" in answer["errors"]["case"]
    assert slack.deliver() == 0
    assert slack.fake.calls_to("chat.update") == []


# -- permissions ---------------------------------------------------------------------------------------


def test_a_brand_member_pressing_an_outcome_button_is_told_only_the_team_can_and_nothing_changes(
    slack: Slack,
) -> None:
    team_ts, _ = file_case(slack)
    (team_post,) = posts(slack.fake, TEAM_CHANNEL, containing=CASE)

    answer = slack.press(BRAND, team_post, team_ts, "Removed")

    assert answer.params["response_type"] == "ephemeral" and answer.params["replace_original"] is False
    assert "Only the IACC/Alibaba team" in answer.params["text"]
    assert slack.deliver() == 0
    assert slack.fake.calls_to("chat.update") == []
    shown = slack.fake.message(TEAM_CHANNEL, team_ts)
    assert shown is not None and "edited" not in shown and shown["blocks"] == team_post.params["blocks"]
    assert f"{CASE} · submitted" in slack.command(BRAND, f"case {CASE}").params["text"]


# -- requests Slack did not sign, and requests Slack sent twice --------------------------------------


@pytest.mark.parametrize(
    ("signed_at", "signature"),
    [(0, "v0=" + "0" * 64), (-301, None)],
    ids=["bad signature", "stale timestamp"],
)
def test_an_unverifiable_request_gets_401_and_changes_nothing(
    slack: Slack, signed_at: int, signature: str | None
) -> None:
    fake = slack.fake
    before = len(fake.calls)
    body = (
        f"command=%2Fmarketsafe&text=complaint+{LINKS.replace(' ', '+')}&user_id={BRAND}&team_id=T0TEAM"
        f"&channel_id={ACME_CHANNEL}&response_url={fake.response_url('forged')}&trigger_id=1.2.forged"
    ).encode()

    refused = slack.sender.post(
        body, "application/x-www-form-urlencoded", timestamp=int(time.time()) + signed_at, signature=signature
    )

    assert refused.status_code == 401
    listing = slack.command(BRAND, "cases")  # a genuine request, answered after the refused one
    assert listing.params["text"] == "No cases match."
    # Only the genuine command reached Slack: its author's locale asked, then its answer.
    assert [call.method for call in fake.calls[before:]] == ["users.info", "response_url"]
    assert slack.deliver() == 0


def test_a_retried_slash_command_never_files_a_second_complaint(slack: Slack) -> None:
    first = slack.command(BRAND, f"complaint {LINKS}", trigger_id="1700000002.5678.retried")
    again = slack.sender.slash_command(
        BRAND, f"complaint {LINKS}", channel_id=ACME_CHANNEL, trigger_id="1700000002.5678.retried", retry_num=1
    )

    assert again.status_code == 200  # acknowledged: the command was written down the first time
    assert f"in {CASE}" in first.params["text"]
    time.sleep(0.5)
    slack.router.wait_idle()
    assert len(slack.fake.calls_to("response_url")) == 1, "answered once, by its first run"
    assert slack.deliver() == 3
    assert [m["text"] for m in history(slack.fake, TEAM_CHANNEL)] == [posts(slack.fake, TEAM_CHANNEL)[0].params["text"]]
    listing = slack.command(BRAND, "cases").params
    assert listing["text"].startswith("1 case ") and CASE in shown_text(listing["blocks"])


def test_a_retried_message_event_is_relayed_once(slack: Slack) -> None:
    team_ts, brand_ts = file_case(slack)
    event = thread_event(
        TEAM, "Please send the invoice.", channel=TEAM_CHANNEL, thread_ts=team_ts, ts="1700000900.000100"
    )

    with slack.router.handled():
        assert slack.sender.event(event, event_id="Ev0INVOICE01").status_code == 200
    for retry in (1, 2):  # Slack sends the same event again when it thinks we missed it
        assert slack.sender.event(event, event_id="Ev0INVOICE01", retry_num=retry).status_code == 200
    time.sleep(0.5)
    slack.router.wait_idle()
    slack.deliver()

    relayed = posts(slack.fake, ACME_CHANNEL, thread=brand_ts, containing="Please send the invoice.")
    assert len(relayed) == 1
    assert len(history(slack.fake, ACME_CHANNEL, brand_ts)) == 2


def test_a_thread_message_too_long_to_relay_is_answered_to_its_author_alone_in_the_thread(slack: Slack) -> None:
    team_ts, brand_ts = file_case(slack)
    slack.say_in_thread(BRAND, "word " * 8001, channel=ACME_CHANNEL, thread_ts=brand_ts)
    slack.deliver()

    (told,) = slack.fake.wait_for("chat.postEphemeral")
    assert (told.params["channel"], told.params["user"], told.params["thread_ts"]) == (ACME_CHANNEL, BRAND, brand_ts)
    assert "40,004 characters; the limit is 40,000" in shown_text(told.params["blocks"])
    assert len(history(slack.fake, TEAM_CHANNEL, team_ts)) == 1  # nothing relayed


# -- thread relay details ----------------------------------------------------------------------------


def test_a_thread_reply_also_sent_to_the_channel_is_relayed(slack: Slack) -> None:
    team_ts, brand_ts = file_case(slack)
    event = thread_event(
        BRAND, "Two more sellers copy this listing.", channel=ACME_CHANNEL, thread_ts=brand_ts,
        ts="1700000950.000100", subtype="thread_broadcast",
    )  # fmt: skip

    with slack.router.handled():
        assert slack.sender.event(event).status_code == 200
    slack.deliver()

    (relayed,) = posts(slack.fake, TEAM_CHANNEL, thread=team_ts, containing="Two more sellers copy this listing.")
    assert BRAND in relayed.params["text"]


def test_ampersands_and_brackets_a_member_types_read_the_same_on_the_other_side(slack: Slack) -> None:
    team_ts, brand_ts = file_case(slack)
    typed = "Q&A: price < $5 > cost"
    as_slack_sends_it = "Q&amp;A: price &lt; $5 &gt; cost"
    event = thread_event(BRAND, as_slack_sends_it, channel=ACME_CHANNEL, thread_ts=brand_ts, ts="1700000960.000100")

    with slack.router.handled():
        assert slack.sender.event(event).status_code == 200
    slack.deliver()

    (relayed,) = posts(slack.fake, TEAM_CHANNEL, thread=team_ts, containing="Q&")
    assert relayed.params["text"].endswith(as_slack_sends_it)  # Slack shows it as typed: "Q&A: price < $5 > cost"
    assert as_slack_sends_it in shown_text(relayed.params["blocks"])
    assert "&amp;amp;" not in relayed.params["text"] and typed not in relayed.params["text"]


# -- acknowledging in time -----------------------------------------------------------------------------


def test_a_slow_command_is_acknowledged_at_once_and_answered_later(slack: Slack) -> None:
    slack.router.delay = 2.0  # the work behind the command takes two seconds

    started = time.monotonic()
    answer = slack.sender.slash_command(BRAND, f"complaint {LINKS}", channel_id=ACME_CHANNEL)
    acknowledged = time.monotonic() - started

    assert answer.status_code == 200 and answer.text == ""
    assert acknowledged < 1.0
    (reply,) = slack.fake.wait_for("response_url", timeout=10)
    assert time.monotonic() - started >= 2.0
    assert f"in {CASE}" in reply.params["text"]


# -- what users write stays text -----------------------------------------------------------------------


def test_mentions_and_links_in_what_users_write_are_posted_escaped(slack: Slack) -> None:
    fake = slack.fake
    unknown = slack.command(BRAND, HOSTILE)
    team_ts, brand_ts = file_case(slack, f'complaint reason=other note="{HOSTILE}" {LINKS}')
    slack.say_in_thread(BRAND, f"Look: {HOSTILE}", channel=ACME_CHANNEL, thread_ts=brand_ts)
    slack.deliver()

    # The reply naming an unknown command word.
    assert "&lt;!channel&gt;" in unknown.params["text"] and "<!channel>" not in unknown.params["text"]
    assert "<!channel>" not in shown_text(unknown.params["blocks"])
    # The case messages quoting the brand's note, on both sides.
    for channel in (TEAM_CHANNEL, ACME_CHANNEL):
        (case_message,) = posts(fake, channel, containing=CASE)
        assert_inert(shown_text(case_message.params["blocks"]))
    # The brand's message relayed into the team's thread.
    (relayed,) = posts(fake, TEAM_CHANNEL, thread=team_ts, containing="Look:")
    assert_inert(relayed.params["text"])
    assert_inert(shown_text(relayed.params["blocks"]))
    assert all(block["text"].get("verbatim") for block in relayed.params["blocks"] if block["type"] == "section")


# -- delivery when Slack pushes back or the worker dies ------------------------------------------------


def test_a_rate_limited_case_is_posted_once_after_waiting_out_retry_after(slack: Slack) -> None:
    fake = slack.fake
    slack.command(BRAND, f"complaint {LINKS}")
    fake.fail_next("chat.postMessage", status=429, retry_after=30, times=4)

    assert slack.deliver() == 0  # the team's, the brand's and the assignee's message all answered 429
    assert history(fake, TEAM_CHANNEL) == [] and history(fake, ACME_CHANNEL) == []
    slack.clock.advance(seconds=29)
    assert slack.deliver() == 0  # Retry-After not over: nothing is even tried
    assert len(fake.calls_to("chat.postMessage")) == 3
    slack.clock.advance(seconds=1)
    assert slack.deliver() == 2  # the team's message is limited once more; the brand's and the DM go out
    slack.clock.advance(seconds=29)
    assert slack.deliver() == 0
    slack.clock.advance(seconds=1)
    assert slack.deliver() == 1
    assert slack.deliver() == 0

    assert len(fake.calls_to("chat.postMessage")) == 7
    (team_message,) = history(fake, TEAM_CHANNEL)
    (brand_message,) = history(fake, ACME_CHANNEL)
    assert CASE in team_message["text"] and CASE in brand_message["text"]
    assert team_message["blocks"][-1]["elements"][0]["text"]["text"] == "Removed"


class WorkerDied(Exception):
    """The process running the worker stopped between posting a message and recording it."""


class Killed(BaseException):
    """The process was killed outright (nothing in the worker can catch this)."""


def test_a_restarted_worker_does_not_repost_what_slack_already_has(
    slack: Slack, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = slack.fake
    slack.command(BRAND, f"complaint {LINKS}")

    def dies_after_posting(session: Any, delivery_id: int, *, status: DeliveryStatus, **record: Any) -> None:
        if status is DeliveryStatus.SENT:
            raise WorkerDied
        mark_delivery(session, delivery_id, status=status, **record)

    monkeypatch.setattr(bot.delivery, "mark_delivery", dies_after_posting)
    with pytest.raises(WorkerDied):
        slack.deliver()  # the team's message reached Slack; the brand's was never tried
    monkeypatch.setattr(bot.delivery, "mark_delivery", mark_delivery)
    assert len(history(fake, TEAM_CHANNEL)) == 1 and history(fake, ACME_CHANNEL) == []
    posted_before = len(fake.calls_to("chat.postMessage"))
    restarted = slack.new_worker()
    # The dead worker had claimed all three: they wait until it has missed its beats.
    assert restarted.run_once() == 0
    slack.clock.advance(seconds=WORKER_TIMEOUT.total_seconds() + 1)
    assert restarted.run_once() == 3  # the team's found in the channel, not posted again; the others posted

    assert metadata_lookups(fake, "conversations.history", channel=TEAM_CHANNEL)
    reposted = fake.calls_to("chat.postMessage")[posted_before:]
    assert [call.params["channel"] for call in reposted] == [ACME_CHANNEL, dm_channel(TEAM)]
    (team_message,) = history(fake, TEAM_CHANNEL)
    assert len(history(fake, ACME_CHANNEL)) == 1
    # The message found after the restart is the case's message: its buttons still work on it.
    (team_post,) = posts(fake, TEAM_CHANNEL, containing=CASE)
    slack.worker = restarted
    slack.press(TEAM, team_post, team_message["ts"], "Removed")
    slack.deliver()
    assert [call.params["ts"] for call in fake.calls_to("chat.update") if call.params["channel"] == TEAM_CHANNEL] == [
        team_message["ts"]
    ]
    assert len(history(fake, TEAM_CHANNEL, team_message["ts"])) == 2


def test_a_thread_reply_claimed_but_never_posted_is_posted_once_after_a_restart(slack: Slack) -> None:
    fake = slack.fake
    team_ts, _ = file_case(slack)
    (team_post,) = posts(fake, TEAM_CHANNEL, containing=CASE)
    slack.press(TEAM, team_post, team_ts, "Removed")

    class KilledWhilePosting(SlackPoster):
        def post(self, notice: OutboxNotice, payload: NoticePayload, target: Target) -> str:
            raise Killed

    dying = DeliveryWorker(
        slack.database, KilledWhilePosting(web_client(slack.settings, retries=False)), clock=slack.clock
    )
    with pytest.raises(Killed):
        dying.run_once()  # the team's outcome reply was claimed, then the process died
    assert len(history(fake, TEAM_CHANNEL, team_ts)) == 1

    restarted = slack.new_worker()
    restarted.run_once()
    assert len(history(fake, TEAM_CHANNEL, team_ts)) == 1  # the dead worker's claim holds until its beats stop
    slack.clock.advance(seconds=WORKER_TIMEOUT.total_seconds() + 1)
    restarted.run_once()

    assert metadata_lookups(fake, "conversations.replies", channel=TEAM_CHANNEL, ts=team_ts)
    thread = history(fake, TEAM_CHANNEL, team_ts)
    assert len(thread) == 2 and "removed" in thread[1]["text"]
    assert len(posts(fake, TEAM_CHANNEL, thread=team_ts)) == 1


# -- secrets -------------------------------------------------------------------------------------------


def test_the_bot_token_and_signing_secret_never_reach_the_logs(slack: Slack, caplog: pytest.LogCaptureFixture) -> None:
    assert logging.getLogger("slack_bolt.App").isEnabledFor(logging.DEBUG)
    team_ts, brand_ts = file_case(slack)
    (team_post,) = posts(slack.fake, TEAM_CHANNEL, containing=CASE)
    slack.press(TEAM, team_post, team_ts, "Removed")
    slack.say_in_thread(BRAND, "Thanks!", channel=ACME_CHANNEL, thread_ts=brand_ts)
    slack.fake.fail_next("chat.postMessage", status=429, retry_after=1)
    slack.deliver()
    slack.clock.advance(seconds=1)
    slack.deliver()
    slack.sender.post(b"text=help", "application/x-www-form-urlencoded", signature="v0=" + "0" * 64)

    logged = caplog.text + "\n".join(repr(record.args) for record in caplog.records)
    assert "Sending a request" in logged and "chat.postMessage" in logged  # the Web API calls were logged
    for secret in (TOKEN, TOKEN.rsplit("-", 1)[1], SECRET):
        assert secret not in logged


# -- Chinese-language help -----------------------------------------------------------------------


def test_an_answer_written_in_the_language_thread_reaches_the_member(slack: Slack) -> None:
    language_channel = "C0LANG0001"
    slack.router.handle(Incoming(Caller("slack", ADMIN), f"admin channel language slack {language_channel}"))
    reply = slack.command(BRAND, "language source=zh target=en 卖家说这是正品")
    assert "LR-000001" in reply.params["text"]
    slack.deliver()
    request_ts = ts_of(slack.fake, language_channel, "LR-000001")
    event = thread_event(
        TEAM, "The seller says it is genuine.", channel=language_channel, thread_ts=request_ts, ts="1700001000.000100"
    )

    with slack.router.handled():
        assert slack.sender.event(event).status_code == 200
    slack.deliver()

    answers = [
        call
        for call in slack.fake.calls_to("chat.postMessage")
        if "The seller says it is genuine." in shown_text(call.params["blocks"])
    ]
    assert {call.params["channel"] for call in answers} == {
        ACME_CHANNEL,
        dm_channel(BRAND),
    }  # the brand's thread, and a DM
    assert (
        slack.router.handle(Incoming(Caller("slack", BRAND), "language show LR-000001"))
        .render_plain()
        .count("answered")
        >= 1
    )


# -- applying to the program -----------------------------------------------------------------------


def test_a_company_applies_through_the_slack_form_and_hears_its_eligibility(slack: Slack) -> None:
    newcomer = "U0NEW00001"
    view = open_form(slack, newcomer, "apply")
    assert {block["block_id"] for block in view["blocks"]} >= {
        "legal_name",
        "country",
        "size",
        "role",
        "good_faith",
        "marks",
    }
    values = {
        "legal_name": {"value": text_input("Globex Ltd")},
        "country": {"value": text_input("gb")},
        "size": {"value": static_select("medium")},
        "contact": {"value": text_input("ip@globex.example")},
        "role": {"value": static_select("rights_holder")},
        "good_faith": {"value": static_select("yes")},
        "marks": {"value": text_input("GLOBEX")},
    }
    assert submit(slack, newcomer, view, values) is None  # accepted: the modal closes
    (told,) = slack.fake.wait_for("chat.postEphemeral")
    assert "Good Faith" in str(told.params["text"]) and "not eligible" in str(told.params["text"]).lower()


# -- commands written to the bot directly, with files ---------------------------------------------------

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def direct_message(
    slack: Slack, user: str, text: str, files: list[dict[str, Any]], ts: str, *, reaches_router: bool = True
) -> None:
    event = thread_event(user, text, channel=dm_channel(user), thread_ts=ts, ts=ts, channel_type="im")
    event.pop("thread_ts")
    event.update(subtype="file_share", files=files)
    if not reaches_router:
        assert slack.sender.event(event).status_code == 200
        return
    with slack.router.handled():
        assert slack.sender.event(event).status_code == 200


def test_raid_evidence_sent_to_the_bot_with_its_documents_is_registered_with_their_fingerprints(slack: Slack) -> None:
    report = slack.fake.share_file("raid-report.pdf", PDF, mimetype="application/pdf")
    direct_message(
        slack, BRAND,
        'raid raid_date=2026-10-02 authority="Yiwu AMR" case_number=YW-2026-118 https://shop123456.taobao.com',
        [report], ts="1700002000.000100",
    )  # fmt: skip
    (answer,) = [c for c in slack.fake.wait_for("chat.postMessage") if c.params["channel"] == dm_channel(BRAND)]
    shown = shown_text(answer.params["blocks"])
    assert "RAID-000001" in shown and hashlib.sha256(PDF).hexdigest() in shown
    (download,) = slack.fake.calls_to("file_download")
    assert download.headers["authorization"].startswith("Bearer xoxb-")


def test_a_file_from_anywhere_but_slack_is_not_fetched(slack: Slack) -> None:
    forged = slack.fake.share_file("raid-report.pdf", PDF) | {"url_private_download": "https://evil.example/x.pdf"}
    text = "raid raid_date=2026-10-02 authority=AMR case_number=1 https://shop1.taobao.com"
    direct_message(slack, BRAND, text, [forged], ts="1700002001.000100", reaches_router=False)
    (answer,) = slack.fake.wait_for("chat.postMessage")
    assert "could not be fetched from Slack" in answer.params["text"]
    assert slack.fake.calls_to("file_download") == []


def dm_answers(slack: Slack, user: str) -> str:
    return slack_shown([c for c in slack.fake.wait_for("chat.postMessage") if c.params["channel"] == dm_channel(user)])


def test_files_shared_with_a_word_that_is_no_command_are_never_fetched(slack: Slack) -> None:
    nine_mb = [slack.fake.share_file(f"big{n}.pdf", PDF) | {"size": 9 * 1024 * 1024} for n in range(10)]
    direct_message(slack, "U0STRANGER", "whatever", nine_mb, ts="1700002003.000100")
    assert "There is no command 'whatever'" in dm_answers(slack, "U0STRANGER")
    assert slack.fake.calls_to("file_download") == []


def test_files_for_a_command_the_caller_may_not_use_are_never_fetched(slack: Slack) -> None:
    links = slack.fake.share_file("links.csv", b"link\nhttps://item.taobao.com/item.htm?id=1\n", mimetype="text/csv")
    direct_message(slack, "U0STRANGER", "complaint", [links], ts="1700002004.000100")
    assert "You need to be in the program to use `complaint`." in dm_answers(slack, "U0STRANGER")
    assert slack.fake.calls_to("file_download") == []


def test_a_message_over_the_file_caps_is_refused_naming_the_cap_before_any_file_is_fetched(slack: Slack) -> None:
    raid = "raid raid_date=2026-10-02 authority=AMR case_number=1 https://shop1.taobao.com"
    eleven = [slack.fake.share_file(f"page{n}.pdf", PDF) for n in range(MAX_MESSAGE_FILES + 1)]
    direct_message(slack, BRAND, raid, eleven, ts="1700002005.000100", reaches_router=False)
    (answer,) = slack.fake.wait_for("chat.postMessage")
    assert "This message has 11 files; the bot takes at most 10 files in one message." in answer.params["text"]
    six_large = [slack.fake.share_file(f"scan{n}.pdf", PDF) | {"size": 20 * 1024 * 1024} for n in range(6)]
    direct_message(slack, BRAND, raid, six_large, ts="1700002006.000100", reaches_router=False)
    answer = slack.fake.wait_for("chat.postMessage", 2)[1]
    assert (
        f"come to {6 * 20 * 1024 * 1024:,} bytes; the bot takes at most 100 MB in one message"
        in (answer.params["text"])
    )
    assert slack.fake.calls_to("file_download") == []


def test_a_member_files_300_links_by_sharing_a_csv_with_the_bot_and_hears_every_merged_and_rejected_row(
    slack: Slack,
) -> None:
    rows = ["link"] + [f"https://item.taobao.com/item.htm?id={700_000 + n}" for n in range(300)]
    rows += ["https://h5.m.taobao.com/awp/core/detail.htm?id=700000", "https://example.com/shoe", "hello"]
    links = slack.fake.share_file("links.csv", ("\n".join(rows) + "\n").encode(), mimetype="text/csv")
    direct_message(slack, BRAND, "complaint", [links], ts="1700002002.000100")
    answers = [c for c in slack.fake.wait_for("chat.postMessage") if c.params["channel"] == dm_channel(BRAND)]
    shown = "\n".join(shown_text(answer.params["blocks"]) for answer in answers)
    assert "Registered 300 items in MS-000001" in shown, shown
    assert "https://h5.m.taobao.com/awp/core/detail.htm?id=700000" in shown  # merged, with its twin
    assert "example.com is not a supported marketplace" in shown
    assert "line 304: hello is not a link" in shown
    with slack.database.transaction() as session:
        (complaint,) = session.exec(select(Complaint)).all()
        assert complaint.item_count == 300


# -- answers longer than Slack takes at once -------------------------------------------------------

BLOCK_REFUSED = "invalid_blocks"


def sections_of(calls: list[Call]) -> list[str]:
    """The text of every section the posts show, in the order they were posted."""
    return [
        block["text"]["text"].replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
        for call in calls
        for block in call.params.get("blocks") or []
        if block["type"] == "section"
    ]


def answers_to(slack: Slack, user: str, text: str) -> list[Call]:
    """Run `/marketsafe text`; every post to its response URL once the router is done."""
    with slack.router.handled():
        slack.sender.slash_command(user, text, channel_id=ACME_CHANNEL)
    calls = slack.fake.wait_for("response_url")
    while True:  # the later parts of a long answer follow the first: wait until no more come
        time.sleep(0.2)
        if len(slack.fake.calls_to("response_url")) == len(calls):
            return calls
        calls = slack.fake.calls_to("response_url")


def accepted(calls: list[Call]) -> None:
    for call in calls:
        blocks: Any = call.params.get("blocks")
        assert blocks and len(blocks) <= 50
        assert all(len(block.get("text", {}).get("text", "x")) >= 1 for block in blocks)


def test_a_proposal_of_4000_characters_on_one_line_is_shown_whole(slack: Slack) -> None:
    text = "".join(f"R&D<{n:04d}>" for n in range(500))[:4000]
    assert len(text) == 4000 and "\n" not in text and " " not in text
    reply = slack.router.handle(Incoming(Caller("slack", BRAND), f'propose title="A long one" {text}'))
    assert not reply.is_error, reply.text
    calls = answers_to(slack, BRAND, "propose show P-0001")
    accepted(calls)
    assert text in "".join(sections_of(calls))


def test_a_calendar_of_50_long_titled_milestones_arrives_complete_and_in_order(slack: Slack) -> None:
    titles = [f"Milestone {n:02d} " + "& <long title> " * 12 for n in range(50)]
    for n, title in enumerate(titles):
        command = f'calendar add meeting 2027-{1 + n // 28:02d}-{1 + n % 28:02d} 10:00 "{title.strip()}"'
        reply = slack.router.handle(Incoming(Caller("slack", ADMIN), command))
        assert not reply.is_error, reply.text
    calls = answers_to(slack, BRAND, "calendar")
    accepted(calls)
    shown = "\n".join(sections_of(calls))
    positions = [shown.find(title.strip()) for title in titles]
    assert -1 not in positions and positions == sorted(positions)


def test_the_complaint_form_for_an_organisation_without_a_verified_right_says_an_admin_must_verify_one(
    slack: Slack,
) -> None:
    beta = "U0BETA1"
    for command in (
        'admin org add beta "Beta Co" country=US size=large',
        'admin right add beta trademark 5550001 mark="BETA" jurisdiction=CN',
        f"admin member add slack:{beta} beta member",
    ):
        reply = slack.router.handle(Incoming(Caller("slack", ADMIN), command))
        assert not reply.is_error, reply.text
    (answer,) = answers_to(slack, beta, "complaint")
    assert "`admin right verify &lt;id&gt;`" in answer.params["text"]  # as Slack shows it
    assert slack.fake.calls_to("views.open") == []


def test_an_answer_slack_refuses_reaches_the_user_as_a_short_answer_naming_the_error(
    slack: Slack, caplog: pytest.LogCaptureFixture
) -> None:
    slack.fake.fail_next("response_url", status=200, error=BLOCK_REFUSED)
    calls = answers_to(slack, BRAND, "help")
    short = calls[-1].params["text"]
    assert short.startswith(f"That answer could not be shown (Slack refused it: {BLOCK_REFUSED}); reference ")
    reference = short.rsplit(" ", 1)[-1].rstrip(".")
    assert any(BLOCK_REFUSED in r.getMessage() and reference in r.getMessage() for r in caplog.records)
    assert max(r.levelno for r in caplog.records if reference in r.getMessage()) >= logging.WARNING


def test_a_list_too_long_for_five_messages_says_how_many_sections_are_left_out_and_how_to_see_them() -> None:
    reply = Reply("Everything:", lines=[f"line {n} " + "x" * 2800 for n in range(300)])
    parts = reply_messages(reply)
    assert len(parts) == MAX_MESSAGES and all(refusal("chat.postMessage", {"blocks": part}) is None for part in parts)
    last = parts[-1][-1]["text"]["text"]
    assert "more sections not shown" in last and "help" in last
    assert shown_text(parts[0]).startswith("Everything:")


# -- the largest answers ----------------------------------------------------------------------------


def sent_after(slack: Slack, method: str, before: int) -> list[Call]:
    """The calls to `method` after the first `before`, once no more come."""
    calls = slack.fake.wait_for(method, before + 1)
    while True:  # a long answer's later messages follow its first: wait until no more come
        time.sleep(0.2)
        if len(slack.fake.calls_to(method)) == len(calls):
            return calls[before:]
        calls = slack.fake.calls_to(method)


def valid_block_kit(blocks: list[dict[str, Any]]) -> None:
    """slack_sdk's own models accept every block (they check Slack's documented limits)."""
    assert blocks and len(blocks) <= 50
    for block in Block.parse_all(blocks):
        assert block is not None
        block.validate_json()


def slack_shown(calls: list[Call]) -> str:
    for call in calls:
        valid_block_kit(call.params["blocks"])
        assert refusal(call.method, call.params) is None
    return "\n".join(sections_of(calls))


def test_the_largest_answers_arrive_whole_in_valid_block_kit(slack: Slack) -> None:
    rival, working_group = "U0BETA1", "C0WG000001"
    admin, brand, team, beta = (Caller("slack", user) for user in (ADMIN, BRAND, TEAM, rival))
    people = People(admin, brand, team, beta, lambda n: Caller("slack", f"U0APP{n:04d}"))
    build(slack.router, people, working_group, "slack")

    # 340 links written to the bot: 300 filed in one case, the rest merged, flagged, held or rejected.
    before = len(slack.fake.calls_to("chat.postMessage"))
    with slack.router.handled():
        slack.sender.message_event(BRAND, "complaint " + big_paste(), channel=dm_channel(BRAND))
    filing = slack.router.replies[-1]
    assert filing.text == f"Registered 300 items in {BIG_CASE} (300 Taobao listings)."
    shown = slack_shown(sent_after(slack, "chat.postMessage", before))
    assert list(missing(filing, shown)) == []
    for section in ("merged as duplicates", "flagged to the team", "held: short links", "rejected"):
        assert section in shown
    file_open_cases(slack.router, people)

    users = {"brand": BRAND, "team": TEAM}
    item_pages = ""
    for who, line in ASKED:
        before = len(slack.fake.calls_to("response_url"))
        slack.sender.slash_command(users[who], line, channel_id=ACME_CHANNEL)
        shown = slack_shown(sent_after(slack, "response_url", before))
        expected = slack.router.handle(Incoming(Caller("slack", users[who]), line))
        assert not expected.is_error, (line, expected.text)
        assert list(missing(expected, shown)) == [], line
        item_pages += shown if line.startswith("case ") else ""
    assert all(listing(n) in item_pages for n in range(NEW_LINKS))

    # App Home for a team member with hundreds of open cases: a valid view, all of it shown.
    assert slack.sender.app_home_opened(TEAM).status_code == 200
    published = slack.fake.wait_for("views.publish")[-1].params["view"]
    View(**published).validate_json()
    home_reply = slack.router.run(Incoming(Caller("slack", TEAM), "home"), "home", home)
    assert f"Open cases: {OPEN_CASES + 2}" in home_reply.lines
    assert list(missing(home_reply, unescape(shown_text(published["blocks"])))) == []

    # From here on a worker posts what is new: the agenda, a case, a 5,000-character thread message.
    worker = slack.new_worker()
    worker.start(skip_history=True)
    with slack.database.transaction() as session:
        (meeting,) = session.exec(select(Milestone).where(Milestone.title == chinese_title(0))).all()
        notices = meeting_agenda_notices(session, meeting, slack.clock(), ProgramRules().timezone)
        save_notices(session, notices, slack.clock())
    before = len(slack.fake.calls_to("chat.postMessage"))
    worker.run_once()
    (agenda,) = notices
    shown = slack_shown(
        [c for c in sent_after(slack, "chat.postMessage", before) if c.params["channel"] == working_group]
    )
    assert list(missing(Reply(agenda.text, fields=list(agenda.fields)), shown)) == []

    reply = slack.command(BRAND, "complaint https://item.taobao.com/item.htm?id=424242")
    case = re.search(r"MS-\d{6}", reply.params["text"])[0]  # type: ignore[index]
    worker.run_once()
    team_ts, brand_ts = ts_of(slack.fake, TEAM_CHANNEL, case), ts_of(slack.fake, ACME_CHANNEL, case)
    paragraphs = [f"Paragraph {n}: " + " ".join(f"word{n}.{k}" for k in range(60)) for n in range(12)]
    message = "\n\n".join(paragraphs)[:THREAD_MESSAGE]
    assert len(message) == THREAD_MESSAGE
    slack.say_in_thread(BRAND, message, channel=ACME_CHANNEL, thread_ts=brand_ts)
    before = len(slack.fake.calls_to("chat.postMessage"))
    worker.run_once()
    relayed = [c for c in sent_after(slack, "chat.postMessage", before) if c.params.get("thread_ts") == team_ts]
    assert compact(message) in compact(slack_shown(relayed))
    assert len(history(slack.fake, TEAM_CHANNEL, team_ts)) == 1 + len(relayed)


def test_an_export_reaches_the_callers_direct_messages_and_holds_only_their_cases(slack: Slack) -> None:
    file_case(slack)
    answer = slack.command(BRAND, "export format=xlsx")
    assert "Exported 2 items" in shown_text(answer.params["blocks"])
    slack.fake.wait_for("files.completeUploadExternal")
    (shared,) = slack.fake.shared_files(BRAND)
    assert shared.name.startswith("cases-acme-") and shared.name.endswith(".xlsx")
    rows = list(load_workbook(io.BytesIO(shared.data)).worksheets[0].iter_rows(values_only=True))
    assert [row[:2] for row in rows[1:]] == [(CASE, "acme"), (CASE, "acme")]
    stranger = "U0GLOBEX1"
    for command in ('admin org add globex "Globex Ltd" country=GB', f"admin member add slack:{stranger} globex member"):
        assert not slack.router.handle(Incoming(Caller("slack", ADMIN), command)).is_error
    assert "No cases match" in shown_text(slack.command(stranger, "export").params["blocks"])
    slack.router.wait_idle()
    assert slack.fake.shared_files(stranger) == []


def test_a_stats_chart_reaches_the_callers_direct_messages_as_a_png(slack: Slack) -> None:
    file_case(slack)
    answer = slack.command(BRAND, "stats chart months=3")
    assert "the chart is in stats-acme-" in shown_text(answer.params["blocks"])
    slack.fake.wait_for("files.completeUploadExternal")
    (shared,) = slack.fake.shared_files(BRAND)
    assert shared.name.endswith(".png") and shared.data.startswith(b"\x89PNG\r\n\x1a\n")
    assert shared.alt_txt is not None and "ACME Corp" in shared.alt_txt


# -- languages ---------------------------------------------------------------------------------------


def test_a_team_member_whose_slack_locale_is_chinese_reads_chinese_and_the_brand_english(slack: Slack) -> None:
    slack.fake.set_user(TEAM, name="li.wei", locale="zh-CN")
    slack.router.handle(Incoming(Caller("slack", ADMIN), f"admin channel team slack {TEAM_CHANNEL} lang=zh"))
    file_case(slack)
    # One notice per channel, each rendered in that channel's language; ids and links unchanged.
    (team_message,) = posts(slack.fake, TEAM_CHANNEL, containing=CASE)
    (brand_message,) = posts(slack.fake, ACME_CHANNEL, containing=CASE)
    assert team_message.params["text"].startswith(f"新案件 {CASE}，来自 ACME Corp：2 个Taobao商品链接")
    assert "https://item.taobao.com/item.htm?id=1001" in shown_text(team_message.params["blocks"])
    assert [b["text"]["text"] for b in buttons_of(team_message)][:2] == ["已删除", "未删除"]
    assert brand_message.params["text"].startswith(f"Case {CASE} registered: 2 Taobao listings.")

    answered = slack.command(TEAM, f"outcome {CASE} 1，2 removed", channel=TEAM_CHANNEL)
    assert answered.params["text"] == f"{CASE}：第 1-2 项现为 removed；案件状态为 actioned。"
    refused = slack.command(BRAND, f"outcome {CASE} all removed")
    assert refused.params["text"].startswith("Only the IACC/Alibaba team can record outcomes.")
    # users.info was asked for the locale, once per person while it is fresh.
    asked = [call for call in slack.fake.calls_to("users.info") if call.params.get("user") == TEAM]
    assert len(asked) == 1 and asked[0].params.get("include_locale") in ("1", "true", True)


def test_without_users_read_the_bot_answers_in_the_program_language(slack: Slack) -> None:
    slack.fake.set_user(TEAM, locale="zh-CN")
    slack.fake.scopes = tuple(scope for scope in slack.fake.scopes if scope != "users:read")
    answered = slack.command(TEAM, "frobnicate", channel=TEAM_CHANNEL)
    assert "There is no command 'frobnicate'." in answered.params["text"]
    assert slack.fake.calls_to("users.info"), "the bot asked, and Slack refused with missing_scope"


# -- filing from any message: the "File as complaint" shortcut ---------------------------------------

SHORTCUT = "file_as_complaint"
# A message as Slack sends its text: links in angle brackets (one with its label), `&` escaped, prose around.
SHORTCUT_MESSAGE = (
    "Found these fakes of our 2026 line &amp; a store selling them:\n"
    "<https://item.taobao.com/item.htm?id=1001> and "
    "<https://detail.tmall.com/item.htm?spm=a1&amp;id=2002|detail.tmall.com/item.htm> (same seller), "
    "plus m.tb.cn/h.5xYz, all <@U0TEAM1> please look"
)
SHORTCUT_LINKS = [
    "https://item.taobao.com/item.htm?id=1001",
    "https://detail.tmall.com/item.htm?spm=a1&id=2002",
    "m.tb.cn/h.5xYz",
]


def use_shortcut(slack: Slack, user: str, text: str, *, channel: str = ACME_CHANNEL) -> None:
    answer = slack.sender.message_shortcut(user, SHORTCUT, text, channel_id=channel, author_id=TEAM)
    assert answer.status_code == 200 and answer.text == ""  # acknowledged, with nothing to show in its place


def test_file_as_complaint_opens_the_form_with_exactly_the_messages_links_and_files_them(slack: Slack) -> None:
    use_shortcut(slack, BRAND, SHORTCUT_MESSAGE)
    (opened,) = slack.fake.wait_for("views.open")
    view = opened.params["view"]
    assert view["callback_id"] == "form:complaint" and view["title"]["text"] == "File a complaint"
    links = next(block for block in view["blocks"] if block["block_id"] == "links")["element"]
    assert links["initial_value"].split("\n") == SHORTCUT_LINKS
    assert json.loads(view["private_metadata"]) == {"channel": ACME_CHANNEL}

    assert submit(slack, BRAND, view, complaint_form(view, links=links["initial_value"])) is None  # closed
    (told,) = slack.fake.wait_for("chat.postEphemeral")
    shown = shown_text(told.params["blocks"])
    assert "Registered 2 items" in shown and "MS-000001 (1 Taobao listing)" in shown, shown
    assert "MS-000002 (1 Tmall listing)" in shown and "m.tb.cn/h.5xYz" in shown, shown  # the short link held
    with slack.database.transaction() as session:
        assert len(session.exec(select(Complaint)).all()) == 2


def test_file_as_complaint_by_a_member_whose_organisation_has_no_verified_right_explains_why(slack: Slack) -> None:
    for line in ('admin org add beta "Beta Ltd" country=US size=small', "admin member add slack:U0BETA1 beta member"):
        assert not slack.router.handle(Incoming(Caller("slack", ADMIN), line)).is_error
    use_shortcut(slack, "U0BETA1", SHORTCUT_MESSAGE)
    (told,) = slack.fake.wait_for("chat.postEphemeral")
    assert told.params["user"] == "U0BETA1" and told.params["channel"] == ACME_CHANNEL
    assert "Beta Ltd has no verified IP right yet" in told.params["text"], told.params["text"]
    assert slack.fake.calls_to("views.open") == []


def test_file_as_complaint_by_someone_outside_the_program_is_refused(slack: Slack) -> None:
    use_shortcut(slack, "U0STRANGER", SHORTCUT_MESSAGE)
    (told,) = slack.fake.wait_for("chat.postEphemeral")
    assert "You need to be in the program" in told.params["text"], told.params["text"]
    assert slack.fake.calls_to("views.open") == []


def test_a_message_whose_links_do_not_fit_the_form_is_answered_with_how_to_file_them(slack: Slack) -> None:
    links = [f"https://item.taobao.com/item.htm?id={4_000_000 + n}" for n in range(320)]
    text = "Please file all of these: " + " ".join(f"<{link}>" for link in links) + " thanks"
    text += " " + "x" * (40_000 - len(text))  # as long as a Slack message gets
    use_shortcut(slack, BRAND, text)
    (told,) = slack.fake.wait_for("chat.postEphemeral")
    shown = told.params["text"]
    length = len("\n".join(links))
    assert f"holds 320 links ({length:,} characters)" in shown and "(3,000 characters)" in shown, shown
    assert "CSV file" in shown and "direct message" in shown, shown
    assert slack.fake.calls_to("views.open") == []
    with slack.database.transaction() as session:
        assert session.exec(select(Complaint)).all() == []


def test_a_shortcut_too_late_for_its_trigger_tells_the_member_to_use_it_again(slack: Slack) -> None:
    slack.fake.fail_next("views.open", status=200, error="expired_trigger_id")
    use_shortcut(slack, BRAND, SHORTCUT_MESSAGE)
    (told,) = slack.fake.wait_for("chat.postEphemeral")
    assert "expired_trigger_id" in told.params["text"] and "use the shortcut again" in told.params["text"]

"""`marketsafe run` in Socket Mode: the real process, connected to a fake Socket Mode service, end
to end; and what it says when Slack refuses its tokens or scopes at start."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from slack_sdk import WebClient

from support.fake_http import dropped
from support.fake_slack import MANIFEST_SCOPES, Call, dm_channel
from support.fake_socket_mode import FakeSocketMode, SocketModeSender
from support.slack_requests import static_select, text_input

BOT_TOKEN = "xoxb-1111111111-2222222222-socketSOCKETsocket"
SECRET = "socket-mode-signing-secret-0123456789"
ADMIN, BRAND, TEAM = "U0ADMIN1", "U0BRAND1", "U0TEAM1"
TEAM_CHANNEL, ACME_CHANNEL = "C0TEAM0001", "C0ACME0001"
LINKS = "https://item.taobao.com/item.htm?id=1001 https://item.taobao.com/item.htm?id=1002"
CASE = "MS-000001"
PROGRAM = (
    'admin org add acme "ACME Corp" country=US size=large',
    'admin right add acme trademark 1234567 mark="ACME" jurisdiction=CN expires=2030-12-31',
    "admin right verify 1",
    f"admin member add slack:{BRAND} acme member",
    f"admin member add slack:{TEAM} - team",
    f"admin team slack:{TEAM} platforms=taobao",
    f"admin channel team slack {TEAM_CHANNEL}",
    f"admin channel org:acme slack {ACME_CHANNEL}",
)
PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy")
WAIT = 15.0  # seconds: the delivery worker takes a few seconds in a busy process
# Seconds within which a connection dropped without a closing handshake is replaced (about 12 s
# at the bot's 2-s ping interval, with room for a busy machine).
RECONNECT = 30.0


class Process:
    """`marketsafe run` with its output collected line by line as it comes."""

    def __init__(
        self,
        fake: FakeSocketMode,
        directory: Path,
        settings: dict[str, str] | None = None,
        *,
        http_port: int | None = None,
    ) -> None:
        environment = {
            name: value
            for name, value in os.environ.items()
            if not name.startswith(("SLACK_", "DISCORD_", "MARKETSAFE_")) and name not in PROXY_VARIABLES
        }
        environment |= {
            "DATABASE_URL": f"sqlite:///{directory / 'bot.db'}",
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_APP_TOKEN": fake.app_token,
            "SLACK_API_URL": fake.api_url,
            "MARKETSAFE_ADMINS": f"slack:{ADMIN}",
            "NO_PROXY": "127.0.0.1,localhost",
        }
        environment |= settings or {}
        if http_port is not None:  # HTTP mode instead of Socket Mode
            del environment["SLACK_APP_TOKEN"]
            environment["SLACK_PORT"] = str(http_port)
        self.process = subprocess.Popen(
            [str(Path(sys.executable).with_name("marketsafe")), "run"],
            cwd=directory, env=environment, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    def wait_for_line(self, containing: str, timeout: float = WAIT) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = [line for line in self.lines if containing in line]
            if found:
                return found[0]
            time.sleep(0.02)
        raise AssertionError(f"no line with {containing!r} in:\n{self.output}")

    def exit_code(self, timeout: float = 30.0) -> int:
        code = self.process.wait(timeout=timeout)
        self._reader.join(timeout=5)
        return code

    def stop(self) -> str:
        if self.process.poll() is None:
            self.process.terminate()
        self.exit_code()
        return self.output


@pytest.fixture
def fake() -> Iterator[FakeSocketMode]:
    with FakeSocketMode() as running:
        yield running


@pytest.fixture
def bot(fake: FakeSocketMode, tmp_path: Path) -> Iterator[Process]:
    process = Process(fake, tmp_path)
    try:
        fake.wait_connected()
        yield process
    finally:
        process.stop()


def wait_until(found: Any, what: str, timeout: float = WAIT) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = found()
        if result:
            return result
        time.sleep(0.05)
    raise AssertionError(f"{what} within {timeout} s")


def posts(fake: FakeSocketMode, channel: str, *, thread: str | None = None, containing: str = "") -> list[Call]:
    return [
        call
        for call in fake.calls_to("chat.postMessage")
        if call.params["channel"] == channel
        and call.params.get("thread_ts") == thread
        and containing in call.params.get("text", "")
    ]


def command(fake: FakeSocketMode, sender: SocketModeSender, user: str, text: str) -> str:
    """Run `/marketsafe text` over the socket; the text of the answer posted to its response URL,
    which must not be a refusal."""
    before = len(fake.calls_to("response_url"))
    acknowledged = sender.slash_command(user, text, channel_id=ACME_CHANNEL)
    assert acknowledged.content == b""  # acknowledged at once, answered later
    answer = fake.wait_for("response_url", before + 1, timeout=WAIT)[before]
    assert ":warning:" not in json.dumps(answer.params.get("blocks")), answer.params["text"]
    return str(answer.params["text"])


def complaint_values(right: str, links: str | None) -> dict[str, dict[str, dict[str, Any]]]:
    return {
        "right": {"value": static_select(right)},
        "links": {"value": text_input(links)},
        "reason": {"value": static_select("counterfeit")},
        "platform": {"value": static_select(None)},
        "note": {"value": text_input(None)},
    }


def test_a_case_runs_over_socket_mode_from_command_to_thread_and_every_envelope_is_acknowledged_once(
    fake: FakeSocketMode, bot: Process
) -> None:
    sender = SocketModeSender(fake)
    for line in PROGRAM:
        command(fake, sender, ADMIN, line)

    # The brand asks for the complaint form; the modal opens.
    sender.slash_command(BRAND, "complaint", channel_id=ACME_CHANNEL)
    (opened,) = fake.wait_for("views.open", timeout=WAIT)
    view = opened.params["view"]
    right = view["blocks"][0]["element"]["options"][0]["value"]

    # A form without links is answered in the acknowledgement itself: the error beside its field.
    refused = sender.view_submission(
        BRAND, view["callback_id"], complaint_values(right, None), private_metadata=view["private_metadata"]
    )
    assert refused.json()["response_action"] == "errors" and "links" in refused.json()["errors"]

    # Filed: the acknowledgement closes the modal, and the member is told the case id.
    filed = sender.view_submission(
        BRAND, view["callback_id"], complaint_values(right, LINKS), private_metadata=view["private_metadata"]
    )
    assert filed.content == b""
    (told,) = fake.wait_for("chat.postEphemeral", timeout=WAIT)
    assert CASE in told.params["text"] and told.params["user"] == BRAND

    # The delivery worker posts the case to the team with its buttons, and to the brand.
    team_post = wait_until(lambda: posts(fake, TEAM_CHANNEL, containing=CASE), "the case reached the team")[0]
    wait_until(lambda: posts(fake, ACME_CHANNEL, containing=CASE), "the case reached the brand")[0]
    team_ts, brand_ts = ts_of(fake, TEAM_CHANNEL, CASE), ts_of(fake, ACME_CHANNEL, CASE)

    # A team member presses "Removed": the outcome is recorded, answered and posted in both threads.
    removed = next(b for b in _buttons(team_post) if b["text"]["text"] == "Removed")
    before = len(fake.calls_to("response_url"))
    sender.block_action(TEAM, removed["action_id"], removed["value"], channel_id=TEAM_CHANNEL, message_ts=team_ts)
    answer = fake.wait_for("response_url", before + 1, timeout=WAIT)[before]
    assert f"{CASE}: items 1-2 are now removed" in answer.params["text"]
    wait_until(lambda: posts(fake, ACME_CHANNEL, thread=brand_ts, containing="removed"), "the brand saw the outcome")

    # The team writes in its case thread: the message event is relayed into the brand's thread.
    fake.set_user(TEAM, name="liwei", real_name="Li Wei")
    sender.message_event(TEAM, "Both listings are gone.", channel=TEAM_CHANNEL, thread_ts=team_ts)
    (relayed,) = wait_until(
        lambda: posts(fake, ACME_CHANNEL, thread=brand_ts, containing="Both listings are gone"), "the relay"
    )
    assert f"Li Wei (slack:{TEAM})" in relayed.params["text"]

    # Slack sends the event again (retry_attempt 1): acknowledged, and not relayed a second time.
    sent = sender.payloads[-1]
    sender.event(sent["event"], event_id=sent["event_id"], retry_num=1, retry_reason="timeout")
    fake.set_user(BRAND, name="ana", real_name="Ana Costa")
    sender.message_event(BRAND, "Thank you.", channel=ACME_CHANNEL, thread_ts=brand_ts)
    wait_until(lambda: posts(fake, TEAM_CHANNEL, thread=team_ts, containing="Thank you."), "the answer's relay")
    assert len(posts(fake, ACME_CHANNEL, thread=brand_ts, containing="Both listings are gone")) == 1

    # Every envelope was acknowledged exactly once, well inside Slack's 3 seconds.
    assert len(sender.envelope_ids) == len(PROGRAM) + 7
    for envelope_id in sender.envelope_ids:
        (ack,) = fake.acks_for(envelope_id)
        assert ack.seconds < 3 and ack.connection == 1
    output = bot.stop()
    assert "Socket Mode" in output
    assert "will be unused" not in output and "Traceback" not in output
    assert BOT_TOKEN not in output and fake.app_token not in output and SECRET not in output


def ts_of(fake: FakeSocketMode, channel: str, containing: str) -> str:
    """The ts of the one top-level message in `channel` whose text contains `containing`."""
    history = WebClient(base_url=fake.api_url, token=BOT_TOKEN).conversations_history(channel=channel)
    (found,) = [message["ts"] for message in history["messages"] if containing in message["text"]]
    return str(found)


def _buttons(call: Call) -> list[dict[str, Any]]:
    return [e for block in call.params.get("blocks") or [] if block["type"] == "actions" for e in block["elements"]]


def test_a_dropped_connection_is_replaced_by_a_new_one_and_commands_work_again(
    fake: FakeSocketMode, bot: Process
) -> None:
    sender = SocketModeSender(fake)
    assert "Created organisation acme" in command(fake, sender, ADMIN, PROGRAM[0])

    dropped_at = time.monotonic()
    fake.drop_connections()
    fake.wait_connected(opened=2, timeout=RECONNECT)
    reconnected_in = time.monotonic() - dropped_at
    assert "Added" in command(fake, sender, ADMIN, PROGRAM[1])

    fake.request_refresh()  # Slack's "disconnect" before it refreshes a connection
    fake.wait_connected(opened=3, timeout=WAIT)
    assert reconnected_in < RECONNECT
    assert "verified" in command(fake, sender, ADMIN, PROGRAM[2]).lower()

    assert len(fake.calls_to("apps.connections.open")) == 3  # each connection on a URL of its own
    assert [len(fake.acks_for(envelope_id)) for envelope_id in sender.envelope_ids] == [1, 1, 1]
    assert [fake.acks_for(envelope_id)[0].connection for envelope_id in sender.envelope_ids] == [1, 2, 3]


def test_an_answer_whose_connection_dropped_after_slack_kept_it_is_posted_once(
    fake: FakeSocketMode, bot: Process
) -> None:
    """The bot's answer to a direct message is a chat.postMessage: sent again after a dropped
    connection, it would show twice; the failure is logged instead."""
    fake.fail_with(lambda call: call.method == "chat.postMessage", dropped(after_write=True))
    sender = SocketModeSender(fake)
    sender.message_event(BRAND, "help", channel=dm_channel(BRAND))
    bot.wait_for_line("slack work failed")  # the listener gave up: any retry would have come before
    (posted,) = fake.calls_to("chat.postMessage")
    assert posted.params["channel"] == dm_channel(BRAND)
    history = WebClient(base_url=fake.api_url, token=BOT_TOKEN).conversations_history(channel=dm_channel(BRAND))
    assert len(history["messages"]) == 1
    assert len(fake.acks_for(sender.envelope_ids[0])) == 1


STARTS_REFUSED: dict[str, tuple[Callable[[FakeSocketMode], None], dict[str, str], str]] = {
    "a refused bot token": (
        lambda fake: fake.fail_next("auth.test", status=200, error="invalid_auth"), {},
        "Slack refused SLACK_BOT_TOKEN (invalid_auth)",
    ),
    "a bot token Slack did not receive": (
        lambda fake: fake.fail_next("auth.test", status=200, error="not_authed"), {},
        "Slack refused SLACK_BOT_TOKEN (not_authed)",
    ),
    "a missing scope": (
        lambda fake: setattr(fake, "scopes", tuple(s for s in MANIFEST_SCOPES if s != "files:read")), {},
        "SLACK_BOT_TOKEN lacks the scopes files:read",
    ),
    "an unknown app token": (
        lambda fake: None, {"SLACK_APP_TOKEN": "xapp-1-A0OTHER-1-notthisappstoken"},
        "Slack refused SLACK_APP_TOKEN (invalid_auth)",
    ),
    "a bot token given as the app token": (
        lambda fake: None, {"SLACK_APP_TOKEN": BOT_TOKEN}, "Slack refused SLACK_APP_TOKEN (not_allowed_token_type)",
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", list(STARTS_REFUSED))
def test_a_refused_token_or_missing_scope_stops_the_start_with_one_line_saying_what_to_fix(
    fake: FakeSocketMode, tmp_path: Path, case: str
) -> None:
    prepare, settings, expected = STARTS_REFUSED[case]
    prepare(fake)
    process = Process(fake, tmp_path, settings)
    assert process.exit_code() != 0
    output = process.output
    (explanation,) = [line for line in process.lines if "cannot start Slack" in line]
    assert expected in explanation, output
    assert "Traceback" not in output and "will be unused" not in output
    assert BOT_TOKEN not in output and fake.app_token not in output and SECRET not in output
    assert fake.connections_opened == 0


def test_a_refused_bot_token_stops_the_start_in_http_mode_too(fake: FakeSocketMode, tmp_path: Path) -> None:
    fake.fail_next("auth.test", status=200, error="invalid_auth")
    process = Process(fake, tmp_path, http_port=free_port())
    assert process.exit_code() != 0
    (explanation,) = [line for line in process.lines if "cannot start Slack" in line]
    assert "Slack refused SLACK_BOT_TOKEN (invalid_auth)" in explanation
    assert "Traceback" not in process.output


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])

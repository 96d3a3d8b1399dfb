"""`marketsafe run` with Slack settings: the real process, served over HTTP, end to end."""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bot.intake import HOLD_VARIABLE
from support.fake_slack import FakeSlack
from support.slack_process import start_slack_run
from support.slack_requests import FORM, SlackSender

TOKEN = "xoxb-1111111111-2222222222-runtestRUNTESTrunTEST"
SECRET = "run-test-signing-secret-0123456789"


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as running:
        yield running


@pytest.fixture
def bot(fake: FakeSlack, tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    base, process = start_slack_run(fake, tmp_path, token=TOKEN, secret=SECRET)
    try:
        yield base, process
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_run_serves_slash_commands_over_http_and_keeps_secrets_out_of_its_output(
    fake: FakeSlack, bot: tuple[str, subprocess.Popen[str]]
) -> None:
    base, process = bot
    sender = SlackSender(f"{base}/slack/events", SECRET, fake=fake)
    assert sender.slash_command("U0ADMIN1", 'admin org add acme "ACME Corp"').status_code == 200
    (answer,) = fake.wait_for("response_url")
    assert "Created organisation acme (ACME Corp)" in str(answer.params["text"])
    stale = sender.post(b"command=%2Fmarketsafe&text=help&user_id=U0ADMIN1", FORM, timestamp=int(time.time()) - 600)
    assert stale.status_code == 401
    assert httpx.get(f"{base}/elsewhere", timeout=5, trust_env=False).status_code == 404
    process.terminate()
    output, _ = process.communicate(timeout=10)
    assert TOKEN not in output and SECRET not in output
    assert "HTTP mode" in output and "will be unused" not in output


def test_an_oversized_or_malformed_unsigned_request_is_refused_cheaply_and_the_bot_stays_up(
    fake: FakeSlack, bot: tuple[str, subprocess.Popen[str]]
) -> None:
    base, process = bot
    events = f"{base}/slack/events"
    huge = httpx.post(
        events, content=b"x" * (8 * 1024 * 1024), headers={"X-Slack-Request-Timestamp": str(int(time.time()))},
        timeout=30, trust_env=False,
    )  # fmt: skip
    assert huge.status_code == 413
    for headers in ({"X-Slack-Request-Timestamp": "soon", "X-Slack-Signature": "v0=0"}, {}):
        malformed = httpx.post(events, content=b'{"type": ', headers=headers, timeout=5, trust_env=False)
        assert malformed.status_code == 401, malformed.text
    sender = SlackSender(events, SECRET, fake=fake)
    assert sender.slash_command("U0ADMIN1", "help").status_code == 200
    assert process.poll() is None
    process.terminate()
    output, _ = process.communicate(timeout=10)
    assert "Traceback" not in output


def test_liveness_and_readiness_answer_over_http(bot: tuple[str, subprocess.Popen[str]]) -> None:
    base, _ = bot
    assert httpx.get(f"{base}/healthz", timeout=5, trust_env=False).text == "ok"
    ready = httpx.get(f"{base}/readyz", timeout=5, trust_env=False)
    assert (ready.status_code, ready.text) == (200, "ready")


def test_a_taken_port_stops_the_start_with_one_line_naming_it(fake: FakeSlack, tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        environment = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_", "MARKETSAFE_"))}
        environment |= {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'bot.db'}", "SLACK_API_URL": fake.api_url,
            "SLACK_BOT_TOKEN": TOKEN, "SLACK_SIGNING_SECRET": SECRET, "SLACK_PORT": str(port),
            "NO_PROXY": "127.0.0.1,localhost",
        }  # fmt: skip
        ran = subprocess.run(
            [str(Path(sys.executable).with_name("marketsafe")), "run"],
            cwd=tmp_path, env=environment, capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
    assert ran.returncode == 1
    assert f"Error: cannot start Slack: cannot listen on port {port}" in ran.stderr
    assert "set SLACK_PORT to a free port" in ran.stderr and "Traceback" not in ran.stderr + ran.stdout


def test_sigterm_turns_unready_answers_the_commands_under_way_and_then_stops(fake: FakeSlack, tmp_path: Path) -> None:
    base, process = start_slack_run(fake, tmp_path, token=TOKEN, secret=SECRET, **{HOLD_VARIABLE: "2"})
    try:
        sender = SlackSender(f"{base}/slack/events", SECRET, fake=fake)
        assert sender.slash_command("U0ADMIN1", 'admin org add acme "ACME Corp"').status_code == 200
        process.send_signal(signal.SIGTERM)
        ready = httpx.get(f"{base}/readyz", timeout=5, trust_env=False)
        assert (ready.status_code, ready.text) == (503, "shutting down")
        output, _ = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == 0, output
    # Held 2 s after its acknowledgement, the command was still answered before the process ended.
    (answer,) = fake.calls_to("response_url")
    assert "Created organisation acme (ACME Corp)" in str(answer.params["text"])
    assert "stopping: every command under way was answered" in output
    with sqlite3.connect(tmp_path / "bot.db") as connection:
        statuses = connection.execute("SELECT status FROM accepted_command").fetchall()
    assert statuses == [("done",)]

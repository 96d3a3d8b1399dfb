"""`marketsafe run` killed between acknowledging commands and running them: another replica on the
same database finishes every one, and each is answered exactly once."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.intake import CAPACITY, HOLD_VARIABLE
from bot.slack.intake import BUSY
from support.fake_slack import FakeSlack
from support.slack_process import start_slack_run
from support.slack_requests import SlackSender

TOKEN = "xoxb-1111111111-2222222222-intakeINTAKEintake"
SECRET = "intake-test-signing-secret-0123456789"


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as running:
        yield running


def replica(fake: FakeSlack, directory: Path, **extra: str) -> tuple[str, subprocess.Popen[str]]:
    """A `marketsafe run` process serving Slack over HTTP on the database in `directory`."""
    return start_slack_run(fake, directory, token=TOKEN, secret=SECRET, **extra)


def waiting_rows(directory: Path) -> list[tuple[str, str | None]]:
    with sqlite3.connect(directory / "bot.db") as connection:
        return list(connection.execute("SELECT status, response_url FROM accepted_command WHERE status != 'done'"))


def test_commands_acknowledged_by_a_killed_replica_are_answered_once_by_another(
    fake: FakeSlack, tmp_path: Path
) -> None:
    base, doomed = replica(fake, tmp_path, **{HOLD_VARIABLE: "60"})  # acknowledges, then holds every command
    survivor = None
    try:
        sender = SlackSender(f"{base}/slack/events", SECRET, fake=fake)
        first = sender.slash_command("U0ADMIN1", 'admin org add acme "ACME Corp"')
        acks = [sender.slash_command("U0ADMIN1", "cases") for _ in range(CAPACITY)]
        assert first.status_code == 200 and first.text == ""
        assert all(ack.status_code == 200 for ack in acks)
        assert [ack.text for ack in acks[-1:]] == [BUSY]  # past its room: said at once, and kept
        assert all(ack.text == "" for ack in acks[:-1])

        doomed.send_signal(signal.SIGKILL)
        doomed.wait(timeout=10)
        assert fake.calls_to("response_url") == []
        assert len(waiting_rows(tmp_path)) == CAPACITY + 1

        _, survivor = replica(fake, tmp_path)
        answers = fake.wait_for("response_url", CAPACITY + 1, timeout=60)
        time.sleep(2)  # anything answered twice would have arrived by now

        answers = fake.calls_to("response_url")
        assert Counter(call.path for call in answers) == {f"/response/command-{n}": 1 for n in range(1, CAPACITY + 2)}
        (created,) = [call for call in answers if call.path == "/response/command-1"]
        assert "Created organisation acme (ACME Corp)" in str(created.params["text"])
        assert waiting_rows(tmp_path) == []
    finally:
        for process in (doomed, survivor):
            if process is not None and process.poll() is None:
                process.terminate()
                process.wait(timeout=10)

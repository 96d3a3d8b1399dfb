"""`marketsafe run` as a real process serving Slack over HTTP against the fake Slack Web API."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

from support.cluster import free_port
from support.fake_slack import FakeSlack

ADMIN = "slack:U0ADMIN1"


def start_slack_run(
    fake: FakeSlack, directory: Path, *, token: str, secret: str, **extra: str
) -> tuple[str, subprocess.Popen[str]]:
    """The process on the SQLite database in `directory` (`extra`: more settings), once it answers
    /healthz; its base URL. Only the settings given reach it, none of the caller's chat or bot ones."""
    port = free_port()
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_", "MARKETSAFE_"))}
    environment |= {
        "DATABASE_URL": f"sqlite:///{directory / 'bot.db'}",
        "SLACK_BOT_TOKEN": token,
        "SLACK_SIGNING_SECRET": secret,
        "SLACK_API_URL": fake.api_url,
        "SLACK_PORT": str(port),
        "MARKETSAFE_ADMINS": ADMIN,
        "NO_PROXY": "127.0.0.1,localhost",
        **extra,
    }
    process = subprocess.Popen(
        [str(Path(sys.executable).with_name("marketsafe")), "run"],
        cwd=directory, env=environment, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/healthz", timeout=1, trust_env=False).text == "ok":
                return base, process
        except httpx.TransportError:
            assert process.poll() is None, process.stdout.read() if process.stdout else ""
            time.sleep(0.1)
    process.kill()
    raise AssertionError("marketsafe run did not start listening")

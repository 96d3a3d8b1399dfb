"""Liveness, readiness and metrics in every mode, and `marketsafe health` for container checks."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

from bot.cli import main
from bot.health import HealthServer, WsgiApp, health_application, observed
from bot.settings import DEFAULT_HEALTH_PORT, Settings
from storage.database import Database


def get(application: WsgiApp, path: str, method: str = "GET") -> tuple[str, bytes]:
    answered: list[str] = []
    body = b"".join(
        application({"PATH_INFO": path, "REQUEST_METHOD": method}, lambda status, headers: answered.append(status))
    )
    return answered[0], body


def test_readiness_fails_while_migrations_are_pending_and_liveness_does_not(tmp_path: Path) -> None:
    fresh = Database(f"sqlite:///{tmp_path / 'fresh.db'}")
    application = health_application(fresh)
    try:
        assert get(application, "/healthz") == ("200 OK", b"ok")
        assert get(application, "/readyz") == ("503 Service Unavailable", b"migrations are pending")
        fresh.upgrade()
        assert get(application, "/readyz") == ("200 OK", b"ready")
        assert get(application, "/elsewhere")[0] == "404 Not Found"
    finally:
        fresh.dispose()


def test_readiness_fails_while_the_database_is_unreachable() -> None:
    nowhere = Database("postgresql+psycopg://postgres@127.0.0.1:1/nowhere?connect_timeout=2")
    try:
        answer = get(health_application(nowhere), "/readyz")
        assert answer == ("503 Service Unavailable", b"the database is unreachable")
    finally:
        nowhere.dispose()


def test_slack_http_mode_serves_metrics_beside_its_events_and_times_their_acknowledgement(database: Database) -> None:
    from prometheus_client import REGISTRY

    def slack(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"acked"]

    application = observed(slack, database)
    before = REGISTRY.get_sample_value("marketsafe_ack_seconds_count", {"platform": "slack"}) or 0.0
    assert get(application, "/slack/events", "POST") == ("200 OK", b"acked")
    assert REGISTRY.get_sample_value("marketsafe_ack_seconds_count", {"platform": "slack"}) == before + 1
    status, body = get(application, "/metrics")
    assert status == "200 OK" and b"marketsafe_ack_seconds_bucket" in body
    assert get(application, "/readyz") == ("200 OK", b"ready")


def test_the_health_port_is_slacks_in_http_mode_and_its_own_otherwise(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "MARKETSAFE_HEALTH_PORT"):
        monkeypatch.delenv(name, raising=False)
    http = Settings(_env_file=None, slack_bot_token="xoxb-1", slack_signing_secret="s", slack_port=3100)
    assert http.health_port == 3100
    socket_mode = Settings(_env_file=None, slack_bot_token="xoxb-1", slack_signing_secret="s", slack_app_token="xapp-1")
    assert socket_mode.health_port == DEFAULT_HEALTH_PORT
    assert Settings(_env_file=None, discord_bot_token="x", marketsafe_health_port=9200).health_port == 9200


def test_marketsafe_health_says_in_one_line_whether_the_bot_is_ready(tmp_path: Path) -> None:
    fresh = Database(f"sqlite:///{tmp_path / 'fresh.db'}")
    server = HealthServer(fresh, "127.0.0.1", 0).start()
    url = f"http://127.0.0.1:{server.port}/readyz"
    runner = CliRunner()
    try:
        pending = runner.invoke(main, ["health", "--url", url])
        assert pending.exit_code == 1
        assert pending.output == f"not ready: migrations are pending ({url})\n"
        fresh.upgrade()
        ready = runner.invoke(main, ["health", "--url", url])
        assert (ready.exit_code, ready.output) == (0, f"ready ({url})\n")
        assert httpx.get(url.replace("/readyz", "/metrics"), trust_env=False).status_code == 200
    finally:
        server.stop()
        fresh.dispose()
    gone = runner.invoke(main, ["health", "--url", url, "--timeout", "2"])
    assert gone.exit_code == 1 and gone.output.startswith("not answering: ")

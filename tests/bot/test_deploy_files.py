"""The deployment files: HAProxy accepts its configuration, and compose runs PostgreSQL, bot
replicas in Slack HTTP mode checked with `marketsafe health`, and the proxy."""

from __future__ import annotations

import subprocess
from pathlib import Path

import yaml

from support.cluster import haproxy_config

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def test_haproxy_accepts_the_deployed_configuration_as_the_tests_run_it(tmp_path: Path) -> None:
    config = tmp_path / "haproxy.cfg"
    config.write_text(haproxy_config(18080, 18404, [13001, 13002, 13003]))
    checked = subprocess.run(["haproxy", "-c", "-f", str(config)], capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    text = (DEPLOY / "haproxy.cfg").read_text()
    assert "option httpchk GET /readyz" in text and "deny deny_status 404 unless { path /slack/events }" in text


def test_compose_runs_postgresql_replicated_bots_and_the_proxy() -> None:
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    services = compose["services"]
    assert set(services) == {"db", "bot", "proxy"}
    bot = services["bot"]
    assert bot["deploy"]["replicas"] >= 2
    assert bot["environment"]["DATABASE_URL"].startswith("postgresql+psycopg://")
    assert "SLACK_APP_TOKEN" not in bot["environment"]  # HTTP mode, behind the proxy
    assert bot["healthcheck"]["test"] == ["CMD", "marketsafe", "health"]
    assert "./haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro" in services["proxy"]["volumes"]
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    assert "HEALTHCHECK" in dockerfile and "USER marketsafe" in dockerfile and 'CMD ["marketsafe", "run"]' in dockerfile

"""The deployment files: HAProxy accepts its configuration, and compose runs PostgreSQL, bot
replicas in Slack HTTP mode checked with `marketsafe health`, and the proxy."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
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


def test_the_wheel_the_image_installs_carries_every_catalog(tmp_path: Path) -> None:
    """The Dockerfile installs a wheel built from these directories: the replies in Chinese need
    the catalogs inside it, where `handlers.kit.i18n.LOCALES_DIR` finds them once installed."""
    root = DEPLOY.parent
    source = tmp_path / "src"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(root / name, source / name)
    for name in ("bot", "handlers", "storage", "schedules", "locales"):
        shutil.copytree(root / name, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(tmp_path / "wheels"), str(source)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr[-2000:]
    (wheel,) = (tmp_path / "wheels").glob("marketsafe-*.whl")
    inside = set(zipfile.ZipFile(wheel).namelist())
    catalogs = {str(po.relative_to(root)) for po in (root / "locales").glob("*/LC_MESSAGES/*.po")}
    assert catalogs and catalogs <= inside, sorted(catalogs - inside)
    # Installed as the image installs it (its dependencies are this environment's), the catalogs
    # compile where the bot reads them, and it answers in Chinese.
    target = tmp_path / "site-packages"
    installed = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target), str(wheel)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert installed.returncode == 0, installed.stderr[-2000:]
    environment = {**os.environ, "PYTHONPATH": str(target), "DATABASE_URL": f"sqlite:///{tmp_path / 'bot.db'}"}
    environment |= {"MARKETSAFE_LANGUAGE": "zh", "SLACK_BOT_TOKEN": "", "DISCORD_BOT_TOKEN": ""}
    for command in (["-m", "bot.catalogs", "compile"], ["-c", "from bot.cli import main; main()", "console"]):
        ran = subprocess.run(
            [sys.executable, *command], input="help\n", capture_output=True, text=True, env=environment,
            cwd=tmp_path, check=False, timeout=120,
        )  # fmt: skip
        assert ran.returncode == 0, ran.stderr[-2000:]
    assert list((target / "locales" / "zh_Hans" / "LC_MESSAGES").glob("*.mo"))
    assert "命令" in ran.stdout, ran.stdout[:500]

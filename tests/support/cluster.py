"""A load-balanced deployment on one machine: HAProxy (deploy/haproxy.cfg, its binds and servers
replaced by loopback ports) in front of several `marketsafe run` replicas in Slack HTTP mode on
one PostgreSQL schema, against a fake Slack. For the scale-out test and its benchmark."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

HAPROXY_CFG = Path(__file__).resolve().parents[2] / "deploy" / "haproxy.cfg"
TOKEN = "xoxb-3333333333-4444444444-scaleSCALEscaleSC"
SECRET = "scale-out-signing-secret-0123456789"
# The delivery worker's claim on a notice it is posting lasts 2 minutes in production; a replica
# killed mid-post leaves its claim behind until then. The replicas here shorten it so that such
# a notice's takeover fits in the test's time box.
REPLICA = (
    "import datetime, bot.delivery as delivery; delivery.CLAIM_LEASE = datetime.timedelta(seconds=5); "
    "from bot.cli import main; main(['run'])"
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def haproxy_config(listen: int, stats: int, replicas: list[int]) -> str:
    """deploy/haproxy.cfg for loopback: plain HTTP on `listen`, the replicas as fixed servers, and
    each answer naming the replica that gave it (X-Replica)."""
    text = HAPROXY_CFG.read_text(encoding="utf-8")
    servers = "\n".join(f"    server bot{n} 127.0.0.1:{port} check" for n, port in enumerate(replicas, 1))
    replaced = [
        (r"(?m)^resolvers docker\n(    .*\n)+", ""),
        (r"(?m)^    bind :80$", f"    bind 127.0.0.1:{listen}"),
        (r"(?m)^    bind :443 ssl .*\n", ""),
        (r"(?m)^    http-request redirect scheme https .*\n", ""),
        (r"(?m)^    server-template .*$", servers + "\n    http-response set-header X-Replica %s"),
        (r"(?m)^    bind :8404$", f"    bind 127.0.0.1:{stats}"),
        (r"(?m)^    log stdout .*\n", ""),
    ]
    for pattern, replacement in replaced:
        text, count = re.subn(pattern, replacement, text)
        assert count == 1, f"deploy/haproxy.cfg no longer has {pattern!r}"
    return text


@dataclass
class Replica:
    name: str
    port: int
    process: subprocess.Popen[str]
    log: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def metric(self, line_start: str) -> float | None:
        try:
            text = httpx.get(f"{self.base}/metrics", timeout=2, trust_env=False).text
        except httpx.TransportError:
            return None
        for line in text.splitlines():
            if line.startswith(line_start):
                return float(line.rsplit(" ", 1)[1])
        return None

    def leads(self) -> bool:
        return self.metric('marketsafe_leader{role="scheduler"}') == 1.0

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)


@dataclass
class Cluster:
    database_url: str
    api_url: str
    environment: dict[str, str]
    directory: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="marketsafe-cluster-")))
    replicas: list[Replica] = field(default_factory=list)
    proxy: subprocess.Popen[str] | None = None
    proxy_port: int = 0

    def start(self, count: int, *, proxy: bool = True) -> None:
        self.add(count)
        if proxy:
            self.route()

    def add(self, count: int) -> list[Replica]:
        """`count` more replicas, once each is ready."""
        added = [self._replica(f"bot{len(self.replicas) + n}") for n in range(1, count + 1)]
        self.replicas += added
        for replica in added:
            wait_ready(replica)
        return added

    def route(self, ports: list[int] | None = None) -> None:
        """HAProxy (started afresh) in front of `ports`: by default every replica's."""
        self._stop_proxy()
        self.proxy_port = free_port()
        config = self.directory / "haproxy.cfg"
        chosen = [r.port for r in self.replicas] if ports is None else ports
        config.write_text(haproxy_config(self.proxy_port, free_port(), chosen))
        self.proxy = subprocess.Popen(
            ["haproxy", "-f", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True
        )
        wait_listening(self.proxy_port)

    def _stop_proxy(self) -> None:
        if self.proxy is not None:
            self.proxy.terminate()
            self.proxy.wait(timeout=10)
            self.proxy = None

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.proxy_port}/slack/events"

    def _replica(self, name: str) -> Replica:
        port = free_port()
        log = self.directory / f"{name}.log"
        environment = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_", "MARKETSAFE_"))}
        environment |= self.environment | {
            "DATABASE_URL": self.database_url,
            "SLACK_BOT_TOKEN": TOKEN,
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": self.api_url,
            "SLACK_PORT": str(port),
            "NO_PROXY": "127.0.0.1,localhost",
            "PYTHONPATH": str(HAPROXY_CFG.parents[1]),
        }
        with log.open("w") as output:
            process = subprocess.Popen(
                [sys.executable, "-c", REPLICA], cwd=self.directory, env=environment,
                stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT, text=True,
            )  # fmt: skip
        return Replica(name, port, process, log)

    def stop(self) -> None:
        self._stop_proxy()
        for replica in self.replicas:
            if replica.process.poll() is None:
                replica.process.terminate()
        for replica in self.replicas:
            try:
                replica.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                replica.kill()


def wait_ready(replica: Replica, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert replica.process.poll() is None, replica.log.read_text()
        try:
            if httpx.get(f"{replica.base}/readyz", timeout=1, trust_env=False).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"{replica.name} did not become ready:\n{replica.log.read_text()}")


def wait_listening(port: int, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise AssertionError(f"nothing listens on {port}")

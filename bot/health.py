"""Liveness, readiness and metrics over HTTP, in every mode.

Slack's HTTP mode serves them on its own port beside /slack/events (`observed`); every other
mode (Socket Mode, Discord only, a process that only schedules) serves them on a small server of
its own (`serve_health`, on MARKETSAFE_HEALTH_PORT). `marketsafe health` asks that server.
"""

from __future__ import annotations

import logging
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, generate_latest

from bot import metrics
from bot.shutdown import readiness_asked, shutting_down
from storage.database import Database

log = logging.getLogger(__name__)
HEALTH_PATH, READY_PATH, METRICS_PATH = "/healthz", "/readyz", "/metrics"
SLACK_EVENTS_PATH = "/slack/events"

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def health_application(database: Database | None, fallback: WsgiApp | None = None) -> WsgiApp:
    """/healthz answers `ok` while the process serves; /readyz `ready`, or 503 with the reason
    while the database is unreachable or migrations are pending, or the process is stopping; /metrics Prometheus' text
    format. Anything else goes to `fallback` (404 without one)."""

    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO")
        if path == HEALTH_PATH:
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [b"ok"]
        if path == READY_PATH:
            readiness_asked()
            why = "shutting down" if shutting_down() else database.unready() if database is not None else None
            start_response("503 Service Unavailable" if why else "200 OK", [("Content-Type", "text/plain")])
            return [(why or "ready").encode()]
        if path == METRICS_PATH:
            start_response("200 OK", [("Content-Type", CONTENT_TYPE_LATEST)])
            return [generate_latest(REGISTRY)]
        if fallback is not None:
            return fallback(environ, start_response)
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]

    return application


def observed(slack: WsgiApp, database: Database | None) -> WsgiApp:
    """Slack's HTTP application with the health endpoints and /metrics beside it, and each
    request to /slack/events timed until it is acknowledged (its status line is sent)."""
    served = health_application(database, fallback=slack)

    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO") != SLACK_EVENTS_PATH or environ.get("REQUEST_METHOD") != "POST":
            return served(environ, start_response)
        started = time.perf_counter()

        def timed(status: str, headers: list[tuple[str, str]], *rest: Any) -> Any:
            if status.startswith("200"):
                metrics.acknowledged("slack", time.perf_counter() - started)
            return start_response(status, headers, *rest)

        return served(environ, timed)

    return application


class HealthServer:
    """The health endpoints and /metrics on a port of their own, served from a daemon thread."""

    def __init__(self, database: Database | None, host: str, port: int) -> None:
        from waitress.server import create_server

        self.server = create_server(health_application(database), host=host, port=port, threads=2)
        self.port = int(getattr(self.server, "effective_port", port))
        self.thread = threading.Thread(target=self.server.run, name="health", daemon=True)

    def start(self) -> HealthServer:
        log.info("health and metrics on port %s (%s, %s, %s)", self.port, HEALTH_PATH, READY_PATH, METRICS_PATH)
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.close()


def serve_health(database: Database | None, port: int, host: str = "0.0.0.0") -> HealthServer:  # noqa: S104
    return HealthServer(database, host, port).start()


def check(url: str, timeout: float = 5.0) -> tuple[bool, str]:
    """Ask a readiness endpoint: (ready, one line saying so or why not)."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never through a proxy
    try:
        with opener.open(url, timeout=timeout) as answer:
            return True, f"{answer.read(200).decode(errors='replace').strip()} ({url})"
    except urllib.error.HTTPError as refused:
        return False, f"not ready: {refused.read(200).decode(errors='replace').strip() or refused.code} ({url})"
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        return False, f"not answering: {reason} ({url})"

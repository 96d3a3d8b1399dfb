"""The Slack app: bolt with our listeners, served over HTTP (waitress) or Socket Mode, plus the
delivery worker that posts the outbox to Slack."""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from bot.delivery import DeliveryWorker, deliver_forever
from bot.router import Router
from bot.settings import Settings
from bot.slack import actions, commands, events, views
from bot.slack.bridge import SlackBridge
from bot.slack.gate import MAX_BODY, WsgiApp, gated
from bot.slack.intake import SlackIntake
from bot.slack.poster import SlackPoster
from storage.database import Database

log = logging.getLogger(__name__)
EVENTS_PATH = "/slack/events"
HEALTH_PATH, READY_PATH = "/healthz", "/readyz"
SWITCH_INTERVAL = 0.001


def web_client(settings: Settings, *, retries: bool) -> WebClient:
    """A client for `SLACK_API_URL`. Listeners' calls are retried after a dropped connection and wait
    out rate limits; without `retries` (the poster's) a call is made once: a post whose answer was
    lost may have been kept, so only the delivery worker, which looks it up first, tries again."""
    assert settings.slack_bot_token is not None
    client = WebClient(
        token=settings.slack_bot_token.get_secret_value(),
        base_url=settings.slack_api_url,
        timeout=10,
        retry_handlers=None if retries else [],
    )
    if retries:
        client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=2))
    return client


def build_app(settings: Settings, router: Router) -> tuple[App, SlackIntake]:
    """Bolt with every listener; commands go through the intake, which the caller starts."""
    assert settings.slack_signing_secret is not None
    # Every listener only writes its command down (the intake runs it later), so bolt can answer Slack
    # as soon as the listener returns instead of polling for its acknowledgement every 10 ms.
    app = App(
        signing_secret=settings.slack_signing_secret.get_secret_value(),
        client=web_client(settings, retries=True),
        process_before_response=True,
    )
    assert settings.slack_bot_token is not None
    bridge = SlackBridge(router, token=settings.slack_bot_token.get_secret_value(), api_url=settings.slack_api_url)
    intake = SlackIntake(bridge, web_client(settings, retries=True), router.database, clock=router.clock)
    for listeners in (commands, actions, views, events):
        listeners.register(app, intake)
    return app, intake


def wsgi_application(app: App, signing_secret: str, database: Database | None = None) -> WsgiApp:
    """Bolt at /slack/events behind the size and signature gate; liveness at /healthz (the process
    answers), readiness at /readyz (the database answers and is migrated); 404 elsewhere."""
    bolt = gated(SlackRequestHandler(app, path=EVENTS_PATH), signing_secret)

    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO")
        if path == HEALTH_PATH:
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [b"ok"]
        if path == READY_PATH:
            why = database.unready() if database is not None else None
            start_response("503 Service Unavailable" if why else "200 OK", [("Content-Type", "text/plain")])
            return [(why or "ready").encode()]
        return bolt(environ, start_response)

    return application


class SlackService:
    """Everything Slack needs in one process: the app, its server, and its delivery worker."""

    def __init__(self, settings: Settings, router: Router, database: Database) -> None:
        self.settings = settings
        self.database = database
        self.app, self.intake = build_app(settings, router)
        self.worker = DeliveryWorker(
            database,
            SlackPoster(web_client(settings, retries=False)),
            channel_defaults=settings.channel_defaults("slack"),
        )
        self.stopping = threading.Event()

    def start_delivery(self) -> threading.Thread:
        self.worker.start()
        thread = threading.Thread(target=self._deliver_forever, name="slack-delivery", daemon=True)
        thread.start()
        return thread

    def start_intake(self) -> threading.Thread:
        """Renew this process's hold on the commands it accepted, and finish those of processes that died."""
        return self.intake.intake.start()

    def _deliver_forever(self) -> None:
        deliver_forever(self.worker, self.stopping)

    def serve(self) -> None:
        """Block serving Slack: Socket Mode with an app token, else HTTP on SLACK_PORT."""
        if self.settings.slack_app_token is not None:
            from slack_bolt.adapter.socket_mode import SocketModeHandler

            log.info("Slack: Socket Mode")
            SocketModeHandler(self.app, self.settings.slack_app_token.get_secret_value()).start()
            return
        self.serve_http("0.0.0.0", self.settings.slack_port)  # noqa: S104

    def serve_http(self, host: str, port: int) -> None:
        from waitress import serve

        log.info("Slack: HTTP mode on %s:%s at %s", host, port, EVENTS_PATH)
        # Acknowledgements are short; letting threads switch more often keeps them from waiting
        # behind a command's work, which runs after its acknowledgement.
        sys.setswitchinterval(SWITCH_INTERVAL)
        assert self.settings.slack_signing_secret is not None
        secret = self.settings.slack_signing_secret.get_secret_value()
        application = wsgi_application(self.app, secret, self.database)
        # waitress refuses a declared body over the limit before reading it, whatever the application.
        serve(application, host=host, port=port, threads=16, backlog=1024, max_request_body_size=MAX_BODY, _quiet=True)

    def stop(self) -> None:
        self.stopping.set()
        self.intake.intake.stop()

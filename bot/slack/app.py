"""The Slack app: bolt with our listeners, served over HTTP (waitress) or Socket Mode, plus the
delivery worker that posts the outbox to Slack."""

from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from bot.delivery import DeliveryWorker, deliver_forever
from bot.health import health_application, observed
from bot.router import Router
from bot.settings import Settings
from bot.slack import actions, commands, events, shortcuts, views
from bot.slack.bridge import SlackBridge
from bot.slack.gate import MAX_BODY, WsgiApp, gated
from bot.slack.intake import SlackIntake
from bot.slack.poster import SlackPoster
from bot.slack.retries import IdempotentConnectionRetryHandler
from bot.slack.startup import SlackStartError, check_bot_token, open_socket_url
from storage.database import Database

if TYPE_CHECKING:
    from slack_bolt.adapter.socket_mode import SocketModeHandler

log = logging.getLogger(__name__)
EVENTS_PATH = "/slack/events"
SWITCH_INTERVAL = 0.001
# Seconds between Socket Mode pings. slack_sdk's built-in client notices a connection that dropped
# without a closing handshake only when five pings in a row fail or none is answered for four
# intervals: about 12 s at 2 s, where bolt's default of 10 s leaves the bot deaf for a minute.
SOCKET_PING_INTERVAL = 2.0


def web_client(settings: Settings, *, retries: bool) -> WebClient:
    """A client for `SLACK_API_URL`. Listeners' calls wait out rate limits, and after a dropped
    connection only reads and repeatable writes are sent again (`bot.slack.retries`): an answer
    posted once is never posted twice. Without `retries` (the poster's) a call is made once: a post
    whose answer was lost may have been kept, so only the delivery worker, which looks it up
    first, tries again."""
    assert settings.slack_bot_token is not None
    return WebClient(
        token=settings.slack_bot_token.get_secret_value(),
        base_url=settings.slack_api_url,
        timeout=10,
        retry_handlers=[IdempotentConnectionRetryHandler(), RateLimitErrorRetryHandler(max_retry_count=2)]
        if retries
        else [],
    )


def build_app(settings: Settings, router: Router) -> tuple[App, SlackIntake]:
    """Bolt with every listener, once Slack has accepted the bot token and its scopes
    (`SlackStartError` otherwise); commands go through the intake, which the caller starts."""
    assert settings.slack_signing_secret is not None and settings.slack_bot_token is not None
    client = web_client(settings, retries=True)
    check_bot_token(client, settings.slack_api_url)
    # Every listener only writes its command down (the intake runs it later), so bolt can answer Slack
    # as soon as the listener returns instead of polling for its acknowledgement every 10 ms.
    with _without_environment("SLACK_BOT_TOKEN"):
        app = App(
            signing_secret=settings.slack_signing_secret.get_secret_value(),
            client=client,
            process_before_response=True,
        )
    bridge = SlackBridge(router, token=settings.slack_bot_token.get_secret_value(), api_url=settings.slack_api_url)
    intake = SlackIntake(bridge, web_client(settings, retries=True), router.database, clock=router.clock)
    for listeners in (commands, actions, views, events, shortcuts):
        listeners.register(app, intake)
    return app, intake


@contextmanager
def _without_environment(name: str) -> Iterator[None]:
    """bolt takes `SLACK_BOT_TOKEN` from the environment even when it is given a client, and then
    warns at every start that the token goes unused: the client, built from our settings, is the
    only place the token belongs, so bolt does not see the variable while it is built."""
    hidden = os.environ.pop(name, None)
    try:
        yield
    finally:
        if hidden is not None:
            os.environ[name] = hidden


def wsgi_application(app: App, signing_secret: str, database: Database | None = None) -> WsgiApp:
    """Bolt at /slack/events behind the size and signature gate; beside it liveness at /healthz
    (the process answers), readiness at /readyz (the database answers and is migrated) and
    /metrics (`bot.health`)."""
    return health_application(database, fallback=gated(SlackRequestHandler(app, path=EVENTS_PATH), signing_secret))


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
        self._server: Any = None  # waitress's server, once `listen` took the port
        self.socket_mode = self._connect_socket_mode() if settings.slack_app_token is not None else None

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
        if self.socket_mode is not None:
            log.info("Slack: Socket Mode")
            self.stopping.wait()
            return
        if self._server is None:
            self.listen("0.0.0.0", self.settings.slack_port)  # noqa: S104
        assert self._server is not None
        # Acknowledgements are short; letting threads switch more often keeps them from waiting
        # behind a command's work, which runs after its acknowledgement.
        sys.setswitchinterval(SWITCH_INTERVAL)
        self._server.run()

    def _connect_socket_mode(self) -> SocketModeHandler:
        """Socket Mode's first connection, opened while the bot starts, so that a refused app token
        stops it there (`SlackStartError`); the handler reconnects by itself after that."""
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        assert self.settings.slack_app_token is not None
        token = self.settings.slack_app_token.get_secret_value()
        url = open_socket_url(self.app.client, token, self.settings.slack_api_url)
        handler = SocketModeHandler(self.app, token, ping_interval=SOCKET_PING_INTERVAL)
        handler.client.wss_uri = url
        handler.connect()
        return handler

    def serve_http(self, host: str, port: int) -> None:
        self.listen(host, port)
        self.serve()

    def listen(self, host: str, port: int) -> None:
        """Take the HTTP port now (`serve` then serves it), or stop with `SlackStartError` naming it."""
        from waitress.server import create_server

        assert self.settings.slack_signing_secret is not None
        secret = self.settings.slack_signing_secret.get_secret_value()
        application = observed(wsgi_application(self.app, secret, self.database), self.database)
        try:
            # waitress refuses a declared body over the limit before reading it, whatever the application.
            self._server = create_server(
                application, host=host, port=port, threads=16, backlog=1024, max_request_body_size=MAX_BODY
            )
        except OSError as error:
            raise SlackStartError(
                f"cannot listen on port {port} ({error.strerror or error}); set SLACK_PORT to a free port"
            ) from None
        log.info("Slack: HTTP mode on %s:%s at %s", host, port, EVENTS_PATH)

    def stop(self) -> None:
        self.stopping.set()
        if self.socket_mode is not None:
            self.socket_mode.close()
        self.intake.intake.stop()

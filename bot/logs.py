"""Logging set-up that keeps secrets out of every log line."""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from secrets import token_hex
from typing import TextIO

# Slack tokens (bot, user, app, config) and Discord bot tokens, should one reach a message.
# Also per-request secrets: Slack's response URLs (anyone holding one can answer as the bot, for 30
# minutes) and Discord's interaction and webhook tokens (the path part after the id). Response URLs
# also come from GovSlack (hooks.slack-gov.com) and URL-encoded, as they sit in a form-encoded payload.
TOKEN_PATTERNS = re.compile(
    r"xox[abposr]-[A-Za-z0-9-]{10,}|xapp-[A-Za-z0-9-]{10,}|[MNO][A-Za-z\d_-]{23,27}\.[\w-]{6}\.[\w-]{27,}"
    r"|(?i:https?(?:://|%3A%2F%2F)hooks\.slack(?:-gov)?\.com(?:/|%2F)\S+)"
    r"|(?<=/interactions/)\d+/[\w-]{20,}"
    r"|(?<=/webhooks/)\d+/[\w-]{20,}"
    r"|(?<=\btoken[=:] )[\w.-]{20,}|(?<=\btoken=)[\w.-]{20,}|(?<=['\"]token['\"]: ['\"])[\w.-]{20,}"
)


CHATTY_LIBRARIES = ("alembic", "apscheduler")
# Loggers whose warnings come in bursts under load ("Task queue depth is 9" once per queued request):
# one line per interval, saying how many were held back, keeps the log readable and its cost flat.
BURSTY_LOGGERS = ("waitress.queue",)
BURST_INTERVAL = 10.0


class OncePerInterval(logging.Filter):
    """Lets one record through per `interval` seconds; the next one says how many were held back."""

    def __init__(self, interval: float = BURST_INTERVAL, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self.interval = interval
        self.clock = clock
        self._next = 0.0
        self._held = 0
        self._lock = threading.Lock()

    def filter(self, record: logging.LogRecord) -> bool:
        with self._lock:
            now = self.clock()
            if now < self._next:
                self._held += 1
                return False
            held, self._held, self._next = self._held, 0, now + self.interval
        if held:
            record.msg = f"{record.getMessage()} ({held} more like it in the last {self.interval:.0f} s not shown)"
            record.args = None
        return True


class RedactSecrets(logging.Filter):
    """Replaces configured secrets and anything shaped like a chat token with [redacted]."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self.secrets = sorted({s for s in secrets if len(s) >= 6}, key=len, reverse=True)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = TOKEN_PATTERNS.sub("[redacted]", message)
        for secret in self.secrets:
            cleaned = cleaned.replace(secret, "[redacted]")
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and record.exc_text is None:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            text = TOKEN_PATTERNS.sub("[redacted]", record.exc_text)
            for secret in self.secrets:
                text = text.replace(secret, "[redacted]")
            record.exc_text = text
        return True


# The reference of the request being handled in this thread or task: every log line written while
# it runs carries it, and a user told of a failure is given it.
REFERENCE: ContextVar[str | None] = ContextVar("marketsafe_reference", default=None)


@contextmanager
def request_reference() -> Iterator[str]:
    """A fresh reference for the request run inside; the enclosing one when already inside one."""
    current = REFERENCE.get()
    if current is not None:
        yield current
        return
    token = REFERENCE.set(token_hex(4))
    try:
        yield REFERENCE.get() or ""
    finally:
        REFERENCE.reset(token)


class WithReference(logging.Filter):
    """Adds the current request's reference to the record (None outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.reference = REFERENCE.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, the request's
    reference when there is one, and the traceback of an exception."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        reference = getattr(record, "reference", None)
        if reference:
            line["reference"] = reference
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            line["exception"] = record.exc_text
        return json.dumps(line, ensure_ascii=False)


TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure_logging(
    level: str, secrets: Iterable[str], stream: TextIO | None = None, log_format: str = "text"
) -> None:
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter() if log_format == "json" else logging.Formatter(TEXT_FORMAT))
    handler.addFilter(RedactSecrets(secrets))
    handler.addFilter(WithReference())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # Libraries' chatter (migrations on every start, the scheduler's "Added job", "Running job") is noise
    # at INFO and would overwrite what a console user types; their warnings still show, and DEBUG shows all.
    for library in CHATTY_LIBRARIES:
        logging.getLogger(library).setLevel(logging.DEBUG if root.level <= logging.DEBUG else logging.WARNING)
    for bursty in BURSTY_LOGGERS:
        library_logger = logging.getLogger(bursty)
        library_logger.filters[:] = [f for f in library_logger.filters if not isinstance(f, OncePerInterval)]
        library_logger.addFilter(OncePerInterval())

"""Logging set-up that keeps secrets out of every log line."""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable, Iterable
from typing import TextIO

# Slack tokens (bot, user, app, config) and Discord bot tokens, should one reach a message.
# Also per-request secrets: Slack's response URLs (anyone holding one can answer as the bot, for 30
# minutes) and Discord's interaction and webhook tokens (the path part after the id).
TOKEN_PATTERNS = re.compile(
    r"xox[abposr]-[A-Za-z0-9-]{10,}|xapp-[A-Za-z0-9-]{10,}|[MNO][A-Za-z\d_-]{23,27}\.[\w-]{6}\.[\w-]{27,}"
    r"|https?://hooks\.slack\.com/\S+"
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


def configure_logging(level: str, secrets: Iterable[str], stream: TextIO | None = None) -> None:
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactSecrets(secrets))
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

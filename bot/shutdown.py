"""A gentle stop on SIGTERM (what `docker stop` and a rolling restart send).

The process first says it is going (`/readyz` answers 503 `shutting down`, so the proxy sends the
next requests to the other replicas), keeps serving while the commands it holds are answered and
recorded, then stops: the scheduler's and the gateway's locks are released at once, so a standby
takes them over without waiting for a lease to run out. Within `GRACE` seconds, below Docker's
default of 10 s before it kills; a command still running then is finished by another replica once
its lease runs out, as after a crash. A second SIGTERM stops at once.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
from collections.abc import Callable
from types import FrameType

log = logging.getLogger(__name__)
GRACE = 8.0
# Unready at least this long before stopping, so that the proxy's health checks (every second, out
# after two failures: deploy/haproxy.cfg) have taken the process out; only when something checks
# readiness (it asked within WATCHED_WITHIN seconds), else there is no proxy to wait for.
UNREADY_FIRST = 2.5
WATCHED_WITHIN = 5.0
POLL = 0.05

_stopping = threading.Event()
_readiness_asked_at = [float("-inf")]


def shutting_down() -> bool:
    return _stopping.is_set()


def readiness_asked() -> None:
    """A health check asked whether the process is ready (`bot.health`)."""
    _readiness_asked_at[0] = time.monotonic()


def stop_gently_on_sigterm(
    busy: Callable[[], int], *, grace: float = GRACE, unready_first: float = UNREADY_FIRST
) -> None:
    """From now on SIGTERM stops the process gently: the main thread gets KeyboardInterrupt once
    `busy()` (commands held) is 0, after `unready_first` seconds when a proxy checks readiness,
    or after `grace` seconds."""

    def on_sigterm(_signal: int, _frame: FrameType | None) -> None:
        if _stopping.is_set():
            raise KeyboardInterrupt  # asked twice: at once
        _stopping.set()
        log.info("SIGTERM: unready now; stopping once the commands under way are answered (%.0f s at most)", grace)
        threading.Thread(target=_stop_when_idle, args=(busy, grace, unready_first), name="stop", daemon=True).start()

    signal.signal(signal.SIGTERM, on_sigterm)


def _stop_when_idle(busy: Callable[[], int], grace: float, unready_first: float) -> None:
    started = time.monotonic()
    if started - _readiness_asked_at[0] < WATCHED_WITHIN:
        time.sleep(unready_first)
    while (held := busy()) and time.monotonic() - started < grace:
        time.sleep(POLL)
    if held:
        log.warning("stopping with %s commands under way: another replica finishes them when their lease ends", held)
    else:
        log.info("stopping: every command under way was answered")
    # A real signal, which wakes the main thread from any wait (SIGINT raises KeyboardInterrupt there).
    os.kill(os.getpid(), signal.SIGINT)

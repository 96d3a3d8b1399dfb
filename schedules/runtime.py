"""What a job needs when it runs: the database, the program rules (with the admins named in the
settings, who are admins without a record saying so, as the router reads them), and the clock.

APScheduler stores jobs by reference with plain arguments (the job id), so the running process
hands its resources over here when its scheduler starts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from handlers.kit.context import ProgramRules
from storage.database import Database


@dataclass(frozen=True, slots=True)
class Runtime:
    database: Database
    rules: ProgramRules
    clock: Callable[[], datetime]


_current: Runtime | None = None


def install(runtime: Runtime) -> None:
    global _current  # noqa: PLW0603  (one scheduler per process)
    _current = runtime


def current() -> Runtime:
    if _current is None:
        raise RuntimeError("the scheduler's runtime is not installed")
    return _current

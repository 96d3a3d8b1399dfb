"""The check of IP rights running out (`handlers.admin.right_expiry`): a sweep that runs every
hour and speaks from 08:00 program time. It reads the rights' current state and each notice is
written once (keyed by right, threshold and expiry date), so a run lost with a leader is simply
done by the next one, and running it twice posts nothing twice."""

from __future__ import annotations

from datetime import time, timedelta

from sqlmodel import Session

from handlers.admin.right_expiry import right_expiry_notices
from handlers.kit.replies import Notice
from schedules.runtime import Runtime

EXPIRY_FROM = time(8, 0)  # the warnings of a day go out from this time, program time
EXPIRY_EVERY = timedelta(hours=1)
EXPIRY_GRACE = timedelta(days=1)


def expiry_notices(session: Session, runtime: Runtime) -> list[Notice]:
    local = runtime.clock().astimezone(runtime.rules.timezone)
    if local.time() < EXPIRY_FROM:
        return []
    return right_expiry_notices(session, local.date())

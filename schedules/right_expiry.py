"""The daily check of IP rights running out (`handlers.admin.right_expiry`): one occurrence a day
at 08:00 program time, its notices written once each whatever how often it runs."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlmodel import Session

from handlers.admin.right_expiry import right_expiry_notices
from handlers.kit.local_time import job_stamp, next_weekly
from handlers.kit.replies import Notice
from schedules.runtime import Runtime

if TYPE_CHECKING:
    from schedules.plan import PlannedJob

EXPIRY = "expiry"
EXPIRY_TIME = time(8, 0)
EXPIRY_GRACE = timedelta(days=1)


def expiry_check(now: datetime, zone: ZoneInfo) -> PlannedJob:
    """The next daily occurrence of the check."""
    from schedules.plan import PlannedJob  # the plan lists this job: imported when it asks

    run_at = next_weekly(now, None, EXPIRY_TIME, zone)
    return PlannedJob(f"{EXPIRY}:{job_stamp(run_at)}", run_at, EXPIRY_GRACE)


def expiry_notices(session: Session, runtime: Runtime) -> list[Notice]:
    return right_expiry_notices(session, runtime.clock().astimezone(runtime.rules.timezone).date())

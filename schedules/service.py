"""The scheduler service: leadership, APScheduler with its jobs in the bot's database, and the
reconciliation of those jobs with the program's tables.

Design, against APScheduler 3's traps:
- Two schedulers on one job store run jobs twice, so only the leader (see `leader.py`) runs one.
- A scheduler does not see jobs another process writes, so no other process writes jobs: the
  handlers write milestones and reminders, and the leader reconciles every few seconds.
- Re-adding a job at start resets its time and loses missed runs, so a job is only ever added
  when it is absent.
- Missed runs within their grace run once at start (coalesced); later ones are reported to the
  team, never dropped silently.
- The job store's I/O runs on the scheduler's own thread, never in an event loop.
- The job store holds plain JSON documents, never pickles (see `job_store.py`).
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from apscheduler.events import (
    EVENT_JOB_ERROR,
    EVENT_JOB_EXECUTED,
    EVENT_JOB_MISSED,
    EVENT_JOB_SUBMITTED,
    JobEvent,
    JobExecutionEvent,
)
from apscheduler.jobstores.base import ConflictingIdError, JobLookupError
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlmodel import Session

from handlers.kit.context import ProgramRules
from handlers.kit.local_time import local_time
from handlers.kit.outbox import save_notices
from handlers.kit.replies import Notice
from schedules.job_store import DocumentJobStore
from schedules.jobs import AGENDA, DIGEST, FOLLOW_UP_SWEEP, MILESTONE, REMINDER, fire, retire_one_off
from schedules.leader import LeaderLock
from schedules.plan import FOLLOW_UP_GRACE, planned_jobs
from schedules.right_expiry import EXPIRY
from schedules.runtime import Runtime, install
from storage.database import Database
from storage.models import Milestone, Reminder, utcnow
from storage.vocabulary import Channel, NoticeKind

log = logging.getLogger(__name__)
MANAGED = (f"{MILESTONE}:", f"{REMINDER}:", f"{DIGEST}:", f"{AGENDA}:")
SWEEP_EVERY = timedelta(minutes=5)


class SchedulerService:
    def __init__(
        self,
        database: Database,
        rules: ProgramRules,
        *,
        clock: Callable[[], datetime] = utcnow,
        scheduler: BaseScheduler | None = None,
        sync_interval: float = 5.0,
        poll_interval: float = 0.5,
    ) -> None:
        self.database = database
        self.rules = rules
        self.clock = clock
        self.scheduler = scheduler or BackgroundScheduler(timezone=UTC)
        self.scheduler.configure(
            jobstores={"default": DocumentJobStore(database.engine)},
            job_defaults={"coalesce": True, "max_instances": 1},
            timezone=UTC,
        )
        self.scheduler.add_listener(self._missed, EVENT_JOB_MISSED)
        self.scheduler.add_listener(self._count_runs, EVENT_JOB_SUBMITTED | EVENT_JOB_EXECUTED | EVENT_JOB_ERROR)
        self.leader = LeaderLock(database)
        self.sync_interval = sync_interval
        self.poll_interval = poll_interval
        self.running = False
        self._known: set[str] = set()
        self._next_sync = 0.0
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._sync_lock = threading.Lock()
        self._runs_under_way = 0
        self._runs_lock = threading.Lock()
        self._polled = threading.Event()
        install(Runtime(database, rules, clock))

    # -- leadership ---------------------------------------------------------------------------

    def step(self) -> bool:
        """One pass of the leadership loop: lead (start and reconcile) or stand by."""
        if self._stopping.is_set():
            return False
        leading = self.leader.poll()
        if leading and not self.running:
            with self._sync_lock:  # a console command asking to reconcile waits for the jobs to be known
                self.scheduler.start()
                self._known = {job.id for job in self.scheduler.get_jobs()}
                self.running = True
                self._sync()
        elif leading and time.monotonic() >= self._next_sync:
            self.sync()
        elif not leading and self.running:
            log.warning("standing down: another process leads the scheduler")
            self._shutdown()
        self._polled.set()
        return leading

    def run_forever(self) -> threading.Thread:
        def loop() -> None:
            while not self._stopping.is_set():
                try:
                    self.step()
                except Exception:  # a database hiccup must not end the loop
                    log.exception("scheduler step failed; retrying")
                self._stopping.wait(self.poll_interval)

        self._thread = threading.Thread(target=loop, name="scheduler", daemon=True)
        self._thread.start()
        return self._thread

    def sync_if_leading(self) -> None:
        """Reconcile now (after a command that may have changed the calendar or reminders)."""
        if self.running:
            try:
                self.sync()
            except Exception:
                log.exception("scheduler sync failed; the next pass retries")

    def settle(self, timeout: float) -> None:
        """Wait, at most `timeout` seconds, until the jobs due now (those missed while the bot was
        down included) have run or been reported missed; at once when another process leads."""
        deadline = time.monotonic() + timeout
        self._polled.wait(timeout)
        while self.running and not self._idle() and time.monotonic() < deadline:
            time.sleep(0.05)

    def _idle(self) -> bool:
        with self._runs_lock:
            if self._runs_under_way:
                return False
        now = datetime.now(UTC)  # APScheduler's own clock decides what is due
        return all(job.next_run_time is None or job.next_run_time > now for job in self.scheduler.get_jobs())

    def _count_runs(self, event: JobEvent) -> None:
        # A run may report its end before its submission is reported: the count then dips below zero.
        with self._runs_lock:
            self._runs_under_way += 1 if event.code == EVENT_JOB_SUBMITTED else -1

    def stop(self) -> None:
        """Stop leading: finish the pass under way, shut the scheduler down, release the lock."""
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
        if self.running:
            self._shutdown()
        self.leader.release()

    def _shutdown(self) -> None:
        self.scheduler.shutdown(wait=False)
        self.running = False

    # -- reconciliation -----------------------------------------------------------------------

    def sync(self) -> None:
        """Make the job store hold exactly the future occurrences the tables call for."""
        with self._sync_lock:  # the loop and a command (on the console) may both ask
            self._sync()

    def _sync(self) -> None:
        self._next_sync = time.monotonic() + self.sync_interval
        now = self.clock()
        with self.database.transaction() as session:
            planned = planned_jobs(session, now, self.rules.timezone)
        wanted = {job.id for job in planned}
        for job in planned:
            if job.id not in self._known:
                with contextlib.suppress(ConflictingIdError):  # already in the store: nothing to add
                    self.scheduler.add_job(
                        fire, DateTrigger(run_date=job.run_at), args=[job.id], id=job.id,
                        misfire_grace_time=int(job.grace.total_seconds()),
                    )  # fmt: skip
                self._known.add(job.id)
        for job_id in [known for known in self._known if known.startswith(MANAGED) and known not in wanted]:
            self._forget(job_id, now)
        if FOLLOW_UP_SWEEP not in self._known and self.scheduler.get_job(FOLLOW_UP_SWEEP) is None:
            with contextlib.suppress(ConflictingIdError):
                self.scheduler.add_job(
                    fire, IntervalTrigger(seconds=SWEEP_EVERY.total_seconds(), start_date=now),
                    args=[FOLLOW_UP_SWEEP], id=FOLLOW_UP_SWEEP, misfire_grace_time=int(FOLLOW_UP_GRACE.total_seconds()),
                )  # fmt: skip
        self._known.add(FOLLOW_UP_SWEEP)

    def _forget(self, job_id: str, now: datetime) -> None:
        """Remove a future occurrence the tables no longer call for (moved, removed, cancelled);
        one already due stays, for the scheduler to run or report missed."""
        job = self.scheduler.get_job(job_id)
        if job is None:
            self._known.discard(job_id)  # it ran
        elif job.next_run_time is not None and job.next_run_time > now:
            with contextlib.suppress(JobLookupError):  # it ran meanwhile
                self.scheduler.remove_job(job_id)
            self._known.discard(job_id)

    # -- missed runs --------------------------------------------------------------------------

    def _missed(self, event: JobExecutionEvent) -> None:
        """An occurrence later than its grace (the bot was down): tell the team, once."""
        when = local_time(event.scheduled_run_time, self.rules.timezone)
        with self.database.transaction() as session:
            what = describe(session, event.job_id)
            if event.job_id.startswith(f"{REMINDER}:"):
                reminder = session.get(Reminder, int(event.job_id.split(":")[1]))
                if reminder is not None:
                    retire_one_off(session, reminder, "missed", self.clock())
            notice = Notice(
                channel=Channel.TEAM,
                kind=NoticeKind.MISSED,
                text=f"Missed while the bot was down: {what}, due {when}. It was not sent.",
                dedupe_key=f"missed:{event.job_id}:{event.scheduled_run_time.isoformat()}",
            )
            save_notices(session, [notice], self.clock())


def describe(session: Session, job_id: str) -> str:
    kind, _, rest = job_id.partition(":")
    if kind == MILESTONE:
        milestone = session.get(Milestone, int(rest.split(":")[0]))
        return f"the announcement of {milestone.title}" if milestone else "an announcement"
    if kind == REMINDER:
        return f"reminder #{rest.split(':')[0]}"
    if kind == DIGEST:
        return "the weekly digest"
    if kind == EXPIRY:
        return "the daily check of IP rights running out"
    if kind == AGENDA:
        meeting = session.get(Milestone, int(rest.split(":")[0]))
        return f"the agenda of {meeting.title}" if meeting else "a meeting's agenda"
    return "the case follow-ups"

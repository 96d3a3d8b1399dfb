"""The scheduler service: leadership, APScheduler with its jobs in the bot's database, and the
reconciliation of those jobs with the program's tables.

Design, against APScheduler 3's traps:
- Two schedulers on one job store run jobs twice, so only the leader (see `leader.py`) runs one.
- A scheduler does not see jobs another process writes, so no other process writes jobs: the
  handlers write milestones and reminders, and the leader reconciles every few seconds, reading
  only the rows that changed (`changes.py`) and the reminders that come within the horizon.
- APScheduler removes a job from its store before running it, so the store is not the record of
  what is still to post: `scheduled_occurrence` and each reminder's `next_at` are, written in the
  transaction that writes the notice (`jobs.settle`). At start, and every pass for what is older
  than a few seconds, the leader settles every occurrence due and unrecorded: posted within its
  grace, reported missed after it, once.
- Re-adding a job at start resets its time and loses missed runs, so a job is only ever added
  when it is absent.
- The job store's I/O runs on the scheduler's own thread, never in an event loop.
- The job store holds plain JSON documents, never pickles (see `job_store.py`).
"""

from __future__ import annotations

import contextlib
import logging
import queue
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

from handlers.kit.context import ProgramRules
from schedules.changes import ChangeFeed
from schedules.job_store import DocumentJobStore
from schedules.jobs import fire, settle
from schedules.leader import LeaderLock
from schedules.plan import (
    EXPIRY_SWEEP,
    FOLLOW_UP_GRACE,
    FOLLOW_UP_SWEEP,
    MILESTONE,
    REMINDER,
    SWEEP,
    PlannedJob,
    digest_jobs,
    first_occurrence,
    milestone_jobs,
    next_digest,
    reminder_job,
    source_of,
)
from schedules.right_expiry import EXPIRY_EVERY, EXPIRY_GRACE
from schedules.runtime import Runtime, install
from storage.database import Database
from storage.models import utcnow
from storage.outages import Outage
from storage.queries.calendar import milestones_between, milestones_by_ids
from storage.queries.reminders import plan_reminder, reminders_by_ids, reminders_due_by, unplanned_reminders
from storage.queries.schedule_records import mark, set_mark
from storage.vocabulary import OccurrenceOutcome

log = logging.getLogger(__name__)
SWEEP_EVERY = timedelta(minutes=5)
# Reminders are put in APScheduler's store only once due within this: the store, and the cost of
# each pass, follow what is due soon, not every reminder set.
HORIZON = timedelta(hours=1)
# An unrecorded occurrence older than this is settled by the pass itself: its job was lost with a
# leader that died as it fired, or failed. Younger ones are left to their job.
SETTLE_AFTER = timedelta(seconds=30)
LONGEST_OFFSET = timedelta(days=91)  # milestone reminders come at most 90 days before (and a DST hour)
CALENDAR = "calendar"  # the mark: announcements, agendas and digests recorded up to it
CATCH_UP_ROUNDS = 50  # occurrences per reminder settled in one pass (a long outage is spread over passes)
FiredListener = Callable[[str, float], None]


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
        """`rules.admins`: the admins named in the settings (the router's), whose reminders go where an admin's may."""
        self.database = database
        self.rules = rules
        self.runtime = Runtime(database, rules, clock)
        self.clock = clock
        self.scheduler = scheduler or BackgroundScheduler(timezone=UTC)
        self.job_store = DocumentJobStore(database)
        self.scheduler.configure(
            jobstores={"default": self.job_store},
            job_defaults={"coalesce": True, "max_instances": 1},
            timezone=UTC,
        )
        self.scheduler.add_listener(self._missed, EVENT_JOB_MISSED)
        self.scheduler.add_listener(self._count_runs, EVENT_JOB_SUBMITTED | EVENT_JOB_EXECUTED | EVENT_JOB_ERROR)
        self.scheduler.add_listener(self._ended, EVENT_JOB_EXECUTED | EVENT_JOB_ERROR | EVENT_JOB_MISSED)
        self.leader = LeaderLock(database)
        self.sync_interval = sync_interval
        self.poll_interval = poll_interval
        self.running = False
        self._known: set[str] = set()  # ids of the jobs in the store
        self._by_source: dict[tuple[str, int], set[str]] = {}
        self._ended_jobs: queue.SimpleQueue[str] = queue.SimpleQueue()
        self._changes = ChangeFeed()
        self._horizon_end = datetime.min.replace(tzinfo=UTC)
        self._fired_listeners: list[FiredListener] = []
        self._next_sync = 0.0
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._sync_lock = threading.Lock()
        self._runs_under_way = 0
        self._runs_lock = threading.Lock()
        self._polled = threading.Event()
        install(self.runtime)

    # -- for metrics --------------------------------------------------------------------------

    @property
    def leading(self) -> bool:
        """Whether this process leads: it holds the lock and runs the scheduler."""
        return self.running

    def on_fired(self, listener: FiredListener) -> None:
        """Call `listener(job id, lateness in seconds)` after each occurrence this process posts."""
        self._fired_listeners.append(listener)

    def _report_fired(self, job_id: str, due: datetime) -> None:
        lateness = max(0.0, (self.clock() - due).total_seconds())
        for listener in self._fired_listeners:
            try:
                listener(job_id, lateness)
            except Exception:  # a metrics hook never stops the scheduler
                log.exception("a fired-job listener failed")

    # -- leadership ---------------------------------------------------------------------------

    def step(self) -> bool:
        """One pass of the leadership loop: lead (start and reconcile) or stand by."""
        if self._stopping.is_set():
            return False
        leading = self.leader.poll()
        if leading and not self.running:
            with self._sync_lock:  # a console command asking to reconcile waits for the jobs to be known
                self._start()
        elif leading and time.monotonic() >= self._next_sync:
            self.sync()
        elif not leading and self.running:
            log.warning("standing down: another process leads the scheduler")
            self._shutdown()
        self._polled.set()
        return leading

    def run_forever(self) -> threading.Thread:
        # A database hiccup must not end the loop; a lasting outage is waited out, less and less often.
        outage = Outage("scheduler step", log, first_wait=self.poll_interval)

        def loop() -> None:
            while not self._stopping.is_set():
                try:
                    self.step()
                except Exception:
                    wait = outage.failed()
                else:
                    outage.succeeded()
                    wait = self.poll_interval
                self._stopping.wait(wait)

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

    # -- taking the lead ----------------------------------------------------------------------

    def _start(self) -> None:
        """Plan from the tables what is due within the horizon, then settle what is due already:
        whatever the last leader left unrecorded (it died as the job fired, or was down) is
        posted within its grace or reported missed, once."""
        now = self.clock()
        with self.database.transaction() as session:
            self._changes.start(session)  # before reading the tables: a change in between is read twice
        self.scheduler.start()
        self.running = True
        self._known, self._by_source = set(), {}
        for job in self.scheduler.get_jobs():  # a stored row that is not a valid job is dropped here
            self._note(job.id)
        self._horizon_end = now + HORIZON
        with self.database.transaction() as session:
            reminders = reminders_due_by(session, self._horizon_end)
            milestones = milestones_between(session, now, datetime.max.replace(tzinfo=UTC))
        for reminder in reminders:
            self._add(reminder_job(reminder))
        for milestone in milestones:
            for job in milestone_jobs(milestone):
                if job.run_at > now:
                    self._add(job)
        self._plan_new_reminders()
        self._plan_digest_and_sweep(now)
        self._catch_up(now, timedelta(0))
        self._next_sync = time.monotonic() + self.sync_interval

    # -- reconciliation -----------------------------------------------------------------------

    def sync(self) -> None:
        """Bring the job store up to date with what changed and what came within the horizon."""
        with self._sync_lock:  # the loop and a command (on the console) may both ask
            self._sync()

    def _sync(self) -> None:
        self._next_sync = time.monotonic() + self.sync_interval
        now = self.clock()
        self._forget_ended()
        with self.database.transaction() as session:
            changed = self._changes.read(session)
            reminders = reminders_by_ids(session, changed.reminders) if changed.reminders else []
            milestones = milestones_by_ids(session, sorted(changed.milestones)) if changed.milestones else []
            horizon_end = now + HORIZON
            entering = reminders_due_by(session, horizon_end, after=self._horizon_end)
        for reminder in reminders:
            assert reminder.id is not None
            wanted = reminder_job(reminder)
            self._replan((REMINDER, reminder.id), [wanted] if wanted and wanted.run_at <= horizon_end else [], now)
        for gone in changed.reminders - {reminder.id for reminder in reminders}:
            self._replan((REMINDER, gone), [], now)
        for milestone in milestones:
            assert milestone.id is not None
            self._replan((MILESTONE, milestone.id), [j for j in milestone_jobs(milestone) if j.run_at > now], now)
        for gone in changed.milestones - {milestone.id for milestone in milestones}:
            self._replan((MILESTONE, gone), [], now)
        for reminder in entering:
            self._add(reminder_job(reminder))
        self._horizon_end = max(self._horizon_end, horizon_end)
        self._plan_new_reminders()
        self._plan_digest_and_sweep(now)
        self._catch_up(now, SETTLE_AFTER)
        with self.database.transaction() as session:
            self._changes.forget_read(session)

    def _plan_new_reminders(self) -> None:
        """Give each new reminder its first occurrence, and a job when that is within the horizon."""
        planned = []
        with self.database.transaction() as session:  # the job store's writes wait for its commit
            for reminder in unplanned_reminders(session):
                assert reminder.id is not None
                first = first_occurrence(reminder)
                if plan_reminder(session, reminder.id, first) and first <= self._horizon_end:
                    session.refresh(reminder)
                    planned.append(reminder_job(reminder))
        for job in planned:
            self._add(job)

    def _plan_digest_and_sweep(self, now: datetime) -> None:
        self._add(next_digest(now, self.rules.timezone))
        self._add_sweep(FOLLOW_UP_SWEEP, SWEEP_EVERY, FOLLOW_UP_GRACE, now)
        self._add_sweep(EXPIRY_SWEEP, EXPIRY_EVERY, EXPIRY_GRACE, now)

    def _add_sweep(self, job_id: str, every: timedelta, grace: timedelta, now: datetime) -> None:
        """A job that reads current state on an interval: a run lost with a leader is the next run's."""
        if job_id not in self._known and self.scheduler.get_job(job_id) is None:
            with contextlib.suppress(ConflictingIdError):
                self.scheduler.add_job(
                    fire, IntervalTrigger(seconds=every.total_seconds(), start_date=now),
                    args=[job_id], id=job_id, misfire_grace_time=int(grace.total_seconds()),
                )  # fmt: skip
        self._known.add(job_id)

    def _replan(self, source: tuple[str, int], wanted: list[PlannedJob], now: datetime) -> None:
        """A changed source's jobs: its future jobs no longer called for go, the missing ones come.
        One already due stays: it runs, and posts only if its source still calls for it."""
        wanted_ids = {job.id for job in wanted}
        for job_id in self._by_source.get(source, set()) - wanted_ids:
            job = self.scheduler.get_job(job_id)
            if job is None or (job.next_run_time is not None and job.next_run_time > now):
                with contextlib.suppress(JobLookupError):  # it ran meanwhile
                    self.scheduler.remove_job(job_id)
                self._unnote(job_id)
        for job in wanted:
            self._add(job)

    def _add(self, job: PlannedJob | None) -> None:
        if job is None or job.id in self._known:
            return
        with contextlib.suppress(ConflictingIdError):  # already in the store: nothing to add
            self.scheduler.add_job(
                fire, DateTrigger(run_date=job.run_at), args=[job.id], id=job.id,
                misfire_grace_time=int(job.grace.total_seconds()),
            )  # fmt: skip
        self._note(job.id)

    def _note(self, job_id: str) -> None:
        self._known.add(job_id)
        with contextlib.suppress(ValueError):  # the sweep, or a stray id: no source
            self._by_source.setdefault(source_of(job_id), set()).add(job_id)

    def _unnote(self, job_id: str) -> None:
        self._known.discard(job_id)
        with contextlib.suppress(ValueError):
            source = source_of(job_id)
            jobs = self._by_source.get(source, set())
            jobs.discard(job_id)
            if not jobs:
                self._by_source.pop(source, None)

    def _ended(self, event: JobEvent) -> None:
        """A date job ran or was reported missed: APScheduler has removed it from the store."""
        if not event.job_id.startswith(f"{SWEEP}:"):
            self._ended_jobs.put(event.job_id)
        if event.code == EVENT_JOB_EXECUTED and isinstance(event, JobExecutionEvent):
            self._report_fired(event.job_id, event.scheduled_run_time)

    def _forget_ended(self) -> None:
        while True:
            try:
                self._unnote(self._ended_jobs.get_nowait())
            except queue.Empty:
                return

    # -- occurrences due and unrecorded -------------------------------------------------------

    def _catch_up(self, now: datetime, settle_after: timedelta) -> None:
        """Settle every occurrence due by `now - settle_after` and not recorded: post it within its
        grace, report it missed after. Reminders are found by their `next_at`; announcements,
        agendas and digests in the window since the calendar mark."""
        until = now - settle_after
        failed: set[int] = set()
        for _ in range(CATCH_UP_ROUNDS):
            with self.database.transaction() as session:
                due = [r for r in reminders_due_by(session, until, limit=500) if r.id not in failed]
            if not due:
                break
            for reminder in due:
                job = reminder_job(reminder)
                if job is not None and not self._settle(job, now):
                    failed.add(reminder.id or 0)
        with self.database.transaction() as session:
            since = mark(session, CALENDAR)
            if since is None:  # the first start: nothing before it is this scheduler's to catch up
                set_mark(session, CALENDAR, until)
                return
            milestones = milestones_between(session, since, until + LONGEST_OFFSET)
        if until <= since:
            return
        due_jobs = [job for m in milestones for job in milestone_jobs(m) if since < job.run_at <= until]
        due_jobs += digest_jobs(since, until, self.rules.timezone)
        settled = [self._settle(job, now) for job in sorted(due_jobs, key=lambda job: job.run_at)]
        if all(settled):
            with self.database.transaction() as session:
                set_mark(session, CALENDAR, until)

    def _settle(self, job: PlannedJob, now: datetime) -> bool:
        """One due occurrence, in its own transaction; False if that failed (the next pass retries)."""
        outcome = OccurrenceOutcome.POSTED if now - job.run_at <= job.grace else OccurrenceOutcome.MISSED
        try:
            with self.database.transaction() as session:
                posted = settle(session, self.runtime, job.id, outcome)
        except Exception:
            log.exception("could not settle %s; the next pass retries", job.id)
            return False
        if posted and outcome is OccurrenceOutcome.POSTED:
            self._report_fired(job.id, job.run_at)
        return True

    def _missed(self, event: JobExecutionEvent) -> None:
        """An occurrence later than its grace (the bot was down): tell the team, once."""
        with self.database.transaction() as session:
            settle(session, self.runtime, event.job_id, OccurrenceOutcome.MISSED)

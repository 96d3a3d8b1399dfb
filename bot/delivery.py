"""The delivery worker: posts outbox notices to one platform, exactly once and in order.

Each platform gets its own deliveries (see `storage.queries.outbox`). A worker claims due
deliveries under its own id and beats a heartbeat row; a dead worker's claims are taken over
within seconds, and a delivery whose earlier attempt may have reached the platform is first
looked up there (from that attempt's start) before it is posted again. A failed post is retried
with exponential back-off, or after the platform's `Retry-After`; a notice whose logical channel
is mapped nowhere on the platform is skipped with a warning rather than retried forever, and one
whose stored payload does not validate as a `NoticePayload` is failed at once, with an error.

A pass posts to different channels side by side (`lanes` threads, see `bot.delivery_lanes`),
each channel's notices one after the other in the order they were written. Every attempt ends
in one `Outcome`, handed to the worker's `observe` hook (metrics, logs).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol

from pydantic import ValidationError

from bot import metrics
from handlers.kit.i18n import in_language, program_language
from handlers.kit.outbox import NoticePayload
from storage.database import Database
from storage.models import OutboxNotice, PostedMessage, utcnow
from storage.queries.members import channel_mapping, notice_language
from storage.queries.outbox import (
    CLAIM_LEASE,
    HEARTBEAT,
    WORKER_TIMEOUT,
    DueDelivery,
    Posted,
    beat,
    claim_due,
    enqueue,
    mark_delivery,
    posted_message,
    record_posted,
    release,
    retire,
    start_cursor,
)
from storage.vocabulary import DeliveryStatus, dm_recipient

__all__ = ["CLAIM_LEASE", "HEARTBEAT", "WORKER_TIMEOUT"]

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 12
MAX_BACKOFF = timedelta(minutes=15)
# Deliveries one pass claims at most.
BATCH = 500
# With `record_later`, a rate limit up to this long keeps the claim for the caller to try again
# (no writes, no claiming again); a longer one is recorded and the claim given back.
HOLD = timedelta(seconds=30)


class RetryLater(Exception):
    """The platform asked us to wait (HTTP 429 with Retry-After, or a passing outage)."""

    def __init__(self, seconds: float, reason: str, *, partly_posted: bool = False) -> None:
        super().__init__(reason)
        self.seconds = seconds
        # Some messages of a notice that takes several were posted before the platform asked to wait.
        self.partly_posted = partly_posted


class Result(StrEnum):
    """How one delivery attempt ended."""

    POSTED = "posted"  # posted now, or found already posted by an earlier attempt
    RETRIED = "retried"  # failed; tried again after a back-off
    RATE_LIMITED = "rate_limited"  # the platform said to wait (429 Retry-After)
    FAILED = "failed"  # given up: a malformed payload, or out of attempts
    SKIPPED = "skipped"  # nowhere to post it on this platform
    UNCLAIMED = "unclaimed"  # another worker took it first


@dataclass(frozen=True, slots=True)
class Outcome:
    platform: str
    notice_id: int
    channel: str
    result: Result
    seconds: float  # how long the attempt took
    retry_after: float | None = None  # the wait, for RETRIED and RATE_LIMITED
    found: bool = False  # POSTED: an earlier attempt's message was found, nothing was posted now
    # RATE_LIMITED: nothing recorded and the claim kept, for the caller to try again after the wait.
    held: bool = False

    @property
    def status(self) -> DeliveryStatus:
        return _STATUS[self.result]


_STATUS = {
    Result.POSTED: DeliveryStatus.SENT,
    Result.RETRIED: DeliveryStatus.PENDING,
    Result.RATE_LIMITED: DeliveryStatus.PENDING,
    Result.FAILED: DeliveryStatus.FAILED,
    Result.SKIPPED: DeliveryStatus.SKIPPED,
    Result.UNCLAIMED: DeliveryStatus.PENDING,
}


def ignore(outcome: Outcome) -> None:
    """The default `observe` hook."""


@dataclass(frozen=True, slots=True)
class Target:
    channel_ref: str
    thread_ref: str | None
    # When the first attempt that may have posted this notice began: a lookup reads from there on.
    attempted_since: datetime | None = None


class Poster(Protocol):
    platform: str

    def post(self, notice: OutboxNotice, payload: NoticePayload, target: Target) -> str:
        """Post the notice (in `target.thread_ref`'s thread when set); return its message reference."""

    def update(self, notice: OutboxNotice, payload: NoticePayload, target: Target) -> str:
        """Replace the message `target.thread_ref` (a case's first message) with the notice."""

    def find_posted(self, notice: OutboxNotice, payload: NoticePayload, target: Target) -> str | None:
        """The reference of a message already posted for this notice (since `target.attempted_since`),
        or None when there is none."""


def new_worker_id(platform: str) -> str:
    return f"{platform}:{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class DeliveryWorker:
    def __init__(
        self,
        database: Database,
        poster: Poster,
        *,
        channel_defaults: Mapping[str, str] | None = None,
        resolve: Callable[[str], str | None] | None = None,
        clock: Callable[[], datetime] = utcnow,
        lanes: int = 1,
        observe: Callable[[Outcome], None] = ignore,
        worker_id: str | None = None,
    ) -> None:
        self.database = database
        self.poster = poster
        self.platform = poster.platform
        self.channel_defaults = dict(channel_defaults or {})
        self.resolve = resolve
        self.clock = clock
        self.lanes = max(1, lanes)
        self.observe = observe
        self.worker_id = worker_id or new_worker_id(self.platform)
        # Posts made with `record_later`, written with the next claim (or `record`).
        self._unrecorded: list[Posted] = []
        self._unrecorded_lock = threading.Lock()
        self._recorder = threading.Lock()  # one recording at a time

    @property
    def channel_interval(self) -> float:
        """The least time between two posts to one channel that the platform allows (seconds; 0
        when it sets none per channel)."""
        return float(getattr(self.poster, "channel_interval", 0.0))

    def start(self, *, skip_history: bool = False) -> None:
        with self.database.transaction() as session:
            start_cursor(session, self.platform, skip_history=skip_history)
            beat(session, self.worker_id, self.platform, self.clock())

    def heartbeat(self) -> None:
        """Tell the other workers this one is alive (every `HEARTBEAT`)."""
        with self.database.transaction() as session:
            beat(session, self.worker_id, self.platform, self.clock())

    def stop(self) -> None:
        """Record what was posted, then release this worker's remaining claims at once, for the
        others to take."""
        with self._recording() as posted, self.database.transaction() as session:
            record_posted(session, self.worker_id, posted)
            retire(session, self.worker_id)

    def record(self) -> None:
        """Record the posts made with `record_later` that are not recorded yet."""
        with self._recording() as posted:
            if posted:
                with self.database.transaction() as session:
                    record_posted(session, self.worker_id, posted)

    @property
    def unrecorded(self) -> int:
        """How many posts wait to be recorded."""
        with self._unrecorded_lock:
            return len(self._unrecorded)

    @contextmanager
    def _recording(self) -> Iterator[list[Posted]]:
        """The posts waiting to be recorded, forgotten once the caller's transaction has recorded
        them (kept for the next try if it fails). Until they are recorded their claims stay this
        worker's, so that another worker taking them over looks each message up before posting it."""
        with self._recorder:
            with self._unrecorded_lock:
                posted = list(self._unrecorded)
            yield posted
            # Recorded: forgotten only now, so that a case's thread is found here or in the database.
            with self._unrecorded_lock:
                del self._unrecorded[: len(posted)]

    def claim(self, limit: int = BATCH, *, busy_channels: frozenset[str] = frozenset()) -> list[DueDelivery]:
        """Record the posts waiting to be, take on new notices and claim up to `limit` due
        deliveries, oldest first: one transaction."""
        now = self.clock()
        with self._recording() as posted, self.database.transaction() as session:
            record_posted(session, self.worker_id, posted)
            beat(session, self.worker_id, self.platform, now)
            enqueue(session, self.platform, now)
            return claim_due(session, self.platform, self.worker_id, now, limit, busy_channels=busy_channels)

    def release(self, deliveries: list[DueDelivery]) -> None:
        if deliveries:
            with self.database.transaction() as session:
                release(session, self.worker_id, deliveries)

    def run_once(self, limit: int = BATCH) -> int:
        """Claim the due deliveries and post them (side by side across channels with `lanes`);
        returns how many were posted."""
        due = self.claim(limit)
        if self.lanes == 1 or len(due) < 2:
            outcomes = self.deliver_in_order(due)
        else:
            by_channel: dict[str, list[DueDelivery]] = {}
            for delivery in due:
                by_channel.setdefault(delivery.notice.channel, []).append(delivery)
            with ThreadPoolExecutor(self.lanes, thread_name_prefix=f"{self.platform}-lane") as pool:
                outcomes = [o for lane in pool.map(self.deliver_in_order, by_channel.values()) for o in lane]
        return sum(outcome.result is Result.POSTED for outcome in outcomes)

    def deliver_in_order(self, deliveries: list[DueDelivery]) -> list[Outcome]:
        """Deliver claimed deliveries one after the other. A notice is not posted after one
        before it in its case thread is to be retried, nor in a channel that is rate limited:
        those claims are given back, for a later pass to take in order."""
        outcomes: list[Outcome] = []
        waiting_threads: set[tuple[str, str]] = set()
        waiting_channels: set[str] = set()
        given_back: list[DueDelivery] = []
        for delivery in deliveries:
            if delivery.notice.channel in waiting_channels or delivery.thread in waiting_threads:
                given_back.append(delivery)
                continue
            outcome = self.deliver(delivery)
            outcomes.append(outcome)
            if outcome.result is Result.RATE_LIMITED:
                waiting_channels.add(delivery.notice.channel)
            if outcome.status is DeliveryStatus.PENDING and delivery.thread is not None:
                waiting_threads.add(delivery.thread)
        self.release(given_back)
        return outcomes

    def _channel_ref(self, logical: str) -> str | None:
        if self.resolve is not None:
            return self.resolve(logical)
        recipient = dm_recipient(logical)
        if recipient is not None:
            # The platforms address a direct message by the user's id.
            platform, user = recipient
            return user if platform == self.platform else None
        with self.database.transaction() as session:
            mapping = channel_mapping(session, self.platform, logical)
        return mapping.external_id if mapping else self.channel_defaults.get(logical)

    def deliver(self, delivery: DueDelivery, *, record_later: bool = False) -> Outcome:
        """Post one claimed notice; how it went, also handed to `observe`. With `record_later`, a
        post is recorded with the next claim (or `record`), in one transaction with others, and a
        short rate limit is not recorded at all: the claim is `held` for the caller to retry."""
        started = time.monotonic()
        result, wait, found, held = self._deliver(delivery, record_later)
        outcome = Outcome(
            self.platform,
            int(delivery.notice.id or 0),
            delivery.notice.channel,
            result,
            time.monotonic() - started,
            wait,
            found,
            held,
        )
        if result.value in metrics.DELIVERY_RESULTS:
            metrics.delivery_result(self.platform, result.value)
        try:
            self.observe(outcome)
        except Exception:  # an observer's failure must never stop the worker
            log.exception("observing a delivery outcome failed")
        return outcome

    def _deliver(self, delivery: DueDelivery, record_later: bool) -> tuple[Result, float | None, bool, bool]:
        now, notice, delivery_id = self.clock(), delivery.notice, delivery.delivery_id
        try:
            payload = NoticePayload.model_validate(notice.payload)
        except ValidationError as error:
            return self._refuse(delivery_id, notice, now, error), None, False, False
        channel_ref = self._channel_ref(notice.channel)
        if channel_ref is None:
            log.warning("no %s channel mapped for %s; notice %s skipped", self.platform, notice.channel, notice.id)
            with self.database.transaction() as session:
                mark_delivery(session, delivery_id, status=DeliveryStatus.SKIPPED, now=now, error="no channel mapped")
            return Result.SKIPPED, None, False, False
        thread = self._thread(notice.channel, notice.case_id) if notice.case_id is not None else None
        target = Target(channel_ref, thread.message_ref if thread else None, delivery.first_attempt_at)
        replacing = thread is not None and payload.replace
        may_be_posted = delivery.may_be_posted and not replacing  # an edit is safe to repeat
        lang = program_language()
        if payload.variants:
            # Each channel reads the notice in its language, a direct message in its recipient's.
            with self.database.transaction() as session:
                lang = notice_language(session, self.platform, notice.channel) or program_language()
            text, payload = payload.in_language(lang, notice.text)
            notice = notice.model_copy(update={"text": text})
        try:
            message_ref = None
            # What the poster adds to the notice ("continued") reads in the notice's language.
            with in_language(lang):
                if may_be_posted:
                    # An earlier attempt may have posted it before its worker stopped or lost the answer.
                    message_ref = self.poster.find_posted(notice, payload, target)
                found = message_ref is not None
                may_be_posted = False  # looked up: not there
                if message_ref is None:
                    post = self.poster.update if replacing else self.poster.post
                    message_ref = post(notice, payload, target)
        except RetryLater as wait:
            maybe_posted = may_be_posted or wait.partly_posted
            if record_later and not maybe_posted and wait.seconds <= HOLD.total_seconds():
                return Result.RATE_LIMITED, wait.seconds, False, True  # nothing reached the platform
            self._retry(delivery, now, timedelta(seconds=wait.seconds), str(wait), maybe_posted=maybe_posted)
            return Result.RATE_LIMITED, wait.seconds, False, False
        except Exception as error:  # a platform failure must never stop the worker
            log.warning("posting notice %s to %s failed: %s", notice.id, self.platform, type(error).__name__)
            backoff = min(MAX_BACKOFF, timedelta(seconds=2**delivery.attempts))
            final = self._retry(delivery, now, backoff, repr(error), maybe_posted=True)
            return (Result.FAILED if final else Result.RETRIED), backoff.total_seconds(), False, False
        started_thread = None
        if notice.case_id is not None and thread is None:
            started_thread = PostedMessage(
                platform=self.platform, channel=notice.channel, case_id=notice.case_id,
                channel_ref=channel_ref, message_ref=message_ref, created_at=now,
            )  # fmt: skip
        posted = Posted(delivery_id, message_ref, now, started_thread)
        if record_later:
            with self._unrecorded_lock:
                self._unrecorded.append(posted)
        else:
            with self.database.transaction() as session:
                mark_delivery(session, delivery_id, status=DeliveryStatus.SENT, now=now, message_ref=message_ref)
                if started_thread is not None:
                    session.add(started_thread)
        return Result.POSTED, None, found, False

    def _thread(self, channel: str, case_id: str) -> PostedMessage | None:
        """The case's first message on the platform: posted and waiting to be recorded, or recorded."""
        with self._unrecorded_lock:
            for posted in self._unrecorded:
                if posted.thread is not None and (posted.thread.channel, posted.thread.case_id) == (channel, case_id):
                    return posted.thread
        with self.database.transaction() as session:
            return posted_message(session, self.platform, channel, case_id)

    def _refuse(self, delivery_id: int, notice: OutboxNotice, now: datetime, error: ValidationError) -> Result:
        """Fail a notice whose stored payload cannot be read: posting a guess could mislead."""
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'payload'}: {e['msg']}" for e in error.errors())
        log.error("notice %s has a malformed payload; not posted to %s: %s", notice.id, self.platform, problems)
        with self.database.transaction() as session:
            mark_delivery(
                session, delivery_id, status=DeliveryStatus.FAILED, now=now, error=f"malformed payload: {problems}"
            )
        return Result.FAILED

    def _retry(self, delivery: DueDelivery, now: datetime, wait: timedelta, error: str, *, maybe_posted: bool) -> bool:
        """Schedule the next attempt; True when this was the last one allowed."""
        final = delivery.attempts + 1 >= MAX_ATTEMPTS
        with self.database.transaction() as session:
            mark_delivery(
                session,
                delivery.delivery_id,
                status=DeliveryStatus.FAILED if final else DeliveryStatus.PENDING,
                now=now,
                error=error,
                next_attempt_at=now + wait,
                maybe_posted=maybe_posted,
            )
        if final:
            log.error(
                "giving up on delivery %s to %s after %s attempts", delivery.delivery_id, self.platform, MAX_ATTEMPTS
            )
        return final


def deliver_forever(worker: DeliveryWorker, stopping: threading.Event) -> None:
    """The loop every chat platform runs beside its adapter (see `bot.delivery_loop`)."""
    from bot.delivery_loop import deliver_forever as loop

    loop(worker, stopping)


# How long the loop waits for new notices when none is due.
DELIVERY_INTERVAL = 1.0

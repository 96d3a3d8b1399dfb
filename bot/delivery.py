"""The delivery worker: posts outbox notices to one platform, at least once and in order.

Each platform gets its own deliveries (see `storage.queries.outbox`). A failed post is retried
with exponential back-off, or after the platform's `Retry-After`; a notice whose logical channel
is mapped nowhere on the platform is skipped with a warning rather than retried forever, and one
whose stored payload does not validate as a `NoticePayload` is failed at once, with an error.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from pydantic import ValidationError

from bot import metrics
from handlers.kit.i18n import program_language
from handlers.kit.outbox import NoticePayload
from storage.database import Database
from storage.models import OutboxNotice, PostedMessage, utcnow
from storage.queries.members import channel_mapping, notice_language
from storage.queries.outbox import (
    DueDelivery,
    claim_delivery,
    due_deliveries,
    enqueue,
    mark_delivery,
    posted_message,
    start_cursor,
)
from storage.queries.requests import prune_requests
from storage.vocabulary import DeliveryStatus, dm_recipient

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 12
MAX_BACKOFF = timedelta(minutes=15)
# A worker's claim on a delivery; past it, a worker that died while posting is assumed gone.
CLAIM_LEASE = timedelta(minutes=2)


class RetryLater(Exception):
    """The platform asked us to wait (HTTP 429 with Retry-After, or a passing outage)."""

    def __init__(self, seconds: float, reason: str, *, partly_posted: bool = False) -> None:
        super().__init__(reason)
        self.seconds = seconds
        # Some messages of a notice that takes several were posted before the platform asked to wait.
        self.partly_posted = partly_posted


@dataclass(frozen=True, slots=True)
class Target:
    channel_ref: str
    thread_ref: str | None


class Poster(Protocol):
    platform: str

    def post(self, notice: OutboxNotice, payload: NoticePayload, target: Target) -> str:
        """Post the notice (in `target.thread_ref`'s thread when set); return its message reference."""

    def update(self, notice: OutboxNotice, payload: NoticePayload, target: Target) -> str:
        """Replace the message `target.thread_ref` (a case's first message) with the notice."""

    def find_posted(self, notice: OutboxNotice, payload: NoticePayload, target: Target) -> str | None:
        """The reference of a message already posted for this notice, or None when there is none."""


class DeliveryWorker:
    def __init__(
        self,
        database: Database,
        poster: Poster,
        *,
        channel_defaults: Mapping[str, str] | None = None,
        resolve: Callable[[str], str | None] | None = None,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.database = database
        self.poster = poster
        self.platform = poster.platform
        self.channel_defaults = dict(channel_defaults or {})
        self.resolve = resolve
        self.clock = clock

    def start(self, *, skip_history: bool = False) -> None:
        with self.database.transaction() as session:
            start_cursor(session, self.platform, skip_history=skip_history)

    def run_once(self) -> int:
        """Take on new notices and post every due delivery; returns how many were posted."""
        now = self.clock()
        with self.database.transaction() as session:
            enqueue(session, self.platform, now)
            due = due_deliveries(session, self.platform, now)
        posted = 0
        blocked: set[tuple[str, str]] = set()
        for delivery in due:
            thread = (delivery.notice.channel, delivery.notice.case_id) if delivery.notice.case_id else None
            if thread in blocked:
                continue  # an earlier notice of this case thread is waiting: keep the order
            result = self._deliver(delivery)
            posted += result is DeliveryStatus.SENT
            if thread is not None and result is DeliveryStatus.PENDING:
                blocked.add(thread)
        return posted

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

    def _deliver(self, delivery: DueDelivery) -> DeliveryStatus:
        """Post one notice; the delivery's status afterwards."""
        now, notice, delivery_id = self.clock(), delivery.notice, delivery.delivery_id
        try:
            payload = NoticePayload.model_validate(notice.payload)
        except ValidationError as error:
            return self._refuse(delivery_id, notice, now, error)
        channel_ref = self._channel_ref(notice.channel)
        if channel_ref is None:
            log.warning("no %s channel mapped for %s; notice %s skipped", self.platform, notice.channel, notice.id)
            with self.database.transaction() as session:
                mark_delivery(session, delivery_id, status=DeliveryStatus.SKIPPED, now=now, error="no channel mapped")
            return DeliveryStatus.SKIPPED
        thread = None
        if notice.case_id is not None:
            with self.database.transaction() as session:
                thread = posted_message(session, self.platform, notice.channel, notice.case_id)
        target = Target(channel_ref, thread.message_ref if thread else None)
        replacing = thread is not None and payload.replace
        if payload.variants:
            # Each channel reads the notice in its language, a direct message in its recipient's.
            with self.database.transaction() as session:
                lang = notice_language(session, self.platform, notice.channel) or program_language()
            text, payload = payload.in_language(lang, notice.text)
            notice = notice.model_copy(update={"text": text})
        with self.database.transaction() as session:
            if not claim_delivery(session, delivery_id, now, CLAIM_LEASE):
                return DeliveryStatus.PENDING  # another worker is posting it right now
        try:
            message_ref = None
            if delivery.may_be_posted and not replacing:
                # An earlier attempt may have posted it before its worker stopped.
                message_ref = self.poster.find_posted(notice, payload, target)
            if message_ref is None:
                post = self.poster.update if replacing else self.poster.post
                message_ref = post(notice, payload, target)
        except RetryLater as wait:
            return self._retry(
                delivery, now, timedelta(seconds=wait.seconds), str(wait), maybe_posted=wait.partly_posted
            )
        except Exception as error:  # a platform failure must never stop the worker
            log.warning("posting notice %s to %s failed: %s", notice.id, self.platform, type(error).__name__)
            backoff = min(MAX_BACKOFF, timedelta(seconds=2**delivery.attempts))
            return self._retry(delivery, now, backoff, repr(error), maybe_posted=True)
        with self.database.transaction() as session:
            mark_delivery(session, delivery_id, status=DeliveryStatus.SENT, now=now, message_ref=message_ref)
            if notice.case_id is not None and thread is None:
                session.add(
                    PostedMessage(platform=self.platform, channel=notice.channel, case_id=notice.case_id,
                                  channel_ref=channel_ref, message_ref=message_ref, created_at=now)
                )  # fmt: skip
        metrics.delivery_result(self.platform, "posted")
        return DeliveryStatus.SENT

    def _refuse(self, delivery_id: int, notice: OutboxNotice, now: datetime, error: ValidationError) -> DeliveryStatus:
        """Fail a notice whose stored payload cannot be read: posting a guess could mislead."""
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'payload'}: {e['msg']}" for e in error.errors())
        log.error("notice %s has a malformed payload; not posted to %s: %s", notice.id, self.platform, problems)
        with self.database.transaction() as session:
            mark_delivery(
                session, delivery_id, status=DeliveryStatus.FAILED, now=now, error=f"malformed payload: {problems}"
            )
        return DeliveryStatus.FAILED

    def _retry(
        self, delivery: DueDelivery, now: datetime, wait: timedelta, error: str, *, maybe_posted: bool
    ) -> DeliveryStatus:
        final = delivery.attempts + 1 >= MAX_ATTEMPTS
        metrics.delivery_result(self.platform, metrics.retry_result(final=final, maybe_posted=maybe_posted))
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
            return DeliveryStatus.FAILED
        return DeliveryStatus.PENDING


# The loop every chat platform runs beside its adapter.
DELIVERY_INTERVAL = 1.0
PRUNE_INTERVAL = 3600.0
# Platforms retry a request within minutes; a day of memory is ample.
REQUEST_MEMORY = timedelta(days=1)


def deliver_forever(worker: DeliveryWorker, stopping: threading.Event) -> None:
    """Deliver every second until `stopping` is set, and forget old handled requests hourly.
    A database hiccup or a platform outage ends a pass, never the loop."""
    next_pruning = 0.0
    while not stopping.is_set():
        try:
            worker.run_once()
            if time.monotonic() >= next_pruning:
                with worker.database.transaction() as session:
                    forgotten = prune_requests(session, worker.clock() - REQUEST_MEMORY)
                if forgotten:
                    log.info("forgot %s handled requests older than %s", forgotten, REQUEST_MEMORY)
                next_pruning = time.monotonic() + PRUNE_INTERVAL
        except Exception:
            log.exception("%s delivery pass failed; retrying", worker.platform)
        stopping.wait(DELIVERY_INTERVAL)

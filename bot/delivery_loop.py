"""The delivery loop: posts to many channels at once, each channel at its own pace.

One dispatcher thread claims due deliveries and queues them per logical channel; a pool of
`LANES` threads posts the head of every channel's queue, one notice per channel at a time, in the
order claimed. Where the platform allows one post per channel every so often (the worker's
`channel_interval`; Slack's one a second), a channel's next post waits that long after the answer
to its last, so the platform has no reason to refuse it. A 429 pauses only its channel, for the
`Retry-After` the platform gave (the rest of that channel's queue is given back, to be claimed
again in order once it is due).

The dispatcher records what the lanes posted in batches, in the transaction of its next claim (at
most every `CLAIM_PAUSE` while work flows; at once when every queue is empty), or on its own
after `RECORD_PAUSE`. Until then a post's claim stays this worker's: a worker taking it over
after a crash looks the message up first. It waits only when nothing is due (up to
`DELIVERY_INTERVAL`, for notices other processes write) or every channel with work is paused,
paced or busy. It beats the worker's heartbeat every `HEARTBEAT` and forgets old handled
requests hourly. A database hiccup or a platform outage ends a round, never the loop: after a failed
round the database is left alone for a back-off that doubles from `DELIVERY_INTERVAL` while the
failures last (`storage.outages`), and the log says so once, then once a minute. On stopping, the posts
under way finish, are recorded, and every claim not attempted is given back.
"""

from __future__ import annotations

import dataclasses
import logging
import math
import threading
import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta

from bot.delivery import DELIVERY_INTERVAL, HEARTBEAT, DeliveryWorker, Outcome, Result
from storage.outages import Outage
from storage.queries.outbox import DueDelivery
from storage.queries.requests import prune_requests
from storage.vocabulary import DeliveryStatus

log = logging.getLogger(__name__)
# Channels posted to side by side; beyond the platforms' per-channel pace, more lanes only queue.
LANES = 16
# Claimed deliveries queued per channel, and in all, before the dispatcher stops claiming more.
LANE_DEPTH = 10
MAX_QUEUED = 1000
# While posts finish, claims (and the posts recorded with them) are batched at most this often:
# a claim reads every pending delivery, so claiming for each post would cost more than posting.
CLAIM_PAUSE = 0.1
# Deliveries one claim takes at most: the lanes start on the first ones sooner, and the next
# claim, due `CLAIM_PAUSE` later, takes more.
CLAIM_MOST = 200
# Posts are recorded at most this long after they were made, when no claim comes first.
RECORD_PAUSE = 0.02
# A channel the platform refused is paced until it has had no post for this long.
PACE_MEMORY = 60.0
# While every channel with work is full or paused, the dispatcher looks again this often.
BUSY_PAUSE = 0.5
PRUNE_INTERVAL = 3600.0
# Platforms retry a request within minutes; a day of memory is ample.
REQUEST_MEMORY = timedelta(days=1)


@dataclass
class _Lane:
    queue: deque[DueDelivery] = field(default_factory=deque)
    busy: bool = False
    paused_until: float = 0.0  # time.monotonic()


class DeliveryLoop:
    def __init__(self, worker: DeliveryWorker, stopping: threading.Event, *, lanes: int = LANES) -> None:
        self.worker = worker
        self.stopping = stopping
        self.threads = lanes
        self.interval = worker.channel_interval
        self._lanes: dict[str, _Lane] = {}
        self._next_post: dict[str, float] = {}  # channel -> time.monotonic() its pace allows
        self._paced: dict[str, float] = {}  # channel -> time.monotonic() its pace is forgotten
        self._last_post: dict[str, float] = {}  # channel -> time.monotonic() of the answer to its last post
        self._queued = 0  # claimed and not yet finished
        self._changed = threading.Condition()
        self._outage = Outage(f"{worker.platform} delivery round", log, first_wait=DELIVERY_INTERVAL)

    def run(self) -> None:
        next_beat = next_pruning = next_claim = next_record = 0.0
        retry_at = 0.0  # after a failed round, no database work before this
        more_due = True  # the last claim found work: claim again as soon as there is room
        pool = ThreadPoolExecutor(self.threads, thread_name_prefix=f"{self.worker.platform}-lane")
        try:
            while not self.stopping.is_set():
                now = time.monotonic()
                tried = False
                try:
                    if now >= next_beat:
                        tried = True
                        self.worker.heartbeat()
                        next_beat = now + HEARTBEAT.total_seconds()
                    if now >= next_pruning:
                        tried = True
                        self._prune()
                        next_pruning = now + PRUNE_INTERVAL
                    if now >= next_claim or (now >= retry_at and ((more_due and self._idle()) or self._resumed(now))):
                        tried = True
                        next_record = now + RECORD_PAUSE
                        claimed, held = self._claim()
                        more_due = claimed > 0 or held
                        next_claim = now + (CLAIM_PAUSE if claimed else BUSY_PAUSE if held else DELIVERY_INTERVAL)
                    elif now >= next_record and self.worker.unrecorded:
                        tried = True
                        next_record = now + RECORD_PAUSE
                        self.worker.record()
                    if tried:
                        self._outage.succeeded()
                except Exception:
                    # Whatever failed waits out the back-off, and so does the rest of the database work.
                    retry_at = now + self._outage.failed()
                    more_due = False
                    next_beat, next_pruning, next_claim, next_record = (
                        max(moment, retry_at) for moment in (next_beat, next_pruning, next_claim, next_record)
                    )
                self._start_ready(pool)
                self._wait(min(next_beat, next_claim, next_record if self.worker.unrecorded else next_claim))
        finally:
            pool.shutdown(wait=True)
            self._give_back_everything()

    # -- the dispatcher --------------------------------------------------------------------------

    def _claim(self) -> tuple[int, bool]:
        """Claim what there is room for; how many, and whether channels were left out as full."""
        with self._changed:
            room = MAX_QUEUED - self._queued
            now = time.monotonic()
            busy = frozenset(
                channel
                for channel, lane in self._lanes.items()
                if len(lane.queue) >= LANE_DEPTH or lane.paused_until > now
            )
        if room <= 0:
            return 0, True
        claimed = self.worker.claim(min(room, CLAIM_MOST), busy_channels=busy)
        with self._changed:
            for delivery in claimed:
                self._lanes.setdefault(delivery.notice.channel, _Lane()).queue.append(delivery)
            self._queued += len(claimed)
        return len(claimed), bool(busy)

    def _start_ready(self, pool: ThreadPoolExecutor) -> None:
        now = time.monotonic()
        with self._changed:
            for paces, kept in ((self._next_post, 0.0), (self._paced, 0.0), (self._last_post, self.interval)):
                for channel in [channel for channel, moment in paces.items() if moment + kept <= now]:
                    del paces[channel]
            for channel, lane in list(self._lanes.items()):
                if not (lane.queue or lane.busy or lane.paused_until > now):
                    del self._lanes[channel]
                    continue
                delivery = self._take_next(channel, lane, now)
                if delivery is not None:
                    pool.submit(self._post, pool, lane, delivery)

    def _take_next(self, channel: str, lane: _Lane, now: float) -> DueDelivery | None:
        """The channel's next delivery, marking its lane busy, when it may be posted now (with the
        condition held)."""
        if lane.busy or not lane.queue or lane.paused_until > now or self._next_post.get(channel, 0.0) > now:
            return None
        lane.busy, lane.paused_until = True, 0.0
        return lane.queue.popleft()

    def _resumed(self, now: float) -> bool:
        """Whether a channel whose queue was given back at a 429 may go on: claim it again at once."""
        with self._changed:
            return any(0 < lane.paused_until <= now and not (lane.queue or lane.busy) for lane in self._lanes.values())

    def _idle(self) -> bool:
        with self._changed:
            return self._queued == 0

    def _wait(self, until: float) -> None:
        """Until a post finishes, a paused or paced channel may go on, or `until`; not at all while
        work is ready to start."""
        with self._changed:
            now = time.monotonic()
            ready = [
                max(lane.paused_until, self._next_post.get(channel, 0.0))
                for channel, lane in self._lanes.items()
                if not lane.busy and (lane.queue or lane.paused_until)
            ]
            deadline = min([until, *ready])
            if deadline > now and not self.stopping.is_set():
                self._changed.wait(deadline - now)

    def _prune(self) -> None:
        with self.worker.database.transaction() as session:
            forgotten = prune_requests(session, self.worker.clock() - REQUEST_MEMORY)
        if forgotten:
            log.info("forgot %s handled requests older than %s", forgotten, REQUEST_MEMORY)

    # -- a lane's thread -------------------------------------------------------------------------

    def _post(self, pool: ThreadPoolExecutor, lane: _Lane, delivery: DueDelivery) -> None:
        """Deliver the head of a channel's queue; then queue the channel's next behind the other
        channels' posts when it may go at once (the dispatcher starts it otherwise)."""
        outcome: Outcome | None = None
        try:
            outcome = self.worker.deliver(delivery, record_later=True)
        except Exception:  # the database failed while recording: give the claim back
            log.exception("%s delivery of notice %s failed", self.worker.platform, delivery.notice.id)
        # Recording failed: the platform may have the message, so whoever takes it looks first.
        given_back = [dataclasses.replace(delivery, may_be_posted=True)] if outcome is None else []
        finished = 1  # this delivery, and what is given back with it
        channel = delivery.notice.channel
        with self._changed:
            lane.busy = False
            resume = self._pace(channel, outcome)
            if outcome is not None and outcome.held:
                # The platform asked to wait and nothing was recorded: try it first once the wait is over.
                lane.paused_until = resume
                lane.queue.appendleft(delivery)
                finished = 0
            elif outcome is None or outcome.result is Result.RATE_LIMITED:
                wait = outcome.retry_after if outcome is not None and outcome.retry_after else DELIVERY_INTERVAL
                lane.paused_until = time.monotonic() + wait
                finished += len(lane.queue)
                given_back += lane.queue
                lane.queue.clear()
            elif outcome.status is DeliveryStatus.PENDING and delivery.thread is not None:
                # A later notice of the thread must not overtake this one.
                later = [queued for queued in lane.queue if queued.thread == delivery.thread]
                lane.queue = deque(queued for queued in lane.queue if queued.thread != delivery.thread)
                finished += len(later)
                given_back += later
            self._queued -= finished
            following = None if self.stopping.is_set() else self._take_next(channel, lane, time.monotonic())
            self._changed.notify_all()
        self._give_back(given_back)
        if following is not None:
            try:
                pool.submit(self._post, pool, lane, following)
            except RuntimeError:  # the pool is shutting down: the claim is given back with the rest
                with self._changed:
                    lane.busy = False
                    lane.queue.appendleft(following)

    def _pace(self, channel: str, outcome: Outcome | None) -> float:
        """After an attempt, when the channel's next post may go (with the condition held); and
        when a refused one may go again. A channel the platform refused is paced from then on, one
        post every `interval` after the answer to the last, until it has been quiet for
        `PACE_MEMORY`. A refusal within `interval` of the channel's last post is the pace's doing:
        `Retry-After` counts whole seconds, rounded up, so the pace says when to go on."""
        now = time.monotonic()
        if outcome is None:
            return now + DELIVERY_INTERVAL
        wait = outcome.retry_after or DELIVERY_INTERVAL
        if not self.interval:
            return now + wait
        last = self._last_post.get(channel)
        if outcome.result is Result.RATE_LIMITED:
            self._paced[channel] = now + PACE_MEMORY
            if last is not None and now < last + self.interval and wait <= math.ceil(self.interval):
                return last + self.interval
            return now + wait
        if _asked_to_post(outcome):
            self._last_post[channel] = now
            if self._paced.get(channel, 0.0) > now:
                self._next_post[channel] = now + self.interval
                self._paced[channel] = now + PACE_MEMORY
        return now + wait

    def _give_back(self, deliveries: list[DueDelivery]) -> None:
        try:
            self.worker.release(deliveries)
        except Exception:  # they stay claimed by this live worker until it stops
            log.exception("%s: giving back %s claims failed", self.worker.platform, len(deliveries))

    def _give_back_everything(self) -> None:
        with self._changed:
            queued = [delivery for lane in self._lanes.values() for delivery in lane.queue]
            self._lanes.clear()
            self._queued = 0
        self._give_back(queued)
        try:
            self.worker.stop()
        except Exception:
            log.exception("%s delivery worker could not sign off", self.worker.platform)


def _asked_to_post(outcome: Outcome) -> bool:
    """Whether the attempt asked the platform to post (not only to look a message up)."""
    return outcome.result in (Result.POSTED, Result.RETRIED, Result.RATE_LIMITED) and not outcome.found


def deliver_forever(worker: DeliveryWorker, stopping: threading.Event, *, lanes: int = LANES) -> None:
    """Deliver until `stopping` is set (see the module's description)."""
    DeliveryLoop(worker, stopping, lanes=lanes).run()

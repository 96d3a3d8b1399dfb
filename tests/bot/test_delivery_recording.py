"""Posts the delivery loop records later, in batches: until then a post's claim stays its worker's,
a case's thread is found in memory, a worker taken over records nothing over its successor, and a
short rate limit keeps the claim without writing anything."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import col, select

from bot.delivery import HOLD, WORKER_TIMEOUT, DeliveryWorker, Result, RetryLater, Target
from handlers.kit.outbox import NoticePayload, save_notices
from handlers.kit.replies import Notice
from storage.database import Database
from storage.models import Delivery, OutboxNotice, PostedMessage
from storage.vocabulary import DeliveryStatus
from support.clock import FakeClock
from support.harness import RecordingPoster


class PlatformWithMemory(RecordingPoster):
    """Finds a notice it was asked to post before, as the platforms do by metadata or content."""

    def __init__(self) -> None:
        super().__init__()
        self.by_notice: dict[int, str] = {}

    def post(self, notice: OutboxNotice, payload: NoticePayload, target: Target) -> str:
        reference = super().post(notice, payload, target)
        self.by_notice[notice.id or 0] = reference
        return reference

    def find_posted(self, notice: OutboxNotice, payload: NoticePayload, target: Target) -> str | None:
        return self.by_notice.get(notice.id or 0)


def worker(database: Database, clock: FakeClock, poster: RecordingPoster) -> DeliveryWorker:
    started = DeliveryWorker(database, poster, resolve=lambda logical: f"#{logical}", clock=clock)
    started.start()
    return started


def write(database: Database, clock: FakeClock, *notices: Notice) -> None:
    with database.transaction() as session:
        save_notices(session, notices, clock())


def delivery_of(database: Database, text: str) -> Delivery:
    with database.transaction() as session:
        return session.exec(
            select(Delivery)
            .join(OutboxNotice, col(OutboxNotice.id) == col(Delivery.notice_id))
            .where(OutboxNotice.text == text)
        ).one()


def test_posts_recorded_later_are_written_with_the_next_claim_and_their_case_thread_is_used_before_then(
    database: Database, clock: FakeClock
) -> None:
    poster = RecordingPoster()
    running = worker(database, clock, poster)
    write(database, clock, Notice("team", "case opened", case_id="MS-000001"))
    write(database, clock, Notice("team", "outcome recorded", case_id="MS-000001"))
    opened, outcome = running.claim()

    assert running.deliver(opened, record_later=True).result is Result.POSTED
    waiting = delivery_of(database, "case opened")
    assert waiting.status == DeliveryStatus.PENDING and waiting.claimed_by == running.worker_id
    assert running.unrecorded == 1
    assert running.deliver(outcome, record_later=True).result is Result.POSTED
    assert [p.thread_ref for p in poster.posted] == [None, "msg-1"], "the thread is known before it is recorded"

    assert running.claim() == []
    assert running.unrecorded == 0
    for text, reference in (("case opened", "msg-1"), ("outcome recorded", "msg-2")):
        sent = delivery_of(database, text)
        assert (sent.status, sent.message_ref, sent.attempts, sent.claimed_by) == (
            DeliveryStatus.SENT, reference, 1, None,
        )  # fmt: skip
    with database.transaction() as session:
        threads = session.exec(select(PostedMessage)).all()
    assert [(t.channel, t.case_id, t.message_ref) for t in threads] == [("team", "MS-000001", "msg-1")]


def test_a_worker_thought_dead_does_not_record_its_post_over_the_worker_that_took_it_over(
    database: Database, clock: FakeClock
) -> None:
    platform = PlatformWithMemory()
    stalled = worker(database, clock, platform)
    write(database, clock, Notice("team", "only once"))
    (claimed,) = stalled.claim()
    stalled.deliver(claimed, record_later=True)  # posted; then the worker stalls before recording
    clock.advance(seconds=WORKER_TIMEOUT.total_seconds() + 1)
    successor = worker(database, clock, platform)
    (taken_over,) = successor.claim()
    assert taken_over.may_be_posted

    stalled.record()
    mine = delivery_of(database, "only once")
    assert (mine.status, mine.claimed_by) == (DeliveryStatus.PENDING, successor.worker_id), "left to the successor"
    outcome = successor.deliver(taken_over)
    assert outcome.result is Result.POSTED and outcome.found
    assert len(platform.posted) == 1, "found, not posted again"
    assert delivery_of(database, "only once").attempts == 1


def test_a_short_rate_limit_keeps_the_claim_and_writes_nothing_and_a_long_one_is_recorded(
    database: Database, clock: FakeClock
) -> None:
    poster = RecordingPoster()
    running = worker(database, clock, poster)
    write(database, clock, Notice("team", "short wait"), Notice("announcements", "long wait"))
    short, long = running.claim()
    before = delivery_of(database, "short wait")

    poster.failures.append(RetryLater(1, "429 Too Many Requests"))
    held = running.deliver(short, record_later=True)
    assert (held.result, held.held, held.retry_after) == (Result.RATE_LIMITED, True, 1)
    after = delivery_of(database, "short wait")
    assert (after.attempts, after.next_attempt_at, after.claimed_by) == (0, before.next_attempt_at, running.worker_id)

    too_long = HOLD + timedelta(seconds=1)
    poster.failures.append(RetryLater(too_long.total_seconds(), "429 Too Many Requests"))
    recorded = running.deliver(long, record_later=True)
    assert (recorded.result, recorded.held) == (Result.RATE_LIMITED, False)
    waiting = delivery_of(database, "long wait")
    assert (waiting.attempts, waiting.claimed_by) == (1, None)
    assert waiting.next_attempt_at == clock() + too_long

    assert running.deliver(short, record_later=True).result is Result.POSTED, "tried again on the same claim"
    running.record()
    assert delivery_of(database, "short wait").status == DeliveryStatus.SENT

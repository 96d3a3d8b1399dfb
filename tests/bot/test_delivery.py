"""The delivery worker: what each chat platform ends up showing, and when, whatever it answers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import col, select

from bot.delivery import MAX_ATTEMPTS, MAX_BACKOFF, WORKER_TIMEOUT, DeliveryWorker, RetryLater, Target
from handlers.kit.outbox import NoticePayload, save_notices
from handlers.kit.replies import Button, Notice
from storage.database import Database
from storage.models import Delivery, OutboxNotice, PostedMessage
from storage.queries.outbox import CHANNEL_HOLD, write_notice
from storage.vocabulary import DeliveryStatus, NoticeKind
from support.clock import FakeClock
from support.harness import Posted, RecordingPoster


def channel_of(logical: str) -> str | None:
    """Every logical channel is mapped, except organisation channels."""
    return None if logical.startswith("org:") else f"#{logical}"


def worker(database: Database, clock: FakeClock, poster: RecordingPoster | None = None) -> DeliveryWorker:
    return DeliveryWorker(database, poster or RecordingPoster(), resolve=channel_of, clock=clock)


def write(database: Database, clock: FakeClock, *notices: Notice) -> None:
    with database.transaction() as session:
        save_notices(session, notices, clock())


def texts(posted: list[Posted]) -> list[str]:
    return [p.text for p in posted]


def delivery_of(database: Database, text: str, platform: str = "test") -> Delivery:
    with database.transaction() as session:
        row = session.exec(
            select(Delivery)
            .join(OutboxNotice, col(OutboxNotice.id) == col(Delivery.notice_id))
            .where(OutboxNotice.text == text, Delivery.platform == platform)
        ).one()
    return row


@pytest.fixture
def poster() -> RecordingPoster:
    return RecordingPoster()


@pytest.fixture
def running(database: Database, clock: FakeClock, poster: RecordingPoster) -> DeliveryWorker:
    started = worker(database, clock, poster)
    started.start()
    return started


def test_notices_are_posted_once_each_in_the_order_they_were_written(
    database: Database, clock: FakeClock, poster: RecordingPoster, running: DeliveryWorker
) -> None:
    write(database, clock, *(Notice("announcements", f"notice {n}") for n in range(1, 8)))
    assert running.run_once() == 7
    write(database, clock, Notice("team", "notice 8"))
    assert running.run_once() == 1
    assert running.run_once() == 0
    clock.advance(hours=1)
    assert running.run_once() == 0
    assert texts(poster.posted) == [f"notice {n}" for n in range(1, 9)]
    assert delivery_of(database, "notice 3").status == DeliveryStatus.SENT
    assert delivery_of(database, "notice 3").message_ref == "msg-3"


def test_retry_after_from_the_platform_is_honoured_to_the_second(
    database: Database, clock: FakeClock, poster: RecordingPoster, running: DeliveryWorker
) -> None:
    write(database, clock, Notice("team", "rate limited"))
    poster.failures.append(RetryLater(30, "429 Too Many Requests"))
    assert running.run_once() == 0
    held = delivery_of(database, "rate limited")
    assert held.status == DeliveryStatus.PENDING
    assert held.next_attempt_at == clock.now + timedelta(seconds=30)
    assert "429" in (held.last_error or "")

    clock.advance(seconds=29)
    assert running.run_once() == 0
    assert poster.posted == []
    clock.advance(seconds=1)
    assert running.run_once() == 1
    clock.advance(minutes=5)
    assert running.run_once() == 0
    assert texts(poster.posted) == ["rate limited"]
    assert delivery_of(database, "rate limited").status == DeliveryStatus.SENT


def test_failures_back_off_exponentially_then_the_delivery_is_given_up(
    database: Database, clock: FakeClock, poster: RecordingPoster, running: DeliveryWorker
) -> None:
    write(database, clock, Notice("team", "never gets through"))
    poster.failures.extend(ConnectionError("platform down") for _ in range(MAX_ATTEMPTS + 5))
    waits: list[timedelta] = []
    for _ in range(MAX_ATTEMPTS - 1):
        before = clock.now
        assert running.run_once() == 0
        delivery = delivery_of(database, "never gets through")
        assert delivery.status == DeliveryStatus.PENDING
        waits.append(delivery.next_attempt_at - before)
        clock.now = delivery.next_attempt_at - timedelta(milliseconds=1)
        assert running.run_once() == 0, "retried before its time"
        clock.now = delivery.next_attempt_at
    expected = [min(MAX_BACKOFF, timedelta(seconds=2**n)) for n in range(MAX_ATTEMPTS - 1)]
    assert waits == expected
    assert waits[:4] == [timedelta(seconds=s) for s in (1, 2, 4, 8)] and waits[-1] == MAX_BACKOFF

    assert running.run_once() == 0
    given_up = delivery_of(database, "never gets through")
    assert given_up.status == DeliveryStatus.FAILED
    assert given_up.attempts == MAX_ATTEMPTS
    assert "platform down" in (given_up.last_error or "")
    remaining = len(poster.failures)
    clock.advance(days=2)
    assert running.run_once() == 0
    assert len(poster.failures) == remaining, "a failed delivery must not be tried again"


def test_a_failing_notice_does_not_hold_up_other_channels(
    database: Database, clock: FakeClock, poster: RecordingPoster, running: DeliveryWorker
) -> None:
    write(database, clock, Notice("team", "first"), Notice("announcements", "second"))
    poster.failures.append(ConnectionError("reset by peer"))
    assert running.run_once() == 1
    assert texts(poster.posted) == ["second"]
    clock.advance(seconds=1)
    assert running.run_once() == 1
    assert sorted(texts(poster.posted)) == ["first", "second"]


def test_a_rate_limited_notice_is_not_overtaken_in_its_channel_while_other_channels_go_on(
    database: Database, clock: FakeClock, poster: RecordingPoster, running: DeliveryWorker
) -> None:
    write(database, clock, Notice("team", "first"), Notice("team", "second"), Notice("announcements", "elsewhere"))
    poster.failures.append(RetryLater(30, "429 Too Many Requests"))
    assert running.run_once() == 1
    clock.advance(seconds=29)
    assert running.run_once() == 0, "the channel keeps its order while its first notice waits"
    assert texts(poster.posted) == ["elsewhere"]
    clock.advance(seconds=1)
    assert running.run_once() == 2
    assert texts(poster.posted) == ["elsewhere", "first", "second"]


def test_a_notice_failing_past_the_channel_hold_stops_holding_its_channel_back(
    database: Database, clock: FakeClock, poster: RecordingPoster, running: DeliveryWorker
) -> None:
    write(database, clock, Notice("team", "broken"), Notice("team", "next"))
    poster.failures.append(RetryLater(CHANNEL_HOLD.total_seconds() + 60, "a long outage"))
    assert running.run_once() == 0
    clock.advance(seconds=1)
    assert running.run_once() == 1
    assert texts(poster.posted) == ["next"]


def test_a_notice_for_an_unmapped_channel_is_skipped_and_never_retried(
    database: Database,
    clock: FakeClock,
    poster: RecordingPoster,
    running: DeliveryWorker,
    caplog: pytest.LogCaptureFixture,
) -> None:
    write(database, clock, Notice("org:acme", "nowhere to go", case_id="MS-000001"), Notice("team", "mapped"))
    assert running.run_once() == 1
    assert texts(poster.posted) == ["mapped"]
    skipped = delivery_of(database, "nowhere to go")
    assert skipped.status == DeliveryStatus.SKIPPED
    assert "no channel mapped" in (skipped.last_error or "")
    assert any("org:acme" in record.getMessage() for record in caplog.records if record.levelname == "WARNING")
    clock.advance(days=1)
    assert running.run_once() == 0
    assert texts(poster.posted) == ["mapped"]
    assert delivery_of(database, "nowhere to go").attempts == 1


def test_a_notice_whose_stored_payload_does_not_validate_is_failed_and_logged_and_the_rest_still_posted(
    database: Database,
    clock: FakeClock,
    poster: RecordingPoster,
    running: DeliveryWorker,
    caplog: pytest.LogCaptureFixture,
) -> None:
    garbled: dict[str, object] = {"fields": "Items: 2", "buttons": [{"label": "Removed"}]}
    with database.transaction() as session:
        write_notice(session, channel="team", text="garbled", kind=NoticeKind.CASE_OPENED, case_id="MS-000001",
                     payload=garbled, dedupe_key=None, now=clock())  # fmt: skip
        session.flush()
        garbled_id = session.exec(select(OutboxNotice.id).where(OutboxNotice.text == "garbled")).one()
    write(database, clock, Notice("team", "next in its thread", case_id="MS-000001"), Notice("team", "unrelated"))
    assert running.run_once() == 2
    assert texts(poster.posted) == ["next in its thread", "unrelated"]
    failed = delivery_of(database, "garbled")
    assert failed.status == DeliveryStatus.FAILED
    assert "malformed payload" in (failed.last_error or "") and "buttons.0.command" in (failed.last_error or "")
    assert any(
        f"notice {garbled_id} has a malformed payload" in record.getMessage()
        for record in caplog.records
        if record.levelname == "ERROR"
    )
    clock.advance(days=1)
    assert running.run_once() == 0
    assert delivery_of(database, "garbled").attempts == 1, "refused once, never retried"


def test_a_notice_keeps_its_fields_buttons_and_summary_flag_on_the_way_to_the_platform(
    database: Database, clock: FakeClock, poster: RecordingPoster, running: DeliveryWorker
) -> None:
    buttons = (Button("Removed", "outcome MS-000001 all removed", "primary"), Button("Case", "case MS-000001"))
    write(database, clock, Notice("team", "case opened", case_id="MS-000001", buttons=buttons))
    write(database, clock, Notice("team", "case summary", case_id="MS-000001", replaces_case_message=True))
    running.run_once()
    assert [(p.text, p.buttons) for p in poster.posted] == [
        ("case opened", ("outcome MS-000001 all removed", "case MS-000001"))
    ]
    assert [(u.text, u.thread_ref) for u in poster.updated] == [("case summary", "msg-1")]


def test_a_case_gets_one_thread_per_channel_and_later_notices_go_into_it(
    database: Database, clock: FakeClock, poster: RecordingPoster, running: DeliveryWorker
) -> None:
    write(
        database,
        clock,
        Notice("team", "case opened", case_id="MS-000001"),
        Notice("announcements", "case opened, announced", case_id="MS-000001"),
        Notice("team", "other case opened", case_id="MS-000002"),
        Notice("team", "no case at all"),
    )
    running.run_once()
    write(database, clock, Notice("team", "outcome recorded", case_id="MS-000001"))
    write(database, clock, Notice("team", "seller appealed", case_id="MS-000001"))
    write(database, clock, Notice("announcements", "announced outcome", case_id="MS-000001"))
    running.run_once()
    threads = {p.text: p.thread_ref for p in poster.posted}
    assert threads == {
        "case opened": None,
        "case opened, announced": None,
        "other case opened": None,
        "no case at all": None,
        "outcome recorded": "msg-1",
        "seller appealed": "msg-1",
        "announced outcome": "msg-2",
    }
    with database.transaction() as session:
        roots = session.exec(select(PostedMessage).order_by(col(PostedMessage.id))).all()
    assert [(r.platform, r.channel, r.case_id, r.channel_ref, r.message_ref) for r in roots] == [
        ("test", "team", "MS-000001", "#team", "msg-1"),
        ("test", "announcements", "MS-000001", "#announcements", "msg-2"),
        ("test", "team", "MS-000002", "#team", "msg-3"),
    ]


def test_a_notice_held_back_by_the_platform_is_not_overtaken_by_later_notices_of_its_case(
    database: Database, clock: FakeClock, poster: RecordingPoster, running: DeliveryWorker
) -> None:
    write(
        database,
        clock,
        Notice("team", "case opened", case_id="MS-000001"),
        Notice("team", "outcome recorded", case_id="MS-000001"),
    )
    poster.failures.append(RetryLater(30, "429 Too Many Requests"))
    running.run_once()
    clock.advance(seconds=30)
    running.run_once()
    assert texts(poster.posted) == ["case opened", "outcome recorded"]
    assert [p.thread_ref for p in poster.posted] == [None, "msg-1"]


def test_a_restarted_worker_posts_what_was_pending_and_nothing_twice(
    database: Database, clock: FakeClock, poster: RecordingPoster, running: DeliveryWorker
) -> None:
    write(database, clock, Notice("team", "sent before the restart", case_id="MS-000001"))
    running.run_once()
    write(database, clock, Notice("team", "held by the platform"))
    poster.failures.append(RetryLater(60, "429 Too Many Requests"))
    running.run_once()
    assert texts(poster.posted) == ["sent before the restart"]
    # The process stops; a notice is written while it is down.
    write(database, clock, Notice("team", "written while down", case_id="MS-000001"))

    after = RecordingPoster()
    restarted = worker(database, clock, after)
    restarted.start()
    assert restarted.run_once() == 0, "the channel's earlier notice waits out its Retry-After first"
    clock.advance(seconds=60)
    assert restarted.run_once() == 2
    assert texts(after.posted) == ["held by the platform", "written while down"]
    assert after.posted[1].thread_ref == "msg-1", "the case thread survives the restart"
    clock.advance(hours=1)
    assert restarted.run_once() == 0


def test_a_newly_added_platform_does_not_replay_history(
    database: Database, clock: FakeClock, running: DeliveryWorker
) -> None:
    write(database, clock, *(Notice("announcements", f"old {n}") for n in range(3)))
    running.run_once()

    class OtherPlatform(RecordingPoster):
        platform = "other"

    newcomer_poster = OtherPlatform()
    newcomer = DeliveryWorker(database, newcomer_poster, resolve=channel_of, clock=clock)
    newcomer.start()
    assert newcomer.run_once() == 0
    write(database, clock, Notice("announcements", "new"))
    assert newcomer.run_once() == 1
    assert texts(newcomer_poster.posted) == ["new"]


def test_starting_again_keeps_the_backlog_unless_told_to_skip_it(
    database: Database, clock: FakeClock, running: DeliveryWorker
) -> None:
    write(database, clock, Notice("team", "seen"))
    running.run_once()
    write(database, clock, Notice("team", "backlog 1"))
    kept = RecordingPoster()
    resumed = worker(database, clock, kept)
    resumed.start()
    resumed.run_once()
    assert texts(kept.posted) == ["backlog 1"]

    write(database, clock, Notice("team", "backlog 2"), Notice("team", "backlog 3"))
    fresh = RecordingPoster()
    skipping = worker(database, clock, fresh)
    skipping.start(skip_history=True)
    assert skipping.run_once() == 0
    write(database, clock, Notice("team", "after the skip"))
    skipping.run_once()
    assert texts(fresh.posted) == ["after the skip"]


class PlatformWithMemory(RecordingPoster):
    """Keeps what it posted by notice id and can answer whether a notice is already there."""

    def __init__(self) -> None:
        super().__init__()
        self.by_notice: dict[int, str] = {}
        self.lose_answer = False

    def post(self, notice: OutboxNotice, payload: NoticePayload, target: Target) -> str:
        reference = super().post(notice, payload, target)
        assert notice.id is not None
        self.by_notice[notice.id] = reference
        if self.lose_answer:  # the message is posted, but the worker never hears back
            raise TimeoutError("read timed out")
        return reference

    def find_posted(self, notice: OutboxNotice, payload: NoticePayload, target: Target) -> str | None:
        return self.by_notice.get(notice.id or 0)


def test_a_notice_whose_post_timed_out_is_looked_up_and_not_posted_again(database: Database, clock: FakeClock) -> None:
    platform = PlatformWithMemory()
    first = worker(database, clock, platform)
    first.start()
    write(database, clock, Notice("team", "case opened", case_id="MS-000001"))
    platform.lose_answer = True
    assert first.run_once() == 0
    assert delivery_of(database, "case opened").uncertain
    platform.lose_answer = False
    clock.advance(minutes=1)
    restarted = worker(database, clock, platform)
    assert restarted.run_once() == 1
    assert texts(platform.posted) == ["case opened"], "found on the platform, not posted twice"
    sent = delivery_of(database, "case opened")
    assert sent.status == DeliveryStatus.SENT and sent.message_ref == "msg-1"


def test_a_delivery_another_worker_is_posting_is_left_to_it_while_that_worker_beats(
    database: Database, clock: FakeClock
) -> None:
    platform = PlatformWithMemory()
    other = worker(database, clock, platform)
    other.start()
    write(database, clock, Notice("team", "only once"))
    (claimed,) = other.claim()  # the other worker posts it, then is killed before recording it
    platform.post(claimed.notice, NoticePayload(), Target("#team", None))

    poster = RecordingPoster()
    running = worker(database, clock, poster)
    running.start()
    assert running.run_once() == 0 and poster.posted == []
    clock.advance(seconds=WORKER_TIMEOUT.total_seconds() - 1)
    other.heartbeat()  # still alive: its claim holds
    clock.advance(seconds=WORKER_TIMEOUT.total_seconds() - 1)
    assert running.run_once() == 0
    clock.advance(seconds=2)  # its last beat is now more than WORKER_TIMEOUT old: it is gone
    taking_over = worker(database, clock, platform)
    assert taking_over.run_once() == 1
    assert texts(platform.posted) == ["only once"], "looked up on the platform before posting again"
    assert delivery_of(database, "only once").message_ref == "msg-1"
    assert taking_over.run_once() == 0 and running.run_once() == 0


def test_a_direct_message_goes_to_its_person_on_their_platform_only(database: Database, clock: FakeClock) -> None:
    slack, console = RecordingPoster(), RecordingPoster()
    slack.platform, console.platform = "slack", "console"
    on_slack = DeliveryWorker(database, slack, clock=clock)
    on_console = DeliveryWorker(database, console, clock=clock)
    on_slack.start()
    on_console.start()
    write(database, clock, Notice("dm:slack:U0BRAND1", "Reminder: weekly triage"))
    assert on_slack.run_once() == 1 and on_console.run_once() == 0
    assert delivery_of(database, "Reminder: weekly triage", platform="console").status == DeliveryStatus.SKIPPED


def test_one_notice_is_posted_in_each_channels_language_on_each_platform(database: Database, clock: FakeClock) -> None:
    from handlers.kit.i18n import _, localized
    from storage.models import ChannelMapping, Member
    from storage.vocabulary import Language, Role

    with database.transaction() as session:
        session.add(ChannelMapping(platform="slack", logical_name="team", external_id="C0TEAM", language=Language.ZH,
                                   updated_by="console:operator"))  # fmt: skip
        session.add(ChannelMapping(platform="discord", logical_name="team", external_id="4567", updated_by="x"))
        session.add(Member(platform="slack", user_id="U0LI", role=Role.TEAM, language=Language.ZH))
    slack, discord = RecordingPoster("slack"), RecordingPoster("discord")
    workers = [DeliveryWorker(database, poster, clock=clock) for poster in (slack, discord)]
    for started in workers:
        started.start()
    write(
        database, clock,
        localized(lambda: Notice("team", _("Open cases: {count}", count=4))),
        localized(lambda: Notice("dm:slack:U0LI", _("Open cases: {count}", count=1))),
    )  # fmt: skip
    assert [started.run_once() for started in workers] == [2, 1]
    assert texts(slack.posted) == ["未结案件：4", "未结案件：1"]  # the channel's language; the recipient's choice
    assert texts(discord.posted) == ["Open cases: 4"]  # no language set there: the program's

"""Drives the real router and delivery worker the way a chat platform does.

`bot.send("complaint ...", as_="brand1")` runs a command as `console:brand1` and returns the
reply; `bot.delivered()` runs the delivery worker and returns the notices it posted since the
last call. Nothing is mocked below the platform edge.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.delivery import DeliveryWorker, Target
from bot.router import Incoming, Router, ThreadMessage
from handlers.kit.context import Attachment, Caller, ProgramRules
from handlers.kit.outbox import NoticePayload
from handlers.kit.replies import Reply
from storage.database import Database
from storage.models import OutboxNotice
from storage.queries.outbox import posted_message
from support.clock import FakeClock

OPERATOR = "operator"


@dataclass(frozen=True)
class Posted:
    channel: str
    case_id: str | None
    text: str
    kind: str
    thread_ref: str | None
    buttons: tuple[str, ...]


class RecordingPoster:
    """A platform that records what it is asked to post; it can be told to fail."""

    def __init__(self, platform: str = "test") -> None:
        self.platform = platform
        self.posted: list[Posted] = []
        self.updated: list[Posted] = []
        self.failures: list[Exception] = []

    def find_posted(self, notice: OutboxNotice, payload: NoticePayload, target: Target) -> str | None:
        return None

    def update(self, notice: OutboxNotice, payload: NoticePayload, target: Target) -> str:
        self.updated.append(Posted(notice.channel, notice.case_id, notice.text, notice.kind, target.thread_ref, ()))
        return target.thread_ref or ""

    def post(self, notice: OutboxNotice, payload: NoticePayload, target: Target) -> str:
        if self.failures:
            raise self.failures.pop(0)
        buttons = tuple(button.command for button in payload.buttons)
        self.posted.append(Posted(notice.channel, notice.case_id, notice.text, notice.kind, target.thread_ref, buttons))
        return f"msg-{len(self.posted)}"


class Harness:
    def __init__(self, database: Database, clock: FakeClock, rules: ProgramRules | None = None) -> None:
        self.database = database
        self.clock = clock
        self.router = Router(database, rules or ProgramRules(), frozenset({f"console:{OPERATOR}"}), clock=clock)
        # The harness's callers are console identities, and a thread message's author is on the
        # thread's platform: so the threads are recorded as the console's.
        self.poster = RecordingPoster("console")
        self.delivery = DeliveryWorker(database, self.poster, resolve=lambda logical: f"#{logical}", clock=clock)
        self.delivery.start()
        self._seen = 0

    def send(
        self,
        text: str,
        as_: str = OPERATOR,
        *,
        attachments: tuple[Attachment, ...] = (),
        request_key: str | None = None,
    ) -> Reply:
        incoming = Incoming(Caller("console", as_), text, attachments=attachments, request_key=request_key)
        return self.router.handle(incoming)

    def say_in_thread(
        self, channel: str, reference: str, text: str, as_: str = OPERATOR, *, request_key: str | None = None
    ) -> Reply | None:
        """`as_` writes `text` in the thread of `reference` (a case, a language request, a raid) in
        the logical `channel`, as a person does on a chat platform; the reply, or None when the
        message stands for nothing."""
        with self.database.transaction() as session:
            thread = posted_message(session, self.poster.platform, channel, reference)
        assert thread is not None, f"no thread of {reference} was posted in {channel}"
        message = ThreadMessage(self.poster.platform, thread.channel_ref, thread.message_ref, as_, text, request_key)
        return self.router.thread_message(message)

    def ok(self, text: str, as_: str = OPERATOR, **kwargs: object) -> Reply:
        reply = self.send(text, as_, **kwargs)  # type: ignore[arg-type]
        assert not reply.is_error, f"{text!r} failed: {reply.render_plain()}"
        return reply

    def refused(self, text: str, as_: str = OPERATOR, **kwargs: object) -> str:
        reply = self.send(text, as_, **kwargs)  # type: ignore[arg-type]
        assert reply.is_error, f"{text!r} should have been refused: {reply.render_plain()}"
        return reply.text

    def delivered(self) -> list[Posted]:
        self.delivery.run_once()
        fresh = self.poster.posted[self._seen :]
        self._seen = len(self.poster.posted)
        return fresh

    def set_up_program(self) -> None:
        for command in (
            'admin org add acme "ACME Corp" country=US size=large',
            'admin right add acme trademark 1234567 mark="ACME" jurisdiction=CN expires=2030-12-31',
            "admin right verify 1",
            "admin member add console:brand1 acme member",
            'admin org add globex "Globex Ltd" country=GB',
            'admin right add globex trademark 7654321 mark="GLOBEX" jurisdiction=CN',
            "admin right verify 2",
            "admin member add console:brand2 globex representative",
            "admin member add console:team1 - team",
        ):
            self.ok(command)
        self.delivered()

"""MARKETSAFE_LOG_FORMAT=json: one JSON object a line, every line of a request carrying its
reference (the one a user is shown when it fails), the intake's own lines about it included,
secrets still redacted."""

from __future__ import annotations

import io
import json
import logging
import time
from collections.abc import Iterator

import pytest
from sqlmodel import Session

from bot.intake import Intake, Outcome
from bot.logs import configure_logging
from bot.router import Incoming, Router
from handlers.kit.context import Caller, Context
from handlers.kit.replies import Reply
from storage.queries.intake import Accepted
from support.harness import Harness

SECRET = "json-log-signing-secret-0123"
TOKEN = "xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy"


@pytest.fixture
def output() -> Iterator[io.StringIO]:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    stream = io.StringIO()
    configure_logging("INFO", [SECRET], stream=stream, log_format="json")
    yield stream
    root.handlers[:], root.level = handlers, level


def lines(output: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in output.getvalue().splitlines()]


def test_every_line_of_a_request_carries_its_reference_and_the_user_is_given_it(
    program: Harness, output: io.StringIO
) -> None:
    def failing(ctx: Context, session: Session) -> Reply:
        logging.getLogger("handlers.test").info("working for %s with %s", ctx.caller.ref, SECRET)
        raise RuntimeError(f"boom {TOKEN}")

    reply = program.router.run(program_incoming(), "stats", failing)
    written = lines(output)
    references = {line.get("reference") for line in written}
    assert len(references) == 1 and None not in references
    (reference,) = references
    assert f"reference {reference}" in reply.text
    assert [line["level"] for line in written] == ["INFO", "ERROR"]
    assert written[0]["message"] == "working for console:brand1 with [redacted]"
    assert "RuntimeError: boom [redacted]" in str(written[1]["exception"])
    assert SECRET not in output.getvalue() and TOKEN not in output.getvalue()


def test_two_requests_have_two_references_and_lines_outside_requests_none(
    program: Harness, output: io.StringIO
) -> None:
    def noisy(ctx: Context, session: Session) -> Reply:
        logging.getLogger("handlers.test").info("inside")
        raise RuntimeError("boom")

    program.router.run(program_incoming(), "stats", noisy)
    program.router.run(program_incoming(), "stats", noisy)
    logging.getLogger("bot.test").warning("outside")
    written = lines(output)
    assert len({line["reference"] for line in written[:4]}) == 2
    assert written[0]["reference"] == written[1]["reference"] != written[2]["reference"]
    assert "reference" not in written[4] and written[4]["message"] == "outside"


def program_incoming() -> Incoming:
    return Incoming(Caller("console", "brand1"), "stats")


class AnswerLost:
    """A platform's runner whose lookups for the command are logged, whose command fails in the
    router, and whose answer then cannot be given (the platform is down)."""

    def __init__(self, router: Router) -> None:
        self.router = router
        self.replies: list[Reply] = []

    def run(self, command: Accepted, *, fresh: bool) -> None:
        logging.getLogger("bot.slack.bridge").info("users.info refused (ratelimited): replying in the default language")

        def failing(ctx: Context, session: Session) -> Reply:
            raise RuntimeError("boom")

        self.replies.append(self.router.run(program_incoming(), "stats", failing))
        raise ConnectionError("the platform did not answer")

    def give_up(self, command: Accepted) -> None:
        raise AssertionError("not given up at the first attempt")


def test_a_failing_command_s_intake_lines_carry_the_reference_of_its_router_lines(
    program: Harness, output: io.StringIO
) -> None:
    runner = AnswerLost(program.router)
    intake = Intake(program.database, "slack", runner, clock=program.clock)

    assert intake.accept("command", "slack:command:1", {"text": "stats"}, None) is Outcome.STARTED
    deadline = time.monotonic() + 10
    while (intake.in_flight or "trying again later" not in output.getvalue()) and time.monotonic() < deadline:
        time.sleep(0.01)  # until its attempt has ended and been recorded

    written = [line for line in lines(output) if line["logger"] != "bot.intake_batches"]
    assert [(line["logger"], line["level"]) for line in written] == [
        ("bot.slack.bridge", "INFO"),
        ("bot.router", "ERROR"),
        ("bot.intake", "ERROR"),
    ]
    assert written[2]["message"] == "slack command id=1 could not be answered; trying again later"
    (reference,) = {line.get("reference") for line in written}
    assert reference and f"reference {reference}" in runner.replies[0].text

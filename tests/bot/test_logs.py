"""Log lines never show a secret: configured ones, or anything shaped like a chat token."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest

from bot.logs import OncePerInterval, RedactSecrets, configure_logging

SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
SLACK_TOKENS = [
    "xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy",
    "xoxp-23984754863-2348975623103-2349875002-6a2f9e1b8c4d7e0f3a5b",
    "xapp-1-A0123ABCDEF-2718281828459-0a1b2c3d4e5f60718293a4b5c6d7e8f9",
]
DISCORD_TOKENS = [
    # Bot ids starting 1-7 give a first part starting M or N; 8 and 9 give O.
    "MTA5ODc2NTQzMjEwOTg3NjU0Mw.GhQzXc.3fQ9kR2mW7pL1sT8vY4bN6cJ0dH5eA_x-Zu",
    "NzEyMzQ1Njc4OTAxMjM0NTY3.Xy1ZaB.q8W2e4R6t8Y0u2I4o6P8a0S2d4F6g8H0j2K",
    "ODEyMzQ1Njc4OTAxMjM0NTY3.YabcDE.abcdefghijklmnopqrstuvwxyz0123456",
    "OTg3NjU0MzIxMDk4NzY1NDMy.G1a2b3.ZyXwVuTsRqPoNmLkJiHgFeDcBa9876543210ab",
]


@pytest.fixture
def output() -> Iterator[io.StringIO]:
    """Logging configured as the bot configures it, writing to a buffer; restored afterwards."""
    root = logging.getLogger()
    alembic = logging.getLogger("alembic")
    handlers, level, alembic_level = root.handlers[:], root.level, alembic.level
    stream = io.StringIO()
    configure_logging("INFO", [SIGNING_SECRET], stream=stream)
    yield stream
    root.handlers[:], root.level = handlers, level
    alembic.setLevel(alembic_level)


log = logging.getLogger("bot.test_logs")


def test_a_configured_secret_is_redacted_in_the_message(output: io.StringIO) -> None:
    log.info(f"verifying requests with {SIGNING_SECRET} now")
    text = output.getvalue()
    assert SIGNING_SECRET not in text
    assert "verifying requests with [redacted] now" in text


def test_a_configured_secret_is_redacted_in_percent_arguments(output: io.StringIO) -> None:
    log.warning("request signed with %s was refused (%d times)", SIGNING_SECRET, 3)
    text = output.getvalue()
    assert SIGNING_SECRET not in text
    assert "request signed with [redacted] was refused (3 times)" in text
    assert "WARNING bot.test_logs:" in text


@pytest.mark.parametrize("token", SLACK_TOKENS + DISCORD_TOKENS)
def test_chat_shaped_tokens_are_redacted_even_when_not_configured(output: io.StringIO, token: str) -> None:
    log.info("auth.test answered for %s", token)
    log.info(f"token={token};")
    text = output.getvalue()
    assert token not in text
    assert text.count("[redacted]") == 2
    assert "token=[redacted];" in text


def test_secrets_in_exception_tracebacks_are_redacted(output: io.StringIO) -> None:
    try:
        try:
            raise ConnectionError(f"handshake refused for {SLACK_TOKENS[0]}")
        except ConnectionError as cause:
            raise RuntimeError(f"could not post with signing secret {SIGNING_SECRET}") from cause
    except RuntimeError:
        log.exception("posting notice %s failed", 42)
    text = output.getvalue()
    assert "posting notice 42 failed" in text
    assert "Traceback (most recent call last)" in text
    assert "RuntimeError: could not post with signing secret [redacted]" in text
    assert "ConnectionError: handshake refused for [redacted]" in text
    assert SIGNING_SECRET not in text and SLACK_TOKENS[0] not in text


def test_ordinary_lines_are_left_alone(output: io.StringIO) -> None:
    log.info("case %s filed by %s with %d items", "MS-000123", "slack:U0123ABCD", 40)
    assert "case MS-000123 filed by slack:U0123ABCD with 40 items" in output.getvalue()
    assert "[redacted]" not in output.getvalue()


def test_the_configured_level_hides_lower_levels_and_migration_chatter(output: io.StringIO) -> None:
    configure_logging("warning", [SIGNING_SECRET], stream=output)
    log.info("routine")
    logging.getLogger("alembic.runtime.migration").info("Running upgrade -> 0001")
    log.warning("worth seeing")
    text = output.getvalue()
    assert "routine" not in text and "Running upgrade" not in text
    assert "worth seeing" in text


def test_the_filter_redacts_on_any_handler_it_is_attached_to() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactSecrets(["s3cr3t-value", "abc"]))
    handler.setFormatter(logging.Formatter("%(message)s"))
    other = logging.getLogger("bot.test_logs.filter")
    other.addHandler(handler)
    other.propagate = False
    try:
        other.warning("values %s and %s", "s3cr3t-value", SLACK_TOKENS[1])
    finally:
        other.removeHandler(handler)
        other.propagate = True
    assert stream.getvalue() == "values [redacted] and [redacted]\n"


def test_library_chatter_stays_out_of_the_log_at_info_and_shows_at_debug() -> None:
    stream = io.StringIO()
    configure_logging("INFO", [], stream)
    logging.getLogger("apscheduler.scheduler").info('Added job "fire" to job store "default"')
    logging.getLogger("apscheduler.executors.default").warning("Run time of job was missed")
    logging.getLogger("alembic.runtime.migration").info("Running upgrade -> 0001")
    assert "Added job" not in stream.getvalue() and "Running upgrade" not in stream.getvalue()
    assert "Run time of job was missed" in stream.getvalue()
    configure_logging("DEBUG", [], stream)
    logging.getLogger("apscheduler.scheduler").info("Scheduler started")
    assert "Scheduler started" in stream.getvalue()


@pytest.mark.parametrize(
    ("line", "secret"),
    [
        ("POST https://hooks.slack.com/commands/T0TEAM/4812/Zx9AbCdEfGhIjKlMnOp ok", "Zx9AbCdEfGhIjKlMnOp"),
        (
            "body response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT0TEAM%2F4812%2FZx9AbCdEfGhIjKlMnOp&x=1",
            "Zx9AbCdEfGhIjKlMnOp",
        ),
        ("POST https://hooks.slack-gov.com/commands/T0GOV/4812/Gv7AbCdEfGhIjKlMnOp ok", "Gv7AbCdEfGhIjKlMnOp"),
        (
            "POST /api/v10/interactions/1576872809009905664/aW50ZXJhY3Rpb246_dpeSsq3nxNalLjPY3AB/callback",
            "aW50ZXJhY3Rpb246_dpeSsq3nxNalLjPY3AB",
        ),
        ("PATCH /webhooks/1080784060416131073/aW50ZXJhY3Rpb246k_ErL1YwPLgm/messages/@original", "k_ErL1YwPLgm"),
        ("interaction {'type': 2, 'token': 'aW50ZXJhY3Rpb246k_ErL1YwPLgmgX', 'id': '3'}", "k_ErL1YwPLgmgX"),
    ],
    ids=[
        "slack response url",
        "url-encoded slack response url",
        "govslack response url",
        "discord interaction callback",
        "discord followup webhook",
        "interaction payload",
    ],
)
def test_per_request_tokens_never_reach_the_log(output: io.StringIO, line: str, secret: str) -> None:
    log.debug(line)
    log.warning(line)
    assert secret not in output.getvalue()
    assert "[redacted]" in output.getvalue()


def test_a_burst_of_library_warnings_becomes_one_line_per_interval_saying_how_many_were_held() -> None:
    moments = iter([0.0, 1.0, 2.0, 3.0, 11.0])
    burst = logging.getLogger("test.burst")
    burst.filters[:] = [OncePerInterval(10.0, clock=lambda: next(moments))]
    stream = io.StringIO()
    configure_logging("INFO", [], stream)
    for depth in range(1, 6):
        burst.warning("Task queue depth is %d", depth)
    lines = stream.getvalue().splitlines()
    assert [line.split(": ", 1)[1] for line in lines] == [
        "Task queue depth is 1",
        "Task queue depth is 5 (3 more like it in the last 10 s not shown)",
    ]
    burst.filters.clear()


def test_waitress_queue_warnings_are_rate_limited_once_logging_is_configured() -> None:
    configure_logging("INFO", [], io.StringIO())
    assert any(isinstance(found, OncePerInterval) for found in logging.getLogger("waitress.queue").filters)
    configure_logging("INFO", [], io.StringIO())
    assert sum(isinstance(found, OncePerInterval) for found in logging.getLogger("waitress.queue").filters) == 1

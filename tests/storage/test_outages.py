"""A loop riding out an outage: waits that double up to a bound, a traceback when it starts, a line
a minute while it lasts, one when it ends."""

from __future__ import annotations

import logging

import pytest

from storage.outages import Outage

log = logging.getLogger("bot.test_outage")


class Seconds:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def fail(outage: Outage) -> float:
    try:
        raise ConnectionRefusedError("connection refused\nmore detail")
    except ConnectionRefusedError:
        return outage.failed()


def test_waits_double_from_the_normal_interval_up_to_the_bound_and_are_normal_again_after_a_success() -> None:
    outage = Outage("the sweep", log, first_wait=0.5, longest_wait=4.0, clock=Seconds())

    assert outage.wait == 0.5
    assert [fail(outage) for _ in range(6)] == [0.5, 1.0, 2.0, 4.0, 4.0, 4.0]
    assert outage.failing and outage.wait == 4.0
    outage.succeeded()
    assert not outage.failing and outage.wait == 0.5
    assert fail(outage) == 0.5
    assert [fail(outage) for _ in range(2000)][-1] == 4.0  # never overflows


def test_a_long_outage_logs_its_start_with_the_traceback_a_line_a_minute_and_its_end(
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock = Seconds()
    outage = Outage("the sweep", log, first_wait=1.0, longest_wait=10.0, report_every=60.0, clock=clock)

    with caplog.at_level(logging.INFO, logger=log.name):
        for _ in range(300):  # five minutes, an attempt a second
            fail(outage)
            clock.now += 1.0
        outage.succeeded()

    records = caplog.records
    assert [r.levelno for r in records] == [logging.ERROR] * 5 + [logging.WARNING]
    assert records[0].getMessage() == "the sweep failed; retrying in 1 s"
    assert records[0].exc_info is not None
    assert all(r.exc_info is None for r in records[1:])
    assert records[1].getMessage() == (
        "the sweep still failing: 61 attempts in 60 s, now retrying every 10 s "
        "(last: ConnectionRefusedError: connection refused)"
    )
    assert records[-1].getMessage() == "the sweep works again, after 300 failed attempts in 300 s"


def test_a_success_outside_an_outage_logs_nothing(caplog: pytest.LogCaptureFixture) -> None:
    outage = Outage("the sweep", log, first_wait=1.0, clock=Seconds())
    with caplog.at_level(logging.DEBUG, logger=log.name):
        outage.succeeded()
        outage.succeeded()
    assert caplog.records == []

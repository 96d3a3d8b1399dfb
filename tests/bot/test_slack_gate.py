"""Requests refused before bolt reads them: too large, unsigned, stale, forged, malformed."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

import pytest

from bot.slack.gate import MAX_AGE, MAX_BODY, MAX_TIMESTAMP_DIGITS, gated
from support.slack_requests import signature

SECRET = "gate-signing-secret"
NOW = 1_800_000_000


class Untouchable(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def read(self, size: int = -1) -> bytes:
        raise AssertionError("the body was read")


class Recorder:
    """The application behind the gate: records what reached it."""

    def __init__(self) -> None:
        self.bodies: list[bytes] = []

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        self.bodies.append(environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0)))
        start_response("200 OK", [])
        return [b"ok"]


def send(body: bytes | io.RawIOBase, **headers: str) -> tuple[str, Recorder]:
    inner, statuses = Recorder(), []
    stream = io.BytesIO(body) if isinstance(body, bytes) else body
    environ: dict[str, Any] = {"REQUEST_METHOD": "POST", "PATH_INFO": "/slack/events", "wsgi.input": stream, **headers}
    gated(inner, SECRET, clock=lambda: NOW)(environ, lambda status, headers: statuses.append(status))
    return statuses[0], inner


def signed(body: bytes, timestamp: int = NOW) -> dict[str, str]:
    return {
        "CONTENT_LENGTH": str(len(body)),
        "HTTP_X_SLACK_REQUEST_TIMESTAMP": str(timestamp),
        "HTTP_X_SLACK_SIGNATURE": signature(SECRET, timestamp, body),
    }


def test_a_signed_request_reaches_bolt_with_its_body_intact() -> None:
    body = b"command=%2Fmarketsafe&text=help"
    status, inner = send(body, **signed(body))
    assert status == "200 OK" and inner.bodies == [body]


def test_a_body_declared_over_the_limit_is_refused_before_a_byte_is_read() -> None:
    headers = signed(b"x") | {"CONTENT_LENGTH": str(100 * 1024 * 1024)}
    status, inner = send(Untouchable(), **headers)
    assert status == "413 Content Too Large" and inner.bodies == []
    assert MAX_BODY == 1024 * 1024


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_X_SLACK_REQUEST_TIMESTAMP": "soon", "HTTP_X_SLACK_SIGNATURE": "v0=abc"},
        {"HTTP_X_SLACK_REQUEST_TIMESTAMP": str(NOW)},
        {"HTTP_X_SLACK_SIGNATURE": "v0=abc"},
        {"HTTP_X_SLACK_REQUEST_TIMESTAMP": "١٢٣", "HTTP_X_SLACK_SIGNATURE": "v0=abc"},
    ],
    ids=["non-numeric timestamp", "no signature", "no timestamp", "non-ascii digits"],
)
def test_unsigned_or_malformed_headers_are_refused_without_reading_the_body(headers: dict[str, str]) -> None:
    status, inner = send(Untouchable(), CONTENT_LENGTH="20", **headers)
    assert status == "401 Unauthorized" and inner.bodies == []


def test_a_stale_request_is_refused_without_reading_the_body() -> None:
    headers = signed(b"{}", timestamp=NOW - MAX_AGE - 1)
    status, inner = send(Untouchable(), **headers)
    assert status == "401 Unauthorized" and inner.bodies == []


def test_a_timestamp_of_thousands_of_digits_is_refused_as_stale_without_reading_the_body(
    caplog: pytest.LogCaptureFixture,
) -> None:
    headers = {"CONTENT_LENGTH": "20", "HTTP_X_SLACK_REQUEST_TIMESTAMP": "9" * 5000, "HTTP_X_SLACK_SIGNATURE": "v0=abc"}
    status, inner = send(Untouchable(), **headers)
    assert status == "401 Unauthorized" and inner.bodies == []
    assert "Traceback" not in caplog.text
    padded = signed(b"{}") | {"HTTP_X_SLACK_REQUEST_TIMESTAMP": str(NOW).zfill(MAX_TIMESTAMP_DIGITS + 1)}
    assert send(Untouchable(), **padded)[0] == "401 Unauthorized"


def test_a_forged_signature_or_malformed_json_from_a_stranger_never_reaches_bolt() -> None:
    body = b'{"type": "event_callback", "event": '  # malformed, and signed with another secret
    headers = signed(body) | {"HTTP_X_SLACK_SIGNATURE": signature("not-the-secret", NOW, body)}
    status, inner = send(body, **headers)
    assert status == "401 Unauthorized" and inner.bodies == []


def test_a_chunked_body_without_a_length_is_refused() -> None:
    status, inner = send(
        Untouchable(),
        HTTP_TRANSFER_ENCODING="chunked",
        **{"HTTP_X_SLACK_REQUEST_TIMESTAMP": str(NOW), "HTTP_X_SLACK_SIGNATURE": "v0=abc"},
    )
    assert status == "411 Length Required" and inner.bodies == []

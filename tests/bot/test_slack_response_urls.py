"""Answers to response URLs go over kept-alive connections, never over one the server closed, and a
post is never sent twice except after a rate limit."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest

from bot.slack.response_urls import ResponsePoster
from support.fake_http import dropped
from support.fake_slack import FakeSlack

ANSWER = b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{"ok":true}'


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as running:
        yield running


def test_answers_to_one_host_share_a_connection(fake: FakeSlack) -> None:
    poster = ResponsePoster()
    key = ("http", "127.0.0.1", fake.port)
    first = poster.post(fake.response_url("a"), {"text": "one", "blocks": None})
    [(_, kept)] = poster._kept[key]
    second = poster.post(fake.response_url("b"), {"text": "two"})
    assert (first.status_code, second.status_code) == (200, 200)
    assert [connection for _, connection in poster._kept[key]] == [kept]
    assert [call.params for call in fake.calls_to("response_url")] == [{"text": "one"}, {"text": "two"}]


class OneAnswerServer:
    """Answers one request per connection, keeping it alive, then closes it: as a server whose idle
    limit ran out between two answers."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.connections = 0
        self.requests: list[bytes] = []
        self.closed = threading.Semaphore(0)
        threading.Thread(target=self._serve, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.listener.getsockname()[1]}/response/x"

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            self.connections += 1
            with connection:
                received = b""
                while b"\r\n\r\n" not in received or not received.endswith(b"}"):
                    received += connection.recv(65536)
                self.requests.append(received)
                connection.sendall(ANSWER)
            self.closed.release()


def test_a_kept_connection_the_server_closed_is_not_used() -> None:
    server = OneAnswerServer()
    poster = ResponsePoster()
    try:
        assert poster.post(server.url, {"text": "one"}).status_code == 200
        assert server.closed.acquire(timeout=5)  # the server closed its side once it had answered
        assert poster.post(server.url, {"text": "two"}).status_code == 200
    finally:
        server.listener.close()
    assert server.connections == 2
    assert [request.rsplit(b"\r\n\r\n", 1)[1] for request in server.requests] == [
        b'{"text": "one"}',
        b'{"text": "two"}',
    ]


def test_a_post_whose_connection_dropped_is_not_sent_again(fake: FakeSlack) -> None:
    fake.fail_with(lambda call: call.method == "response_url", dropped(after_write=True))
    with pytest.raises(OSError):
        ResponsePoster().post(fake.response_url("a"), {"text": "once"})
    assert len(fake.calls_to("response_url")) == 1


def test_a_rate_limited_post_is_sent_again_after_the_wait(fake: FakeSlack) -> None:
    fake.fail_next("response_url", retry_after=1)
    answer = ResponsePoster().post(fake.response_url("a"), {"text": "later"})
    assert answer.status_code == 200
    assert len(fake.calls_to("response_url")) == 2


def test_a_post_to_a_closed_port_fails_as_refused() -> None:
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]
    with pytest.raises(ConnectionRefusedError):
        ResponsePoster().post(f"http://127.0.0.1:{port}/response/x", {"text": "nobody"})

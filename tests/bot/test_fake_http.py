"""The fakes' shared HTTP base: lifecycle, recorded requests, and each way a platform fails, as a
real HTTP client sees it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
from aiohttp import web

from support.fake_http import FakeHTTP, dropped, rate_limited, refused


@dataclass(frozen=True)
class Note:
    """One request to the notes platform."""

    method: str
    path: str
    text: str


class FakeNotes(FakeHTTP[Note]):
    """A platform that keeps notes: `POST /notes {"text": ...}` keeps one, `GET /notes` lists them."""

    def __init__(self) -> None:
        super().__init__()
        self.kept: list[str] = []

    def _add_routes(self, app: web.Application) -> None:
        app.router.add_route("*", "/notes", self._handle)

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        body = await request.read()
        note = Note(request.method, request.path, json.loads(body)["text"] if body else "")

        async def answer() -> web.StreamResponse:
            if note.method == "POST":
                with self._lock:
                    self.kept.append(note.text)
                    return web.json_response({"id": len(self.kept)})
            return web.json_response({"notes": self.kept})

        return await self._serve(request, note, answer)


def posting(note: Note) -> bool:
    return note.method == "POST"


@pytest.fixture
def fake() -> Iterator[FakeNotes]:
    with FakeNotes() as started:
        yield started


def post(fake: FakeNotes, text: str) -> httpx.Response:
    return httpx.post(f"{fake.base_url}/notes", json={"text": text}, timeout=5, trust_env=False)


def test_a_fake_serves_on_an_ephemeral_local_port_and_records_each_request(fake: FakeNotes) -> None:
    assert fake.base_url.startswith("http://127.0.0.1:") and fake.port > 0
    assert post(fake, "first").json() == {"id": 1}
    assert httpx.get(f"{fake.base_url}/notes", timeout=5, trust_env=False).json() == {"notes": ["first"]}
    assert fake.calls == [Note("POST", "/notes", "first"), Note("GET", "/notes", "")]
    with pytest.raises(RuntimeError, match="FakeNotes is already running"):
        fake.start()


def test_a_stopped_fake_releases_its_port() -> None:
    with FakeNotes() as fake:
        url = f"{fake.base_url}/notes"
    with pytest.raises(httpx.ConnectError):
        httpx.get(url, timeout=5, trust_env=False)
    with pytest.raises(RuntimeError, match="FakeNotes is not running"):
        _ = fake.base_url


def test_a_fake_that_cannot_serve_says_so_when_started() -> None:
    class Broken(FakeNotes):
        def _add_routes(self, app: web.Application) -> None:
            raise OSError("no routes")

    with pytest.raises(RuntimeError, match="Broken could not start"):
        Broken().start()


def test_a_rate_limited_request_gets_429_with_retry_after_and_changes_nothing(fake: FakeNotes) -> None:
    fake.fail_with(posting, rate_limited(1.5, {"error": "ratelimited"}))
    limited = post(fake, "too soon")
    assert limited.status_code == 429 and limited.headers["Retry-After"] == "2"
    assert limited.json() == {"error": "ratelimited"}
    assert fake.kept == []
    assert post(fake, "later").status_code == 200 and fake.kept == ["later"]


def test_a_server_error_instead_of_the_platform_changes_nothing(fake: FakeNotes) -> None:
    fake.fail_with(posting, refused(503, {"error": "unavailable"}))
    failed = post(fake, "lost")
    assert failed.status_code == 503 and "Retry-After" not in failed.headers
    assert fake.kept == []


def test_a_server_error_after_the_write_keeps_the_note_the_client_thinks_failed(fake: FakeNotes) -> None:
    fake.fail_with(posting, refused(500, {"error": "internal"}, after_write=True))
    failed = post(fake, "kept anyway")
    assert failed.status_code == 500 and failed.json() == {"error": "internal"}
    assert fake.kept == ["kept anyway"]


def test_a_connection_dropped_after_reading_the_request_keeps_nothing(fake: FakeNotes) -> None:
    fake.fail_with(posting, dropped())
    with pytest.raises(httpx.RemoteProtocolError):
        post(fake, "never kept")
    assert fake.kept == [] and fake.calls == [Note("POST", "/notes", "never kept")]
    assert post(fake, "next").json() == {"id": 1}


def test_a_connection_dropped_after_the_platform_kept_the_note(fake: FakeNotes) -> None:
    fake.fail_with(posting, dropped(after_write=True))
    with pytest.raises(httpx.RemoteProtocolError):
        post(fake, "kept, unanswered")
    assert fake.kept == ["kept, unanswered"]


def test_failures_hit_only_the_requests_they_match_in_order_and_reset_forgets_them(fake: FakeNotes) -> None:
    fake.fail_with(posting, refused(503), times=2)
    fake.fail_with(posting, refused(502))
    assert httpx.get(f"{fake.base_url}/notes", timeout=5, trust_env=False).status_code == 200
    assert [post(fake, "x").status_code for _ in range(3)] == [503, 503, 502]
    fake.fail_with(posting, refused(500))
    fake.reset()
    assert fake.calls == []
    assert post(fake, "after reset").status_code == 200
    with pytest.raises(ValueError, match="at least 1"):
        fake.fail_with(posting, refused(500), times=0)

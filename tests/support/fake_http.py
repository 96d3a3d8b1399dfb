"""The HTTP plumbing every fake chat platform shares: a server on 127.0.0.1 at an ephemeral port,
run by aiohttp on the fake's own event loop in a daemon thread; every request recorded as the
fake's `Call`; and failures injected into the answers, the way a real platform fails:

- `refused(...)`, `rate_limited(...)`: answered instead of the platform, which does nothing;
- `dropped()`: the connection is closed once the request is read, and nothing is done;
- `refused(..., after_write=True)`: the platform does the work, then answers an error (a 5xx after
  the write);
- `dropped(after_write=True)`: the platform keeps the message, then the connection is dropped.

A fake subclasses `FakeHTTP`, adds its routes in `_add_routes`, and sends each request through
`_serve(request, call, answer)`: the call is recorded, then answered by the first queued failure
that matches it, or by the fake itself.

    class FakeThing(FakeHTTP[Call]):
        def _add_routes(self, app: web.Application) -> None:
            app.router.add_route("*", "/{path:.*}", self._handle)

        async def _handle(self, request: web.Request) -> web.StreamResponse:
            call = Call(request.method, request.path, await request.read())
            return await self._serve(request, call, lambda: self._answer(call))
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
import threading
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Generic, Self, TypeVar

from aiohttp import web

CallT = TypeVar("CallT")
Answer = Callable[[], Awaitable[web.StreamResponse]]
START_TIMEOUT = 10.0


class Headers(dict[str, str]):
    """Request headers with names kept in lower case; lookups ignore case."""

    def __init__(self, items: Iterable[tuple[str, str]] = ()) -> None:
        super().__init__((name.lower(), value) for name, value in items)

    def __getitem__(self, name: str) -> str:
        return super().__getitem__(name.lower())

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and super().__contains__(name.lower())

    def get(self, name: str, default: Any = None) -> Any:
        return super().get(name.lower(), default)


@dataclass(frozen=True)
class Failure:
    """How one request fails. `answer` builds the error response when the request is answered
    (None: the connection is dropped instead); with `after_write`, the platform does the work first."""

    answer: Callable[[], web.StreamResponse] | None
    after_write: bool = False


def json_response(
    body: Any, status: int = 200, headers: dict[str, str] | None = None, content_type: str = "application/json"
) -> web.Response:
    """`body` as JSON, with exactly `content_type` (discord.py parses only `application/json`)."""
    payload = json.dumps(body).encode("utf-8")
    return web.Response(status=status, body=payload, headers={**(headers or {}), "Content-Type": content_type})


def refused(
    status: int,
    body: Any = None,
    headers: dict[str, str] | None = None,
    *,
    content_type: str = "application/json",
    after_write: bool = False,
) -> Failure:
    """Answer HTTP `status` with the JSON `body`: instead of the platform, or after it did the work."""
    return Failure(lambda: json_response(body, status, headers, content_type), after_write)


def rate_limited(
    retry_after: float,
    body: Any = None,
    headers: dict[str, str] | None = None,
    *,
    content_type: str = "application/json",
) -> Failure:
    """A 429 with `Retry-After`, as rate limiters send it."""
    waiting = {"Retry-After": retry_after_header(retry_after), **(headers or {})}
    return refused(429, body, waiting, content_type=content_type)


def retry_after_header(seconds: float) -> str:
    """`Retry-After` for a wait of `seconds`: whole seconds, rounded up, at least 1."""
    return str(max(1, math.ceil(seconds)))


def dropped(*, after_write: bool = False) -> Failure:
    """Close the connection without an answer, once the request is read (or once the platform kept it)."""
    return Failure(None, after_write)


class Pace:
    """A rate limit per key (a channel), as a token bucket: `rate` requests a second, `burst` at
    once. `take(key)` spends a token and returns None, or returns the seconds until one is free."""

    def __init__(self, rate: float, burst: int = 1, clock: Callable[[], float] = time.monotonic) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("rate must be positive and burst at least 1")
        self.rate, self.burst, self.clock = rate, burst, clock
        self._tokens: dict[str, tuple[float, float]] = {}  # key -> (tokens, when counted)
        self.refused = 0

    def take(self, key: str) -> float | None:
        now = self.clock()
        tokens, counted = self._tokens.get(key, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - counted) * self.rate)
        if tokens >= 1:
            self._tokens[key] = (tokens - 1, now)
            return None
        self._tokens[key] = (tokens, now)
        self.refused += 1
        return (1 - tokens) / self.rate


class FakeHTTP(Generic[CallT]):
    """A fake platform's server, recorded requests and injected failures. Subclasses add routes."""

    client_max_size = 1024**2

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._calls: list[CallT] = []
        self._failures: list[tuple[Callable[[CallT], bool], Failure]] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None
        self._port: int | None = None
        self._startup_error: BaseException | None = None

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> Self:
        """Listen on 127.0.0.1 at an ephemeral port, serving from the fake's own loop in a daemon thread."""
        name = type(self).__name__
        if self._thread is not None:
            raise RuntimeError(f"{name} is already running")
        started = threading.Event()
        loop = asyncio.new_event_loop()
        self._loop = loop
        self._startup_error = None
        self._thread = threading.Thread(target=self._run_loop, args=(loop, started), name=name, daemon=True)
        self._thread.start()
        if not started.wait(START_TIMEOUT):
            raise RuntimeError(f"{name} did not start within {START_TIMEOUT:.0f} s")
        if self._startup_error is not None:
            self._thread.join()
            self._thread = self._loop = None
            raise RuntimeError(f"{name} could not start") from self._startup_error
        return self

    def stop(self) -> None:
        """Stop serving and release the port."""
        loop, thread = self._loop, self._thread
        self._loop = self._thread = None
        if loop is not None and thread is not None:
            loop.call_soon_threadsafe(loop.stop)
            thread.join()
        self._port = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError(f"{type(self).__name__} is not running: call start() first")
        return self._port

    @property
    def base_url(self) -> str:
        """`http://127.0.0.1:PORT`."""
        return f"http://127.0.0.1:{self.port}"

    def _add_routes(self, app: web.Application) -> None:
        """Route the fake's paths to its handlers."""
        raise NotImplementedError

    async def _opened(self) -> None:
        """Runs on the fake's loop once it serves."""

    async def _closing(self) -> None:
        """Runs on the fake's loop before it stops serving (close long-lived connections here)."""

    def _run(self, coroutine: Any) -> Any:
        """Run `coroutine` on the fake's loop from another thread, and return its result."""
        loop = self._loop
        if loop is None:
            coroutine.close()
            raise RuntimeError(f"{type(self).__name__} is not running: call start() first")
        return asyncio.run_coroutine_threadsafe(coroutine, loop).result(timeout=10)

    def _run_loop(self, loop: asyncio.AbstractEventLoop, started: threading.Event) -> None:
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(self._open())
        except BaseException as error:
            self._startup_error = error
            started.set()
            loop.close()
            return
        started.set()
        try:
            loop.run_forever()
        finally:
            loop.run_until_complete(self._close())
            loop.close()

    async def _open(self) -> None:
        app = web.Application(client_max_size=self.client_max_size)
        self._add_routes(app)
        runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        self._runner = runner
        self._port = int(runner.addresses[0][1])
        await self._opened()

    async def _close(self) -> None:
        with contextlib.suppress(Exception):
            await self._closing()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    # -- what was received -------------------------------------------------------------------

    @property
    def calls(self) -> list[CallT]:
        """Every call received so far, oldest first (a snapshot)."""
        with self._lock:
            return list(self._calls)

    @staticmethod
    def _poll(found: Callable[[], Any], timeout: float, failure: Callable[[], str]) -> Any:
        """What `found()` returns once it is not None; an AssertionError with `failure()` after `timeout`."""
        deadline = time.monotonic() + timeout
        while True:
            result = found()
            if result is not None:
                return result
            if time.monotonic() >= deadline:
                raise AssertionError(failure())
            time.sleep(0.01)

    # -- failures ----------------------------------------------------------------------------

    def fail_with(self, matches: Callable[[CallT], bool], failure: Failure, *, times: int = 1) -> None:
        """Fail the next `times` calls for which `matches(call)` holds, each as `failure` says."""
        if times < 1:
            raise ValueError("times must be at least 1")
        with self._lock:
            self._failures.extend((matches, failure) for _ in range(times))

    def reset(self) -> None:
        """Forget the calls received and the failures queued; what the platform holds stays."""
        with self._lock:
            self._calls.clear()
            self._failures.clear()

    # -- serving -----------------------------------------------------------------------------

    async def _serve(self, request: web.Request, call: CallT, answer: Answer) -> web.StreamResponse:
        """Record `call`, then answer it with the first failure queued for it, or with `answer()`."""
        with self._lock:
            self._calls.append(call)
            failure = self._take_failure(call)
        if failure is None:
            return await answer()
        if failure.after_write:
            await answer()  # the platform did the work; its answer is lost
        if failure.answer is None:
            if request.transport is not None:
                request.transport.abort()
            return web.Response(status=204)  # never sent: the connection is gone
        return failure.answer()

    def _take_failure(self, call: CallT) -> Failure | None:
        for index, (matches, failure) in enumerate(self._failures):
            if matches(call):
                del self._failures[index]
                return failure
        return None

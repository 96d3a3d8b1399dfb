"""Replicas of `marketsafe run` behind HAProxy on one PostgreSQL schema, against the fake Slack.

Throughput: signed `cases open` commands, 50 at a time, through HAProxy (deploy/haproxy.cfg made
for loopback, as the scale-out test makes it) to 1, then 2, then 3 replicas; a command counts once
its answer is posted to its response_url. The yardstick is a bare bolt app that only acknowledges,
behind the same HAProxy in the same run. Takeover: the scheduler's leader is killed (SIGKILL) and a
reminder falls due at that moment; timed until a survivor leads, and until the reminder is posted.

It needs PostgreSQL (MARKETSAFE_BENCH_DATABASE_URL, else MARKETSAFE_TEST_DATABASE_URL, else the
local server's `test` database), where it works in a schema of its own, and `haproxy` on the PATH.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import httpx
from sqlalchemy import create_engine, insert, text
from sqlalchemy.engine import make_url
from sqlmodel import select

from bench.report import Figure
from bench.slack_ack import CONCURRENT
from bench.slack_server import SECRET as BARE_SECRET
from bot.router import Incoming, Router
from handlers.kit.context import Caller, ProgramRules
from storage.database import Database
from storage.models import Member, Reminder, utcnow

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from support.cluster import SECRET, Cluster, Replica, free_port, wait_listening
from support.slack_requests import SlackSender

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
URL = os.environ.get("MARKETSAFE_BENCH_DATABASE_URL") or os.environ.get("MARKETSAFE_TEST_DATABASE_URL") or DEFAULT_URL
REPLICAS = (1, 2, 3)
BARE_COMMANDS = 1_000
WARM_UP = 60
COMMANDS = 400
COMMAND = "cases open"
KILLS = 3
PATIENCE = 60.0  # seconds to wait for answers, or for a takeover, before calling it failed
MEMBER, TEAM = "U0BRAND01", "U0TEAM001"
SET_UP = (
    'admin org add acme "ACME Corp"',
    'admin right add acme trademark 1234567 mark="ACME" jurisdiction=CN',
    "admin right verify 1",
    f"admin member add slack:{MEMBER} acme member",
    f"admin member add slack:{TEAM} - team",
    "admin channel team slack C0TEAM0001",
)
COMPLAINT = "complaint right=1 reason=counterfeit https://item.taobao.com/item.htm?id=1"


class CountedFake:
    """`bench.slack_fake_counted` in a process of its own, asked what it received."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        assert process.stdin is not None and process.stdout is not None
        self.process, self.stdin, self.stdout = process, process.stdin, process.stdout
        self.base_url = self.stdout.readline().strip()
        self.lock = threading.Lock()

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/api/"

    def ask(self, question: str) -> int:
        with self.lock:
            self.stdin.write(question + "\n")
            self.stdin.flush()
            return int(self.stdout.readline())


@contextmanager
def counted_fake() -> Iterator[CountedFake]:
    command = [sys.executable, "-m", "bench.slack_fake_counted"]
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        yield CountedFake(process)
    finally:
        process.terminate()
        process.wait(timeout=10)


def unavailable() -> str | None:
    """Why the figures cannot be measured here, if they cannot."""
    if shutil.which("haproxy") is None:
        return "haproxy is not installed (apt-get install haproxy)"
    shown = make_url(URL).render_as_string(hide_password=True)
    engine = create_engine(URL, connect_args={"connect_timeout": 5})
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:  # whatever the driver raises, the reason is printed
        reason = str(getattr(error, "orig", None) or error).strip().split("\n")[0].rsplit(": ", 1)[-1].strip()
        return f"PostgreSQL at {shown} did not answer: {reason[:100] or type(error).__name__}"
    finally:
        engine.dispose()
    return None


@contextmanager
def schema() -> Iterator[str]:
    """A fresh schema for this run; its URL. Dropped at the end."""
    name = f"marketsafe_bench_replicas_{os.getpid()}"
    engine = create_engine(URL)
    with engine.begin() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
        connection.execute(text(f'CREATE SCHEMA "{name}"'))
    try:
        yield f"{URL}{'&' if '?' in URL else '?'}options={quote(f'-csearch_path={name}')}"
    finally:
        with engine.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{name}" CASCADE'))
        engine.dispose()


def program(url: str) -> Database:
    database = Database(url)
    database.upgrade()
    router = Router(database, ProgramRules(), frozenset({"console:operator"}))
    for line in SET_UP:
        assert not router.handle(Incoming(Caller("console", "operator"), line)).is_error, line
    assert not router.handle(Incoming(Caller("slack", MEMBER), COMPLAINT)).is_error
    return database


@contextmanager
def bare_app(fake: CountedFake) -> Iterator[int]:
    """`bench.slack_server bare` (the bolt app that only acknowledges); its port."""
    port = free_port()
    command = [sys.executable, "-m", "bench.slack_server", "bare", str(port), fake.api_url, "sqlite://"]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None and server.stdout.readline().strip() == "ready"
        wait_listening(port)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=10)


def send(url: str, secret: str, fake: CountedFake, prefix: str, count: int) -> Counter[str | None]:
    """`count` signed commands, CONCURRENT at a time, each answering to response URL prefix+n; how
    many each replica acknowledged."""
    client = httpx.Client(limits=httpx.Limits(max_connections=CONCURRENT * 2), timeout=10, trust_env=False)
    sender = SlackSender(url, secret, client=client)

    def one(number: int) -> str | None:
        answer = sender.slash_command(MEMBER, COMMAND, response_url=f"{fake.base_url}/response/{prefix}{number}")
        assert answer.status_code == 200, answer.status_code
        return answer.headers.get("x-replica")

    with ThreadPoolExecutor(CONCURRENT) as pool:
        replicas = Counter(pool.map(one, range(count)))
    client.close()
    return replicas


def wait_until(condition: Callable[[], bool], what: str, interval: float = 0.05) -> float:
    """Seconds until `condition` holds; AssertionError after PATIENCE."""
    started = time.monotonic()
    while not condition():
        assert time.monotonic() - started < PATIENCE, f"no {what} after {PATIENCE:.0f} s"
        time.sleep(interval)
    return time.monotonic() - started


def bare_acks_per_second(cluster: Cluster, fake: CountedFake, port: int) -> float:
    cluster.route([port])
    send(cluster.endpoint, BARE_SECRET, fake, "bare-warm-", WARM_UP)
    started = time.perf_counter()
    send(cluster.endpoint, BARE_SECRET, fake, "bare-", BARE_COMMANDS)
    return BARE_COMMANDS / (time.perf_counter() - started)


def completed_per_second(cluster: Cluster, fake: CountedFake) -> float:
    """Commands answered per second through HAProxy to every replica of `cluster`."""
    count = len(cluster.replicas)
    cluster.route()
    served = send(cluster.endpoint, SECRET, fake, f"warm{count}-", WARM_UP)
    assert len(served) == count, f"HAProxy spread the warm-up over {dict(served)}"
    wait_until(lambda: fake.ask(f"answered warm{count}-") >= WARM_UP, "answer to the warm-up")
    started = time.perf_counter()
    send(cluster.endpoint, SECRET, fake, f"load{count}-", COMMANDS)
    wait_until(lambda: fake.ask(f"answered load{count}-") >= COMMANDS, "answer to every command", 0.01)
    return COMMANDS / (time.perf_counter() - started)


def takeover(cluster: Cluster, fake: CountedFake, database: Database, number: int) -> tuple[float, float]:
    """Seconds from killing the scheduler's leader until a survivor leads, and until a reminder due
    at that moment is posted."""
    live = [replica for replica in cluster.replicas if replica.process.poll() is None]
    if len(live) < 2:
        live += cluster.add(1)
    leader = leading(live)
    survivors = [replica for replica in live if replica is not leader]
    words = f"takeover check {number}"
    killed = time.monotonic()
    leader.kill()
    with database.transaction() as session:
        member = session.exec(select(Member.id).where(Member.user_id == TEAM)).one()
        now = utcnow()
        row = {"member_id": member, "target": "team", "text": words, "first_at": now, "recurrence": None,
               "timezone": "UTC", "active": True, "created_at": now, "next_at": now}  # fmt: skip
        session.execute(insert(Reminder), [row])
    wait_until(lambda: any(replica.leads() for replica in survivors), "survivor leading")
    led = time.monotonic() - killed
    wait_until(lambda: fake.ask(f"posted {words}") >= 1, "reminder posted")
    return led, time.monotonic() - killed


def leading(replicas: list[Replica]) -> Replica:
    wait_until(lambda: any(replica.leads() for replica in replicas), "leader")
    return next(replica for replica in replicas if replica.leads())


@dataclass(frozen=True)
class Measured:
    bare: dict[int, float]  # acks/s of the bare app, measured just before each count of replicas
    rates: dict[int, float]  # commands completed/s by each count of replicas
    led: list[float]  # seconds from each kill until a survivor led
    posted: list[float]  # seconds from each kill until the reminder due then was posted


def run() -> list[Figure]:
    why = unavailable()
    if why is not None:
        return figures(why)
    with schema() as url, counted_fake() as fake:
        database = program(url)
        cluster = Cluster(url, fake.api_url, {"MARKETSAFE_LOG_LEVEL": "WARNING"})
        bare: dict[int, float] = {}
        rates: dict[int, float] = {}
        try:
            with bare_app(fake) as port:
                for count in REPLICAS:  # the yardstick just before each, as the shared machine drifts
                    bare[count] = bare_acks_per_second(cluster, fake, port)
                    cluster.add(count - len(cluster.replicas))
                    rates[count] = completed_per_second(cluster, fake)
            takeovers = [takeover(cluster, fake, database, number) for number in range(KILLS)]
        finally:
            cluster.stop()
            database.dispose()
    return figures(Measured(bare, rates, [t[0] for t in takeovers], [t[1] for t in takeovers]))


def figures(measured: Measured | str) -> list[Figure]:
    """The figures measured, or each as not measured and why (a string)."""

    def figure(name: str, value: Callable[[Measured], float], unit: str, target: float | None = None) -> Figure:
        lower_is_better = unit == "s"
        if isinstance(measured, str):
            return Figure.not_measured(name, measured, unit, target, lower_is_better)
        return Figure(name, value(measured), unit, target, lower_is_better)

    def replicas(count: int) -> list[Figure]:
        named = f"{count} replica" if count == 1 else f"{count} replicas"
        shown = [
            figure(f"HAProxy + {named}, {COMMAND} completed/s", lambda m: m.rates[count], "/s"),
            figure("  completed/s per replica / bare acks/s just before",
                   lambda m: m.rates[count] / count / m.bare[count], "x", 0.5),
        ]  # fmt: skip
        if count > 1:
            shown.append(
                figure(f"  {count} replicas / 1 replica, completed/s", lambda m: m.rates[count] / m.rates[1], "x")
            )
        return shown

    bare = f"HAProxy + bare bolt app, acks/s, median of {len(REPLICAS)}"
    kills = f"median of {KILLS}"
    return [
        figure(bare, lambda m: statistics.median(m.bare.values()), "/s"),
        *(shown for count in REPLICAS for shown in replicas(count)),
        figure(f"kill -9 leader until a survivor leads, {kills}", lambda m: statistics.median(m.led), "s"),
        figure(
            f"kill -9 leader until a due reminder posts, {kills}",
            lambda m: statistics.median(m.posted),
            "s",
            10,
        ),
        figure("kill -9 leader until a due reminder posts, worst", lambda m: max(m.posted), "s"),
    ]


if __name__ == "__main__":
    for figure in run():
        print(figure.line(), flush=True)

"""Accepted commands: written before their acknowledgement, leased while a process works on them,
taken over by another process when the lease runs out, and marked done once answered.

Every change is a compare-and-set on the row's state (its owner, its lease), so two processes never
both take one command; on PostgreSQL the sweep skips rows another process is taking at that moment.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, delete, func, update
from sqlalchemy import select as select_columns
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from storage.direct import Direct, numbered, numbered_values
from storage.models import AcceptedCommand
from storage.queries.many_rows import insert_rows
from storage.vocabulary import IntakeStatus

WAITING = col(AcceptedCommand.status) == IntakeStatus.ACCEPTED
_TABLE = AcceptedCommand.__table__  # type: ignore[attr-defined]
# Built once: acceptance is on the way to every acknowledgement, and building the statement anew
# costs more than running it. A retried request's row is already there: nothing is inserted.
_INSERTS = {
    name: dialect.insert(_TABLE).on_conflict_do_nothing(index_elements=["request_key"]).returning(_TABLE.c.id)
    for name, dialect in (("postgresql", postgresql), ("sqlite", sqlite))
}


@dataclass(frozen=True, slots=True)
class Accepted:
    """An accepted command as a process runs it."""

    id: int
    platform: str
    kind: str
    request_key: str
    payload: dict[str, Any]
    response_url: str | None
    accepted_at: datetime
    attempts: int


def accept_command(
    session: Session,
    *,
    platform: str,
    kind: str,
    request_key: str,
    payload: dict[str, Any],
    response_url: str | None,
    owner: str | None,
    now: datetime,
    lease_until: datetime,
) -> Accepted | None:
    """Record a command before it is acknowledged; None when its request was accepted before (a
    platform's retry). With no `owner`, any process may take it from `lease_until` on."""
    values = {
        "platform": platform, "kind": kind, "request_key": request_key, "payload": payload,
        "response_url": response_url, "status": IntakeStatus.ACCEPTED, "accepted_at": now, "owner": owner,
        "lease_until": lease_until, "attempts": 1 if owner else 0,
    }  # fmt: skip
    statement = _INSERTS[session.get_bind().dialect.name]
    new_id = session.connection().execute(statement, values).scalar()
    if new_id is None:
        return None
    return Accepted(new_id, platform, kind, request_key, payload, response_url, now, 1 if owner else 0)


_ARRIVAL_COLUMNS = (
    "platform", "kind", "request_key", "payload", "response_url", "accepted_at", "owner", "lease_until", "attempts",
)  # fmt: skip


def accept_commands(connection: Connection, arrivals: list[dict[str, Any]]) -> list[Accepted | None]:
    """`accept_command` for each of `arrivals` (its keyword arguments), in one statement on the
    driver (`storage.queries.many_rows`): None for a request accepted before, or earlier in the same list."""
    first: dict[str, dict[str, Any]] = {}
    for values in arrivals:
        first.setdefault(values["request_key"], values)
    rows = [
        (
            values["platform"], values["kind"], key, values["payload"], values["response_url"], values["now"],
            values["owner"], values["lease_until"], 1 if values["owner"] else 0,
        )
        for key, values in first.items()
    ]  # fmt: skip
    inserted = insert_rows(
        connection, _TABLE, {"status": IntakeStatus.ACCEPTED}, _ARRIVAL_COLUMNS, rows,
        skip_conflicts_on=("request_key",), returning=("id", "request_key"),
    )  # fmt: skip
    ids = {str(row[1]): int(row[0]) for row in inserted}
    results: list[Accepted | None] = []
    for values in arrivals:
        key = values["request_key"]
        if first[key] is not values or key not in ids:
            results.append(None)
            continue
        attempts = 1 if values["owner"] else 0
        results.append(
            Accepted(ids[key], values["platform"], values["kind"], key, values["payload"], values["response_url"],
                     values["now"], attempts)
        )  # fmt: skip
    return results


_ACCEPTED = _TABLE.c.status == IntakeStatus.ACCEPTED
_RENEW = Direct(
    update(_TABLE).where(_TABLE.c.owner == bindparam("holder"), _ACCEPTED).values(lease_until=bindparam("until"))
)
_CANDIDATES = Direct(
    select_columns(_TABLE.c.id)
    .where(_ACCEPTED, _TABLE.c.lease_until <= bindparam("now"))
    .order_by(_TABLE.c.id)
    .limit(bindparam("limit"))
    .with_for_update(skip_locked=True)
)
_TAKEN_COLUMNS = ("id", "platform", "kind", "request_key", "payload", "response_url", "accepted_at", "attempts")


@functools.cache
def _take(count: int) -> Direct:
    """Takes `count` commands (`id0`, `id1`, ...) whose lease ran out by `now` for `holder`."""
    return Direct(
        update(_TABLE)
        .where(
            _TABLE.c.id.in_(numbered("id", count)),
            _ACCEPTED,
            _TABLE.c.lease_until <= bindparam("now"),
        )
        .values(owner=bindparam("holder"), lease_until=bindparam("until"), attempts=_TABLE.c.attempts + 1)
        .returning(*(_TABLE.c[name] for name in _TAKEN_COLUMNS))
    )


def renew_leases(connection: Connection, owner: str, until: datetime) -> int:
    """Extend the lease on every command `owner` is still working on (its heartbeat)."""
    return _RENEW.count(connection, {"holder": owner, "until": until})


def claim_orphans(
    connection: Connection, owner: str, now: datetime, lease_until: datetime, limit: int
) -> list[Accepted]:
    """Take up to `limit` waiting commands whose lease has run out by `now`, oldest first.

    The candidates are read locked (PostgreSQL skips rows another sweep holds; SQLite's transaction
    holds the write lock) and taken in one statement that checks their lease again."""
    if limit <= 0:
        return []
    candidates = [int(row[0]) for row in _CANDIDATES.rows(connection, {"now": now, "limit": limit})]
    if not candidates:
        return []
    values = numbered_values("id", candidates)
    values.update(now=now, holder=owner, until=lease_until)
    taken = _take(len(candidates)).rows(connection, values)
    return sorted(
        (Accepted(row[0], row[1], row[2], row[3], dict(row[4]), row[5], row[6], row[7]) for row in taken),
        key=lambda command: command.id,
    )


def finish_command(session: Session, command_id: int, owner: str, now: datetime) -> bool:
    """Mark the command answered and forget where to answer it; False when `owner` no longer holds it."""
    result = session.execute(
        update(AcceptedCommand)
        .where(col(AcceptedCommand.id) == command_id, col(AcceptedCommand.owner) == owner, WAITING)
        .values(status=IntakeStatus.DONE, response_url=None, finished_at=now)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0) == 1)


# Commands marked done in one statement at most.
FINISH_PAGE = 100


@functools.cache
def _finish(count: int) -> Direct:
    """Marks `count` commands (`id0`, `id1`, ...) done if `holder` still holds them; returns the ids marked."""
    return Direct(
        update(_TABLE)
        .where(
            _TABLE.c.id.in_(numbered("id", count)),
            _TABLE.c.owner == bindparam("holder"),
            _TABLE.c.status == IntakeStatus.ACCEPTED,
        )
        .values(status=IntakeStatus.DONE, response_url=None, finished_at=bindparam("finished"))
        .returning(_TABLE.c.id)
    )


def finish_commands(connection: Connection, marks: list[tuple[int, str, datetime]]) -> set[int]:
    """`finish_command` for each (command id, owner, now), a statement per owner and page of
    `FINISH_PAGE` marked at the page's latest time; the ids of those marked done."""
    by_owner: dict[str, list[tuple[int, datetime]]] = {}
    for command_id, owner, now in marks:
        by_owner.setdefault(owner, []).append((command_id, now))
    finished: set[int] = set()
    for owner, held in by_owner.items():
        for start in range(0, len(held), FINISH_PAGE):
            page = held[start : start + FINISH_PAGE]
            values = numbered_values("id", [command_id for command_id, _ in page])
            values.update(holder=owner, finished=max(now for _, now in page))
            finished.update(int(row[0]) for row in _finish(len(page)).rows(connection, values))
    return finished


def release_command(session: Session, command_id: int, owner: str, retry_at: datetime) -> bool:
    """Give the command back, for any process to take from `retry_at` on."""
    result = session.execute(
        update(AcceptedCommand)
        .where(col(AcceptedCommand.id) == command_id, col(AcceptedCommand.owner) == owner, WAITING)
        .values(owner=None, lease_until=retry_at)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0) == 1)


def waiting_commands(session: Session) -> int:
    """How many accepted commands are not answered yet, across every process."""
    return int(session.exec(select(func.count()).select_from(AcceptedCommand).where(WAITING)).one())


def prune_finished(session: Session, before: datetime) -> int:
    """Forget commands answered before `before`."""
    result = session.execute(
        delete(AcceptedCommand).where(
            col(AcceptedCommand.status) == IntakeStatus.DONE, col(AcceptedCommand.finished_at) < before
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)

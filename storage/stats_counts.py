"""The running counts behind `stats` (table `stats_count`): which counts an item adds to, keeping
them in step with every change of items, and recounting them from the items.

An item adds one to a few counts, for its organisation and for the whole program: the items
reported in its month (by platform and kind); once decided, the items decided in that month (by
their status now) and, while it is a removal, the removals of that month by time to removal; and
the items of its report month decided, by platform and time to the first decision. Times are
counted in buckets (`time_bucket`), so the medians read one bucket of the index, not a month.

Changes are gathered in the session as they are made, from the ORM's flushes of `ComplaintItem`
and from `count_filed` for the rows filing inserts in bulk, and added to the counts when the
transaction commits, in one order (`INSERT … ON CONFLICT DO UPDATE SET n = n + excluded.n`): two
transactions never lose each other's counts, and never wait for each other's count rows in
opposite orders (no deadlock on PostgreSQL). A rolled-back transaction adds nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from sqlalchemy import Connection, event, inspect, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, SessionTransaction

from storage.models import WHOLE_PROGRAM, ComplaintItem, StatsCount
from storage.vocabulary import CountedFigure, ItemStatus

HOUR = 3600
DAY = 24 * HOUR
# Time buckets: an hour wide up to a week, a day wide up to 90 days, 30 days wide beyond; every
# bucket holds the times in (its bound - its width, its bound], and 0 holds every time up to 0.
# The service figures' marks (24 h, 72 h) are bucket bounds, so their shares are sums of buckets.
_TIERS = ((7 * DAY, HOUR), (90 * DAY, DAY))
_WIDEST = 30 * DAY

# A count's key: (organisation_id, figure, month, platform, label, bucket).
Key = tuple[int, str, int, str, str, int]
_PENDING = "stats_counts.pending"
_COUNTED = ("organisation_id", "platform", "kind", "status", "reported_month", "decided_month",
            "removal_seconds", "decision_seconds")  # fmt: skip


def time_bucket(seconds: int) -> int:
    """The bucket counting a time: its upper bound, in seconds."""
    if seconds <= 0:
        return 0
    width = next((width for bound, width in _TIERS if seconds <= bound), _WIDEST)
    return -(-seconds // width) * width


def bucket_floor(bucket: int) -> int | None:
    """The largest time below the bucket `bucket` (its times are above it); None for bucket 0."""
    if bucket <= 0:
        return None
    width = next((width for bound, width in _TIERS if bucket <= bound), _WIDEST)
    return bucket - width


def bucket_sql(seconds: str) -> str:
    """`time_bucket` in SQL (SQLite and PostgreSQL), for a column of positive or negative integers."""
    tiers = " ".join(f"WHEN {seconds} <= {bound} THEN (({seconds} + {width - 1}) / {width}) * {width}"
                     for bound, width in _TIERS)  # fmt: skip
    return f"CASE WHEN {seconds} <= 0 THEN 0 {tiers} ELSE (({seconds} + {_WIDEST - 1}) / {_WIDEST}) * {_WIDEST} END"


@dataclass(frozen=True, slots=True)
class ItemFigures:
    """The columns of an item that the counts depend on."""

    organisation_id: int
    platform: str
    kind: str
    status: str
    reported_month: int
    decided_month: int | None
    removal_seconds: int | None
    decision_seconds: int | None

    @classmethod
    def of(cls, values: Mapping[str, Any]) -> ItemFigures:
        return cls(**{name: _plain(values.get(name)) for name in _COUNTED})

    def counts(self) -> Iterator[Key]:
        """Every count this item adds one to."""
        for scope in (self.organisation_id, WHOLE_PROGRAM):
            yield scope, CountedFigure.REPORTED, self.reported_month, self.platform, self.kind, 0
            if self.decided_month is not None:
                yield scope, CountedFigure.DECIDED, self.decided_month, "", self.status, 0
                if self.removal_seconds is not None:
                    bucket = time_bucket(self.removal_seconds)
                    yield scope, CountedFigure.REMOVAL_TIME, self.decided_month, "", "", bucket
            if self.decision_seconds is not None:
                bucket = time_bucket(self.decision_seconds)
                yield scope, CountedFigure.DECISION_TIME, self.reported_month, self.platform, "", bucket


def _plain(value: Any) -> Any:
    """A vocabulary member as its stored string; anything else as it is."""
    return value.value if isinstance(value, Enum) else value


def count_filed(
    session: Session, *, organisation_id: int, platform: str, kind: str, reported_month: int, items: int
) -> None:
    """Count `items` items just filed without the ORM (filing's bulk insert): reported, undecided."""
    filed = ItemFigures(organisation_id, _plain(platform), _plain(kind), ItemStatus.REPORTED.value, reported_month,
                        None, None, None)  # fmt: skip
    _change(session, [filed], items)


def _change(session: Session, items: Iterable[ItemFigures], times: int) -> None:
    """Add `times` (negative: take away) to every count of `items`, when the transaction commits."""
    if session.in_nested_transaction():
        # A savepoint rolled back would leave its changes counted: counted items change outside them.
        raise RuntimeError("items counted by stats_count were changed inside a savepoint")
    pending: Counter[Key] = session.info.setdefault(_PENDING, Counter())
    for item in items:
        for key in item.counts():
            pending[key] += times


@event.listens_for(Session, "before_flush")
def _gather_item_changes(session: Session, _context: object, _instances: object) -> None:
    """Count the items this flush inserts, changes or deletes through the ORM."""
    for item in session.new:
        if isinstance(item, ComplaintItem):
            _change(session, [_current(item)], +1)
    for item in session.dirty:
        if isinstance(item, ComplaintItem):
            before, after = _stored(session, item), _current(item)
            if before != after:
                _change(session, [before], -1)
                _change(session, [after], +1)
    for item in session.deleted:
        if isinstance(item, ComplaintItem):
            _change(session, [_stored(session, item)], -1)


def _current(item: ComplaintItem) -> ItemFigures:
    return ItemFigures.of({name: getattr(item, name) for name in _COUNTED})


def _stored(session: Session, item: ComplaintItem) -> ItemFigures:
    """The counted columns as the database holds them, before this flush writes the item."""
    state = inspect(item)
    values: dict[str, Any] = {}
    for name in _COUNTED:
        history = state.attrs[name].history
        known = history.deleted or history.unchanged
        if not known:  # changed after it was expired: read what is stored
            return _read_stored(session.connection(), item.id)
        values[name] = known[0]
    return ItemFigures.of(values)


def _read_stored(connection: Connection, item_id: int | None) -> ItemFigures:
    columns = [getattr(ComplaintItem.__table__.c, name) for name in _COUNTED]  # type: ignore[attr-defined]
    row = connection.execute(select(*columns).where(ComplaintItem.__table__.c.id == item_id)).mappings().one()  # type: ignore[attr-defined]
    return ItemFigures.of(dict(row))


@event.listens_for(Session, "before_commit")
def _add_to_counts(session: Session) -> None:
    """Add the transaction's changes to the counts, in key order, as it commits."""
    if session.in_nested_transaction():
        return  # a savepoint released: the transaction goes on
    session.flush()  # the last changes are gathered before the counts are written
    pending: Counter[Key] = session.info.pop(_PENDING, Counter())
    rows = [_row(key, n) for key, n in sorted(pending.items()) if n]
    if rows:
        session.connection().execute(_upsert(session.connection()), rows)


@event.listens_for(Session, "after_transaction_end")
def _forget_uncommitted(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        session.info.pop(_PENDING, None)


def _row(key: Key, n: int) -> dict[str, Any]:
    organisation_id, figure, month, platform, label, bucket = key
    return {"organisation_id": organisation_id, "figure": figure, "month": month, "platform": platform,
            "label": label, "bucket": bucket, "n": n}  # fmt: skip


def _upsert(connection: Connection) -> Any:
    """The statement adding to a count (creating it at first), built once per dialect: every
    command that files or decides items runs it as it commits."""
    return _UPSERTS[connection.dialect.name == "postgresql"]


def _build_upsert(dialect: Any) -> Any:
    table = StatsCount.__table__  # type: ignore[attr-defined]
    statement = dialect.insert(table)
    return statement.on_conflict_do_update(
        index_elements=[column.name for column in table.primary_key.columns],
        set_={"n": table.c.n + statement.excluded.n},
    )


_UPSERTS = {True: _build_upsert(postgresql), False: _build_upsert(sqlite)}


# --- recounting from the items ------------------------------------------------------------------

_RECOUNT = """
INSERT INTO stats_count (organisation_id, figure, month, platform, label, bucket, n)
SELECT scope, figure, month, platform, label, bucket, count(*) FROM (
    SELECT organisation_id AS scope, 'reported' AS figure, reported_month AS month, platform, kind AS label,
           0 AS bucket
    FROM complaint_item
    UNION ALL
    SELECT organisation_id, 'decided', decided_month, '', status, 0
    FROM complaint_item WHERE decided_month IS NOT NULL
    UNION ALL
    SELECT organisation_id, 'removal_time', decided_month, '', '', {removal_bucket}
    FROM complaint_item WHERE decided_month IS NOT NULL AND removal_seconds IS NOT NULL
    UNION ALL
    SELECT organisation_id, 'decision_time', reported_month, platform, '', {decision_bucket}
    FROM complaint_item WHERE decision_seconds IS NOT NULL
) AS counted
GROUP BY scope, figure, month, platform, label, bucket
"""
_PROGRAM = """
INSERT INTO stats_count (organisation_id, figure, month, platform, label, bucket, n)
SELECT {whole}, figure, month, platform, label, bucket, sum(n) FROM stats_count
GROUP BY figure, month, platform, label, bucket
"""


def recount_statements() -> list[str]:
    """SQL that fills an empty `stats_count` from the items (the migration keeps its own copy)."""
    return [
        _RECOUNT.format(removal_bucket=bucket_sql("removal_seconds"), decision_bucket=bucket_sql("decision_seconds")),
        _PROGRAM.format(whole=WHOLE_PROGRAM),
    ]


def recount(connection: Connection) -> None:
    """Replace the counts with a count of the items as they are now."""
    connection.execute(text("DELETE FROM stats_count"))
    for statement in recount_statements():
        connection.execute(text(statement))


def stored_counts(connection: Connection) -> dict[Key, int]:
    """Every count that is not zero."""
    table = StatsCount.__table__  # type: ignore[attr-defined]
    rows = connection.execute(select(table).where(table.c.n != 0)).all()
    return {(r.organisation_id, r.figure, r.month, r.platform, r.label, r.bucket): r.n for r in rows}

"""The engine, transactions, and migrations: the one place sessions are opened."""

from __future__ import annotations

import functools
import logging
import threading
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.pool import QueuePool
from sqlmodel import Session, create_engine

import storage.models
import storage.stats_counts  # noqa: F401  (keeps the running counts of `stats` in step with every transaction)

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).parent / "migrations"
# Serialises migrations when several processes start at once against one PostgreSQL database.
_MIGRATION_LOCK_ID = 0x4D53_4D49
# Advisory locks are held per database, not per schema: the second key (the schema's hash) keeps two
# deployments (or test runs) in schemas of one database from waiting on each other's locks.
SCHEMA_LOCK = ":id, hashtext(current_schema())"
_MIGRATION_LOCK = text(f"SELECT pg_advisory_xact_lock({SCHEMA_LOCK})")
# How long a SQLite transaction waits for its turn: behind the others of this process (in the order
# they asked), then for the file's write lock while another process holds it.
SQLITE_TURN = 300
SQLITE_BUSY = 30


def make_engine(url: str) -> Engine:
    """An engine for a SQLite file or a PostgreSQL URL (psycopg 3), tuned for the bot's use."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        # Every SQLite transaction takes the file's one write lock as it begins (`_sqlite_begin`).
        # Threads that each waited for it in SQLite's busy handler would poll with growing sleeps,
        # unfairly: under many short transactions one thread could lose every round and fail with
        # "database is locked" after the busy timeout. One pooled connection makes the process's
        # transactions queue for it instead, in order and without polling; the busy timeout is
        # left for other processes sharing the file.
        single = {"pool_size": 1, "max_overflow": 0, "pool_timeout": SQLITE_TURN}
        in_memory = parsed.database in (None, "", ":memory:")
        return _sqlite_engine(url, _sqlite_begin, {} if in_memory else single)
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)


# Connections reading a SQLite file (`Database.reading`) beside the one that writes: in WAL mode a
# reader sees the last commit and neither waits for the writer nor holds it up.
SQLITE_READERS = 4


def make_reader_engine(url: str) -> Engine:
    """An engine whose transactions only read a SQLite file: they begin without the write lock."""
    pool = {"pool_size": SQLITE_READERS, "max_overflow": 0, "pool_timeout": SQLITE_TURN}
    return _sqlite_engine(url, _sqlite_begin_reading, pool)


def _sqlite_engine(url: str, begin: Callable[[Connection], None], pool: dict[str, Any]) -> Engine:
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY}, **pool)
    event.listen(engine, "connect", _sqlite_pragmas)
    event.listen(engine, "begin", begin)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: object) -> None:
    # The driver would begin a transaction only before its first write, leaving the reads before it
    # outside: SQLAlchemy's `begin` event begins it instead (SQLAlchemy's pysqlite recipe).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    """Every transaction takes SQLite's write lock when it begins, not at its first write: a command
    reads the state it changes and writes the change with no other writer in between, and a
    transaction that reads first never fails at its first write because another one wrote meanwhile."""
    # On the driver's connection: through SQLAlchemy this statement alone would cost more than an
    # empty transaction's whole work in SQLite.
    _on_driver(connection, "BEGIN IMMEDIATE")


# Set in a session's `info` once it has flushed changes to the database.
_FLUSHED = "marketsafe_flushed"


@event.listens_for(Session, "after_flush")
def _note_flush(session: Session, _context: object) -> None:
    session.info[_FLUSHED] = True


def _sqlite_begin_reading(connection: Connection) -> None:
    """A reading transaction: its snapshot is taken at its first read, and it takes no lock a writer waits for."""
    _on_driver(connection, "BEGIN")


class WroteWhileReading(RuntimeError):
    """Work done in `Database.reading()` changed something (a program error: it would be lost)."""


class Turns:
    """The turns of a SQLite file's one pooled connection, given in the order they were asked for,
    except that urgent ones (a command being written down before its acknowledgement) go before
    every other waiting one: the acknowledgements do not queue behind the work of commands already
    acknowledged."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._taken = False
        self._urgent: deque[threading.Event] = deque()
        self._waiting: deque[threading.Event] = deque()

    @contextmanager
    def turn(self, *, urgent: bool = False, wait: float = SQLITE_TURN) -> Iterator[None]:
        with self._lock:
            mine = None
            if self._taken:
                mine = threading.Event()
                (self._urgent if urgent else self._waiting).append(mine)
            else:
                self._taken = True
        if mine is not None and not mine.wait(wait):
            with self._lock:
                if not mine.is_set():  # handed over meanwhile otherwise: then it is ours after all
                    (self._urgent if urgent else self._waiting).remove(mine)
                    raise OperationalError("waiting for the database", None, TimeoutError("no turn"))
        try:
            yield
        finally:
            with self._lock:
                following = self._urgent or self._waiting
                if following:
                    following.popleft().set()  # the turn passes on without being free in between
                else:
                    self._taken = False


class Database:
    """Owns the engine; every unit of work runs in `transaction()`."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        pool = self.engine.pool
        single = self.engine.dialect.name == "sqlite" and isinstance(pool, QueuePool) and pool.size() == 1
        self._turns = Turns() if single else None
        # A SQLite file's reads go to connections of their own (`reading`), not in the writer's turns.
        self._reader = make_reader_engine(url) if single else None

    @property
    def is_postgresql(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    @contextmanager
    def transaction(self, *, urgent: bool = False, wait: float = SQLITE_TURN) -> Iterator[Session]:
        """A session whose work is committed on success and rolled back on any error. On a SQLite
        file, `urgent` ones take the connection before the others waiting for it (`Turns`), and
        one that gets no turn within `wait` seconds raises OperationalError."""
        with self._turn(urgent, wait), self._session() as session:
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """`transaction()` for work that changes nothing: rolled back at its end, never committed,
        and on a SQLite file on a connection of its own, outside the writer's turns. A change made
        in it raises `WroteWhileReading` rather than being undone unseen: the ORM's pending changes
        on any database, and on SQLite every row written by any means."""
        with self._reading_session(self._reader or self.engine) as session:
            yield session

    @contextmanager
    def _reading_session(self, engine: Engine) -> Iterator[Session]:
        # Closing the session ends its transaction: the connection goes back to the pool, which
        # rolls it back (its reset on return), so nothing done here is ever committed.
        with Session(engine, expire_on_commit=False) as session:
            driver = session.connection().connection.driver_connection
            changes = getattr(driver, "total_changes", None)  # sqlite3's count of rows written
            yield session
            if session.new or session.dirty or session.deleted or session.info.get(_FLUSHED):
                raise WroteWhileReading("objects were added, changed or deleted")
            if changes is not None and getattr(driver, "total_changes", None) != changes:
                raise WroteWhileReading("rows were written")

    @contextmanager
    def connection(self, *, urgent: bool = False, wait: float = SQLITE_TURN) -> Iterator[Connection]:
        """`transaction()` for Core statements alone (`storage.direct`): a connection whose work is
        committed on success and rolled back on any error, with none of the ORM session's own work
        (which costs more than the few statements a command is written down or marked done with)."""
        with self._turn(urgent, wait), self.engine.begin() as connection:
            yield connection

    def _turn(self, urgent: bool, wait: float) -> AbstractContextManager[None]:
        """A turn of a SQLite file's one writing connection (`Turns`); nothing to wait for elsewhere."""
        return nullcontext() if self._turns is None else self._turns.turn(urgent=urgent, wait=wait)

    @contextmanager
    def _session(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def upgrade(self, revision: str = "head") -> None:
        """Apply every pending migration up to `revision` (idempotent; safe when several processes start).

        A database a newer release has migrated (at a revision this code does not know) is left as
        it is: during a rolling upgrade, or after a rollback, this release runs on it, since each
        revision keeps the release before it working (it adds; dropping or renaming waits for a
        later release)."""
        with self._migrating() as config:
            newer = self._newer_revisions(config.attributes["connection"])
            if newer:
                log.warning(
                    "the database is at revision %s, newer than this release knows (%s): not migrating it",
                    ", ".join(sorted(newer)), ", ".join(sorted(_script_heads())),
                )  # fmt: skip
                return
            command.upgrade(config, revision)

    @staticmethod
    def _newer_revisions(connection: Connection) -> set[str]:
        """The database's revisions that this code's migrations do not include."""
        return set(MigrationContext.configure(connection).get_current_heads()) - _script_revisions()

    def downgrade(self, revision: str) -> None:
        """Undo the migrations after `revision` (`base` undoes them all)."""
        with self._migrating() as config:
            command.downgrade(config, revision)

    @contextmanager
    def _migrating(self) -> Iterator[Config]:
        """An Alembic configuration whose migrations run in one transaction, one process at a time."""
        with self.engine.connect() as connection:
            if not self.is_postgresql:
                # SQLite alters a table by copying it and dropping the original, which the foreign
                # keys of rows referring to it refuse. The pragma is ignored inside a transaction, so
                # it is set on the driver's connection, outside one; the references are checked
                # before the commit instead.
                _on_driver(connection, "PRAGMA foreign_keys = OFF")
            try:
                with connection.begin():
                    if self.is_postgresql:
                        connection.execute(
                            text(f"SELECT pg_advisory_xact_lock({SCHEMA_LOCK})"), {"id": _MIGRATION_LOCK_ID}
                        )
                    config = alembic_config()
                    config.attributes["connection"] = connection
                    yield config
                    if not self.is_postgresql:
                        _refuse_broken_references(connection)
            finally:
                if not self.is_postgresql:
                    _on_driver(connection, "PRAGMA foreign_keys = ON")

    def dispose(self) -> None:
        self.engine.dispose()
        if self._reader is not None:
            self._reader.dispose()

    def unready(self) -> str | None:
        """Why this process should not take requests now (the database unreachable, migrations
        pending), or None when it is ready."""
        try:
            with self.engine.connect() as connection:
                current = set(MigrationContext.configure(connection).get_current_heads())
        except (OperationalError, DBAPIError):
            return "the database is unreachable"
        if current != _script_heads() and not current - _script_revisions():
            return "migrations are pending"
        return None  # migrated, or by a newer release (see `upgrade`)


def _on_driver(connection: Connection, statement: str) -> None:
    """Run a SQLite statement on the driver's connection, past SQLAlchemy (which would begin a
    transaction for it, or cost more than the statement)."""
    driver = connection.connection.driver_connection
    assert driver is not None
    driver.execute(statement)


def _refuse_broken_references(connection: Connection) -> None:
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
    if broken:
        found = ", ".join(f"{table} row {row} -> {parent}" for table, row, parent, _ in broken[:10])
        raise RuntimeError(f"The migration left rows referring to missing rows ({len(broken)}): {found}")


# Tables other components own in the same database (the scheduler's job store).
FOREIGN_TABLES = frozenset({"apscheduler_jobs"})


def include_name(name: str | None, type_: str, _parent_names: object) -> bool:
    """Which database objects the migrations manage: all but the foreign tables."""
    return not (type_ == "table" and name in FOREIGN_TABLES)


@functools.cache
def _script_heads() -> frozenset[str]:
    """The revisions this code expects the database at (its scripts do not change while it runs)."""
    return frozenset(ScriptDirectory.from_config(alembic_config()).get_heads())


@functools.cache
def _script_revisions() -> frozenset[str]:
    """Every revision this code's migrations know."""
    return frozenset(revision.revision for revision in ScriptDirectory.from_config(alembic_config()).walk_revisions())


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config

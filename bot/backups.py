"""Backing up and restoring the database.

SQLite goes through sqlite3's online backup API: the copy is consistent even while the bot runs
and writes (it copies pages, starting again from pages written meanwhile). PostgreSQL is backed up
with its own tools, `pg_dump -Fc` and `pg_restore`; `run_pg` runs pg_dump when it is
installed and otherwise says how. A backup is written to a temporary file beside its path and
takes that path only once complete, and never replaces a file there.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from secrets import token_hex

from sqlalchemy.engine import URL, make_url

# Pages copied per step; between steps the bot may write (the copy then restarts from them).
PAGES_PER_STEP = 1024


class BackupError(Exception):
    """What stopped a backup or restore, said for the operator."""


def sqlite_path(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    if not parsed.database or parsed.database == ":memory:":
        raise BackupError("an in-memory SQLite database has nothing to back up")
    return Path(parsed.database)


def backup_sqlite(source: Path, target: Path) -> None:
    """Copy the live database `source` into a new file `target`, consistently."""
    if not source.is_file():
        raise BackupError(f"there is no database at {source}")
    _refuse_existing(target)
    with _new_file(target) as partial:
        _copy(source, partial)


def _refuse_existing(target: Path) -> None:
    if target.exists():
        raise BackupError(f"{target} exists; choose a new file (a backup never overwrites)")


@contextmanager
def _new_file(target: Path) -> Iterator[Path]:
    """A temporary path beside `target` to write the backup to; once written, it becomes `target`,
    which it never overwrites. If the writing fails, nothing is left at either path."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial-{token_hex(4)}")
    try:
        yield partial
        try:
            os.link(partial, target)  # fails, rather than replaces, if a file appeared there meanwhile
        except FileExistsError:
            _refuse_existing(target)
            raise
        except OSError:  # a file system without hard links
            _refuse_existing(target)
            partial.rename(target)
    finally:
        partial.unlink(missing_ok=True)


def restore_sqlite(backup: Path, target: Path) -> None:
    """Replace the database `target` with the backup's contents (stop the bot first)."""
    if not backup.is_file():
        raise BackupError(f"there is no backup at {backup}")
    check = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    try:
        found = check.execute("PRAGMA integrity_check").fetchone()
        problem = None if found is not None and found[0] == "ok" else str(found[0] if found else "unreadable")
    except sqlite3.DatabaseError as error:
        problem = str(error)
    finally:
        check.close()
    if problem is not None:
        raise BackupError(f"{backup} is not a sound SQLite database ({problem}); nothing was restored")
    _copy(backup, target)


def _copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    reading = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    writing = sqlite3.connect(target)
    try:
        reading.backup(writing, pages=PAGES_PER_STEP)
    except sqlite3.Error as error:
        raise BackupError(f"the copy from {source} to {target} failed: {error}") from None
    finally:
        writing.close()
        reading.close()


def pg_command(url: str, program: str, path: Path) -> list[str]:
    """pg_dump's or pg_restore's command line for the database at `url` (SQLAlchemy form); the
    password is left out of it (command lines are visible to others): see `pg_environment`."""
    parsed: URL = make_url(url).set(drivername="postgresql")._replace(password=None)
    connection = parsed.render_as_string(hide_password=False)
    if program == "pg_dump":
        return ["pg_dump", "--format=custom", "--no-owner", f"--file={path}", f"--dbname={connection}"]
    return ["pg_restore", "--clean", "--if-exists", "--no-owner", f"--dbname={connection}", str(path)]


def postgresql_instructions(url: str, path: Path) -> str:
    shown = make_url(url).set(drivername="postgresql").render_as_string(hide_password=True)
    return (
        "PostgreSQL is backed up with its own tools (pg_dump is not installed here):\n"
        f"  pg_dump --format=custom --no-owner --file={path} --dbname='{shown}'\n"
        "and restored, with the bot stopped, with:\n"
        f"  pg_restore --clean --if-exists --no-owner --dbname='{shown}' {path}"
    )


def run_pg(url: str, program: str, path: Path) -> None:
    """Run pg_dump or pg_restore; BackupError with the tool's own words when it fails, or with
    the commands to run elsewhere when it is not installed. pg_dump, like a SQLite backup, refuses
    a file that exists, and writes beside it first: a failed dump leaves no file behind."""
    dumping = program == "pg_dump"
    if dumping:
        _refuse_existing(path)
    if shutil.which(program) is None:
        raise BackupError(postgresql_instructions(url, path))
    if not dumping:
        _run_pg(url, program, path)
        return
    with _new_file(path) as partial:
        _run_pg(url, program, partial)


def _run_pg(url: str, program: str, path: Path) -> None:
    environment = dict(os.environ)
    password = make_url(url).password
    if password:
        environment["PGPASSWORD"] = str(password)
    done = subprocess.run(  # noqa: S603
        pg_command(url, program, path), capture_output=True, text=True, check=False, env=environment
    )
    if done.returncode != 0:
        raise BackupError(f"{program} failed ({done.returncode}): {done.stderr.strip()[:500]}")

"""`marketsafe db backup` and `db restore`: a backup taken while the bot writes restores every
case, item, audit entry and pending notice."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import func
from sqlmodel import col, select

from bot.backups import BackupError, backup_sqlite, pg_command, postgresql_instructions, restore_sqlite
from bot.cli import main
from bot.delivery import RetryLater
from handlers.kit.context import ProgramRules
from storage.database import Database
from storage.models import AuditEntry, Complaint, ComplaintItem, Delivery, OutboxNotice
from storage.vocabulary import DeliveryStatus
from support.clock import FakeClock
from support.harness import Harness

TABLES = (Complaint, ComplaintItem, AuditEntry, OutboxNotice)


def contents(database: Database) -> dict[str, list[tuple[object, ...]]]:
    """Every row of the tables a backup must keep, and the pending deliveries, by id."""
    with database.transaction() as session:
        found = {
            model.__name__: [
                tuple(row.model_dump().values()) for row in session.exec(select(model).order_by(col(model.id))).all()
            ]
            for model in TABLES
        }
        pending = session.exec(select(Delivery.notice_id).where(Delivery.status == DeliveryStatus.PENDING)).all()
        found["pending"] = sorted((notice_id,) for notice_id in pending)
    return found


def test_a_backup_taken_while_the_bot_writes_restores_every_case_item_audit_entry_and_pending_notice(
    tmp_path: Path,
) -> None:
    live = Database(f"sqlite:///{tmp_path / 'live.db'}")
    live.upgrade()
    bot = Harness(live, FakeClock(), ProgramRules())
    bot.set_up_program()
    for n in range(20):
        bot.ok(f"complaint right=1 reason=counterfeit https://item.taobao.com/item.htm?id={1000 + n}", as_="brand1")
    bot.ok("outcome MS-000001 all removed", as_="team1")
    bot.poster.failures.append(RetryLater(600, "429 Too Many Requests"))
    bot.delivery.run_once()  # notices posted, but one waits for Slack's Retry-After
    bot.ok("complaint right=1 https://item.taobao.com/item.htm?id=2000", as_="brand1")  # not yet taken on
    writing = threading.Event()

    def keep_filing() -> None:
        n = 0
        while not writing.is_set():
            bot.send(f"complaint right=2 https://item.taobao.com/item.htm?id={5000 + n}", as_="brand2")
            n += 1

    writer = threading.Thread(target=keep_filing)
    writer.start()
    try:
        result = CliRunner(env={"DATABASE_URL": live.url}).invoke(main, ["db", "backup", str(tmp_path / "b.db")])
    finally:
        writing.set()
        writer.join()
    assert result.exit_code == 0, result.output
    assert result.output == f"backed up to {tmp_path / 'b.db'}\n"
    backed_up = Database(f"sqlite:///{tmp_path / 'b.db'}")
    copy = contents(backed_up)
    backed_up.dispose()
    assert len(copy["Complaint"]) >= 20 and copy["pending"]
    with live.transaction() as session:
        filed_by_then = session.exec(select(func.count()).select_from(Complaint)).one()
    assert len(copy["Complaint"]) <= filed_by_then

    bot.ok("withdraw MS-000002", as_="brand1")  # a change after the backup, which the restore undoes
    restored_url = f"sqlite:///{tmp_path / 'restored.db'}"
    restoring = CliRunner(env={"DATABASE_URL": restored_url})
    restored = restoring.invoke(main, ["db", "restore", "--yes", str(tmp_path / "b.db")])
    assert restored.exit_code == 0, restored.output
    again = Database(restored_url)
    assert contents(again) == copy
    assert again.unready() is None
    again.dispose()
    live.dispose()


def test_a_backup_never_overwrites_and_a_broken_file_is_never_restored(tmp_path: Path) -> None:
    live = Database(f"sqlite:///{tmp_path / 'live.db'}")
    live.upgrade()
    (tmp_path / "taken.db").write_bytes(b"x")
    with pytest.raises(BackupError, match="exists"):
        backup_sqlite(tmp_path / "live.db", tmp_path / "taken.db")
    (tmp_path / "junk.db").write_bytes(b"SQLite format 3\x00" + b"\xff" * 2000)
    with pytest.raises(BackupError):
        restore_sqlite(tmp_path / "junk.db", tmp_path / "live.db")
    assert live.unready() is None  # untouched
    live.dispose()


def test_postgresql_is_dumped_with_pg_dump_and_the_password_stays_off_the_command_line(tmp_path: Path) -> None:
    url = "postgresql+psycopg://bot:s3cret@db.internal:5432/marketsafe"
    dump = pg_command(url, "pg_dump", tmp_path / "b.dump")
    assert dump == [
        "pg_dump", "--format=custom", "--no-owner", f"--file={tmp_path / 'b.dump'}",
        "--dbname=postgresql://bot@db.internal:5432/marketsafe",
    ]  # fmt: skip
    assert pg_command(url, "pg_restore", tmp_path / "b.dump")[:3] == ["pg_restore", "--clean", "--if-exists"]
    told = postgresql_instructions(url, tmp_path / "b.dump")
    assert "pg_dump --format=custom" in told and "pg_restore" in told and "s3cret" not in told


PG_URL = "postgresql+psycopg://bot@127.0.0.1:1/marketsafe"


def fake_pg_dump(directory: Path, *, exit_status: int) -> Path:
    """A `pg_dump` that writes part of a dump to its --file, then exits with `exit_status`; and
    notes each run, so a test can tell whether it ran."""
    bin_dir = directory / "bin"
    bin_dir.mkdir(parents=True)
    program = bin_dir / "pg_dump"
    program.write_text(
        "#!/bin/sh\n"
        f'echo ran >> "{directory / "pg_dump.runs"}"\n'
        'for arg in "$@"; do case "$arg" in --file=*) printf PGDMP-part > "${arg#--file=}";; esac; done\n'
        f'[ {exit_status} -eq 0 ] || echo "pg_dump: error: connection refused" >&2\n'
        f"exit {exit_status}\n"
    )
    program.chmod(0o755)
    return bin_dir


def backup_with(bin_dir: Path, path: Path) -> Result:
    path_variable = f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"
    return CliRunner(env={"DATABASE_URL": PG_URL, "PATH": path_variable}).invoke(main, ["db", "backup", str(path)])


def test_a_postgresql_backup_refuses_a_file_that_exists_before_running_pg_dump(tmp_path: Path) -> None:
    bin_dir = fake_pg_dump(tmp_path, exit_status=0)
    taken = tmp_path / "taken.dump"
    taken.write_bytes(b"last week's backup")

    result = backup_with(bin_dir, taken)

    assert result.exit_code == 1
    assert f"{taken} exists; choose a new file (a backup never overwrites)" in result.output
    assert taken.read_bytes() == b"last week's backup"
    assert not (tmp_path / "pg_dump.runs").exists()


def test_a_failed_pg_dump_leaves_no_file_and_a_good_one_leaves_only_the_backup(tmp_path: Path) -> None:
    failing = fake_pg_dump(tmp_path / "failing", exit_status=1)
    backups = tmp_path / "backups"
    backups.mkdir()

    result = backup_with(failing, backups / "b.dump")

    assert result.exit_code == 1
    assert "pg_dump failed (1): pg_dump: error: connection refused" in result.output
    assert (tmp_path / "failing" / "pg_dump.runs").exists()
    assert list(backups.iterdir()) == []  # neither the backup's path nor a partial file

    working = fake_pg_dump(tmp_path / "working", exit_status=0)
    result = backup_with(working, backups / "b.dump")

    assert result.exit_code == 0, result.output
    assert [path.name for path in backups.iterdir()] == ["b.dump"]
    assert (backups / "b.dump").read_bytes() == b"PGDMP-part"

"""Acceptances written together (`bot.intake_batches`): commands arriving while a transaction
gathers go in one transaction, and a full batch is written without waiting out the gathering."""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from bot import intake_batches
from bot.intake_batches import BatchWriter
from storage.database import Database
from storage.models import utcnow
from support.databases import sqlite_copy


def arrival(key: str) -> dict[str, Any]:
    now = utcnow()
    return {
        "platform": "slack", "kind": "command", "request_key": key, "payload": {"text": "help"},
        "response_url": None, "owner": "test-owner", "now": now, "lease_until": now + timedelta(seconds=5),
    }  # fmt: skip


@pytest.fixture
def counted(tmp_path: Path, sqlite_template: Path) -> tuple[Database, list[int]]:
    database = sqlite_copy(sqlite_template, tmp_path)
    commits: list[int] = []
    event.listen(database.engine, "commit", lambda _connection: commits.append(1))
    return database, commits


def write_all(writer: BatchWriter, keys: list[str], spacing: float) -> list[Any]:
    results: list[Any] = [None] * len(keys)

    def write(index: int) -> None:
        results[index] = writer.write(**arrival(keys[index]))[0]

    threads = [threading.Thread(target=write, args=(index,)) for index in range(len(keys))]
    for thread in threads:
        thread.start()
        time.sleep(spacing)
    for thread in threads:
        thread.join(10)
    return results


def test_commands_arriving_while_a_transaction_gathers_are_written_in_it(
    counted: tuple[Database, list[int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    database, commits = counted
    monkeypatch.setattr(intake_batches, "GATHER", 1.0)
    writer = BatchWriter(database, "test")
    accepted = write_all(writer, ["a", "b", "c"], spacing=0.05)
    assert [command.request_key for command in accepted] == ["a", "b", "c"]
    assert len(commits) == 1
    database.dispose()


def test_a_full_batch_is_written_without_waiting_out_the_gathering(
    counted: tuple[Database, list[int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    database, commits = counted
    monkeypatch.setattr(intake_batches, "GATHER", 30.0)
    monkeypatch.setattr(intake_batches, "MAX_BATCH", 3)
    writer = BatchWriter(database, "test")
    started = time.monotonic()
    accepted = write_all(writer, ["a", "b", "c"], spacing=0.01)
    assert time.monotonic() - started < 10
    assert all(command is not None for command in accepted)
    assert len(commits) == 1
    database.dispose()

"""The turns of a SQLite file's one writing connection: in the order asked for, urgent ones first;
reads beside them."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from sqlmodel import select

from storage.database import Turns
from storage.models import Organisation
from support.databases import sqlite_copy


def test_waiting_turns_go_in_order_with_the_urgent_ones_first() -> None:
    turns = Turns()
    order: list[str] = []
    threads: list[threading.Thread] = []

    def take(name: str, urgent: bool) -> None:
        with turns.turn(urgent=urgent):
            order.append(name)

    with turns.turn():  # held while the others line up
        for name, urgent in (("work 1", False), ("work 2", False), ("accept 1", True), ("accept 2", True)):
            thread = threading.Thread(target=take, args=(name, urgent))
            thread.start()
            threads.append(thread)
            time.sleep(0.05)  # each one waiting before the next asks
    for thread in threads:
        thread.join(5)
    assert order == ["accept 1", "accept 2", "work 1", "work 2"]


def test_a_turn_is_free_again_once_everyone_had_it() -> None:
    turns = Turns()
    with turns.turn(urgent=True):
        pass
    taken = threading.Event()

    def take() -> None:
        with turns.turn():
            taken.set()

    threading.Thread(target=take).start()
    assert taken.wait(5)


def test_a_read_goes_on_while_a_write_holds_the_file_and_sees_only_what_was_committed(
    tmp_path: Path, sqlite_template: Path
) -> None:
    database = sqlite_copy(sqlite_template, tmp_path)
    with database.transaction() as session:
        session.add(Organisation(slug="before", name="Before"))
    seen: list[str] = []
    read = threading.Event()

    def reader() -> None:
        with database.reading() as session:
            seen.extend(session.exec(select(Organisation.slug)).all())
        read.set()

    with database.transaction() as writing:  # holds the write lock and the writers' one connection
        writing.add(Organisation(slug="during", name="During"))
        writing.flush()
        threading.Thread(target=reader).start()
        assert read.wait(5), "the read waited for the write"
    assert seen == ["before"]
    database.dispose()

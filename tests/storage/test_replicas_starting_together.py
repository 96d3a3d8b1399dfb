"""Replicas started together each set up the same per-platform rows: none of them fails for it."""

from __future__ import annotations

import threading

from sqlmodel import select

from storage.database import Database
from storage.models import DeliveryCursor
from storage.queries.outbox import start_cursor


def test_two_workers_creating_the_delivery_cursor_at_once_both_start(database: Database) -> None:
    first_wrote, errors = threading.Event(), []

    def first() -> None:
        try:
            with database.transaction() as session:
                start_cursor(session, "slack", skip_history=False)
                first_wrote.set()
                threading.Event().wait(0.5)  # still open while the second one writes
        except Exception as error:  # the assertion below names it
            errors.append(error)

    racer = threading.Thread(target=first)
    racer.start()
    first_wrote.wait(10)
    with database.transaction() as session:  # waits for the first on both databases, then adds nothing
        start_cursor(session, "slack", skip_history=False)
    racer.join()

    assert errors == []
    with database.transaction() as session:
        assert [cursor.platform for cursor in session.exec(select(DeliveryCursor)).all()] == ["slack"]

"""The turns of a SQLite file's one connection: in the order asked for, urgent ones first."""

from __future__ import annotations

import threading
import time

from storage.database import Turns


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

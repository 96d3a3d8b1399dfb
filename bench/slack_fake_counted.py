"""The tests' fake Slack Web API in a process of its own that says, when asked on its standard
input, what it has received: so that the benchmark can count answers without the fake competing
with its timing threads. Prints its base URL, then answers one line per question:

    answered PREFIX   how many response URLs named PREFIX... have had an answer posted
    posted TEXT       how many chat.postMessage calls carry TEXT

The benchmark asks every 10 ms while it waits, so each question reads only the calls received
since the one before: a question costs the fake next to nothing however many calls it has kept,
and the fake's share of the machine's two cores goes to answering the bot.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from support.fake_slack import FakeSlack


class Tally:
    """What the fake received, brought up to date with the calls since the last question."""

    def __init__(self, fake: FakeSlack) -> None:
        self.fake = fake
        self.read = 0
        self.answered: set[str] = set()  # response URL names answered at least once
        self.by_prefix: dict[str, int] = {}  # answered names per prefix asked about so far
        self.posts: list[str] = []  # each chat.postMessage's parameters as JSON

    def catch_up(self) -> None:
        calls = self.fake.calls
        for call in calls[self.read :]:
            if call.method == "response_url":
                name = call.path.removeprefix("/response/")
                if name not in self.answered:
                    self.answered.add(name)
                    for prefix in self.by_prefix:
                        self.by_prefix[prefix] += name.startswith(prefix)
            elif call.method == "chat.postMessage":
                self.posts.append(json.dumps(call.params))
        self.read = len(calls)

    def answer(self, question: str) -> int:
        self.catch_up()
        kind, _, argument = question.partition(" ")
        if kind == "answered":
            if argument not in self.by_prefix:
                self.by_prefix[argument] = sum(1 for name in self.answered if name.startswith(argument))
            return self.by_prefix[argument]
        if kind == "posted":
            return sum(1 for post in self.posts if argument in post)
        raise ValueError(f"unknown question {question!r}")


def main() -> None:
    with FakeSlack() as fake:
        tally = Tally(fake)
        print(fake.base_url, flush=True)
        for line in sys.stdin:
            print(tally.answer(line.strip()), flush=True)


if __name__ == "__main__":
    main()

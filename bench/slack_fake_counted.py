"""The tests' fake Slack Web API in a process of its own that says, when asked on its standard
input, what it has received: so that the benchmark can count answers without the fake competing
with its timing threads. Prints its base URL, then answers one line per question:

    answered PREFIX   how many response URLs named PREFIX... have had an answer posted
    posted TEXT       how many chat.postMessage calls carry TEXT
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from support.fake_slack import FakeSlack


def answer(fake: FakeSlack, question: str) -> int:
    kind, _, argument = question.partition(" ")
    if kind == "answered":
        paths = {call.path for call in fake.calls_to("response_url")}
        return sum(1 for path in paths if path.removeprefix("/response/").startswith(argument))
    if kind == "posted":
        return sum(1 for call in fake.calls_to("chat.postMessage") if argument in json.dumps(call.params))
    raise ValueError(f"unknown question {question!r}")


def main() -> None:
    with FakeSlack() as fake:
        print(fake.base_url, flush=True)
        for line in sys.stdin:
            print(answer(fake, line.strip()), flush=True)


if __name__ == "__main__":
    main()

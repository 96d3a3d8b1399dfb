"""The tests' fake Slack Web API in a process of its own, so that answering the bot's calls does
not compete with the benchmark's timing threads. Prints its base URL, then serves until killed."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from support.fake_slack import FakeSlack


def main() -> None:
    with FakeSlack() as fake:
        print(fake.base_url, flush=True)
        threading.Event().wait()


if __name__ == "__main__":
    main()

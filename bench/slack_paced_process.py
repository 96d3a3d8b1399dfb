"""The tests' fake Slack Web API in a process of its own, pacing chat.postMessage per channel as
Slack does when given a rate (messages a second per channel). Prints its base URL, then serves."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from support.fake_http import Pace
from support.fake_slack import FakeSlack


def main() -> None:
    rate = float(sys.argv[1]) if len(sys.argv) > 1 else 0.0
    with FakeSlack(pace=Pace(rate) if rate > 0 else None) as fake:
        print(fake.base_url, flush=True)
        threading.Event().wait()


if __name__ == "__main__":
    main()

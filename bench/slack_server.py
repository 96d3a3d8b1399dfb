"""A Slack endpoint for the acknowledgement benchmark, run in a process of its own.

`python -m bench.slack_server bare|bot PORT API_URL DATABASE_URL`: `bare` is a bolt app whose
command listener only acknowledges; `bot` is the MarketSafe app with its listeners and router.
Both are served by waitress exactly as `marketsafe run` serves Slack.
"""

from __future__ import annotations

import logging
import sys

from slack_bolt import Ack, App
from waitress import serve

from bot.router import Router
from bot.settings import Settings
from bot.slack.app import SlackService, web_client, wsgi_application
from handlers.kit.context import ProgramRules
from storage.database import Database

TOKEN = "xoxb-bench-0000000000-0000000000000"
SECRET = "bench-signing-secret"


def bare_app(settings: Settings) -> App:
    app = App(signing_secret=SECRET, client=web_client(settings, retries=False))

    @app.command("/marketsafe")
    def acknowledge(ack: Ack) -> None:
        ack()

    return app


def main() -> None:
    kind, port, api_url, database_url = sys.argv[1:5]
    # The benchmarks queue more requests than waitress has threads on purpose; its warning each time says so.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    settings = Settings(slack_bot_token=TOKEN, slack_signing_secret=SECRET, slack_api_url=api_url)
    if kind == "bare":
        app = bare_app(settings)
        print("ready", flush=True)
        serve(wsgi_application(app, SECRET), host="127.0.0.1", port=int(port), threads=16, backlog=1024, _quiet=True)
        return
    database = Database(database_url)
    service = SlackService(settings, Router(database, ProgramRules(), frozenset()), database)
    service.start_intake()
    print("ready", flush=True)
    service.serve_http("127.0.0.1", int(port))


if __name__ == "__main__":
    main()

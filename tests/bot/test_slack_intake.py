"""Slack commands taken over from a process that died: answered through their response_url while
Slack still takes it, else where they were written, never with a form Slack would refuse."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlmodel import select

from bot.router import Incoming, Router
from bot.settings import Settings
from bot.slack.app import SlackService
from bot.slack.bridge import FORM_TOO_LATE
from bot.slack.intake import BUSY, SlackIntake
from handlers.kit.context import Caller, ProgramRules
from storage.database import Database
from storage.models import AcceptedCommand
from storage.queries.intake import Accepted
from support.clock import FakeClock
from support.fake_slack import FakeSlack

TOKEN = "xoxb-1111-2222-intakeTakeover"
SECRET = "intake-takeover-signing-secret"
ADMIN, CHANNEL = "U0ADMIN1", "C0ACME0001"


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeSlack]:
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    with FakeSlack() as running:
        yield running


@pytest.fixture
def intake(database: Database, clock: FakeClock, fake: FakeSlack) -> SlackIntake:
    router = Router(database, ProgramRules(), frozenset({f"slack:{ADMIN}"}), clock=clock)
    assert not router.handle(Incoming(Caller("slack", ADMIN), 'admin org add acme "ACME Corp"')).is_error
    settings = Settings(_env_file=None, slack_bot_token=TOKEN, slack_signing_secret=SECRET, slack_api_url=fake.api_url)
    return SlackService(settings, router, database).intake


def taken_over(
    fake: FakeSlack, clock: FakeClock, text: str, *, age: timedelta, number: int = 1, user: str = ADMIN
) -> Accepted:
    payload = {"user_id": user, "user_name": user.lower(), "text": text, "channel": CHANNEL, "trigger_id": "1.2.3"}
    url = fake.response_url(f"taken-{number}")
    return Accepted(number, "slack", "command", f"slack:command:{number}", payload, url, clock() - age, 2)


def test_a_command_taken_over_in_time_is_answered_through_its_response_url(
    intake: SlackIntake, fake: FakeSlack, clock: FakeClock
) -> None:
    intake.run(taken_over(fake, clock, "admin org list", age=timedelta(minutes=5)), fresh=False)

    (answer,) = fake.calls_to("response_url")
    assert "1 organisation" in answer.params["text"] and "acme" in str(answer.params["blocks"])
    assert fake.calls_to("chat.postEphemeral") == []


def test_a_command_taken_over_after_its_response_url_expired_is_answered_in_its_channel(
    intake: SlackIntake, fake: FakeSlack, clock: FakeClock
) -> None:
    intake.run(taken_over(fake, clock, "admin org list", age=timedelta(minutes=31)), fresh=False)

    assert fake.calls_to("response_url") == []
    (answer,) = fake.calls_to("chat.postEphemeral")
    assert (answer.params["channel"], answer.params["user"]) == (CHANNEL, ADMIN)
    assert "1 organisation" in answer.params["text"] and "acme" in str(answer.params["blocks"])


def test_a_command_taken_over_that_asks_for_a_form_asks_to_be_run_again(
    intake: SlackIntake, fake: FakeSlack, clock: FakeClock
) -> None:
    newcomer = taken_over(fake, clock, "apply", age=timedelta(seconds=20), user="U0NEWCOMER")
    intake.run(newcomer, fresh=False)

    assert fake.calls_to("views.open") == []
    (answer,) = fake.calls_to("response_url")
    assert FORM_TOO_LATE in str(answer.params["text"])


def test_a_command_given_up_says_so_with_a_reference(intake: SlackIntake, fake: FakeSlack, clock: FakeClock) -> None:
    command = taken_over(fake, clock, "admin org list", age=timedelta(minutes=40), number=7)

    intake.give_up(command)

    (answer,) = fake.calls_to("chat.postEphemeral")
    assert "could not be completed" in answer.params["text"] and "intake-7" in answer.params["text"]


def test_past_its_room_a_slash_command_is_acknowledged_as_queued(
    intake: SlackIntake, fake: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(intake.intake, "capacity", 0)
    command = {
        "user_id": ADMIN, "user_name": "admin", "text": "help", "channel_id": CHANNEL, "trigger_id": "9.9.9",
        "response_url": fake.response_url("busy"), "token": "verification-token-never-stored",
    }  # fmt: skip

    assert intake.accept_command(command) == BUSY
    with intake.intake.database.transaction() as session:
        (stored,) = session.exec(select(AcceptedCommand)).all()
    assert stored.owner is None and "token" not in stored.payload
    assert "verification-token-never-stored" not in str(stored.payload)

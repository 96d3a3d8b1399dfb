"""The counted fake's answers to the benchmark's questions, as calls keep arriving between them."""

from __future__ import annotations

import httpx
from slack_sdk import WebClient

from bench.slack_fake_counted import Tally
from support.fake_slack import FakeSlack


def answer_to(fake: FakeSlack, name: str) -> None:
    assert httpx.post(fake.response_url(name), json={"text": "done"}, trust_env=False).status_code == 200


def test_answers_are_counted_by_prefix_each_name_once_as_they_keep_arriving() -> None:
    with FakeSlack() as fake:
        tally = Tally(fake)
        for name in ("load1-1", "load1-2", "warm1-1", "load1-1"):
            answer_to(fake, name)
        assert tally.answer("answered load1-") == 2  # load1-1 answered twice counts once
        assert tally.answer("answered warm1-") == 1
        for name in ("load1-3", "load1-30", "load2-1"):
            answer_to(fake, name)
        assert tally.answer("answered load1-") == 4
        assert tally.answer("answered load1-3") == 2  # asked first after its calls arrived
        assert tally.answer("answered load") == 5
        assert tally.answer("answered nothing-") == 0


def test_posts_are_counted_by_the_text_they_carry() -> None:
    with FakeSlack() as fake:
        tally = Tally(fake)
        client = WebClient(base_url=fake.api_url, token="xoxb-test")
        client.chat_postMessage(channel="C0TEAM", text="takeover check 1")
        assert tally.answer("posted takeover check 1") == 1
        client.chat_postMessage(channel="C0TEAM", text="takeover check 1 again")
        client.chat_postMessage(channel="C0TEAM", text="takeover check 2")
        assert (tally.answer("posted takeover check 1"), tally.answer("posted takeover check 2")) == (2, 1)

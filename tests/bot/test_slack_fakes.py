"""The Slack test tools work with the real clients: slack_sdk's WebClient against FakeSlack, and a
real bolt App, served over HTTP, receiving SlackSender's signed requests."""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from socketserver import ThreadingMixIn
from types import SimpleNamespace
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest
from slack_bolt import Ack, App, BoltRequest, Respond, Say
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import builtin_handlers
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from support.fake_slack import FakeSlack
from support.slack_requests import SlackSender, static_select, text_input

TOKEN = "xoxb-test"
SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
TS = re.compile(r"^\d{10}\.\d{6}$")
BUTTONS = [
    {
        "type": "actions",
        "block_id": "case_actions",
        "elements": [
            {
                "type": "button",
                "action_id": "approve",
                "text": {"type": "plain_text", "text": "Approve"},
                "value": "case 7 approve",
            }
        ],
    }
]
MODAL = {
    "type": "modal",
    "callback_id": "complaint",
    "private_metadata": "case=7",
    "title": {"type": "plain_text", "text": "New complaint"},
    "submit": {"type": "plain_text", "text": "File"},
    "blocks": [
        {
            "type": "input",
            "block_id": "url",
            "label": {"type": "plain_text", "text": "Listing URL"},
            "element": {"type": "plain_text_input", "action_id": "value"},
        }
    ],
}


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        yield fake


@pytest.fixture
def client(fake: FakeSlack) -> WebClient:
    return WebClient(base_url=fake.api_url, token=TOKEN)


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    request_queue_size = 128


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output quiet."""


@dataclass
class Bolt:
    """A real bolt App served over HTTP on 127.0.0.1, and a sender signing for it."""

    app: App
    sender: SlackSender
    seen: list[dict[str, Any]] = field(default_factory=list)


@pytest.fixture
def bolt(fake: FakeSlack) -> Iterator[Bolt]:
    # The app's token is the client's: bolt warns that a `token=` given beside `client=` goes unused.
    app = App(signing_secret=SECRET, client=WebClient(base_url=fake.api_url, token=TOKEN))
    server = make_server(
        "127.0.0.1", 0, SlackRequestHandler(app), server_class=_ThreadingWSGIServer, handler_class=_QuietHandler
    )
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        endpoint = f"http://127.0.0.1:{server.server_address[1]}/slack/events"
        yield Bolt(app, SlackSender(endpoint, SECRET, fake=fake))
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


# -- FakeSlack with slack_sdk's WebClient ----------------------------------------------------------


def test_post_message_is_recorded_with_its_params_and_gets_a_fresh_ts(fake: FakeSlack, client: WebClient) -> None:
    first = client.chat_postMessage(channel="C0BRAND", text="Case 7 filed", blocks=BUTTONS)
    second = client.chat_postMessage(channel="C0BRAND", text="Case 8 filed", thread_ts=first["ts"])

    assert TS.match(first["ts"]) and TS.match(second["ts"])
    assert float(second["ts"]) > float(first["ts"])
    assert first["channel"] == "C0BRAND"
    assert first["message"]["user"] == "UBOT" and first["message"]["bot_id"] == "BBOT"
    assert first["message"]["text"] == "Case 7 filed"
    call = fake.wait_for("chat.postMessage", 2)[0]
    assert call.params == {"channel": "C0BRAND", "text": "Case 7 filed", "blocks": BUTTONS}
    assert call.headers["Authorization"] == f"Bearer {TOKEN}"
    assert call.headers["content-type"].startswith("application/json")
    assert call.path == "/api/chat.postMessage"


def test_form_encoded_calls_are_decoded_including_json_fields(fake: FakeSlack, client: WebClient) -> None:
    fake.set_user("U0BRAND1", name="brand1", real_name="Brand One", tz="Europe/London")

    user = client.users_info(user="U0BRAND1")["user"]
    client.api_call("chat.postMessage", data={"channel": "C0BRAND", "text": "x", "blocks": json.dumps(BUTTONS)})

    assert user["name"] == "brand1" and user["tz"] == "Europe/London"
    assert user["profile"]["display_name"] == "brand1"
    (lookup,) = fake.calls_to("users.info")
    assert lookup.params == {"user": "U0BRAND1"}
    assert lookup.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert fake.calls_to("chat.postMessage")[0].params["blocks"] == BUTTONS
    assert client.users_info(user="U0OTHER")["user"]["tz"] == "America/New_York"


def test_users_info_tells_the_locale_only_when_asked_and_only_with_users_read(
    fake: FakeSlack, client: WebClient
) -> None:
    fake.set_user("U0TEAM1", locale="zh-CN")
    assert "locale" not in client.users_info(user="U0TEAM1")["user"]
    assert client.users_info(user="U0TEAM1", include_locale=True)["user"]["locale"] == "zh-CN"
    assert client.users_info(user="U0OTHER", include_locale=True)["user"]["locale"] == "en-US"
    fake.scopes = tuple(scope for scope in fake.scopes if scope != "users:read")
    with pytest.raises(SlackApiError) as refused:
        client.users_info(user="U0TEAM1", include_locale=True)
    assert refused.value.response["error"] == "missing_scope"
    assert refused.value.response["needed"] == "users:read"


def test_auth_test_describes_the_bot(client: WebClient) -> None:
    answer = client.auth_test()

    assert answer["user_id"] == "UBOT" and answer["bot_id"] == "BBOT" and answer["team_id"] == "T0TEAM"
    assert answer["user"] == "marketsafe" and answer["is_enterprise_install"] is False


def test_rate_limited_call_raises_slack_api_error_with_retry_after(fake: FakeSlack, client: WebClient) -> None:
    fake.fail_next("chat.postMessage", retry_after=7)

    with pytest.raises(SlackApiError) as raised:
        client.chat_postMessage(channel="C0BRAND", text="hello")

    assert raised.value.response.status_code == 429
    assert raised.value.response.headers["Retry-After"] == "7"
    assert raised.value.response["error"] == "ratelimited"
    assert client.chat_postMessage(channel="C0BRAND", text="hello")["ok"] is True
    assert len(fake.calls_to("chat.postMessage")) == 2


def test_retry_handler_waits_retry_after_then_succeeds(
    fake: FakeSlack, client: WebClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    waits: list[float] = []
    monkeypatch.setattr(builtin_handlers, "time", SimpleNamespace(sleep=waits.append))
    client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=1))
    fake.fail_next("chat.postMessage", retry_after=3)

    answer = client.chat_postMessage(channel="C0BRAND", text="hello")

    assert answer["ok"] is True and TS.match(answer["ts"])
    assert len(fake.calls_to("chat.postMessage")) == 2
    assert len(waits) == 1 and 3 <= waits[0] < 4


def test_failures_are_counted_per_method_and_reset_forgets_them(fake: FakeSlack, client: WebClient) -> None:
    fake.fail_next("chat.update", status=503, error="service_unavailable", times=2)
    fake.fail_next("users.info", status=200, error="user_not_found")

    for _ in range(2):
        with pytest.raises(SlackApiError) as raised:
            client.chat_update(channel="C0BRAND", ts="1700000000.000100", text="x")
        assert raised.value.response.status_code == 503
        assert "Retry-After" not in raised.value.response.headers
        assert raised.value.response["error"] == "service_unavailable"
    assert client.chat_postMessage(channel="C0BRAND", text="unaffected")["ok"] is True
    fake.reset()

    assert fake.calls == []
    assert client.users_info(user="U0BRAND1")["ok"] is True


def test_update_and_delete_need_a_message_the_fake_accepted(fake: FakeSlack, client: WebClient) -> None:
    posted = client.chat_postMessage(channel="C0BRAND", text="Case 7: open", blocks=BUTTONS)

    updated = client.chat_update(channel="C0BRAND", ts=posted["ts"], text="Case 7: closed", blocks=[])
    with pytest.raises(SlackApiError) as raised:
        client.chat_update(channel="C0BRAND", ts="1600000000.000100", text="nowhere")
    with pytest.raises(SlackApiError) as elsewhere:
        client.chat_update(channel="C0OTHER", ts=posted["ts"], text="wrong channel")

    assert updated["ts"] == posted["ts"] and updated["text"] == "Case 7: closed"
    assert fake.message("C0BRAND", posted["ts"]) == updated["message"]
    assert updated["message"]["blocks"] == []
    assert raised.value.response["error"] == elsewhere.value.response["error"] == "message_not_found"
    assert client.chat_delete(channel="C0BRAND", ts=posted["ts"])["ok"] is True
    assert fake.message("C0BRAND", posted["ts"]) is None


def test_history_and_replies_return_what_was_posted_with_metadata(fake: FakeSlack, client: WebClient) -> None:
    metadata = {"event_type": "case_notice", "event_payload": {"case_id": "7", "notice_id": 12}}
    parent = client.chat_postMessage(channel="C0BRAND", text="Case 7 filed", metadata=metadata)
    reply = client.chat_postMessage(channel="C0BRAND", text="Evidence added", thread_ts=parent["ts"])
    later = client.chat_postMessage(channel="C0BRAND", text="Case 8 filed")
    client.chat_postMessage(channel="C0OTHER", text="elsewhere")

    history = client.conversations_history(channel="C0BRAND", include_all_metadata=True)
    bare = client.conversations_history(channel="C0BRAND")
    thread = client.conversations_replies(channel="C0BRAND", ts=parent["ts"], include_all_metadata=True)
    first_page = client.conversations_history(channel="C0BRAND", limit=1)
    second_page = client.conversations_history(
        channel="C0BRAND", limit=1, cursor=first_page["response_metadata"]["next_cursor"]
    )

    assert [m["ts"] for m in history["messages"]] == [later["ts"], parent["ts"]]
    assert history["messages"][1]["metadata"] == metadata
    assert history["messages"][1]["reply_count"] == 1
    assert history["messages"][1]["latest_reply"] == reply["ts"]
    assert bare["messages"][1]["metadata"] == {"event_type": "case_notice"}
    assert [m["text"] for m in thread["messages"]] == ["Case 7 filed", "Evidence added"]
    assert thread["messages"][0]["metadata"] == metadata
    assert first_page["has_more"] is True and [m["ts"] for m in second_page["messages"]] == [parent["ts"]]
    assert second_page["has_more"] is False
    assert fake.calls_to("conversations.history")[0].params["include_all_metadata"] == "1"


def test_posting_to_a_user_lands_in_their_direct_message_channel(fake: FakeSlack, client: WebClient) -> None:
    posted = client.chat_postMessage(channel="U0BRAND1", text="Your case was filed")

    assert posted["channel"] == "D0BRAND1"
    assert [m["ts"] for m in client.conversations_history(channel="D0BRAND1")["messages"]] == [posted["ts"]]


def test_views_are_echoed_with_an_id_and_kept(fake: FakeSlack, client: WebClient) -> None:
    opened = client.views_open(trigger_id="123.456.abc", view=MODAL)["view"]
    updated = client.views_update(view_id=opened["id"], view={**MODAL, "private_metadata": "case=8"})["view"]
    home = client.views_publish(user_id="U0BRAND1", view={"type": "home", "blocks": []})["view"]

    assert re.match(r"^V\w+$", opened["id"]) and opened["hash"]
    assert opened["callback_id"] == "complaint" and opened["blocks"] == MODAL["blocks"]
    assert updated["id"] == opened["id"] and updated["private_metadata"] == "case=8"
    assert fake.view(opened["id"]) == updated
    assert fake.home_view("U0BRAND1") == home and home["type"] == "home"
    with pytest.raises(SlackApiError) as raised:
        client.views_update(view_id="VNOPE", view=MODAL)
    assert raised.value.response["error"] == "not_found"


def test_unknown_methods_and_missing_tokens_are_recorded(fake: FakeSlack, client: WebClient) -> None:
    answer = client.api_call("reactions.add", json={"channel": "C0BRAND", "name": "eyes", "timestamp": "1.2"})
    with pytest.raises(SlackApiError) as raised:
        WebClient(base_url=fake.api_url).chat_postMessage(channel="C0BRAND", text="no token")

    assert answer["ok"] is True
    assert fake.calls_to("reactions.add")[0].params == {"channel": "C0BRAND", "name": "eyes", "timestamp": "1.2"}
    assert raised.value.response["error"] == "not_authed"
    assert [call.method for call in fake.calls] == ["reactions.add", "chat.postMessage"]


def test_wait_for_names_what_was_received_when_it_gives_up(fake: FakeSlack, client: WebClient) -> None:
    client.chat_postMessage(channel="C0BRAND", text="hello")

    with pytest.raises(AssertionError, match=r"chat\.update.*got 0.*'chat\.postMessage'"):
        fake.wait_for("chat.update", timeout=0.05)


# -- SlackSender with a real bolt App --------------------------------------------------------------


def test_slash_command_is_acked_and_respond_reaches_the_response_url(bolt: Bolt, fake: FakeSlack) -> None:
    @bolt.app.command("/marketsafe")
    def command(ack: Ack, respond: Respond, command: dict[str, Any]) -> None:
        bolt.seen.append(command)
        ack()
        respond("hi")

    answer = bolt.sender.slash_command("U0BRAND1", "case 7")

    assert answer.status_code == 200 and answer.text == ""
    (response,) = fake.wait_for("response_url")
    assert response.path == "/response/command-1"
    assert response.params["text"] == "hi"
    (seen,) = bolt.seen
    assert seen["user_id"] == "U0BRAND1" and seen["text"] == "case 7" and seen["channel_id"] == "C0BRAND"
    assert seen["team_id"] == "T0TEAM" and seen["trigger_id"]


def test_each_slash_command_gets_a_fresh_trigger_id(bolt: Bolt, fake: FakeSlack) -> None:
    @bolt.app.command("/marketsafe")
    def command(ack: Ack, command: dict[str, Any]) -> None:
        bolt.seen.append(command)
        ack(f"got {command['text']}")

    first = bolt.sender.slash_command("U0BRAND1", "one")
    second = bolt.sender.slash_command("U0BRAND1", "two", trigger_id="111.222.given")

    assert (first.text, second.text) == ("got one", "got two")
    assert first.headers["content-type"].startswith("text/plain")
    assert bolt.seen[0]["trigger_id"] != bolt.seen[1]["trigger_id"] == "111.222.given"


@pytest.mark.parametrize(
    ("timestamp", "signature"),
    [(None, "v0=" + "0" * 64), (-600, None)],
    ids=["wrong signature", "ten minutes old"],
)
def test_unverifiable_requests_get_401_and_run_no_listener(
    bolt: Bolt, fake: FakeSlack, timestamp: int | None, signature: str | None
) -> None:
    @bolt.app.command("/marketsafe")
    def command(ack: Ack, command: dict[str, Any]) -> None:
        bolt.seen.append(command)
        ack()

    body = b"command=%2Fmarketsafe&text=help&user_id=U0BRAND1&team_id=T0TEAM&channel_id=C0BRAND"
    sent_at = None if timestamp is None else int(time.time()) + timestamp
    refused = bolt.sender.post(body, "application/x-www-form-urlencoded", timestamp=sent_at, signature=signature)

    assert refused.status_code == 401
    assert bolt.seen == []
    assert bolt.sender.post(body, "application/x-www-form-urlencoded").status_code == 200
    assert len(bolt.seen) == 1


def test_block_action_carries_the_message_the_bot_posted(bolt: Bolt, fake: FakeSlack) -> None:
    posted = bolt.app.client.chat_postMessage(channel="C0BRAND", text="Case 7 needs a decision", blocks=BUTTONS)

    @bolt.app.action("approve")
    def approve(ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        bolt.seen.append(body)
        ack()
        client.chat_update(channel=body["channel"]["id"], ts=body["message"]["ts"], text="Case 7 approved")

    answer = bolt.sender.block_action(
        "U0BRAND1", "approve", "case 7 approve", channel_id="C0BRAND", message_ts=posted["ts"]
    )

    assert answer.status_code == 200
    (update,) = fake.wait_for("chat.update")
    assert update.params["ts"] == posted["ts"] and update.params["team_id"] == "T0TEAM"
    assert fake.message("C0BRAND", posted["ts"])["text"] == "Case 7 approved"  # type: ignore[index]
    (body,) = bolt.seen
    assert body["message"]["blocks"] == BUTTONS and body["message"]["text"] == "Case 7 needs a decision"
    assert body["actions"][0]["value"] == "case 7 approve" and body["actions"][0]["text"]["text"] == "Approve"
    assert body["container"] == {
        "type": "message",
        "message_ts": posted["ts"],
        "channel_id": "C0BRAND",
        "is_ephemeral": False,
    }
    assert body["response_url"] == fake.response_url("action-1")


def test_view_submission_reaches_the_view_listener_and_errors_come_back(bolt: Bolt, fake: FakeSlack) -> None:
    opened = bolt.app.client.views_open(trigger_id="123.456.abc", view=MODAL)["view"]

    @bolt.app.view("complaint")
    def submitted(ack: Ack, view: dict[str, Any]) -> None:
        bolt.seen.append(view)
        ack(response_action="errors", errors={"url": "Not a listing URL"})

    values = {"url": {"value": text_input("not a url")}, "kind": {"pick": static_select("counterfeit")}}
    answer = bolt.sender.view_submission("U0BRAND1", "complaint", values, view_id=opened["id"])

    assert answer.status_code == 200
    assert answer.json() == {"response_action": "errors", "errors": {"url": "Not a listing URL"}}
    (view,) = bolt.seen
    assert view["id"] == opened["id"] and view["private_metadata"] == "case=7"
    assert view["blocks"] == MODAL["blocks"]
    assert view["state"]["values"]["url"]["value"]["value"] == "not a url"
    assert view["state"]["values"]["kind"]["pick"]["selected_option"]["value"] == "counterfeit"


def test_message_events_reach_the_listener_and_retries_are_dispatched_again(bolt: Bolt, fake: FakeSlack) -> None:
    @bolt.app.event("message")
    def message(event: dict[str, Any], request: BoltRequest, say: Say) -> None:
        bolt.seen.append({"event": event, "retry": request.headers.get("x-slack-retry-num", [None])[0]})
        say(text=f"seen {event['text']}", thread_ts=event["ts"])

    first = bolt.sender.message_event("U0BRAND1", "case 7", channel="C0BRAND", ts="1700000500.000100")
    fake.wait_for("chat.postMessage")
    (original,) = [seen["event"] for seen in bolt.seen]
    retried = bolt.sender.event(original, event_id="Ev0RETRIED1", retry_num=1)

    assert first.status_code == 200 and retried.status_code == 200
    replies = fake.wait_for("chat.postMessage", 2)
    assert [call.params["thread_ts"] for call in replies] == ["1700000500.000100"] * 2
    assert replies[0].params["text"] == "seen case 7" and replies[0].params["channel"] == "C0BRAND"
    assert sorted(seen["retry"] or "" for seen in bolt.seen) == ["", "1"]
    assert original["channel_type"] == "channel" and original["user"] == "U0BRAND1"


def test_app_home_opened_carries_the_view_published_there(bolt: Bolt, fake: FakeSlack) -> None:
    @bolt.app.event("app_home_opened")
    def home(event: dict[str, Any], client: WebClient) -> None:
        bolt.seen.append(event)
        client.views_publish(user_id=event["user"], view={"type": "home", "blocks": [], "private_metadata": "v1"})

    assert bolt.sender.app_home_opened("U0BRAND1").status_code == 200
    fake.wait_for("views.publish")
    assert bolt.sender.app_home_opened("U0BRAND1").status_code == 200
    fake.wait_for("views.publish", 2)

    first, second = bolt.seen
    assert "view" not in first and first["channel"] == "D0BRAND1" and first["tab"] == "home"
    assert second["view"]["private_metadata"] == "v1" and second["view"]["type"] == "home"

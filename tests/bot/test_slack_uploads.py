"""Files for the caller go to their direct messages through Slack's three upload steps, and the fake
refuses uploads as Slack does."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.slack.uploads import send_files
from handlers.kit.replies import Reply, ReplyFile
from support.fake_slack import FakeSlack, dm_channel

TOKEN = "xoxb-uploads-test-token"
USER = "U0BRAND1"
CSV = ReplyFile("cases-acme.csv", "text/csv", "\ufeffcase_id\nMS-000001 仿冒品\n".encode(), "cases and outcomes")


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeSlack]:
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    with FakeSlack() as running:
        yield running


def client(fake: FakeSlack) -> WebClient:
    return WebClient(token=TOKEN, base_url=fake.api_url)


def test_a_reply_file_lands_whole_in_the_callers_direct_messages(fake: FakeSlack) -> None:
    send_files(client(fake), USER, Reply("Exported.", files=[CSV]))
    (shared,) = fake.shared_files(USER)
    assert (shared.channel, shared.name, shared.data) == (dm_channel(USER), CSV.name, CSV.data)
    assert shared.alt_txt == "cases and outcomes"
    assert [call.method for call in fake.calls] == [
        "conversations.open", "files.getUploadURLExternal", "file_upload", "files.completeUploadExternal",
    ]  # fmt: skip
    assert fake.calls_to("files.getUploadURLExternal")[0].params["length"] == str(len(CSV.data))


def test_a_reply_without_files_uploads_nothing(fake: FakeSlack) -> None:
    send_files(client(fake), USER, Reply("No cases match."))
    assert fake.calls == []


def test_a_file_slack_refuses_is_reported_to_the_caller(fake: FakeSlack) -> None:
    fake.fail_next("files.getUploadURLExternal", status=200, error="file_uploads_disabled")
    send_files(client(fake), USER, Reply("Exported.", files=[CSV]))
    assert fake.shared_files() == []
    (told,) = fake.calls_to("chat.postMessage")
    assert told.params["channel"] == dm_channel(USER)
    assert "cases-acme.csv could not be sent (Slack answered: file_uploads_disabled)" in told.params["text"]


def test_the_fake_refuses_an_empty_file_long_alt_text_and_unknown_tickets(fake: FakeSlack) -> None:
    web = client(fake)
    with pytest.raises(SlackApiError, match="missing_argument"):
        web.files_getUploadURLExternal(filename="a.csv", length=0)
    with pytest.raises(SlackApiError, match="alt_txt_too_large"):
        web.files_getUploadURLExternal(filename="a.png", length=10, alt_txt="x" * 1001)
    with pytest.raises(SlackApiError, match="file_upload_size_restricted"):
        web.files_getUploadURLExternal(filename="a.csv", length=1024**3 + 1)
    ticket = web.files_getUploadURLExternal(filename="a.csv", length=3)
    with pytest.raises(SlackApiError, match="file_not_found"):  # never uploaded
        web.files_completeUploadExternal(files=[{"id": ticket["file_id"]}], channel_id="D0BRAND1")
    with pytest.raises(SlackApiError, match="file_not_found"):
        web.files_completeUploadExternal(files=[{"id": "FNOSUCH"}], channel_id="D0BRAND1")

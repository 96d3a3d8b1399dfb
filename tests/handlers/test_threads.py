"""Messages written in the bot's threads, on any platform: a case reply relayed to the other side,
an answer to a language request, or the team's notes."""

from __future__ import annotations

from bot.router import ThreadMessage
from handlers.kit.context import Attachment
from storage.models import LanguageRequest
from storage.queries.outbox import posted_message
from support.harness import Harness

CASE = "MS-000001"
COMPLAINT = "complaint right=1 reason=counterfeit https://item.taobao.com/item.htm?id=123"
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
RAID = 'raid raid_date=2026-10-02 authority="Yiwu AMR" case_number=YW-1 https://shop123456.taobao.com/'


def thread_of(bot: Harness, channel: str, reference: str) -> str:
    """The platform's id of the first message of `reference`'s thread in `channel`."""
    with bot.database.transaction() as session:
        posted = posted_message(session, bot.poster.platform, channel, reference)
        assert posted is not None
        return posted.message_ref


def filed(bot: Harness) -> None:
    bot.ok(COMPLAINT, as_="brand1")
    bot.delivered()


def request_status(bot: Harness) -> str:
    with bot.database.transaction() as session:
        request = session.get(LanguageRequest, 1)
        assert request is not None
        return request.status


# --- case threads -------------------------------------------------------------------------------


def test_a_brands_message_in_its_case_thread_reaches_the_teams_case_thread(program: Harness) -> None:
    filed(program)
    reply = program.say_in_thread("org:acme", CASE, "  It is the 2026 handbag line.  ", as_="brand1")
    assert reply is not None and reply.text == "Sent to the team in MS-000001."
    [relayed] = program.delivered()
    assert (relayed.channel, relayed.case_id, relayed.thread_ref, relayed.text) == (
        "team",
        CASE,
        thread_of(program, "team", CASE),
        "console:brand1: It is the 2026 handbag line.",
    )


def test_a_team_members_message_in_the_teams_case_thread_reaches_the_brand(program: Harness) -> None:
    filed(program)
    reply = program.say_in_thread("team", CASE, "Both listings are gone.", as_="team1")
    assert reply is not None and reply.text == "Sent to the brand in MS-000001."
    [relayed] = program.delivered()
    assert (relayed.channel, relayed.thread_ref, relayed.text) == (
        "org:acme",
        thread_of(program, "org:acme", CASE),
        "console:team1: Both listings are gone.",
    )


def test_what_a_person_writes_is_relayed_as_written_even_when_it_looks_like_options(program: Harness) -> None:
    filed(program)
    written = 'page=2 "the red ones" reply price=5'
    program.say_in_thread("org:acme", CASE, written, as_="brand1")
    [relayed] = program.delivered()
    assert relayed.text == f"console:brand1: {written}"


def test_a_team_member_writing_in_the_brands_thread_is_not_relayed_back_to_the_brand(program: Harness) -> None:
    filed(program)
    reply = program.say_in_thread("org:acme", CASE, "Noted.", as_="team1")
    assert reply is not None and reply.text == "Not relayed: this thread belongs to the brand."
    assert program.delivered() == []


def test_a_retried_thread_message_is_relayed_once(program: Harness) -> None:
    filed(program)
    for _ in range(2):
        program.say_in_thread("org:acme", CASE, "Any news?", as_="brand1", request_key="test:message:1")
    assert [posted.text for posted in program.delivered()] == ["console:brand1: Any news?"]


def test_another_organisation_cannot_write_into_a_case_through_its_thread(program: Harness) -> None:
    filed(program)
    reply = program.say_in_thread("org:acme", CASE, "We sell these too.", as_="brand2")
    assert reply is not None and reply.is_error
    assert reply.text.startswith("There is no case MS-000001 among your organisation's cases.")
    assert program.delivered() == []


# --- language request threads ---------------------------------------------------------------------


def test_a_message_in_the_language_channels_request_thread_answers_the_request(program: Harness) -> None:
    program.ok("language source=zh target=en 卖家说这是正品", as_="brand1")
    program.delivered()
    reply = program.say_in_thread("language", "LR-000001", "The seller says it is genuine.", as_="team1")
    assert reply is not None and reply.text.startswith("Answer to LR-000001 sent to ACME Corp")
    assert request_status(program) == "answered"
    to_brand = [posted for posted in program.delivered() if posted.channel == "org:acme"]
    assert [posted.thread_ref for posted in to_brand] == [thread_of(program, "org:acme", "LR-000001")]


def test_a_message_in_the_members_copy_of_a_request_thread_is_not_an_answer(program: Harness) -> None:
    program.ok("language source=zh target=en 卖家说这是正品", as_="brand1")
    program.delivered()
    assert program.say_in_thread("org:acme", "LR-000001", "Thanks, waiting.", as_="brand1") is None
    assert program.say_in_thread("org:acme", "LR-000001", "It means genuine.", as_="team1") is None
    assert request_status(program) == "open"
    assert program.delivered() == []


# --- other threads and other messages ---------------------------------------------------------------


def test_messages_in_a_raid_thread_are_the_teams_notes_and_go_nowhere(program: Harness) -> None:
    program.ok(RAID, as_="brand1", attachments=(Attachment("record.pdf", PDF),))
    program.delivered()
    assert program.say_in_thread("team", "RAID-000001", "Checked the record; forwarding.", as_="team1") is None
    assert program.say_in_thread("org:acme", "RAID-000001", "When will you decide?", as_="brand1") is None
    assert program.delivered() == []


def test_an_empty_message_or_one_outside_the_bots_threads_is_left_alone(program: Harness) -> None:
    filed(program)
    assert program.say_in_thread("org:acme", CASE, "   ", as_="brand1") is None
    team = thread_of(program, "team", CASE)
    elsewhere = ThreadMessage(program.poster.platform, "#org:acme", team, "brand1", "Hello?")
    assert program.router.thread_message(elsewhere) is None
    assert program.delivered() == []

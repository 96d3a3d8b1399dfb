"""Files, direct messages and stepped forms on Discord, end to end: the real discord.py client
against FakeDiscord and the real router. Members attach a CSV of links, raid documents or a letter
of authorisation to a slash command or a direct message; a form of more than five fields is filled
in over several modals."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
from collections.abc import AsyncIterator, Coroutine, Iterator
from typing import Any

import discord
import pytest
from sqlmodel import select

from bot.discord.client import MarketSafeClient
from bot.message_files import MAX_MESSAGE_FILES
from bot.router import Incoming, Router
from handlers.kit.context import Caller, ProgramRules
from storage.database import Database
from storage.models import Application, Complaint, ComplaintItem, LanguageRequest, RaidEvidence
from support.clock import FakeClock
from support.discord_program import set_up_program
from support.fake_discord import Call, FakeDiscord

TOKEN = "fake-discord-bot-token"
BRAND, TEAM, NEWCOMER, STRANGER = (412_345_678_901_234_502, 412_345_678_901_234_503, 412_345_678_901_234_504,
                                   412_345_678_901_234_505)  # fmt: skip
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


class Discord:
    def __init__(self, fake: FakeDiscord, database: Database, clock: FakeClock) -> None:
        self.fake = fake
        self.database = database
        self.router = Router(database, ProgramRules(), frozenset({"console:operator"}), clock=clock)

    def program(self) -> None:
        set_up_program(self.router, self.fake, BRAND, TEAM)


@contextlib.contextmanager
def fake_discord(**options: Any) -> Iterator[FakeDiscord]:
    with FakeDiscord(**options) as fake:
        fake.use_for()
        yield fake


@pytest.fixture
def env(database: Database, clock: FakeClock) -> Iterator[Discord]:
    with fake_discord() as fake:
        yield Discord(fake, database, clock)


@contextlib.asynccontextmanager
async def running(env: Discord) -> AsyncIterator[MarketSafeClient]:
    client = MarketSafeClient(env.router, guild_id=env.fake.guild_id, api_url=env.fake.api_url, guild_ready_timeout=0.1)
    task = asyncio.create_task(client.start(TOKEN))
    ready = asyncio.create_task(client.wait_until_ready())
    try:
        done, _ = await asyncio.wait({task, ready}, timeout=5, return_when=asyncio.FIRST_COMPLETED)
        if task in done:
            task.result()
        assert ready in done, "the client did not reach on_ready within 5 s"
        yield client
    finally:
        ready.cancel()
        await client.close()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(task, 5)


def run(scenario: Coroutine[Any, Any, None]) -> None:
    asyncio.run(asyncio.wait_for(scenario, 60))


def invoked(path: str, options: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
    word, *rest = path.split()
    for name in reversed(rest):
        options = [{"name": name, "type": 1, "options": options}]
    return f"marketsafe-{word}", options


async def answered(fake: FakeDiscord, interaction: str) -> Call:
    (callback,) = await fake.wait_for_async("POST", f"/interactions/{interaction}/")
    return callback


async def reply_to(fake: FakeDiscord, interaction: str) -> dict[str, Any]:
    """The message that answers the interaction: the first answer, or what replaced its deferral."""
    callback = await answered(fake, interaction)
    if callback.json["type"] == 4:
        data: dict[str, Any] = callback.json["data"]
        assert data["flags"] == 64 and data["allowed_mentions"] == {"parse": []}
        return data
    assert callback.json["type"] == 5, callback.json
    token = next(i.token for i in fake._interactions.values() if str(i.id) == interaction)
    (edited,) = await fake.wait_for_async("PATCH", f"/webhooks/{fake.application_id}/{token}/messages/@original")
    return dict(edited.json)


async def slash(fake: FakeDiscord, user: int, path: str, *, channel_id: int | None = None, **values: Any) -> str:
    """`/marketsafe-<word> [<sub-command>]` with options (an uploaded file as an attachment option)."""
    options = [
        fake.attachment_option(name, value) if isinstance(value, dict) else {"name": name, "value": value}
        for name, value in values.items()
    ]
    return fake.slash_command(user, *invoked(path, options), channel_id=channel_id or fake.brand_channel_id)


def shown(message: dict[str, Any]) -> str:
    """Everything a message shows: its content and its embeds' descriptions and fields."""
    parts = [message.get("content") or ""]
    for embed in message.get("embeds") or []:
        parts.append(embed.get("description") or "")
        parts += [f"{field['name']}\n{field['value']}" for field in embed.get("fields") or []]
    return "\n".join(parts)


def buttons(message: dict[str, Any]) -> list[dict[str, Any]]:
    return [c for row in message.get("components") or [] for c in row.get("components") or []]


# -- a complaint from a CSV file -------------------------------------------------------------------


def csv_of_300_links() -> bytes:
    """300 Taobao listings, plus a mobile link of one of them, a link off the marketplaces and a
    row whose cell holds no link."""
    rows = ["link"] + [f"https://item.taobao.com/item.htm?id={700_000 + n}" for n in range(300)]
    rows += ["https://h5.m.taobao.com/awp/core/detail.htm?id=700000", "https://example.com/shoe", "hello"]
    return ("\n".join(rows) + "\n").encode()


def test_a_member_files_300_links_from_an_attached_csv_and_hears_every_merged_and_rejected_row(env: Discord) -> None:
    env.program()

    async def scenario() -> None:
        async with running(env):
            links = env.fake.upload("links.csv", csv_of_300_links())
            answer = await reply_to(env.fake, await slash(env.fake, BRAND, "complaint", file=links))
            text = shown(answer)
            assert "Registered 300 items in MS-000001" in text, text
            assert "https://h5.m.taobao.com/awp/core/detail.htm?id=700000" in text  # merged, with its twin
            assert "same listing as https://item.taobao.com/item.htm?id=700000" in text
            assert "example.com is not a supported marketplace" in text
            assert "line 304: hello is not a link" in text
            assert env.fake.downloads == [links["url"].split("/attachments/", 1)[1]]

    run(scenario())
    with env.database.transaction() as session:
        (complaint,) = session.exec(select(Complaint)).all()
        assert complaint.item_count == 300 and len(session.exec(select(ComplaintItem)).all()) == 300


# -- raid evidence -----------------------------------------------------------------------------------


def test_raid_evidence_attached_to_the_raid_command_is_kept_by_its_fingerprint(env: Discord) -> None:
    env.program()

    async def scenario() -> None:
        async with running(env):
            report = env.fake.upload("raid-report.pdf", PDF)
            answer = await reply_to(
                env.fake,
                await slash(
                    env.fake,
                    BRAND,
                    "raid submit",
                    raid_date="2026-10-02",
                    authority="Yiwu AMR",
                    case_number="YW-2026-118",
                    storefronts="https://shop123456.taobao.com",
                    document=report,
                ),
            )
            assert "RAID-000001 submitted" in answer["content"], answer
            assert hashlib.sha256(PDF).hexdigest() in shown(answer)

    run(scenario())
    with env.database.transaction() as session:
        (evidence,) = session.exec(select(RaidEvidence)).all()
        assert evidence.authority == "Yiwu AMR"


# -- refusals --------------------------------------------------------------------------------------


def test_an_attachment_declared_over_the_limit_is_refused_before_anything_is_fetched(
    database: Database, clock: FakeClock
) -> None:
    big = b"link\n" + b"https://item.taobao.com/item.htm?id=1\n" * 600_000  # about 22 MB
    with fake_discord(attachment_size_limit=50 * 1024 * 1024) as fake:  # a boosted server takes 50 MB
        env = Discord(fake, database, clock)
        env.program()

        async def scenario(env: Discord) -> None:
            async with running(env):
                links = env.fake.upload("links.csv", big)
                answer = await reply_to(env.fake, await slash(env.fake, BRAND, "complaint", file=links))
                assert answer["content"] == (
                    f"⚠ links.csv is {len(big):,} bytes; a CSV file of links may be at most 20 MB. "
                    "Nothing was submitted."
                ), answer["content"]

        run(scenario(env))
        assert fake.downloads == []
    with database.transaction() as session:
        assert session.exec(select(Complaint)).all() == []


def test_an_attachment_off_discords_file_host_is_never_fetched(env: Discord) -> None:
    env.program()

    async def scenario() -> None:
        async with running(env):
            forged = env.fake.upload(
                "links.csv", b"link\nhttps://item.taobao.com/item.htm?id=1\n", url="https://evil.example/links.csv"
            )
            answer = await reply_to(env.fake, await slash(env.fake, BRAND, "complaint", file=forged))
            assert answer["content"].startswith("⚠ links.csv could not be fetched: it is not on Discord's file host.")
            moved = env.fake.upload(
                "letter.pdf", PDF, redirect_to=f"http://localhost:{env.fake.port}/attachments/elsewhere.pdf"
            )
            answer = await reply_to(env.fake, await slash(env.fake, BRAND, "complaint", file=moved))
            assert "Discord sent it on to another address, which the bot does not follow" in answer["content"]

    run(scenario())
    assert [path.rsplit("/", 1)[-1] for path in env.fake.downloads] == ["letter.pdf"]  # the redirect, not followed


def test_a_file_larger_than_it_was_declared_is_read_no_further_than_the_limit(
    database: Database, clock: FakeClock
) -> None:
    document = b"%PDF-1.7\n" + b"0" * (10 * 1024 * 1024)  # over language help's 10 MB
    with fake_discord(attachment_size_limit=25 * 1024 * 1024) as fake:  # a boosted server
        env = Discord(fake, database, clock)
        env.program()
        run(_language_document_larger_than_declared(env, document))


async def _language_document_larger_than_declared(env: Discord, document: bytes) -> None:
    limit = "a document for language help may be at most 10 MB. Nothing was submitted."
    async with running(env):
        # The host's Content-Length gives it away before the body is read ...
        lying = env.fake.upload("scan.pdf", document, size=1000)
        answer = await reply_to(env.fake, await slash(env.fake, BRAND, "language language", document=lying))
        assert answer["content"] == f"⚠ scan.pdf is {len(document):,} bytes; {limit}", answer["content"]
        # ... and without one, reading stops past the limit.
        streamed = env.fake.upload("scan.pdf", document, size=1000, chunked=True)
        answer = await reply_to(env.fake, await slash(env.fake, BRAND, "language language", document=streamed))
        assert answer["content"] == f"⚠ scan.pdf is over {10 * 1024 * 1024:,} bytes; {limit}", answer["content"]
    with env.database.transaction() as session:
        assert session.exec(select(LanguageRequest)).all() == []


# -- the application form, in steps ------------------------------------------------------------------

STEP_ONE = {
    "legal_name": "Globex Ltd",
    "name_zh": "",
    "country": "GB",
    "size": "medium",
    "contact": "Jo, jo@globex.example",
}


def inputs(modal: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        component
        for top in modal["components"]
        for component in [*top.get("components", []), *([top["component"]] if "component" in top else [])]
    ]


async def fill_in_step_one(fake: FakeDiscord, user: int, **options: Any) -> dict[str, Any]:
    """`/marketsafe-apply submit` with no answers opens the first of two modals; submitting it
    answers with a Continue button. Returns that answer."""
    opened = await answered(fake, await slash(fake, user, "apply submit", **options))
    assert opened.json["type"] == 9, opened.json
    first = opened.json["data"]
    assert first["title"] == "Apply to MarketSafe (1/2)"
    assert [c["custom_id"] for c in inputs(first)] == list(STEP_ONE)
    kept = await reply_to(fake, fake.submit_modal(user, first["custom_id"], STEP_ONE, channel_id=fake.brand_channel_id))
    assert kept["content"].startswith("Step 1 of 2 kept. Continue with step 2: You are"), kept
    return kept


async def continue_form(fake: FakeDiscord, user: int, message: dict[str, Any]) -> Call:
    (button,) = buttons(message)
    stored = next(m for m in fake.messages_in(fake.brand_channel_id) if button["custom_id"] in str(m["components"]))
    interaction = fake.press_button(
        user, button["custom_id"], channel_id=fake.brand_channel_id, message_id=int(stored["id"])
    )
    return await answered(fake, interaction)


def test_the_nine_question_application_form_is_filled_in_two_modals_and_the_application_recorded(env: Discord) -> None:
    async def scenario() -> None:
        async with running(env):
            kept = await fill_in_step_one(env.fake, NEWCOMER)
            # The Continue button opens the next step for the person who filled in the first only.
            refused = await continue_form(env.fake, STRANGER, kept)
            assert refused.json["type"] == 4 and "no longer open" in refused.json["data"]["content"]
            opened = await continue_form(env.fake, NEWCOMER, kept)
            second = opened.json["data"]
            assert second["title"] == "Apply to MarketSafe (2/2)"
            assert [c["custom_id"] for c in inputs(second)] == ["role", "represents", "good_faith", "marks"]
            step_two = {"role": "rights_holder", "represents": "", "good_faith": "no", "marks": "GLOBEX, GLOBEX Pro"}
            done = await reply_to(
                env.fake,
                env.fake.submit_modal(NEWCOMER, second["custom_id"], step_two, channel_id=env.fake.brand_channel_id),
            )
            assert done["content"].startswith("Application #1 received: Globex Ltd is queued"), done

    run(scenario())
    with env.database.transaction() as session:
        (application,) = session.exec(select(Application)).all()
        assert (application.legal_name, application.country, application.size_band, application.marks) == (
            "Globex Ltd", "GB", "medium", "GLOBEX, GLOBEX Pro",
        )  # fmt: skip
        assert application.applicant_user_id == str(NEWCOMER) and application.status == "queued"


def test_a_letter_attached_to_apply_goes_with_the_form_to_its_last_step(env: Discord) -> None:
    async def scenario() -> None:
        async with running(env):
            letter = env.fake.upload("authorisation.pdf", PDF)
            kept = await fill_in_step_one(env.fake, NEWCOMER, letter=letter)
            second = (await continue_form(env.fake, NEWCOMER, kept)).json["data"]
            wrong = {"role": "representative", "represents": "Initech", "good_faith": "perhaps", "marks": "INITECH"}
            refused = await reply_to(
                env.fake,
                env.fake.submit_modal(NEWCOMER, second["custom_id"], wrong, channel_id=env.fake.brand_channel_id),
            )
            assert refused["content"].startswith("⚠ In the Good Faith program?:"), refused
            assert [b["label"] for b in buttons(refused)] == ["Correct In the Good Faith program?"]
            again = (await continue_form(env.fake, NEWCOMER, refused)).json["data"]
            assert {c["custom_id"]: c.get("value") for c in inputs(again)}["represents"] == "Initech"  # kept
            done = await reply_to(
                env.fake,
                env.fake.submit_modal(
                    NEWCOMER, again["custom_id"], {**wrong, "good_faith": "no"}, channel_id=env.fake.brand_channel_id
                ),
            )
            assert done["content"].startswith("Application #1 received"), done
            assert hashlib.sha256(PDF).hexdigest() in shown(done)

    run(scenario())
    with env.database.transaction() as session:
        (application,) = session.exec(select(Application)).all()
        assert application.authorisation_sha256 == hashlib.sha256(PDF).hexdigest()


# -- direct messages -----------------------------------------------------------------------------------


async def dm_answer(fake: FakeDiscord, user: int, count: int = 1) -> dict[str, Any]:
    """The bot's `count`th message in its conversation with `user`."""
    await fake.wait_for_async("POST", "/channels/", count=count)
    channel = fake.dm_channel_of(user)
    assert channel is not None
    mine = [m for m in fake.messages_in(int(channel["id"])) if int(m["author"]["id"]) == fake.bot_user_id]
    assert len(mine) >= count
    return mine[count - 1]


def test_a_complaint_written_to_the_bot_directly_is_answered_there_as_on_the_console(env: Discord) -> None:
    env.program()
    links = "https://item.taobao.com/item.htm?id=1001 https://item.taobao.com/item.htm?id=1002 https://example.com/x"
    console = Router(env.database, ProgramRules(), frozenset()).handle(
        Incoming(Caller("console", "someone"), "help complaint")
    )

    async def scenario() -> None:
        async with running(env):
            env.fake.direct_message(BRAND, f"complaint {links}")
            first = await dm_answer(env.fake, BRAND)
            assert first["content"].startswith("Registered 2 items in MS-000001"), first
            assert "example.com is not a supported marketplace" in shown(first)
            csv = env.fake.upload("more.csv", b"link\nhttps://item.taobao.com/item.htm?id=2001\nnope\n")
            env.fake.direct_message(BRAND, "complaint", attachments=[csv])
            second = await dm_answer(env.fake, BRAND, 2)
            assert second["content"].startswith("Registered 1 item in MS-000002"), second
            assert "line 3: nope is not a link" in shown(second)
            env.fake.direct_message(BRAND, "help complaint")
            third = await dm_answer(env.fake, BRAND, 3)
            assert third["content"] == discord.utils.escape_mentions(console.text)

    run(scenario())


def test_files_sent_with_a_word_that_is_no_command_or_by_someone_the_command_refuses_are_never_fetched(
    env: Discord,
) -> None:
    env.program()

    async def scenario() -> None:
        async with running(env):
            nine_mb = [env.fake.upload(f"big{n}.pdf", PDF, size=9 * 1024 * 1024) for n in range(10)]
            env.fake.direct_message(STRANGER, "whatever", attachments=nine_mb)
            first = await dm_answer(env.fake, STRANGER)
            assert first["content"].startswith("⚠ There is no command 'whatever'."), first
            links = env.fake.upload("links.csv", b"link\nhttps://item.taobao.com/item.htm?id=1\n")
            env.fake.direct_message(STRANGER, "complaint", attachments=[links])
            second = await dm_answer(env.fake, STRANGER, 2)
            assert second["content"] == "⚠ You need to be in the program to use `complaint`. Ask a program admin " + (
                "to add you to your organisation."
            ), second
            answer = await reply_to(env.fake, await slash(env.fake, STRANGER, "complaint", file=links))
            assert answer["content"].startswith("⚠ You need to be in the program to use `complaint`."), answer

    run(scenario())
    assert env.fake.downloads == []


def test_a_message_over_the_file_caps_is_refused_naming_the_cap_before_any_file_is_fetched(env: Discord) -> None:
    env.program()
    raid = "raid raid_date=2026-10-02 authority=AMR case_number=1 https://shop1.taobao.com"

    async def scenario() -> None:
        async with running(env):
            eleven = [env.fake.upload(f"page{n}.pdf", PDF) for n in range(MAX_MESSAGE_FILES + 1)]
            env.fake.direct_message(BRAND, raid, attachments=eleven)
            first = await dm_answer(env.fake, BRAND)
            assert first["content"] == (
                "⚠ This message has 11 files; the bot takes at most 10 files in one message. Nothing was submitted: "
                "send the command again with fewer files."
            ), first
            six_large = [env.fake.upload(f"scan{n}.pdf", PDF, size=20 * 1024 * 1024) for n in range(6)]
            env.fake.direct_message(BRAND, raid, attachments=six_large)
            second = await dm_answer(env.fake, BRAND, 2)
            assert (
                f"come to {6 * 20 * 1024 * 1024:,} bytes; the bot takes at most 100 MB in one message"
                in (second["content"])
            ), second

    run(scenario())
    assert env.fake.downloads == []
    with env.database.transaction() as session:
        assert session.exec(select(RaidEvidence)).all() == []


def test_a_deferred_form_keeps_its_file_behind_an_open_the_form_button(env: Discord) -> None:
    async def scenario() -> None:
        async with running(env) as client:
            client.defer_after = 0.0  # every command is deferred
            letter = env.fake.upload("authorisation.pdf", PDF)
            deferred = await reply_to(env.fake, await slash(env.fake, NEWCOMER, "apply submit", letter=letter))
            (button,) = buttons(deferred)
            assert button["label"] == "Open the form" and button["custom_id"].startswith("form-step:")
            client.defer_after = 5.0
            opened = await continue_form(env.fake, NEWCOMER, deferred)
            assert opened.json["type"] == 9 and opened.json["data"]["title"] == "Apply to MarketSafe (1/2)"
            (draft,) = [d for d in client.drafts._drafts.values() if d.user_id == NEWCOMER]
            assert [a.content for a in draft.attachments] == [PDF]

    run(scenario())

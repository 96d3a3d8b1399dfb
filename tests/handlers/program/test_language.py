"""Language help: a member asks, the team answers in the request's thread, the answer comes back."""

from __future__ import annotations

import hashlib
from typing import Any, cast

from sqlmodel import col, select

import handlers.program.language  # noqa: F401  (registers the `language` command)
from bot.router import Incoming
from handlers.kit.context import Attachment, Caller
from handlers.kit.replies import Reply
from storage.models import AuditEntry, LanguageRequest, OutboxNotice
from storage.queries.language import record_answer
from support.harness import Harness

ASK = "language source=zh target=en 请提供正品授权书"
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00\x10JFIF" + b"\x00" * 32
ZIP = b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 32


def stored_notices(bot: Harness, kind: str) -> list[tuple[str, str | None, dict[str, str]]]:
    """Notices of one kind as written to the outbox: channel, thread key and fields."""
    with bot.database.transaction() as session:
        rows = session.exec(select(OutboxNotice).where(OutboxNotice.kind == kind).order_by(col(OutboxNotice.id))).all()
        return [(row.channel, row.case_id, dict(cast(list[tuple[str, str]], row.payload["fields"]))) for row in rows]


def stored_request(bot: Harness, number: int = 1) -> dict[str, Any]:
    with bot.database.transaction() as session:
        request = session.get(LanguageRequest, number)
        assert request is not None
        return request.model_dump()


def submit(bot: Harness, as_: str, values: dict[str, str]) -> Reply:
    form = bot.ok("language", as_=as_).form
    assert form is not None
    args = form.form.to_args(values)
    return bot.router.handle(Incoming(Caller("console", as_), form.form.command, args=args))


# --- the round trip -----------------------------------------------------------------------------


def test_a_request_reaches_the_language_thread_and_the_answer_comes_back_to_the_brand(program: Harness) -> None:
    asked = program.ok(ASK, as_="brand1")
    assert asked.text == (
        "Language request LR-000001 (zh → en) is with the IACC/Alibaba team. The answer will come back here: "
        "in your organisation's channel, in the thread LR-000001, and by direct message."
    )
    posted = program.delivered()
    assert [(p.channel, p.case_id, p.kind, p.thread_ref) for p in posted] == [
        ("language", "LR-000001", "language_request", None),
        ("org:acme", "LR-000001", "language_request", None),
    ]
    assert posted[0].text == "Language help LR-000001 from ACME Corp: zh → en"
    language_thread, brand_thread = "msg-1", "msg-2"
    (_, _, team_fields), _ = stored_notices(program, "language_request")
    assert team_fields == {
        "Text": "请提供正品授权书",
        "Asked by": "console:brand1",
        "Answer with": "language answer LR-000001 <answer>",
    }
    assert stored_request(program)["status"] == "open"

    program.clock.advance(hours=1)
    answered = program.ok("language answer LR-000001 Please provide the letter of authorisation.", as_="team1")
    assert answered.text == (
        "Answer to LR-000001 sent to ACME Corp: in their channel, thread LR-000001, and by direct message to "
        "console:brand1."
    )
    posted = program.delivered()
    assert [(p.channel, p.case_id, p.thread_ref) for p in posted] == [
        ("org:acme", "LR-000001", brand_thread),
        ("dm:console:brand1", None, None),
        ("language", "LR-000001", language_thread),
    ]
    assert posted[0].text == "Answer to language request LR-000001 (zh → en) from console:team1:"
    assert posted[1].text == "The IACC/Alibaba team answered your language request LR-000001 (zh → en):"
    assert posted[2].text == "LR-000001 answered by console:team1; the answer was sent to ACME Corp."
    answer_fields = {"Answer": "Please provide the letter of authorisation.", "Your request": "请提供正品授权书"}
    assert [fields for _, _, fields in stored_notices(program, "language_answer")] == [answer_fields, answer_fields]

    request = stored_request(program)
    assert request["status"] == "answered"
    assert request["answer"] == "Please provide the letter of authorisation."
    assert request["answered_by"] == "console:team1"
    assert request["answered_at"] == program.clock.now

    program.clock.advance(hours=1)
    again = program.refused("language answer LR-000001 A second answer", as_="team1")
    assert again == (
        "LR-000001 was already answered by console:team1 on 2026-11-18 16:00 EST. "
        "`language show LR-000001` shows the answer; a request has one answer."
    )
    assert program.delivered() == []
    assert stored_request(program)["answer"] == "Please provide the letter of authorisation."


def test_a_name_ending_in_a_full_stop_ends_the_sentence_once(program: Harness) -> None:
    program.ok('admin org add initech "Initech Inc."')
    program.ok("admin member add console:peter initech member")
    program.ok(ASK, as_="peter")
    program.ok("language answer LR-000001 Please provide the letter of authorisation.", as_="team1")
    posted = program.delivered()
    assert posted[-1].text == "LR-000001 answered by console:team1; the answer was sent to Initech Inc."


def test_the_member_sees_the_request_and_its_answer(program: Harness) -> None:
    program.ok(ASK, as_="brand1")
    shown = program.ok("language show LR-000001", as_="brand1")
    assert shown.text == "LR-000001 · open · zh → en"
    assert shown.fields == [
        ("Organisation", "ACME Corp"),
        ("Asked", "2026-11-18 15:00 EST by console:brand1"),
        ("Text", "请提供正品授权书"),
    ]
    assert shown.lines == []
    assert program.ok("language show 1", as_="team1").lines == ["Answer with: language answer LR-000001 <answer>"]
    program.clock.advance(minutes=30)
    program.ok("language answer 1 Please provide the letter of authorisation.", as_="team1")
    shown = program.ok("language show lr-1", as_="brand1")
    assert shown.text == "LR-000001 · answered · zh → en"
    assert shown.fields[-2:] == [
        ("Answer", "Please provide the letter of authorisation."),
        ("Answered", "2026-11-18 15:30 EST by console:team1"),
    ]


def test_every_change_is_in_the_audit_log(program: Harness) -> None:
    program.ok(ASK, as_="brand1")
    program.ok("language answer LR-000001 Letter of authorisation for genuine goods.", as_="team1")
    with program.database.transaction() as session:
        entries = session.exec(
            select(AuditEntry).where(AuditEntry.entity == "language_request").order_by(col(AuditEntry.id))
        ).all()
        rows = [(e.actor, e.entity_id, e.action, e.from_status, e.to_status, e.note) for e in entries]
    assert rows == [
        ("console:brand1", 1, "created", None, "open", "zh -> en"),
        ("console:team1", 1, "status", "open", "answered", "answer of 42 characters"),
    ]


def test_an_admin_may_answer_and_brands_may_not(program: Harness) -> None:
    program.ok(ASK, as_="brand1")
    refused = program.refused("language answer LR-000001 my own answer", as_="brand1")
    assert refused.startswith("Only the IACC/Alibaba team can answer language requests.")
    assert "language source=en target=zh list ..." in "\n".join(program.ok("help language", as_="brand1").lines)
    assert stored_request(program)["status"] == "open"
    program.ok("language answer LR-000001 Authorisation letter.", as_="operator")
    assert stored_request(program)["answered_by"] == "console:operator"


def test_answers_to_unknown_requests_and_empty_or_long_answers_are_refused(program: Harness) -> None:
    program.ok(ASK, as_="brand1")
    assert program.refused("language answer LR-000009 text", as_="team1") == (
        "There is no language request LR-000009. `language list` lists them."
    )
    assert "is not a language request reference" in program.refused("language answer MS-000001 x", as_="team1")
    missing = program.send("language answer", as_="team1")
    assert missing.is_error and missing.error_field == "reference" and "language answer LR-000001" in missing.text
    empty = program.send("language answer LR-000001", as_="team1")
    assert empty.is_error and empty.error_field == "answer"
    assert empty.text == "Write the answer after the reference: language answer LR-000001 <answer>."
    long = program.send("language answer LR-000001 " + "a" * 4001, as_="team1")
    assert long.is_error and long.error_field == "answer" and "4,001 characters; the limit is 4,000" in long.text
    assert stored_request(program)["status"] == "open"
    program.ok("language answer LR-000001 " + "a" * 4000, as_="team1")
    assert len(stored_request(program)["answer"]) == 4000


def test_an_answer_written_over_several_lines_is_kept_as_written(program: Harness) -> None:
    program.ok(ASK, as_="brand1")
    program.ok("language answer LR-000001 第一行 = line one\n第二行: price=100", as_="team1")
    assert stored_request(program)["answer"] == "第一行 = line one\n第二行: price=100"


def test_an_answer_given_at_the_same_moment_by_someone_else_wins(program: Harness) -> None:
    program.ok(ASK, as_="brand1")
    # The second answerer read the request while it was open; SQLite lets no transaction write while
    # another is open, so that reading is kept in an object carried into its later transaction.
    with program.database.transaction() as reading:
        stale = reading.get(LanguageRequest, 1)
        assert stale is not None and stale.status == "open"
    with program.database.transaction() as first:
        fresh = first.get(LanguageRequest, 1)
        assert fresh is not None
        assert record_answer(first, fresh, answer="first", by="console:team1", at=program.clock.now)
    with program.database.transaction() as second:
        second.add(stale)
        assert not record_answer(second, stale, answer="second", by="console:team2", at=program.clock.now)
        assert (stale.status, stale.answer, stale.answered_by) == ("answered", "first", "console:team1")


# --- documents ----------------------------------------------------------------------------------


def test_a_document_is_kept_by_name_and_sha256_only(program: Harness) -> None:
    reply = program.ok("language", as_="brand1", attachments=(Attachment("授权书.pdf", PDF),))
    digest = hashlib.sha256(PDF).hexdigest()
    assert "LR-000001 (zh → en)" in reply.text
    assert reply.fields == [("Document", f"授权书.pdf (PDF, {len(PDF)} bytes)"), ("SHA-256", digest)]
    assert reply.lines == [
        "Chinese to English was guessed from your message; if that is wrong, ask again with source= and target=, "
        "e.g. source=en target=zh."
    ]
    request = stored_request(program)
    assert (request["text"], request["document_name"], request["document_sha256"]) == (None, "授权书.pdf", digest)
    (_, _, fields), (channel, _, brand_fields) = stored_notices(program, "language_request")
    assert fields["Document"] == f"授权书.pdf (PDF, {len(PDF)} bytes)" and fields["SHA-256"] == digest
    assert channel == "org:acme" and brand_fields == {"Document": fields["Document"], "SHA-256": digest}
    assert all(PDF.decode() not in value for value in fields.values())


def test_a_document_may_come_with_text_and_languages(program: Harness) -> None:
    program.ok(
        "language source=en target=zh Please translate the attached letter for the seller.",
        as_="brand1",
        attachments=(Attachment("letter.txt", b"Dear seller,\nPlease remove the listing.\n"),),
    )
    request = stored_request(program)
    assert (request["source_language"], request["target_language"]) == ("en", "zh")
    assert request["text"] == "Please translate the attached letter for the seller."
    assert request["document_name"] == "letter.txt"
    show = dict(program.ok("language show LR-000001", as_="brand1").fields)
    assert show["Document"] == "letter.txt" and show["SHA-256"] == request["document_sha256"]


def test_documents_are_recognised_by_their_bytes_not_their_names(program: Harness) -> None:
    documents = [
        ("scan.png", PNG, "PNG"),
        ("photo.jpeg", JPEG, "JPEG"),
        ("photo.png", JPEG, "JPEG"),  # a JPEG saved under a .png name is still a JPEG
        ("notes.pdf", "卖家回复：这是正品。\n".encode(), "TXT"),
        ("gbk.txt", "卖家未提供正品证明".encode("gb18030"), "TXT"),
        ("utf16.txt", "反通知".encode("utf-16"), "TXT"),
        ("prefixed.pdf", b"\r\n" + PDF, "PDF"),
    ]
    for name, content, kind in documents:
        reply = program.ok("language", as_="brand1", attachments=(Attachment(name, content),))
        assert reply.fields[0] == ("Document", f"{name} ({kind}, {len(content):,} bytes)"), name


def test_empty_oversized_wrong_type_and_several_documents_are_refused(program: Harness) -> None:
    empty = program.refused("language", as_="brand1", attachments=(Attachment("scan.pdf", b""),))
    assert empty.startswith("1 file refused: scan.pdf: it is empty. Accepted: PDF, PNG, JPEG or TXT, up to 10 MB each.")
    big = b"%PDF-1.7\n" + b"0" * (10 * 1024 * 1024)
    oversized = program.refused("language", as_="brand1", attachments=(Attachment("big.pdf", big),))
    assert oversized.startswith("1 file refused: big.pdf: it is 10,485,769 bytes; the limit is 10,485,760 (10 MB).")
    for name, content in [
        ("contract.docx", ZIP),
        ("image.gif", b"GIF89a\x01\x00\x01\x00\x00\xff"),
        ("x.bin", bytes(range(256))),
    ]:
        refused = program.refused("language", as_="brand1", attachments=(Attachment(name, content),))
        assert refused.startswith(f"1 file refused: {name}: it is not a PDF, PNG, JPEG or plain-text file"), name
        assert "Accepted: PDF, PNG, JPEG or TXT, up to 10 MB each." in refused
    two = program.refused("language", as_="brand1", attachments=(Attachment("a.pdf", PDF), Attachment("b.png", PNG)))
    assert two.startswith("2 files attached; the limit is 1.")
    with program.database.transaction() as session:
        assert session.exec(select(LanguageRequest)).all() == []
    assert program.delivered() == []


def test_a_document_at_exactly_10_mb_is_accepted_and_its_name_cleaned(program: Harness) -> None:
    exact = b"%PDF-1.7\n" + b"0" * (10 * 1024 * 1024 - 9)
    name = "C:\\Users\\brand\\Desktop\\" + "长" * 300 + ".pdf"
    program.ok("language", as_="brand1", attachments=(Attachment(name, exact),))
    stored = stored_request(program)["document_name"]
    assert len(stored) == 255 and stored.endswith("长….pdf") and "\\" not in stored
    program.ok("language", as_="brand1", attachments=(Attachment("../../etc/scan\n.png", PNG),))
    assert stored_request(program, 2)["document_name"] == "scan .png"


# --- text, languages and options ------------------------------------------------------------------


def test_text_of_1_to_4000_characters_is_accepted(program: Harness) -> None:
    program.ok("language source=zh target=en 好", as_="brand1")
    text = "字" * 4000
    program.ok(f"language source=zh target=en {text}", as_="brand1")
    assert stored_request(program, 2)["text"] == text
    fields = stored_notices(program, "language_request")[2][2]
    chunks = [(name, value) for name, value in fields.items() if name.startswith("Text")]
    assert [name for name, _ in chunks] == ["Text (1/4)", "Text (2/4)", "Text (3/4)", "Text (4/4)"]
    assert "".join(value for _, value in chunks) == text


def test_text_over_4000_characters_or_no_text_at_all_is_refused(program: Harness) -> None:
    long = program.send(f"language source=zh target=en {'字' * 4001}", as_="brand1")
    assert long.is_error and long.error_field == "text"
    assert long.text.startswith("The text is 4,001 characters; the limit is 4,000. Attach a longer text as a TXT")
    nothing = program.send("language source=zh target=en", as_="brand1")
    assert nothing.is_error and nothing.error_field == "text"
    assert nothing.text.startswith("Write the text you need help with, or attach a document.")
    both = program.send('language source=zh text="一" 二', as_="brand1")
    assert both.is_error and both.error_field == "text"
    with program.database.transaction() as session:
        assert session.exec(select(LanguageRequest)).all() == []


def test_the_text_reaches_the_team_exactly_as_written(program: Harness) -> None:
    text = '价格=100元  color=red "正品"\n第二行'
    program.ok(f"language source=zh target=en {text}", as_="brand1")
    assert stored_request(program)["text"] == text
    program.ok('language text="请翻译：假一赔十" source=zh', as_="brand1")
    assert stored_request(program, 2)["text"] == "请翻译：假一赔十"


def test_languages_default_to_the_opposite_or_are_guessed_from_the_text(program: Harness) -> None:
    cases = [
        ("language source=en Authorised reseller", ("en", "zh"), False),
        ("language target=zh Authorised reseller", ("en", "zh"), False),
        ("language target=en 授权经销商", ("zh", "en"), False),
        ("language source=Chinese target=English 授权经销商", ("zh", "en"), False),
        ("language 这个词是什么意思：高仿", ("zh", "en"), True),
        ("language How do I say authorised reseller?", ("en", "zh"), True),
    ]
    for number, (line, direction, guessed) in enumerate(cases, start=1):
        reply = program.ok(line, as_="brand1")
        request = stored_request(program, number)
        assert (request["source_language"], request["target_language"]) == direction, line
        assert bool(reply.lines) is guessed, line


def test_wrong_languages_and_options_are_refused_with_the_fix(program: Harness) -> None:
    unknown = program.send("language source=fr target=en bonjour", as_="brand1")
    assert unknown.is_error and unknown.error_field == "source"
    assert unknown.text == "'fr' is not a language the team helps with here. Use zh (Chinese) or en (English), e.g. " \
        "source=zh target=en."  # fmt: skip
    empty_target = program.send("language target= 你好", as_="brand1")
    assert empty_target.is_error and empty_target.error_field == "target"
    same = program.send("language source=zh target=zh 你好", as_="brand1")
    assert same.is_error and same.error_field == "target"
    assert same.text.startswith("source= and target= are both zh; the team helps between Chinese and English.")
    option = program.refused("language lang=zh 你好", as_="brand1")
    assert option.startswith("Unknown option lang=. Options here: source=, target=, text=.")
    twice = program.send("language source=zh source=en 你好", as_="brand1")
    assert twice.is_error and twice.error_field == "source" and "given twice" in twice.text


def test_only_members_of_an_organisation_may_ask(program: Harness) -> None:
    assert "not a member of an organisation" in program.refused(ASK, as_="team1")
    assert "You need to be in the program" in program.refused(ASK, as_="stranger")
    assert "You need to be in the program" in program.refused("language list", as_="stranger")


# --- lists and visibility -------------------------------------------------------------------------


def test_another_organisations_request_is_answered_like_a_missing_one(program: Harness) -> None:
    program.ok(ASK, as_="brand1")
    other = program.refused("language show LR-000001", as_="brand2")
    missing = program.refused("language show LR-000002", as_="brand2")
    assert other == missing.replace("LR-000002", "LR-000001")
    assert other == "There is no language request LR-000001 among your organisation's requests. `language list` " \
        "lists them."  # fmt: skip
    assert program.ok("language list", as_="brand2").text == "No language requests yet."
    assert "Say which request to show" in program.refused("language show", as_="brand1")
    assert "is not a language request reference" in program.refused("language show me", as_="brand1")


def test_members_list_their_organisations_requests_newest_first(program: Harness) -> None:
    program.ok(ASK, as_="brand1")
    program.ok("language source=zh target=en 假一赔十", as_="brand2")
    program.ok("admin member add console:brand3 acme member")
    program.clock.advance(days=1)
    program.ok("language", as_="brand3", attachments=(Attachment("scan.pdf", PDF),))
    program.ok("language answer LR-000001 Letter of authorisation for genuine goods.", as_="team1")
    reply = program.ok("language list", as_="brand1")
    assert reply.text == "2 language requests, newest first (page 1 of 1):"
    assert reply.lines == [
        "LR-000003 2026-11-19 open zh → en: document scan.pdf",
        "LR-000001 2026-11-18 answered zh → en: 请提供正品授权书",
    ]
    assert program.ok("language list all", as_="brand1").lines == reply.lines


def test_the_team_lists_open_requests_oldest_first_and_all_on_request(program: Harness) -> None:
    program.ok(ASK, as_="brand1")
    program.ok("language source=zh target=en 假一赔十", as_="brand2")
    program.ok("language source=en target=zh " + "word " * 30, as_="brand1")
    queue = program.ok("language list", as_="team1")
    assert queue.text == "3 open language requests, oldest first (page 1 of 1):"
    assert [line.split()[0] for line in queue.lines] == ["LR-000001", "LR-000002", "LR-000003"]
    assert queue.lines[1] == "LR-000002 2026-11-18 open zh → en Globex Ltd: 假一赔十"
    assert queue.lines[2].endswith("ACME Corp: " + ("word " * 12)[:59] + "…")
    program.ok("language answer LR-000002 One fake, ten in compensation.", as_="team1")
    assert [line.split()[0] for line in program.ok("language list", as_="team1").lines] == ["LR-000001", "LR-000003"]
    every = program.ok("language list all", as_="team1")
    assert every.text == "3 language requests, newest first (page 1 of 1):"
    assert [line.split()[2] for line in every.lines] == ["open", "answered", "open"]
    program.ok("language answer LR-000001 a", as_="team1")
    program.ok("language answer LR-000003 b", as_="team1")
    assert program.ok("language list", as_="team1").text == "No open language requests."


def test_lists_come_in_pages_of_20(program: Harness) -> None:
    for n in range(21):
        program.ok(f"language source=zh target=en 第{n}条", as_="brand1")
    first = program.ok("language list", as_="team1")
    assert first.text == "21 open language requests, oldest first (page 1 of 2):" and len(first.lines) == 20
    second = program.ok("language list page=2", as_="team1")
    assert [line.split()[0] for line in second.lines] == ["LR-000021"]
    beyond = program.send("language list page=3", as_="brand1")
    assert beyond.is_error and beyond.error_field == "page" and beyond.text == "There are only 2 pages."
    assert "is not a choice here" in program.refused("language list open", as_="team1")


# --- the form and help ----------------------------------------------------------------------------


def test_language_without_anything_offers_the_form(program: Harness) -> None:
    reply = program.ok("language", as_="brand1")
    assert reply.form is not None and reply.form.form.command == "language"
    assert [item.name for item in reply.form.form.fields] == ["source", "target", "text"]
    assert [choice.value for choice in reply.form.choices["source"]] == ["zh", "en"]
    assert [choice.value for choice in reply.form.choices["target"]] == ["en", "zh"]
    assert reply.form.initial == {"source": "zh", "target": "en"}
    text_field = reply.form.form.field("text")
    assert text_field is not None and text_field.kind == "multiline" and text_field.optional
    assert "attach a document" in reply.text


def test_a_submitted_form_asks_the_team(program: Harness) -> None:
    reply = submit(program, "brand1", {"source": "en", "target": "zh", "text": "Authorised reseller\nsecond line"})
    assert "LR-000001 (en → zh)" in reply.text and not reply.lines
    assert stored_request(program)["text"] == "Authorised reseller\nsecond line"


def test_form_errors_name_the_field_to_correct(program: Harness) -> None:
    no_text = submit(program, "brand1", {"source": "zh", "target": "en", "text": ""})
    assert no_text.is_error and no_text.error_field == "text"
    same = submit(program, "brand1", {"source": "zh", "target": "zh", "text": "你好"})
    assert same.is_error and same.error_field == "target"


def test_help_shows_the_usage(program: Harness) -> None:
    reply = program.ok("help language", as_="brand1")
    assert reply.text == "language: ask the team for help with Chinese-language text or a document"
    assert reply.lines[0].startswith("language [source=zh|en] [target=en|zh] <text>")
    assert "language answer: answer a language request (team)" in reply.lines
    assert program.ok("help language answer", as_="brand1").lines[0] == "language answer <LR-000001> <answer>"

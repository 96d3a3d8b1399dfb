"""Raid evidence: submission with documents fingerprinted by SHA-256, visibility, and the team's steps."""

from __future__ import annotations

import hashlib

from sqlmodel import col, select

import handlers.catalogue  # noqa: F401  (registers the `raid` sub-commands)
from bot.router import Incoming
from handlers.kit.context import Attachment, Caller
from handlers.kit.documents import RAID_EVIDENCE
from handlers.kit.replies import Reply
from storage.models import OutboxNotice, RaidDocument, RaidEvidence, RaidStorefront
from support.harness import Harness

SHOP = "https://shop123456.taobao.com/"
OTHER_SHOP = "https://www.aliexpress.com/store/4455"
LISTING = "https://item.taobao.com/item.htm?id=5"
DETAILS = 'raid_date=2026-10-02 authority="Yiwu AMR" case_number="YW-2026-118"'
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(32))
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(40))
ZIP = b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(30))
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(64)
RECORD = Attachment("raid-record.pdf", PDF)
PHOTO = Attachment("warehouse.jpg", JPEG)
INVENTORY = Attachment("seized.csv", b"item,count\nbags,400\n")


def sha(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def submit(
    bot: Harness, links: str = SHOP, *, documents: tuple[Attachment, ...] = (RECORD,), as_: str = "brand1"
) -> Reply:
    return bot.send(f"raid {DETAILS} {links}", as_, attachments=documents)


def submitted(bot: Harness, links: str = SHOP, documents: tuple[Attachment, ...] = (RECORD,)) -> None:
    reply = submit(bot, links, documents=documents)
    assert not reply.is_error, reply.render_plain()
    bot.delivered()


def raid_notices(bot: Harness, channel: str) -> list[OutboxNotice]:
    with bot.database.transaction() as session:
        rows = session.exec(
            select(OutboxNotice).where(OutboxNotice.channel == channel).order_by(col(OutboxNotice.id))
        ).all()
        return [row for row in rows if row.case_id and row.case_id.startswith("RAID-")]


# --- submission -------------------------------------------------------------------------------


def test_raid_evidence_keeps_each_documents_sha256_and_tells_the_team_and_the_brand(program: Harness) -> None:
    reply = submit(program, f"{SHOP} {OTHER_SHOP}", documents=(RECORD, PHOTO, INVENTORY))
    summary = "2 storefronts, 3 documents, Yiwu AMR case YW-2026-118 of 2026-10-02"
    assert reply.text == (
        f"Raid evidence RAID-000001 submitted: {summary}. The team is told; each step is posted in its thread."
    )
    described = [
        f"raid-record.pdf (application/pdf, {len(PDF):,} bytes) SHA-256 {sha(PDF)}",
        f"warehouse.jpg (image/jpeg, {len(JPEG):,} bytes) SHA-256 {sha(JPEG)}",
        f"seized.csv (text/csv, {len(INVENTORY.content):,} bytes) SHA-256 {sha(INVENTORY.content)}",
    ]
    assert reply.lines == [
        "Storefronts:",
        SHOP,
        OTHER_SHOP,
        "Documents (keep the originals; the SHA-256 proves them):",
        *described,
    ]
    with program.database.transaction() as session:
        evidence = session.exec(select(RaidEvidence)).one()
        assert (evidence.status, evidence.raid_date.isoformat(), evidence.authority) == (
            "submitted",
            "2026-10-02",
            "Yiwu AMR",
        )
        assert evidence.authority_case_number == "YW-2026-118"
        documents = session.exec(select(RaidDocument).order_by(col(RaidDocument.id))).all()
        assert [(d.name, d.size_bytes, d.sha256, d.media_type) for d in documents] == [
            ("raid-record.pdf", len(PDF), hashlib.sha256(PDF).hexdigest(), "application/pdf"),
            ("warehouse.jpg", len(JPEG), hashlib.sha256(JPEG).hexdigest(), "image/jpeg"),
            ("seized.csv", len(INVENTORY.content), hashlib.sha256(INVENTORY.content).hexdigest(), "text/csv"),
        ]
        assert len(session.exec(select(RaidStorefront)).all()) == 2
    posted = program.delivered()
    assert [(p.channel, p.case_id, p.text) for p in posted] == [
        ("team", "RAID-000001", f"Raid evidence RAID-000001 from ACME Corp: {summary}."),
        ("org:acme", "RAID-000001",
         f"RAID-000001 submitted: {summary}. The team forwards it to Alibaba; each step is posted here."),
    ]  # fmt: skip
    assert posted[0].buttons == ("raid forward RAID-000001",)
    team = raid_notices(program, "team")[0]
    assert ["Storefronts", f"{SHOP}\n{OTHER_SHOP}"] in team.payload["fields"]  # type: ignore[operator]
    assert ["Documents (SHA-256)", "\n".join(described)] in team.payload["fields"]  # type: ignore[operator]


def test_every_accepted_document_type_is_kept_with_its_media_type(program: Harness) -> None:
    documents = (
        Attachment("record.PDF", PDF),
        Attachment("scene.png", PNG),
        Attachment("scene.jpeg", JPEG),
        Attachment("statement.docx", ZIP),
        Attachment("inventory.xlsx", ZIP + b"x"),
        Attachment("notes.txt", "查封清单: 400 bags".encode()),
    )
    submitted(program, documents=documents)
    with program.database.transaction() as session:
        types = [d.media_type for d in session.exec(select(RaidDocument).order_by(col(RaidDocument.id))).all()]
    assert types == [
        "application/pdf", "image/png", "image/jpeg",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "text/plain",
    ]  # fmt: skip


def test_bad_files_are_refused_each_by_name_and_nothing_is_submitted(program: Harness) -> None:
    documents = (
        RECORD,
        Attachment("empty.pdf", b""),
        Attachment("huge.pdf", b"%PDF-" + bytes(RAID_EVIDENCE.max_bytes)),
        Attachment("setup.exe", EXE),
        Attachment("invoice.pdf", EXE),
        Attachment("scan.pdf", b"<html><body>not a pdf</body></html>"),
        Attachment("photo.png", JPEG),
        Attachment("page.html", b"<html></html>"),
        Attachment("logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
        Attachment("list.txt", EXE),
        Attachment("latin1.csv", "café".encode("latin-1")),
        Attachment("README", b"hello"),
    )
    message = submit(program, documents=documents).text
    assert message == (
        "11 files refused: "
        "empty.pdf: it is empty; "
        f"huge.pdf: it is {RAID_EVIDENCE.max_bytes + 5:,} bytes; the limit is {RAID_EVIDENCE.max_bytes:,} (20 MB); "
        "setup.exe: .exe files are not accepted (send PDF, PNG, JPEG, DOCX, XLSX, TXT or CSV); "
        "invoice.pdf: it is named .pdf but its content is not a PDF (it looks like a Windows program); "
        "scan.pdf: it is named .pdf but its content is not a PDF; "
        "photo.png: it is named .png but its content is not a PNG image (it looks like a JPEG image); "
        "page.html: .html files are not accepted (send PDF, PNG, JPEG, DOCX, XLSX, TXT or CSV); "
        "logo.svg: .svg files are not accepted (send PDF, PNG, JPEG, DOCX, XLSX, TXT or CSV); "
        "list.txt: it is named .txt but its content is not UTF-8 text (it looks like a Windows program); "
        "latin1.csv: it is not UTF-8 text (byte 3 cannot be read); save it as UTF-8; "
        "README: a file without an extension is not accepted (send PDF, PNG, JPEG, DOCX, XLSX, TXT or CSV). "
        "Accepted: PDF, PNG, JPEG, DOCX, XLSX, TXT or CSV, up to 20 MB each. Nothing was submitted."
    )
    assert program.delivered() == []
    with program.database.transaction() as session:
        assert session.exec(select(RaidEvidence)).all() == []


def test_a_document_of_exactly_20_mb_is_accepted(program: Harness) -> None:
    content = b"%PDF-" + bytes(RAID_EVIDENCE.max_bytes - 5)
    submitted(program, documents=(Attachment("full.pdf", content),))
    with program.database.transaction() as session:
        assert session.exec(select(RaidDocument.sha256)).one() == sha(content)


def test_documents_are_required_and_at_most_twenty(program: Harness) -> None:
    none = submit(program, documents=())
    assert none.text.startswith("Attach at least one document of the raid (its record, photos, inventory).")
    assert "on the console add file=PATH" in none.text
    many = tuple(Attachment(f"page{n}.pdf", PDF + str(n).encode()) for n in range(21))
    assert submit(program, documents=many).text.startswith("21 files attached; the limit is 20.")
    assert not submit(program, documents=many[:20]).is_error


def test_the_same_document_twice_is_refused(program: Harness) -> None:
    message = submit(program, documents=(RECORD, Attachment("copy.pdf", PDF))).text
    assert message.startswith(
        "1 file refused: copy.pdf: it is the same file as raid-record.pdf (same SHA-256); send it once."
    )


def test_document_names_are_shown_without_folders_or_control_characters(program: Harness) -> None:
    documents = (
        Attachment("../../etc/evidence.pdf", PDF),
        Attachment("C:\\scans\\raid\x07 photo.jpg", JPEG),
        Attachment("x" * 400 + ".png", PNG),
    )
    reply = submit(program, documents=documents)
    names = [line.split(" (")[0] for line in reply.lines[-3:]]
    assert names[:2] == ["evidence.pdf", "raid photo.jpg"]
    assert len(names[2]) == 255 and names[2].endswith("….png")


# --- storefront links, dates and the authority ------------------------------------------------


def test_links_that_are_not_storefronts_are_refused_by_name(program: Harness) -> None:
    reply = submit(program, f"{SHOP} {LISTING} m.tb.cn/h.AbC https://example.com/shop/1 hello")
    assert reply.is_error and reply.error_field == "storefronts"
    assert reply.text == (
        f"4 links refused: {LISTING}: a listing, not a storefront; "
        "m.tb.cn/h.AbC: a short link cannot be resolved here; open it, paste the store's link; "
        "https://example.com/shop/1: example.com is not a supported marketplace "
        "(Taobao, Tmall, Tmall Global, AliExpress, 1688, Alibaba.com); "
        "hello is not a link: paste the full link starting with https://. "
        "Paste only storefront links, one per line, e.g. https://shop123456.taobao.com."
    )


def test_at_least_one_and_at_most_fifty_storefronts(program: Harness) -> None:
    none = submit(program, "")
    assert (none.error_field, none.text) == (
        "storefronts",
        "Name at least one storefront the raid concerns. "
        "Paste only storefront links, one per line, e.g. https://shop123456.taobao.com.",
    )
    shops = " ".join(f"https://shop{n}.taobao.com" for n in range(100, 151))
    assert submit(program, shops).text.startswith("51 storefronts named; the limit is 50 per submission.")
    reply = submit(program, " ".join(shops.split()[:50]) + f" {shops.split()[0]}/?spm=1")
    assert reply.text.startswith("Raid evidence RAID-000001 submitted: 50 storefronts, 1 document,")


def test_slack_style_links_and_repeats_name_each_storefront_once(program: Harness) -> None:
    reply = submit(program, f"<{SHOP}|shop> {SHOP}?spm=a1z10 <{OTHER_SHOP}>")
    assert reply.text.startswith("Raid evidence RAID-000001 submitted: 2 storefronts,")


def test_raid_dates_must_be_real_past_and_at_most_five_years_old(program: Harness) -> None:
    def refused(date_option: str) -> tuple[str | None, str]:
        reply = program.send(f'raid {date_option} authority="Yiwu AMR" case_number=1 {SHOP}', "brand1",
                             attachments=(RECORD,))  # fmt: skip
        assert reply.is_error
        return reply.error_field, reply.text

    assert refused("") == ("raid_date", "Give the date of the raid as raid_date=YYYY-MM-DD.")
    for text in ("02/10/2026", "2026-02-30", "2026-W40-5", "20261002"):
        assert refused(f"raid_date={text}") == (
            "raid_date", f"'{text}' is not a date. Write it as YYYY-MM-DD, e.g. 2026-10-02."
        )  # fmt: skip
    assert refused("raid_date=2026-11-19") == (
        "raid_date", "The raid date 2026-11-19 is in the future. Give the day of the raid."
    )  # fmt: skip
    assert refused("raid_date=2021-11-17") == (
        "raid_date",
        "The raid date 2021-11-17 is more than 5 years ago. Evidence is accepted from raids on or after 2021-11-18.",
    )
    for day in ("2021-11-18", "2026-11-18"):
        assert not program.send(f'raid raid_date={day} authority="Yiwu AMR" case_number=1 {SHOP}', "brand1",
                                attachments=(RECORD,)).is_error  # fmt: skip


def test_the_authority_and_its_case_number_are_required_and_bounded(program: Harness) -> None:
    def refused(options: str) -> tuple[str | None, str]:
        reply = program.send(f"raid raid_date=2026-10-02 {options} {SHOP}", "brand1", attachments=(RECORD,))
        assert reply.is_error
        return reply.error_field, reply.text

    assert refused("case_number=1") == (
        "authority", 'Give the authority that carried out the raid as authority="...".'
    )  # fmt: skip
    assert refused('authority="Yiwu AMR"') == ("case_number", 'Give the authority\'s case number as case_number="...".')
    assert refused("authority=X case_number=1") == ("authority", "authority= is 1 character; it takes 2 to 200.")
    assert refused(f'authority="{"A" * 201}" case_number=1') == (
        "authority", "authority= is 201 characters; it takes 2 to 200."
    )  # fmt: skip
    assert refused(f"authority=AMR case_number={'9' * 101}") == (
        "case_number", "case_number= is 101 characters; it takes 1 to 100."
    )  # fmt: skip
    assert refused(f'{DETAILS} note="{"n" * 1001}"'.replace(DETAILS, "authority=AMR case_number=1")) == (
        "note", "The note is 1001 characters; the limit is 1000."
    )  # fmt: skip
    assert refused("authority=AMR case_number=1 court=Yiwu")[1] == (
        "Unknown option court=. Options here: raid_date=, authority=, case_number=, note=."
    )


def test_only_members_of_an_organisation_submit_evidence(program: Harness) -> None:
    assert submit(program, as_="team1").text.startswith("You are not a member of an organisation in the program yet.")
    assert submit(program, as_="stranger").text.startswith("You need to be in the program to use `raid`.")


# --- the form ---------------------------------------------------------------------------------


def test_raid_without_arguments_offers_the_form(program: Harness) -> None:
    reply = program.ok("raid", as_="brand1")
    assert reply.form is not None and reply.form.form.command == "raid"
    assert [field.name for field in reply.form.form.fields] == [
        "storefronts", "raid_date", "authority", "case_number", "note"
    ]  # fmt: skip
    assert reply.text.startswith("Give the raid's storefronts, date, authority and case number, and attach its")


def test_a_submitted_form_with_the_documents_shared_files_the_evidence(program: Harness) -> None:
    form = program.ok("raid", as_="brand1").form
    assert form is not None
    values = {"storefronts": f"{SHOP}\n{OTHER_SHOP}", "raid_date": "2026-10-02", "authority": "Yiwu AMR",
              "case_number": "YW-2026-118", "note": ""}  # fmt: skip

    def send(values: dict[str, str], attachments: tuple[Attachment, ...] = (RECORD,)) -> Reply:
        args = form.form.to_args(values)
        incoming = Incoming(Caller("console", "brand1"), "raid", args=args, attachments=attachments)
        return program.router.handle(incoming)

    assert send({**values, "raid_date": "yesterday"}).error_field == "raid_date"
    assert send({**values, "storefronts": LISTING}).error_field == "storefronts"
    assert send(values, ()).text.startswith("Attach at least one document")
    assert send(values).text.startswith("Raid evidence RAID-000001 submitted: 2 storefronts, 1 document,")


# --- who sees what ----------------------------------------------------------------------------


def test_raid_show_is_for_the_owning_organisation_and_the_team(program: Harness) -> None:
    submitted(program, documents=(RECORD, PHOTO))
    shown = program.ok("raid show RAID-000001", as_="brand1")
    assert shown.text == "RAID-000001 · submitted · ACME Corp"
    assert shown.fields == [
        ("Raid", "2026-10-02, Yiwu AMR case YW-2026-118"),
        ("Submitted", "2026-11-18 15:00 EST by console:brand1"),
    ]
    assert shown.lines == [
        "Storefronts (1):", f"{SHOP} · active", "Documents (2):",
        f"raid-record.pdf (application/pdf, {len(PDF):,} bytes) SHA-256 {sha(PDF)}",
        f"warehouse.jpg (image/jpeg, {len(JPEG):,} bytes) SHA-256 {sha(JPEG)}",
        "History:", "2026-11-18 15:00 EST console:brand1: new -> submitted",
    ]  # fmt: skip
    assert program.ok("raid show 1", as_="team1").text == "RAID-000001 · submitted · ACME Corp"
    other = program.refused("raid show RAID-000001", as_="brand2")
    missing = program.refused("raid show RAID-000002", as_="brand2")
    assert other == missing.replace("RAID-000002", "RAID-000001"), "another's evidence reads like a missing one"
    assert other == "There is no raid evidence RAID-000001 among your organisation's."
    assert program.refused("raid forward RAID-000001", as_="brand2").startswith("Only the IACC/Alibaba team")


def test_references_are_checked(program: Harness) -> None:
    assert program.refused("raid show MS-000001", as_="brand1") == (
        "'MS-000001' is not a raid reference. Raid references look like RAID-000001."
    )
    assert program.refused("raid show", as_="brand1") == "Missing raid reference (e.g. RAID-000001)."
    assert program.refused("raid forward RAID-000009", as_="team1") == (
        "There is no raid evidence RAID-000009 among your organisation's."
    )


# --- the team's steps -------------------------------------------------------------------------


def test_forward_then_penalty_close_closes_every_storefront_and_the_brand_hears_each_step(program: Harness) -> None:
    submitted(program, f"{SHOP} {OTHER_SHOP}")
    assert program.ok("raid forward RAID-000001", as_="team1").text == (
        "RAID-000001 is forwarded to Alibaba; the brand is told."
    )
    forwarded = program.delivered()
    assert [(p.channel, p.case_id, p.text) for p in forwarded] == [
        ("team", "RAID-000001", "RAID-000001 forwarded to Alibaba by console:team1."),
        ("org:acme", "RAID-000001", "RAID-000001 was forwarded to Alibaba for seller penalties."),
    ]
    assert forwarded[0].buttons == ("raid penalty RAID-000001 close", "raid penalty RAID-000001 strike")
    reply = program.ok('raid penalty RAID-000001 close note="sellers banned by Alibaba"', as_="team1")
    assert reply.text == "RAID-000001: penalty applied, 2 storefronts closed (permanently banned)."
    assert reply.lines == [f"{SHOP} · closed", f"{OTHER_SHOP} · closed"]
    done = "2 storefronts closed (permanently banned): sellers banned by Alibaba"
    assert [(p.channel, p.case_id, p.text) for p in program.delivered()] == [
        ("team", "RAID-000001", f"RAID-000001: penalty applied by console:team1, {done}"),
        ("org:acme", "RAID-000001", f"RAID-000001: Alibaba applied the penalty, {done}"),
        ("outcomes", None, "Storefronts closed on raid evidence RAID-000001."),
    ]
    for shop in (SHOP, OTHER_SHOP):
        shown = program.ok(f"store show {shop}", as_="brand1")
        assert shown.text == f"{shop} · closed" and ("Closed", "2026-11-18 15:00 EST") in shown.fields
    assert program.refused(f"store close {SHOP}", as_="team1") == f"{SHOP} cannot be closed: it is already closed."
    shown = program.ok("raid show RAID-000001", as_="brand1")
    assert shown.text == "RAID-000001 · penalty_applied · ACME Corp"
    assert ("Decision", "sellers banned by Alibaba") in shown.fields
    assert shown.lines[-2:] == [
        "2026-11-18 15:00 EST console:team1: submitted -> forwarded",
        "2026-11-18 15:00 EST console:team1: forwarded -> penalty_applied (sellers banned by Alibaba)",
    ]
    assert [n.kind for n in raid_notices(program, "org:acme")] == ["raid_submitted", "raid_forwarded", "raid_penalty"]


def test_an_already_closed_storefront_is_left_as_it_is(program: Harness) -> None:
    for _ in range(3):
        program.ok(f"store strike {SHOP}", as_="team1")
    program.ok(f"store close {SHOP}", as_="team1")
    submitted(program, f"{SHOP} {OTHER_SHOP}")
    program.ok("raid forward RAID-000001", as_="team1")
    reply = program.ok("raid penalty RAID-000001 close", as_="team1")
    assert reply.lines == [f"{SHOP} · not closed: it is already closed", f"{OTHER_SHOP} · closed"]


def test_the_penalty_counts_only_the_storefronts_it_closed_and_names_those_already_closed(program: Harness) -> None:
    for _ in range(3):
        program.ok(f"store strike {SHOP}", as_="team1")
    program.ok(f"store close {SHOP}", as_="team1")
    submitted(program, f"{SHOP} {OTHER_SHOP}")
    program.ok("raid forward RAID-000001", as_="team1")
    program.delivered()
    reply = program.ok("raid penalty RAID-000001 close", as_="team1")
    done = f"1 storefront closed (permanently banned), 1 was already closed ({SHOP})"
    assert reply.text == f"RAID-000001: penalty applied, {done}."
    assert [(p.channel, p.text) for p in program.delivered()] == [
        ("team", f"RAID-000001: penalty applied by console:team1, {done}."),
        ("org:acme", f"RAID-000001: Alibaba applied the penalty, {done}."),
        ("outcomes", "Storefronts closed on raid evidence RAID-000001."),
    ]


def test_a_penalty_that_finds_every_storefront_closed_closes_none(program: Harness) -> None:
    for _ in range(3):
        program.ok(f"store strike {SHOP}", as_="team1")
    program.ok(f"store close {SHOP}", as_="team1")
    submitted(program, SHOP)
    program.ok("raid forward RAID-000001", as_="team1")
    program.delivered()
    reply = program.ok("raid penalty RAID-000001 close", as_="team1")
    assert reply.text == f"RAID-000001: penalty applied, no storefront closed, 1 was already closed ({SHOP})."
    assert [p.channel for p in program.delivered()] == ["team", "org:acme"]


def test_penalty_strike_adds_a_strike_to_each_storefront_and_then_allows_closing(program: Harness) -> None:
    program.ok(f"store strike {SHOP}", as_="team1")
    submitted(program, f"{SHOP} {OTHER_SHOP}")
    program.ok("raid forward RAID-000001", as_="team1")
    program.delivered()
    reply = program.ok("raid penalty RAID-000001 strike", as_="team1")
    assert reply.text == "RAID-000001: penalty applied, a strike against each of 2 storefronts."
    assert reply.lines == [f"{SHOP} · 2 active strikes (closes at 3)", f"{OTHER_SHOP} · 1 active strike (closes at 3)"]
    assert [p.text for p in program.delivered()] == [
        "RAID-000001: penalty applied by console:team1, a strike against each of 2 storefronts.",
        "RAID-000001: Alibaba applied the penalty, a strike against each of 2 storefronts.",
    ]
    team_view = program.ok(f"store show {OTHER_SHOP}", as_="team1")
    assert ("Active strikes", "1 (closes at 3)") in team_view.fields and team_view.text.endswith("· active")
    assert team_view.lines[0].startswith("strike 2026-11-18 15:00 EST by console:team1")
    assert program.ok(f"store close {OTHER_SHOP}", as_="team1").text == f"Closed {OTHER_SHOP} (permanently banned)."


def test_decline_needs_a_note_and_the_brand_is_told_why(program: Harness) -> None:
    submitted(program)
    reply = program.send("raid decline RAID-000001", "team1")
    assert (reply.is_error, reply.error_field) == (True, "note")
    assert reply.text == 'Say why the evidence is declined with note="...": the brand is told.'
    assert program.ok('raid decline RAID-000001 note="the raid record is unsigned"', as_="team1").text == (
        "RAID-000001 is declined; the brand is told why."
    )
    assert [(p.channel, p.case_id, p.text) for p in program.delivered()] == [
        ("team", "RAID-000001", "RAID-000001 declined by console:team1: the raid record is unsigned"),
        ("org:acme", "RAID-000001", "RAID-000001 was declined: the raid record is unsigned"),
    ]
    assert program.ok("raid show RAID-000001", as_="brand1").text == "RAID-000001 · declined · ACME Corp"
    assert program.refused("raid forward RAID-000001", as_="team1") == (
        "RAID-000001 cannot become forwarded: it is declined. From declined it can become nothing more: it is final."
    )


def test_forwarded_evidence_can_be_declined(program: Harness) -> None:
    submitted(program)
    program.ok("raid forward RAID-000001", as_="team1")
    program.ok('raid decline RAID-000001 note="Alibaba found no link to the stores"', as_="team1")
    assert program.ok(f"store show {SHOP}", as_="brand1").text == f"{SHOP} · active"
    assert "no accepted raid evidence names it" in program.refused(f"store close {SHOP}", as_="team1")


def test_steps_out_of_order_are_refused_naming_the_current_status(program: Harness) -> None:
    submitted(program)
    assert program.refused("raid penalty RAID-000001 close", as_="team1") == (
        "RAID-000001 cannot become penalty_applied: it is submitted. "
        "From submitted it can become forwarded or declined."
    )
    program.ok("raid forward RAID-000001", as_="team1")
    assert program.refused("raid forward RAID-000001", as_="team1") == (
        "RAID-000001 cannot become forwarded: it is forwarded. "
        "From forwarded it can become penalty_applied or declined."
    )
    program.ok("raid penalty RAID-000001 strike", as_="team1")
    assert program.refused("raid penalty RAID-000001 close", as_="team1").startswith(
        "RAID-000001 cannot become penalty_applied: it is penalty_applied."
    )
    assert program.refused('raid decline RAID-000001 note="late"', as_="team1").startswith(
        "RAID-000001 cannot become declined: it is penalty_applied."
    )


def test_the_teams_steps_are_refused_to_brands(program: Harness) -> None:
    submitted(program)
    assert program.refused("raid forward RAID-000001", as_="brand1") == (
        "Only the IACC/Alibaba team can forward raid evidence. "
        "Ask a team member in your case thread if you need this done."
    )
    assert program.refused("raid penalty RAID-000001 close", as_="brand1").startswith(
        "Only the IACC/Alibaba team can record penalties on raid evidence."
    )
    assert program.refused('raid decline RAID-000001 note="x"', as_="brand1").startswith(
        "Only the IACC/Alibaba team can decline raid evidence."
    )
    assert program.ok("raid show RAID-000001", as_="brand1").text == "RAID-000001 · submitted · ACME Corp"


def test_the_penalty_must_be_close_or_strike(program: Harness) -> None:
    submitted(program)
    program.ok("raid forward RAID-000001", as_="team1")
    assert program.refused("raid penalty RAID-000001", as_="team1") == "Missing penalty (close or strike)."
    assert program.refused("raid penalty RAID-000001 fine", as_="team1") == (
        "'fine' is not a raid penalty. Use close or strike."
    )
    assert program.refused("raid forward RAID-000001 page=2", as_="team1").startswith("Unknown option page=.")
    assert program.ok("raid show RAID-000001", as_="team1").text == "RAID-000001 · forwarded · ACME Corp"


def test_help_raid_shows_the_usage(program: Harness) -> None:
    reply = program.ok("help raid", as_="brand1")
    assert reply.text == "raid: submit civil-raid evidence for seller penalties, and follow it"
    assert "raid penalty: record the penalty Alibaba applied on forwarded evidence (team)" in reply.lines
    usage = program.ok("help raid penalty", as_="brand1").lines
    assert usage[0] == 'raid penalty RAID-000001 close|strike [note="..."]'


def test_help_raid_lists_each_sub_command(program: Harness) -> None:
    listed = [line.split(":")[0] for line in program.ok("help raid", as_="brand1").lines[:-1]]
    assert sorted(listed) == ["raid decline", "raid forward", "raid penalty", "raid show", "raid submit"]
    assert program.ok("help raid submit", as_="brand1").lines[0].startswith("raid submit raid_date=YYYY-MM-DD")


def test_the_teams_role_is_checked_before_the_evidence_is_looked_up(program: Harness) -> None:
    # The role is declared: a brand hears about it, not about the unknown option or the missing evidence.
    assert program.refused("raid forward RAID-000009 page=2", as_="brand1") == (
        "Only the IACC/Alibaba team can forward raid evidence. "
        "Ask a team member in your case thread if you need this done."
    )
    assert program.refused("raid penalty nonsense", as_="brand1").startswith(
        "Only the IACC/Alibaba team can record penalties on raid evidence."
    )

"""The notes the program writes into the audit log: kept as a message and its values, read in each
reader's language, with their English beside them; notes people type are kept as typed."""

from __future__ import annotations

from typing import Any

from sqlmodel import col, select

from handlers.kit.audit_trail import note_columns, note_text
from handlers.kit.i18n import Message, in_language
from handlers.program.applicant_notices import reason_note
from handlers.program.applicant_steps import WITHDRAWN_BY_APPLICANT
from handlers.program.applying import GOOD_FAITH, NOT_A_RIGHTS_HOLDER
from storage.models import AuditEntry
from support.harness import Harness


def read(entry: AuditEntry, lang: str) -> str | None:
    with in_language(lang):
        return note_text(entry)


def test_a_typed_note_is_kept_as_typed_and_has_no_message() -> None:
    assert note_columns("third counterfeit batch") == ("third counterfeit batch", None)
    assert note_columns(None) == (None, None)


def test_a_message_of_messages_reads_in_each_language_and_survives_being_stored() -> None:
    note = reason_note(f"{NOT_A_RIGHTS_HOLDER}; {GOOD_FAITH}")
    text, stored = note_columns(note)
    assert text == f"{NOT_A_RIGHTS_HOLDER}; {GOOD_FAITH}", "the English is what the note used to be"
    entry = AuditEntry(actor="console:x", entity="application", entity_id=1, action="submitted", note=text,
                       note_message=stored)  # fmt: skip
    assert read(entry, "zh") == "只有权利人及其委托的代理人可以加入；Good Faith 计划参与者不能加入 MarketSafe"
    assert read(entry, "en") == text
    assert Message.from_json(stored) == note


def test_what_is_not_a_stored_message_reads_as_the_plain_note() -> None:
    junks: tuple[Any, ...] = (None, {}, {"id": 3}, {"id": "x", "values": []}, {"id": "x", "count": "2"}, ["id"], "x")
    for junk in junks:
        assert Message.from_json(junk) is None
        entry = AuditEntry(actor="a", entity="complaint", entity_id=1, action="x", note="as stored", note_message=junk)
        assert read(entry, "zh") == "as stored"


def test_the_programs_notes_about_members_applications_and_requests_read_in_chinese(program: Harness) -> None:
    program.ok("admin team console:team1 platforms=taobao")
    program.ok("admin member add console:brand1 globex member move=yes")
    answers = 'legal_name="Widgetco" country=US size=large contact="Jo" role=rights_holder good_faith=no marks="W"'
    program.ok(f"apply {answers}", as_="widgetco")
    program.ok("apply withdraw", as_="widgetco")
    with program.database.transaction() as session:
        entries = session.exec(select(AuditEntry).where(col(AuditEntry.note_message).is_not(None))).all()
        english = [read(entry, "en") for entry in entries]
        chinese = [read(entry, "zh") for entry in entries]
        kept = [entry.note for entry in entries]
    assert (
        english
        == kept
        == [
            "none -> taobao",
            "moved from acme to globex",
            WITHDRAWN_BY_APPLICANT,
        ]
    )
    assert chinese == ["无 -> taobao", "从 acme 移至 globex", "由申请人撤回"]

"""Notices into the outbox: what a handler announces is what the posters read back."""

from __future__ import annotations

from sqlmodel import col, select

from handlers.kit.outbox import NoticePayload, save_notices
from handlers.kit.replies import Button, Notice
from storage.database import Database
from storage.models import OutboxNotice
from storage.vocabulary import NoticeKind
from support.clock import FakeClock

SUMMARY = Notice(
    channel="team",
    text="New case MS-000001 from ACME Corp: 1 Taobao listing",
    kind=NoticeKind.CASE_SUMMARY,
    case_id="MS-000001",
    fields=(
        ("Reason", "counterfeit · 假冒商品（售假）"),
        ("Items", "1. https://item.taobao.com/item.htm?id=123\n2. …"),
    ),
    buttons=(
        Button("Removed", "outcome MS-000001 all removed", "primary"),
        Button("Not removed", "outcome MS-000001 all not_removed", "danger"),
        Button("Case", "case MS-000001"),
    ),
    replaces_case_message=True,
)


def stored(database: Database, clock: FakeClock, notice: Notice) -> OutboxNotice:
    with database.transaction() as session:
        save_notices(session, [notice], clock())
    with database.transaction() as session:
        return session.exec(select(OutboxNotice)).one()


def test_a_notice_with_fields_and_buttons_reads_back_from_the_outbox_as_the_handler_wrote_it(
    database: Database, clock: FakeClock
) -> None:
    row = stored(database, clock, SUMMARY)
    payload = NoticePayload.model_validate(row.payload)
    assert payload.fields == SUMMARY.fields
    assert payload.buttons == SUMMARY.buttons
    assert payload.replace is True
    assert (row.channel, row.case_id, row.kind, row.text) == ("team", "MS-000001", "case_summary", SUMMARY.text)


def test_the_stored_payload_keeps_the_json_shape_older_rows_were_written_in(
    database: Database, clock: FakeClock
) -> None:
    row = stored(database, clock, Notice("team", "Weekly digest", fields=(("Removed", "3"),)))
    assert row.payload == {"fields": [["Removed", "3"]], "buttons": [], "replace": False}
    older = {
        "fields": [["Items", "2"]],
        "buttons": [{"label": "Removed", "command": "outcome MS-000001 all removed", "style": "primary"}],
        "replace": False,
    }
    assert NoticePayload.model_validate(older).buttons == (
        Button("Removed", "outcome MS-000001 all removed", "primary"),
    )


def test_a_notice_built_in_each_language_reads_back_in_each_channels_language(
    database: Database, clock: FakeClock
) -> None:
    from handlers.kit.i18n import _, localized

    def build() -> Notice:
        return Notice(
            "team", _("Open cases: {count}", count=2), fields=((_("Reason"), "counterfeit"),),
            buttons=(Button(_("Removed"), "outcome MS-000001 all removed"),),
        )  # fmt: skip

    row = stored(database, clock, localized(build))
    payload = NoticePayload.model_validate(row.payload)
    assert row.text == "Open cases: 2"  # the program's language
    text, chinese = payload.in_language("zh", row.text)
    assert text == "未结案件：2"
    assert chinese.fields == (("理由", "counterfeit"),)
    assert [(b.label, b.command) for b in chinese.buttons] == [("已删除", "outcome MS-000001 all removed")]
    assert payload.in_language("en", row.text)[0] == "Open cases: 2"
    assert payload.in_language("fr", row.text) == (row.text, payload)


def test_a_row_written_before_languages_reads_as_it_was_written() -> None:
    older = {"fields": [["Removed", "3"]], "buttons": [{"label": "Done", "command": "help", "style": None}]}
    payload = NoticePayload.model_validate(older)
    assert payload.variants == {}
    assert payload.in_language("zh", "Weekly digest") == ("Weekly digest", payload)


def test_notices_saved_together_keep_their_order_and_a_repeated_dedupe_key_is_written_once(
    database: Database, clock: FakeClock
) -> None:
    with database.transaction() as session:
        save_notices(session, [Notice("team", "earlier", dedupe_key="warning:taobao")], clock())
    notices = [
        Notice("team", "first"),
        Notice("team", "warned again", dedupe_key="warning:taobao"),
        Notice("org:acme", "second", case_id="MS-000001"),
        Notice("team", "new warning", dedupe_key="warning:tmall"),
        Notice("team", "new warning again", dedupe_key="warning:tmall"),
        Notice("team", "third"),
    ]
    with database.transaction() as session:
        save_notices(session, notices, clock())
    with database.transaction() as session:
        rows = session.exec(select(OutboxNotice).order_by(col(OutboxNotice.id))).all()
    assert [(row.text, row.dedupe_key) for row in rows] == [
        ("earlier", "warning:taobao"),
        ("first", None),
        ("second", None),
        ("new warning", "warning:tmall"),
        ("third", None),
    ]
    assert all(row.created_at == clock() for row in rows)

"""Notices into the outbox: what a handler announces is what the posters read back."""

from __future__ import annotations

from sqlmodel import select

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

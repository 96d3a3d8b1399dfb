"""Recording a change in the audit log on behalf of the caller, and reading its notes.

A note is either what someone typed (`note="..."`), kept as typed, or one the program writes (a
`Message`: "2 listing items on Taobao"), kept as its message id and values and read in the
reader's language; its English is kept in `note` as well, for rows read without the catalogs."""

from __future__ import annotations

import logging
from typing import Protocol

from sqlmodel import Session

from handlers.kit.arguments import MAX_NOTE
from handlers.kit.context import Context
from handlers.kit.i18n import Message
from storage.models import AuditEntry
from storage.queries import audit
from storage.vocabulary import AuditEntity

log = logging.getLogger(__name__)


class Row(Protocol):
    """A table row whose primary key is `id`, known once the row is flushed."""

    @property
    def id(self) -> int | None: ...


def record_change(
    session: Session,
    ctx: Context,
    entity: AuditEntity,
    entity_id: int,
    action: str,
    *,
    from_status: str | None = None,
    to_status: str | None = None,
    note: str | Message | None = None,
) -> None:
    """Who (the caller) changed what, now, from which status to which, and why."""
    text, message = note_columns(note)
    audit.record(
        session,
        actor=ctx.caller.ref,
        entity=entity,
        entity_id=entity_id,
        action=action,
        from_status=from_status,
        to_status=to_status,
        note=text,
        note_message=message,
        at=ctx.now,
    )


def add_recorded(
    session: Session,
    ctx: Context,
    row: Row,
    entity: AuditEntity,
    action: str = "created",
    *,
    from_status: str | None = None,
    to_status: str | None = None,
    note: str | Message | None = None,
) -> int:
    """Save `row` (new or changed) and record the change in the audit log; returns the row's id.

    The row is flushed first: a new row has no id, and the audit entry must name it.
    """
    session.add(row)
    session.flush()
    assert row.id is not None
    record_change(session, ctx, entity, row.id, action, from_status=from_status, to_status=to_status, note=note)
    return row.id


def note_columns(note: str | Message | None) -> tuple[str | None, dict[str, object] | None]:
    """(`note`, `note_message`) of an entry: typed text as it is; a program's message as its English
    (clipped to what the column keeps) and its message id and values."""
    if isinstance(note, Message):
        return note.english()[:MAX_NOTE], note.as_json()
    return note, None


def note_text(entry: AuditEntry) -> str | None:
    """An entry's note as the current reader reads it: a program's message in their language; a
    typed note, or one written before messages were kept, as it is stored."""
    message = Message.from_json(entry.note_message)
    if message is not None:
        try:
            return message.text()
        except (KeyError, IndexError, ValueError):  # a translation that lost a placeholder
            log.warning("audit entry %s: its note message does not read; shown as stored", entry.id)
    return entry.note

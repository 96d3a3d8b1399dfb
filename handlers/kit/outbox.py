"""Notices into the outbox, written in the caller's transaction with the change they announce."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlmodel import Session

from handlers.kit.replies import Notice
from storage.queries.outbox import write_notice


def save_notices(session: Session, notices: Iterable[Notice], now: datetime) -> None:
    """Write notices to the outbox in the caller's transaction."""
    for notice in notices:
        write_notice(
            session,
            channel=notice.channel,
            text=notice.text,
            kind=notice.kind,
            case_id=notice.case_id,
            dedupe_key=notice.dedupe_key,
            payload={
                "fields": [list(field) for field in notice.fields],
                "buttons": [{"label": b.label, "command": b.command, "style": b.style} for b in notice.buttons],
                "replace": notice.replaces_case_message,
            },
            now=now,
        )

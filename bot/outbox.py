"""Notices into the outbox and back: what handlers produce, as stored, as posters read it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlmodel import Session

from handlers.replies import Button, Notice
from storage.models import Notice as StoredNotice
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


def fields_of(stored: StoredNotice) -> list[tuple[str, str]]:
    entries = stored.payload.get("fields", [])
    return [(str(name), str(value)) for name, value in entries] if isinstance(entries, list) else []


def replaces_case_message(stored: StoredNotice) -> bool:
    return bool(stored.payload.get("replace")) and stored.case_id is not None


def buttons_of(stored: StoredNotice) -> list[Button]:
    entries = stored.payload.get("buttons", [])
    if not isinstance(entries, list):
        return []
    return [Button(str(entry["label"]), str(entry["command"]), entry.get("style")) for entry in entries]

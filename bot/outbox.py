"""Stored notices as posters read them: fields, buttons, and whether they replace a case message."""

from __future__ import annotations

from handlers.kit.replies import Button
from storage.models import Notice as StoredNotice


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

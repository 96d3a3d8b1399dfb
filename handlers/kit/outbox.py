"""Notices into the outbox, written in the caller's transaction with the change they announce.

A stored notice keeps its address and text in columns and the rest in `payload`, whose one
definition is `NoticePayload`: the handlers write it here, the posters read it back with
`NoticePayload.model_validate`, so a payload the posters cannot read is refused, never guessed.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from pydantic import BaseModel, ConfigDict
from sqlmodel import Session

from handlers.kit.replies import Button, Notice, Wording
from storage.queries.outbox import write_notices


class NoticePayload(BaseModel):
    """What a stored notice carries besides its channel, case, kind and text.

    Its JSON is `{"fields": [[name, value], ...], "buttons": [{"label", "command", "style"}, ...],
    "replace": bool, "variants": {lang: {"text", "fields", "labels"}}}`; rows written before
    `variants` existed read as they are (in the one language they were written in).
    """

    model_config = ConfigDict(frozen=True)

    fields: tuple[tuple[str, str], ...] = ()
    buttons: tuple[Button, ...] = ()
    # Replace the case's first message in the channel (its summary) instead of adding to the thread.
    replace: bool = False
    # The notice's wording in each language (`handlers.kit.i18n.localized`); empty: one language.
    variants: dict[str, Wording] = {}

    @classmethod
    def of(cls, notice: Notice) -> NoticePayload:
        """The payload of a handler's notice."""
        return cls(
            fields=notice.fields,
            buttons=notice.buttons,
            replace=notice.replaces_case_message,
            variants=dict(notice.variants),
        )

    def in_language(self, lang: str | None, text: str) -> tuple[str, NoticePayload]:
        """The notice's text and payload as a reader of `lang` sees them (as stored when it has no such variant)."""
        wording = self.variants.get(lang or "")
        if wording is None or len(wording.labels) != len(self.buttons):
            return text, self
        buttons = tuple(
            Button(label, b.command, b.style) for label, b in zip(wording.labels, self.buttons, strict=True)
        )
        return wording.text, self.model_copy(update={"fields": wording.fields, "buttons": buttons})


def save_notices(session: Session, notices: Iterable[Notice], now: datetime) -> None:
    """Write notices to the outbox in the caller's transaction."""
    write_notices(
        session,
        [
            {
                "channel": notice.channel,
                "text": notice.text,
                "kind": notice.kind,
                "case_id": notice.case_id,
                "dedupe_key": notice.dedupe_key,
                # A notice in one language is stored in the shape older rows have.
                "payload": NoticePayload.of(notice).model_dump(
                    mode="json", exclude={"variants"} if not notice.variants else None
                ),
            }
            for notice in notices
        ],
        now,
    )

"""What a person's message in one of the bot's threads stands for, whatever the chat platform.

Each thread the bot starts is keyed by the reference of what it is about (see the outbox's posted
messages), and that reference decides what a message written in it means:
- in a language request's thread (`LR-`) in the language channel, it answers the request; in the
  member's copy of that thread it is only conversation, as answers are given in the language channel;
- in a case's thread (`MS-`), on the team's side or the brand's, it is a case reply, relayed to the
  other side;
- in a raid's thread it is the team's working notes: the brand hears each decision instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from handlers.kit.arguments import Args
from storage.queries.outbox import posted_thread
from storage.vocabulary import Channel

CASE, LANGUAGE_REQUEST = "MS-", "LR-"


@dataclass(frozen=True, slots=True)
class ThreadCommand:
    """The command a thread message is run as, by its author: its line, or its word with the
    arguments already parsed (so nothing the person wrote is read as an option), and the logical
    channel whose thread it was written in; `reference` names what the thread is about."""

    reference: str
    text: str
    thread: str | None = None
    args: Args | None = None


def thread_command(
    session: Session, platform: str, channel_ref: str, thread_ref: str, text: str
) -> ThreadCommand | None:
    """The command for `text` written in the thread that starts with the platform's message
    `thread_ref` in `channel_ref`; None when the message is nothing for the bot to act on."""
    text = text.strip()
    found = posted_thread(session, platform, channel_ref, thread_ref)
    if found is None or not text:
        return None
    channel, reference = found
    if reference.startswith(LANGUAGE_REQUEST):
        return ThreadCommand(reference, f"language answer {reference} {text}") if channel == Channel.LANGUAGE else None
    if reference.startswith(CASE):
        return ThreadCommand(reference, "case reply", channel, Args(words=[reference], text=f"{reference} {text}"))
    return None

"""Whether the files shared with a message are fetched at all, decided before a byte of them is.

A message's files are fetched only for a command that takes files, run by someone its roles allow,
and only while the message stays within a number of files and a total size; a file for any other
message is never fetched, and the command is answered as it would be without it. Anyone may write
to the bot directly, so a stranger's message must not make it download and hold tens of megabytes.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.router import Incoming, Router, strip_prefix
from handlers.catalogue import resolve
from handlers.kit.errors import NotPermitted
from handlers.kit.i18n import _, format_number
from handlers.kit.registry import CommandSpec

# The commands whose handlers read the files of their message (`ctx.attachments`).
FILE_COMMANDS = frozenset({"complaint", "raid submit", "language", "apply submit", "calendar load"})
# Discord carries at most 10 attachments on a message, and Slack at most 10 files shared at once.
MAX_MESSAGE_FILES = 10
# What one message's files may come to, all held in memory until its command has run: five raid
# documents at their 20 MB limit, or ten at 10 MB (Discord's upload limit without Nitro).
MAX_MESSAGE_BYTES = 100 * 1024 * 1024
MB = 1024 * 1024


def file_command(text: str) -> CommandSpec | None:
    """The command a message's text names when that command takes files; None for any other text."""
    resolved = resolve(strip_prefix(text) or "help")
    return resolved.spec if resolved is not None and resolved.spec.word in FILE_COMMANDS else None


def may_run(router: Router, incoming: Incoming, spec: CommandSpec) -> bool:
    """True when the caller's role allows `spec`, read as the router reads it (and nothing written):
    a command refused anyway gets no files fetched for it."""
    if spec.roles is None or incoming.caller.ref in router.admins:
        return True
    with router.database.reading() as session:
        ctx = router.context_for(session, incoming, may_write=False)
    try:
        spec.check_role(ctx)
    except NotPermitted:
        return False
    return True


def over_caps(sizes: Sequence[int]) -> str | None:
    """Why a message with files of these sizes is refused before any is fetched (in the current
    language); None when it is within the caps."""
    if len(sizes) > MAX_MESSAGE_FILES:
        return _(
            "This message has {count} files; the bot takes at most {most} files in one message. Nothing was "
            "submitted: send the command again with fewer files.",
            count=format_number(len(sizes)), most=format_number(MAX_MESSAGE_FILES),
        )  # fmt: skip
    total = sum(sizes)
    if total > MAX_MESSAGE_BYTES:
        return too_large_in_all(total)
    return None


def too_large_in_all(total: int) -> str:
    """The refusal of a message whose files come to `total` bytes, over MAX_MESSAGE_BYTES."""
    return _(
        "The files of this message come to {size} bytes; the bot takes at most {most} MB in one message. "
        "Nothing was submitted: send the command again with fewer or smaller files.",
        size=format_number(total), most=MAX_MESSAGE_BYTES // MB,
    )  # fmt: skip

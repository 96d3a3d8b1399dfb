"""A reply's files, sent to the caller alone: as attachments in a direct message to them.

A file over Discord's upload limit is not sent and the caller is told so; a caller who does not
take direct messages from server members gets the file in an ephemeral follow-up instead, which
only they see.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Awaitable, Callable

import discord

from handlers.kit.i18n import _, format_number
from handlers.kit.replies import Reply, ReplyFile

log = logging.getLogger(__name__)
# Discord's upload limit for a bot's message without a boosted server ("Uploading Files" in the
# Discord developer docs; 10 MiB since 2024, 25 MiB before): a larger request is refused with
# HTTP 413, code 40005 "Request entity too large".
MAX_FILE_BYTES = 10 * 1024 * 1024
DESCRIPTION = 1024  # an attachment's description (alt text) holds at most 1,024 characters


async def send_files_to_caller(interaction: discord.Interaction, reply: Reply) -> None:
    """Each of `reply`'s files in a direct message to the person who used the interaction."""

    async def tell(text: str) -> None:
        await interaction.followup.send(content=text, ephemeral=True)

    sendable = await _within_limit(reply, tell)
    if not sendable:
        return
    try:
        await interaction.user.send(content=_content(sendable), files=[_file(f) for f in sendable])
    except discord.Forbidden:  # no direct messages from this server's members: only they see a follow-up
        await interaction.followup.send(content=_content(sendable), files=[_file(f) for f in sendable], ephemeral=True)


async def send_files_in(channel: discord.abc.Messageable, reply: Reply) -> None:
    """Each of `reply`'s files in `channel` (the direct message the command came in)."""

    async def tell(text: str) -> None:
        await channel.send(content=text)

    sendable = await _within_limit(reply, tell)
    if sendable:
        await channel.send(content=_content(sendable), files=[_file(f) for f in sendable])


async def _within_limit(reply: Reply, tell: Callable[[str], Awaitable[None]]) -> list[ReplyFile]:
    """The reply's files Discord takes; of each other one the caller is told (in their language),
    never left wondering."""
    sendable = []
    for file in reply.files:
        if len(file.data) <= MAX_FILE_BYTES:
            sendable.append(file)
            continue
        log.warning("file %s not sent: %s bytes is over Discord's limit", file.name, len(file.data))
        with reply.in_its_language():
            text = _(
                "{file} is {size} bytes, over Discord's {limit} for a file, so it was not sent. Narrow the export "
                "(month=, status=) and ask again.",
                file=file.name, size=format_number(len(file.data)), limit=format_number(MAX_FILE_BYTES),
            )  # fmt: skip
        await tell(f"⚠ {text}")
    return sendable


def _content(files: list[ReplyFile]) -> str:
    return "\n".join(f"{file.name}: {file.description}" if file.description else file.name for file in files)


def _file(file: ReplyFile) -> discord.File:
    return discord.File(io.BytesIO(file.data), filename=file.name, description=file.description[:DESCRIPTION] or None)

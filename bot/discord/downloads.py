"""Fetching the files members attach on Discord: from Discord's file host only, size-checked twice.

A file's URL comes inside the interaction or message, so it is hostile until checked: it is
fetched only over https from Discord's CDN (`cdn.discordapp.com`, `media.discordapp.net`) or, for a
proxy or the tests' fake, from exactly the scheme and host of the configured API URL. The size
Discord declares is checked against the command's limit before anything is fetched, and the body
is read no further than that limit. A redirect is followed only to those same places. No request
carries the bot token: Discord's attachment URLs are signed on their own. Refusals are written in
the current language: the client sets the reader's.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import aiohttp
import discord

from bot.message_files import MAX_MESSAGE_BYTES, too_large_in_all
from handlers.kit.context import Attachment
from handlers.kit.csv_files import MAX_CSV_BYTES
from handlers.kit.documents import LANGUAGE_HELP, MB, RAID_EVIDENCE, display_name
from handlers.kit.i18n import N_, _, format_number
from handlers.program.applying import LETTER_LIMIT

log = logging.getLogger(__name__)
# Where Discord serves attachments (https only, default port, no credentials in the URL).
CDN_HOSTS = frozenset({"cdn.discordapp.com", "media.discordapp.net"})
MAX_REDIRECTS = 3
TIMEOUT = 30
CHUNK = 64 * 1024


@dataclass(frozen=True, slots=True)
class FileLimit:
    """How large a file one use takes, and what to call it in a refusal."""

    max_bytes: int
    what: str  # marked with N_, translated when shown

    def refusal(self, name: str, size: int | None) -> str:
        values = {"file": name, "what": _(self.what), "most": self.max_bytes // MB}
        if size is not None:
            return _("{file} is {size} bytes; {what} may be at most {most} MB. Nothing was submitted.",
                     size=format_number(size), **values)  # fmt: skip
        return _("{file} is over {limit} bytes; {what} may be at most {most} MB. Nothing was submitted.",
                 limit=format_number(self.max_bytes), **values)  # fmt: skip


# The limits of the commands that take files, from the policies their handlers apply.
LIMITS = {
    "complaint": FileLimit(MAX_CSV_BYTES, N_("a CSV file of links")),
    "raid submit": FileLimit(RAID_EVIDENCE.max_bytes, N_("a raid document")),
    "language": FileLimit(LANGUAGE_HELP.max_bytes, N_("a document for language help")),
    "apply submit": FileLimit(LETTER_LIMIT, N_("a letter of authorisation")),
    "calendar load": FileLimit(MAX_CSV_BYTES, N_("a CSV file of milestones")),
}
ANY_FILE = FileLimit(max(limit.max_bytes for limit in LIMITS.values()), N_("a file"))


def limit_for(command: str | None) -> FileLimit:
    """The limit of the command's files (the largest any command takes, for another command)."""
    return LIMITS.get(command or "", ANY_FILE)


class NotDownloaded(ValueError):
    """An attached file the bot would not or could not fetch; the text says which and what to do."""


class Downloads:
    """Fetches attachments; `api_url` is the configured Discord API URL, whose host is trusted too."""

    def __init__(self, api_url: str = "", *, proxy: str | None = None, proxy_auth: aiohttp.BasicAuth | None = None):
        configured = urlsplit(api_url)
        self._configured = (configured.scheme, configured.netloc) if configured.netloc else None
        self._proxy = proxy
        self._proxy_auth = proxy_auth

    def allowed(self, url: str) -> bool:
        """True for an https URL on Discord's CDN, or one on the configured API's scheme and host."""
        try:
            parts = urlsplit(url)
        except ValueError:
            return False
        if parts.scheme == "https" and parts.netloc.lower() in CDN_HOSTS:
            return True
        return self._configured is not None and (parts.scheme, parts.netloc) == self._configured

    async def fetch_all(self, attachments: Sequence[discord.Attachment], limit: FileLimit) -> tuple[Attachment, ...]:
        """Every attachment's content, in order; the first refusal stops the rest, and so do files
        coming to more than a message's total (whatever sizes Discord declared for them)."""
        fetched: list[Attachment] = []
        for attachment in attachments:
            fetched.append(await self.fetch(attachment, limit))
            total = sum(len(file.content) for file in fetched)
            if total > MAX_MESSAGE_BYTES:
                raise NotDownloaded(too_large_in_all(total))
        return tuple(fetched)

    async def fetch(self, attachment: discord.Attachment, limit: FileLimit) -> Attachment:
        """One attachment's content, or NotDownloaded with a sentence for the member."""
        name = display_name(str(attachment.filename or "file"))
        url = str(attachment.url or "")
        again = _again()
        if not self.allowed(url):
            log.warning("attachment %s not fetched: not on Discord's file host", name)
            raise NotDownloaded(
                _("{file} could not be fetched: it is not on Discord's file host. {again}", file=name, again=again)
            )
        size = attachment.size
        if not isinstance(size, int) or size < 0:
            raise NotDownloaded(
                _("{file} could not be fetched: Discord gave no size for it. {again}", file=name, again=again)
            )
        if size > limit.max_bytes:
            raise NotDownloaded(limit.refusal(name, size))
        timeout = aiohttp.ClientTimeout(total=TIMEOUT)
        try:
            async with aiohttp.ClientSession(timeout=timeout, trust_env=False) as session:
                return Attachment(name, await self._read(session, url, name, limit))
        except (aiohttp.ClientError, TimeoutError, OSError) as error:
            log.warning("attachment %s not fetched: %s", name, type(error).__name__)
            raise NotDownloaded(
                _("{file} could not be fetched from Discord just now. {again}", file=name, again=again)
            ) from None

    async def _read(self, session: aiohttp.ClientSession, url: str, name: str, limit: FileLimit) -> bytes:
        again = _again()
        for _attempt in range(MAX_REDIRECTS + 1):
            async with session.get(
                url, allow_redirects=False, proxy=self._proxy, proxy_auth=self._proxy_auth
            ) as response:
                if response.status in (301, 302, 303, 307, 308):
                    url = urljoin(url, response.headers.get("Location", ""))
                    if not self.allowed(url):
                        log.warning("attachment %s not fetched: redirected off Discord's file host", name)
                        raise NotDownloaded(
                            _("{file} could not be fetched: Discord sent it on to another address, which the bot "
                              "does not follow. {again}", file=name, again=again)
                        )  # fmt: skip
                    continue
                if response.status != 200:
                    log.warning("attachment %s not fetched: HTTP %s", name, response.status)
                    raise NotDownloaded(
                        _("{file} could not be fetched from Discord (HTTP {status}). {again}",
                          file=name, status=response.status, again=again)
                    )  # fmt: skip
                declared = response.content_length
                if declared is not None and declared > limit.max_bytes:
                    raise NotDownloaded(limit.refusal(name, declared))
                content = bytearray()
                while chunk := await response.content.read(CHUNK):
                    content += chunk
                    if len(content) > limit.max_bytes:
                        raise NotDownloaded(limit.refusal(name, None))
                return bytes(content)
        raise NotDownloaded(
            _("{file} could not be fetched: Discord redirected it too many times. {again}", file=name, again=again)
        )


def _again() -> str:
    return _("Attach it again to a new command or message.")

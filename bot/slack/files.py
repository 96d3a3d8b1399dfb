"""Fetching the files people share with the bot, with the bot token, from Slack's file host only.

The token goes only to `https://files.slack.com` (or, for a proxy or the tests' fake, exactly the
scheme and host of the configured API URL), and a redirect is followed only to those same places:
urllib would otherwise follow it anywhere with the `Authorization` header. Refusals are written in the
current language: the bridge sets the reader's.
"""

from __future__ import annotations

import logging
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlsplit

from handlers.kit.context import Attachment
from handlers.kit.i18n import _

log = logging.getLogger(__name__)
FILE_HOST = ("https", "files.slack.com")
MAX_FILE_BYTES = 20 * 1024 * 1024
TIMEOUT = 30


class FileNotFetched(ValueError):
    """A shared file the bot could not fetch; the text says which and what to do."""


class SlackFiles:
    def __init__(self, token: str, api_url: str = "") -> None:
        self._token = token
        configured = urlsplit(api_url)
        self._places = {FILE_HOST} | ({(configured.scheme, configured.netloc)} if configured.netloc else set())
        self._opener = urllib.request.build_opener(_Redirects(self._allowed))

    def download(self, shared: dict[str, Any]) -> Attachment:
        """The file a Slack `files` entry names; refused (with a sentence for the member) when it
        is not on Slack's file host, too large, or cannot be fetched."""
        name = str(shared.get("name") or "file")[:200]
        url = str(shared.get("url_private_download") or shared.get("url_private") or "")
        if not self._allowed(url):
            raise FileNotFetched(_("{file} could not be fetched from Slack; share it again.", file=name))
        declared = str(shared.get("size") or "0")
        if not declared.isascii() or not declared.isdigit():  # Slack sends a number; anything else is not Slack's
            raise FileNotFetched(_("{file} could not be fetched from Slack; share it again.", file=name))
        if int(declared) > MAX_FILE_BYTES:
            raise FileNotFetched(_too_large(name))
        request = urllib.request.Request(url, headers={"Authorization": f"Bearer {self._token}"})  # noqa: S310
        try:
            with self._opener.open(request, timeout=TIMEOUT) as response:
                content = response.read(MAX_FILE_BYTES + 1)
        except urllib.error.HTTPError as error:
            log.warning("Slack file %s not fetched: HTTP %s", name, error.code)
            said = _("{file} could not be fetched from Slack (HTTP {status}); share it again.", file=name,
                     status=error.code)  # fmt: skip
            raise FileNotFetched(said) from None
        except (urllib.error.URLError, OSError) as error:
            log.warning("Slack file %s not fetched: %s", name, type(error).__name__)
            raise FileNotFetched(
                _("{file} could not be fetched from Slack just now; share it again.", file=name)
            ) from None
        if len(content) > MAX_FILE_BYTES:
            raise FileNotFetched(_too_large(name))
        return Attachment(name, content)

    def _allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        return (parts.scheme, parts.netloc) in self._places


def _too_large(name: str) -> str:
    return _("{file} is over {most} MB.", file=name, most=MAX_FILE_BYTES // (1024 * 1024))


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Follows a redirect only to a place the token may go; any other is refused, token unsent."""

    def __init__(self, allowed: Any) -> None:
        self._allowed = allowed

    def redirect_request(
        self, req: urllib.request.Request, fp: Any, code: int, msg: str, headers: Any, newurl: str
    ) -> urllib.request.Request | None:
        if not self._allowed(newurl):
            raise urllib.error.HTTPError(req.full_url, code, "redirect to another host refused", headers, fp)
        return super().redirect_request(req, fp, code, msg, headers, newurl)

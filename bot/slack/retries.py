"""Which Web API calls the listeners' client may send again after a dropped connection.

A connection that drops after the request was sent leaves no way to tell whether Slack did the
work. Sending a read, or a write that leaves the same state however often it is made, again is
harmless; sending `chat.postMessage` again may post the answer twice. So the listeners' client
retries a dropped connection only for the methods below; every other call is made once and its
failure is logged. Rate limits (429) are retried for every method: Slack did nothing then.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState

# Reads, and writes that leave the same state when repeated (a Home tab replaced by the same view,
# a message updated to the same text, the same direct-message channel opened, a new socket URL).
IDEMPOTENT_METHODS = frozenset(
    {
        "apps.connections.open",
        "auth.test",
        "chat.update",
        "conversations.history",
        "conversations.info",
        "conversations.open",
        "conversations.replies",
        "files.info",
        "users.info",
        "views.publish",
        "views.update",
    }
)


def method_of(url: str) -> str:
    """The Web API method a request URL calls (`https://slack.com/api/chat.postMessage` -> `chat.postMessage`)."""
    return urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]


class IdempotentConnectionRetryHandler(ConnectionErrorRetryHandler):
    """slack_sdk's retry after a dropped or refused connection, for idempotent methods only."""

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if method_of(request.url) not in IDEMPOTENT_METHODS:
            return False
        return super()._can_retry(state=state, request=request, response=response, error=error)

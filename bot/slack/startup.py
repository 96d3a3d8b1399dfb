"""What Slack must grant before the bot serves it: a bot token it accepts, with every scope the bot
uses, and in Socket Mode an app-level token that opens a connection. Each refusal becomes one line
an operator can act on (`SlackStartError`), never a traceback; no token is ever part of it."""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

# The bot token's scopes, as slack-app-manifest.yml asks for them (a test keeps the two equal).
BOT_SCOPES = frozenset(
    {"commands", "chat:write", "channels:history", "groups:history", "users:read", "im:history", "files:read"}
    | {"files:write", "im:write"}  # exports and charts sent to the caller's direct messages
)
SCOPES_HEADER = "x-oauth-scopes"


class SlackStartError(Exception):
    """Slack cannot be served with these settings; the message says why and what to change."""


def check_bot_token(client: WebClient, api_url: str) -> None:
    """`auth.test` with the bot token: refused, unreachable or short of scopes raises `SlackStartError`."""
    try:
        answer = client.auth_test()
    except SlackApiError as error:
        code = str(error.response.get("error") or f"HTTP {error.response.status_code}")
        raise SlackStartError(
            f"Slack refused SLACK_BOT_TOKEN ({code}): use the Bot User OAuth Token (xoxb-...) from the app's "
            "OAuth & Permissions page, and reinstall the app if the token was revoked"
        ) from None
    except OSError as error:
        raise SlackStartError(f"cannot reach Slack at {api_url} ({type(error).__name__}: {error})") from None
    headers = {str(name).lower(): value for name, value in (answer.headers or {}).items()}
    granted = headers.get(SCOPES_HEADER)
    if granted is None:  # a proxy may drop the header: then Slack refuses calls one by one, each logged
        return
    if isinstance(granted, list):
        granted = ",".join(granted)
    missing = BOT_SCOPES - {scope.strip() for scope in str(granted).split(",")}
    if missing:
        raise SlackStartError(
            f"SLACK_BOT_TOKEN lacks the scopes {', '.join(sorted(missing))}: add them on the app's OAuth & "
            "Permissions page (slack-app-manifest.yml lists every scope) and reinstall the app"
        )


def open_socket_url(client: WebClient, app_token: str, api_url: str) -> str:
    """A Socket Mode connection URL from `apps.connections.open`; a refused app token raises `SlackStartError`."""
    try:
        answer = client.apps_connections_open(app_token=app_token)
    except SlackApiError as error:
        code = str(error.response.get("error") or f"HTTP {error.response.status_code}")
        raise SlackStartError(
            f"Slack refused SLACK_APP_TOKEN ({code}): Socket Mode needs an app-level token (xapp-...) with the "
            "connections:write scope (Basic Information -> App-Level Tokens) and Socket Mode enabled for the app"
        ) from None
    except OSError as error:
        raise SlackStartError(f"cannot reach Slack at {api_url} ({type(error).__name__}: {error})") from None
    return str(answer["url"])

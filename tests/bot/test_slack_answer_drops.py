"""An answer whose connection failed is sent again only when it cannot have reached Slack."""

from __future__ import annotations

import http.client
import socket
from urllib.error import URLError

import pytest

from bot.slack.intake import _may_have_arrived


@pytest.mark.parametrize(
    ("error", "arrived"),
    [
        (URLError(ConnectionRefusedError(111, "refused")), False),
        (URLError(socket.gaierror(-2, "Name or service not known")), False),
        (ConnectionRefusedError(111, "refused"), False),
        (http.client.RemoteDisconnected("Remote end closed connection without response"), True),
        (ConnectionResetError(104, "reset by peer"), True),
        (URLError(ConnectionResetError(104, "reset by peer")), True),
        (TimeoutError("timed out"), True),
    ],
)
def test_only_a_connection_never_made_is_known_not_to_have_arrived(error: OSError, arrived: bool) -> None:
    assert _may_have_arrived(error) is arrived

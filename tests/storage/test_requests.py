"""Handled platform requests are remembered long enough for retries, and then forgotten."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from storage.database import Database
from storage.queries.requests import claim_request, earlier_reply, prune_requests, record_reply

NOW = datetime(2026, 11, 18, 20, 0, tzinfo=UTC)


def test_a_handled_request_repeats_its_answer_until_it_is_pruned(database: Database) -> None:
    with database.transaction() as session:
        claim_request(session, "slack:command:old", NOW - timedelta(days=3))
        record_reply(session, "slack:command:old", "Registered 1 item in MS-000001.")
        claim_request(session, "slack:command:new", NOW)
    with database.transaction() as session:
        assert earlier_reply(session, "slack:command:old") == "Registered 1 item in MS-000001."
        assert prune_requests(session, NOW - timedelta(days=1)) == 1
    with database.transaction() as session:
        assert earlier_reply(session, "slack:command:old") is None
        assert earlier_reply(session, "slack:command:new") == ""

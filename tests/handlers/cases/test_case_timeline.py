"""`case MS-… timeline`: the audit log, relayed messages, outcomes, appeals and the bot's notices in order."""

from __future__ import annotations

from sqlmodel import col, select

from storage.models import CaseMessage
from support.harness import Harness

CASE = "MS-000001"
TAOBAO = "https://item.taobao.com/item.htm?id={}"


def filed(bot: Harness, count: int = 2) -> None:
    bot.ok("complaint " + " ".join(TAOBAO.format(n) for n in range(1, count + 1)), as_="brand1")
    bot.delivered()


def test_the_timeline_merges_history_messages_appeals_and_notices_in_order(program: Harness) -> None:
    filed(program)
    program.clock.advance(minutes=5)
    program.say_in_thread("org:acme", CASE, "These are fakes of the 2026 line.", as_="brand1")
    program.clock.advance(minutes=5)
    program.ok(f"outcome {CASE} 1 removed", as_="team1")
    program.clock.advance(minutes=5)
    program.ok(f'outcome {CASE} 1 counter_notice note="invoice"', as_="team1")
    program.clock.advance(minutes=5)
    program.say_in_thread("team", CASE, "The seller sent an invoice.", as_="team1")
    program.clock.advance(minutes=5)
    program.ok(f"outcome {CASE} 1 upheld", as_="team1")

    team = program.ok(f"case {CASE} timeline", as_="team1").lines
    text = "\n".join(team)
    order = [
        "console:brand1, the brand, wrote: These are fakes of the 2026 line.",
        "item 1 reported -> removed",
        "item 1 removed -> counter_notice (invoice)",
        "seller's counter-notice, item 1 round 1: received",
        "console:team1, the team, wrote: The seller sent an invoice.",
        "item 1 counter_notice -> upheld",
        "seller's counter-notice, item 1 round 1: upheld",
    ]
    positions = [text.index(part) for part in order]
    assert positions == sorted(positions)
    assert any("the bot, to team: New case MS-000001" in line for line in team)

    brand = program.ok(f"case {CASE} timeline", as_="brand1").lines
    assert all(part in "\n".join(brand) for part in order)
    assert not any("the bot, to team" in line for line in brand), "the team's channel is the team's business"
    assert any("the bot, to org:acme:" in line for line in brand)


def test_a_relayed_message_is_kept_with_the_case_by_who_wrote_it(program: Harness) -> None:
    filed(program, 1)
    program.say_in_thread("org:acme", CASE, "It is the 2026 handbag line.", as_="brand1")
    program.ok(f"case {CASE} reply thanks, noted", as_="team1")
    with program.database.transaction() as session:
        kept = [
            (m.side, m.author, m.text) for m in session.exec(select(CaseMessage).order_by(col(CaseMessage.id))).all()
        ]
    assert kept == [
        ("brand", "console:brand1", "It is the 2026 handbag line."),
        ("team", "console:team1", "thanks, noted"),
    ]


def test_a_message_not_relayed_is_not_kept(program: Harness) -> None:
    filed(program, 1)
    program.say_in_thread("org:acme", CASE, "Noted.", as_="team1")  # the brand's own thread: not relayed
    with program.database.transaction() as session:
        assert session.exec(select(CaseMessage)).all() == []
    assert "Noted." not in program.ok(f"case {CASE} timeline", as_="team1").render_plain()


def test_the_timeline_is_paged_and_says_how_to_see_more(program: Harness) -> None:
    filed(program, 1)
    for n in range(40):
        program.clock.advance(minutes=1)
        program.ok(f"case {CASE} reply message {n}", as_="brand1")
    first = program.ok(f"case {CASE} timeline", as_="brand1")
    total = int(first.text.split(", ")[1].split()[0])
    assert first.text == f"{CASE} timeline, {total} entries, page 1 of 2:"
    assert first.lines[-1] == f"More: `case {CASE} timeline page=2`."
    assert len(first.lines) == 31
    second = program.ok(f"case {CASE} timeline page=2", as_="brand1")
    assert len(second.lines) == total - 30
    assert second.lines[-1].endswith("wrote: message 39")
    assert program.refused(f"case {CASE} timeline page=3", as_="brand1") == f"The timeline of {CASE} has 2 pages."


def test_another_organisation_cannot_read_the_timeline(program: Harness) -> None:
    filed(program, 1)
    refused = program.refused(f"case {CASE} timeline", as_="brand2")
    assert refused.startswith("There is no case MS-000001 among your organisation's cases.")


def test_routing_is_in_the_teams_timeline_only(program: Harness) -> None:
    program.ok("admin member add console:team2 - team")
    program.ok("admin team console:team1 platforms=taobao")
    filed(program, 1)
    program.ok(f"case {CASE} assign console:team2", as_="team1")
    team = program.ok(f"case {CASE} timeline", as_="team1").render_plain()
    brand = program.ok(f"case {CASE} timeline", as_="brand1").render_plain()
    assert "assigned console:team1 -> console:team2" in team
    assert "assigned" not in brand and "console:team2" not in brand

"""The agenda posted before a working-group meeting: the most voted open proposals, the best
practices shared since the last meeting, and the program's figures since then.

The harness clock starts on Wednesday 2026-11-18 at 20:00 UTC (15:00 in New York).
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlmodel import select

import handlers.catalogue  # noqa: F401  (registers `propose` and `practices`)
from handlers.kit.outbox import save_notices
from handlers.kit.replies import Notice
from handlers.working_group.meetings import meeting_agenda_notices
from storage.models import Milestone, OutboxNotice
from support.harness import Harness

NEW_YORK = ZoneInfo("America/New_York")
TEXT = "Details for the working group to discuss."
DAY_BEFORE = datetime(2026, 12, 2, 15, 0, tzinfo=UTC)  # the 1-day reminder of the 3 December meeting


def agenda_of(program: Harness, meeting_id: int, now: datetime) -> list[Notice]:
    with program.database.transaction() as session:
        meeting = session.get(Milestone, meeting_id)
        assert meeting is not None
        return meeting_agenda_notices(session, meeting, now, NEW_YORK)


def calendar_with_two_meetings(program: Harness) -> None:
    program.ok('calendar add meeting 2026-11-19 10:00 "November working group"')
    program.ok('calendar add meeting 2026-12-03 10:00 "December working group"')
    program.ok('calendar add launch 2026-11-25 09:00 "Launch"')  # not a meeting: no effect on the agenda


def test_the_agenda_lists_top_proposals_new_practices_and_figures_since_the_last_meeting(program: Harness) -> None:
    calendar_with_two_meetings(program)
    # Before the November meeting: a practice and a removal that belong to the previous agenda.
    program.ok(f'practices share title="Old tip" {TEXT}', as_="brand1")
    program.ok("complaint https://item.taobao.com/item.htm?id=100", as_="brand1")
    program.ok("outcome MS-000001 1 removed", as_="team1")
    program.clock.now = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)  # the day after the November meeting
    for number in range(1, 13):  # P-0001 to P-0012: best practices are numbered on their own
        program.ok(f'propose title="Proposal {number}" {TEXT}', as_="brand2")
    program.ok("propose vote P-0008 up", as_="brand1")
    program.ok("propose vote P-0008 up", as_="team1")
    program.ok("propose vote P-0006 up", as_="brand1")
    program.ok("propose vote P-0002 down", as_="brand1")
    program.ok("propose review P-0006", as_="team1")
    program.ok('propose accept P-0004 note="Done."', as_="team1")
    program.ok('practices share title="Relabelled watches" tags=watches Serial numbers cut off the case.', as_="brand2")
    program.ok("practices vote BP-0002 up", as_="brand1")
    program.ok(
        "complaint https://item.taobao.com/item.htm?id=1 https://item.taobao.com/item.htm?id=2 "
        "https://item.taobao.com/item.htm?id=3 https://shop123456.taobao.com/",
        as_="brand1",
    )
    program.ok("outcome MS-000002 1 removed", as_="team1")
    program.ok("outcome MS-000002 2 not_removed", as_="team1")
    program.delivered()

    (notice,) = agenda_of(program, 2, DAY_BEFORE)
    assert (notice.channel, notice.kind) == ("working-group", "agenda")
    assert notice.dedupe_key == "agenda:2:2026-12-03T15:00:00+00:00"
    assert notice.text == "Agenda for December working group, 2026-12-03 10:00 EST:"
    since = "since the last meeting, November working group (2026-11-19)"
    assert notice.fields == (
        (
            "Proposals with the most votes, still open",
            "\n".join(
                [
                    "1. P-0008 · Proposal 8 · +2 (2 for, 0 against) · open",
                    "2. P-0006 · Proposal 6 · +1 (1 for, 0 against) · under review",
                    "3. P-0001 · Proposal 1 · 0 (0 for, 0 against) · open",
                    "4. P-0003 · Proposal 3 · 0 (0 for, 0 against) · open",
                    "5. P-0005 · Proposal 5 · 0 (0 for, 0 against) · open",
                    "6. P-0007 · Proposal 7 · 0 (0 for, 0 against) · open",
                    "7. P-0009 · Proposal 9 · 0 (0 for, 0 against) · open",
                    "8. P-0010 · Proposal 10 · 0 (0 for, 0 against) · open",
                    "9. P-0011 · Proposal 11 · 0 (0 for, 0 against) · open",
                    "10. P-0012 · Proposal 12 · 0 (0 for, 0 against) · open",
                    "... and 1 more open proposal: `propose list`",
                ]
            ),
        ),
        (
            f"Best practices shared {since}",
            "BP-0002 · Relabelled watches · +1 (1 for, 0 against) · watches · from console:brand2 (Globex Ltd)",
        ),
        (f"Program figures {since}", "3 listings and 1 storefront reported, 1 removed, takedown rate 50.0%"),
    )


def test_the_agenda_is_posted_once_however_often_it_is_written(program: Harness) -> None:
    calendar_with_two_meetings(program)
    program.ok(f'propose title="Flag repeat sellers" {TEXT}', as_="brand1")
    program.delivered()
    for _ in range(2):  # a retried job
        with program.database.transaction() as session:
            meeting = session.get(Milestone, 2)
            assert meeting is not None
            save_notices(session, meeting_agenda_notices(session, meeting, DAY_BEFORE, NEW_YORK), DAY_BEFORE)
    (posted,) = program.delivered()
    assert (posted.channel, posted.kind) == ("working-group", "agenda")
    assert posted.text == "Agenda for December working group, 2026-12-03 10:00 EST:"
    with program.database.transaction() as session:
        assert len(session.exec(select(OutboxNotice).where(OutboxNotice.kind == "agenda")).all()) == 1
    program.ok("calendar move 2 2026-12-04 10:00")
    (moved,) = agenda_of(program, 2, datetime(2026, 12, 3, 15, 0, tzinfo=UTC))
    assert moved.dedupe_key == "agenda:2:2026-12-04T15:00:00+00:00"


def test_without_an_earlier_meeting_the_agenda_covers_the_last_30_days(program: Harness) -> None:
    program.ok('calendar add meeting 2027-01-07 10:00 "January working group"')
    program.ok(f'practices share title="Too old to list" {TEXT}', as_="brand2")  # 2026-11-18
    program.clock.now = datetime(2026, 12, 20, 15, 0, tzinfo=UTC)
    program.ok(f'practices share title="Photo checklist" {TEXT}', as_="brand1")
    (notice,) = agenda_of(program, 1, datetime(2027, 1, 6, 15, 0, tzinfo=UTC))  # from 2026-12-07
    assert notice.text == "Agenda for January working group, 2027-01-07 10:00 EST:"
    assert notice.fields == (
        ("Proposals with the most votes, still open", "No proposals are open."),
        (
            "Best practices shared in the last 30 days",
            "BP-0002 · Photo checklist · 0 (0 for, 0 against) · from console:brand1 (ACME Corp)",
        ),
        (
            "Program figures in the last 30 days",
            "0 listings and 0 storefronts reported, 0 removed, no takedown rate (none decided)",
        ),
    )


def test_the_team_can_preview_the_next_agenda(program: Harness) -> None:
    assert program.refused("propose agenda", as_="team1") == (
        "No working-group meeting is coming up on the calendar. An admin adds one with "
        '`calendar add meeting <YYYY-MM-DD> <HH:MM> "<title>"`.'
    )
    calendar_with_two_meetings(program)
    program.ok(f'propose title="Flag repeat sellers" {TEXT}', as_="brand1")
    preview = program.ok("propose agenda", as_="brand2")
    assert preview.text == "Agenda for November working group, 2026-11-19 10:00 EST:"
    assert preview.fields[0] == (
        "Proposals with the most votes, still open",
        "1. P-0001 · Flag repeat sellers · 0 (0 for, 0 against) · open",
    )
    assert program.ok("propose agenda 2").text == "Agenda for December working group, 2026-12-03 10:00 EST:"
    assert program.refused("propose agenda 3").startswith("#3 Launch is a launch, not a working-group meeting.")

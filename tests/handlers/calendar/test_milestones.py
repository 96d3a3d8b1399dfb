"""`calendar`: listing, adding, moving, removing and loading milestones across time zones and DST.

The harness clock starts on 2026-11-18 at 20:00 UTC (15:00 in New York, the program's zone).
"""

from __future__ import annotations

from pathlib import Path

from sqlmodel import col, select

from handlers.kit.context import Attachment
from storage.models import AuditEntry, Milestone
from support.harness import Harness

SEED = Path(__file__).parents[3] / "examples" / "calendar-2017.csv"
ORIENTATION = 'calendar add orientation 2027-02-07 10:00 "Orientation for new members"'
NOT_ADMIN = "Only program admins can change the program calendar."
DEFAULT_REMINDERS = "reminders 7d, 1d, 1h, at the time"


def csv_file(*rows: str, name: str = "calendar.csv") -> tuple[Attachment, ...]:
    text = "\n".join(("kind,title,date,time,timezone,remind", *rows)) + "\n"
    return (Attachment(name, text.encode()),)


def stored_offsets(program: Harness) -> dict[str, str]:
    with program.database.transaction() as session:
        return {m.title: m.reminder_offsets for m in session.exec(select(Milestone)).all()}


# --- listing and adding -----------------------------------------------------------------------


def test_an_empty_calendar_says_so(program: Harness) -> None:
    assert program.ok("calendar", as_="brand1").text == "No upcoming milestones are on the calendar."
    assert program.ok("calendar past", as_="brand1").text == "The calendar has no past milestones."


def test_an_added_milestone_is_announced_and_listed_for_everyone(program: Harness) -> None:
    reply = program.ok(ORIENTATION)
    assert reply.text == (
        f"Added #1 (orientation): Orientation for new members on 2027-02-07 10:00 EST, {DEFAULT_REMINDERS}."
    )
    posted = program.delivered()
    assert [(p.channel, p.text) for p in posted] == [
        ("announcements", "Added to the calendar: Orientation for new members on 2027-02-07 10:00 EST")
    ]
    for who in ("brand1", "brand2", "team1"):
        listing = program.ok("calendar", as_=who)
        assert listing.text == "1 upcoming milestone (times in America/New_York):"
        assert listing.lines == [
            f"#1 · orientation · Orientation for new members · 2027-02-07 10:00 EST · {DEFAULT_REMINDERS}"
        ]


def test_milestones_are_listed_soonest_first(program: Harness) -> None:
    program.ok('calendar add launch 2027-02-15 09:00 "Launch"')
    program.ok('calendar add application_deadline 2027-01-15 23:59 "Applications close"')
    program.ok('calendar add status_update 2027-01-18 17:00 "Status update" remind=1d,0')
    listing = program.ok("calendar", as_="brand1")
    assert listing.text == "3 upcoming milestones (times in America/New_York):"
    assert listing.lines == [
        f"#2 · application_deadline · Applications close · 2027-01-15 23:59 EST · {DEFAULT_REMINDERS}",
        "#3 · status_update · Status update · 2027-01-18 17:00 EST · reminders 1d, at the time",
        f"#1 · launch · Launch · 2027-02-15 09:00 EST · {DEFAULT_REMINDERS}",
    ]


def test_a_milestone_that_has_passed_leaves_the_upcoming_list(program: Harness) -> None:
    program.ok('calendar add meeting 2026-11-18 16:00 "Working-group call"')
    assert program.ok("calendar").lines[0].startswith("#1 · meeting · Working-group call · 2026-11-18 16:00 EST")
    program.clock.advance(hours=1, minutes=1)
    assert program.ok("calendar").text == "No upcoming milestones are on the calendar."
    past = program.ok("calendar past", as_="brand1")
    assert past.text == "1 past milestone (times in America/New_York):"
    assert past.lines[0].startswith("#1 · meeting · Working-group call · 2026-11-18 16:00 EST")


def test_unquoted_words_after_the_time_make_the_title(program: Harness) -> None:
    reply = program.ok("calendar add meeting 2027-01-12 11:00 Working group meeting remind=1h")
    assert reply.text == "Added #1 (meeting): Working group meeting on 2027-01-12 11:00 EST, reminder 1h."


def test_the_same_milestone_cannot_be_added_twice(program: Harness) -> None:
    program.ok(ORIENTATION)
    assert program.refused(ORIENTATION) == "That milestone is already on the calendar as #1."
    assert program.refused(ORIENTATION + " tz=America/Toronto") == "That milestone is already on the calendar as #1."
    program.ok('calendar add meeting 2027-02-07 10:00 "Orientation for new members"')
    assert program.ok("calendar").text == "2 upcoming milestones (times in America/New_York):"


# --- time zones and daylight saving -----------------------------------------------------------


def test_a_new_york_milestone_is_shown_in_shanghai_time_on_request(program: Harness) -> None:
    program.ok(ORIENTATION)
    listing = program.ok("calendar tz=Asia/Shanghai", as_="brand1")
    assert listing.text == "1 upcoming milestone (times in Asia/Shanghai):"
    assert listing.lines == [
        "#1 · orientation · Orientation for new members · 2027-02-07 23:00 CST "
        f"(2027-02-07 10:00 EST in America/New_York) · {DEFAULT_REMINDERS}"
    ]
    assert program.ok("calendar tz=asia/shanghai", as_="brand1").lines == listing.lines


def test_a_milestone_set_in_shanghai_shows_both_times(program: Harness) -> None:
    reply = program.ok('calendar add meeting 2027-03-02 15:00 "Hangzhou roundtable" tz=Asia/Shanghai remind=1d')
    assert reply.text == (
        "Added #1 (meeting): Hangzhou roundtable on 2027-03-02 15:00 CST "
        "(2027-03-02 02:00 EST in America/New_York), reminder 1d."
    )
    assert [p.text for p in program.delivered()] == [
        "Added to the calendar: Hangzhou roundtable on 2027-03-02 02:00 EST (2027-03-02 15:00 CST in Asia/Shanghai)"
    ]
    assert program.ok("calendar").lines == [
        "#1 · meeting · Hangzhou roundtable · 2027-03-02 02:00 EST (2027-03-02 15:00 CST in Asia/Shanghai) · "
        "reminder 1d"
    ]
    assert program.ok("calendar tz=Asia/Shanghai").lines == [
        "#1 · meeting · Hangzhou roundtable · 2027-03-02 15:00 CST · reminder 1d"
    ]


def test_the_same_local_time_follows_daylight_saving(program: Harness) -> None:
    program.ok('calendar add meeting 2027-01-12 10:00 "Winter call"')
    program.ok('calendar add meeting 2027-07-13 10:00 "Summer call"')
    lines = program.ok("calendar tz=Asia/Shanghai").lines
    assert lines[0].startswith("#1 · meeting · Winter call · 2027-01-12 23:00 CST (2027-01-12 10:00 EST in")
    assert lines[1].startswith("#2 · meeting · Summer call · 2027-07-13 22:00 CST (2027-07-13 10:00 EDT in")


def test_a_time_the_clocks_skip_is_refused(program: Harness) -> None:
    reply = program.send('calendar add meeting 2027-03-14 02:30 "Spring call"')
    assert reply.is_error
    assert reply.text == (
        "2027-03-14 02:30 does not exist in America/New_York: the clocks go forward an hour that night and skip "
        "it. Choose a time outside the skipped hour, e.g. 03:30."
    )
    assert reply.error_field == "time"
    assert program.ok("calendar").text == "No upcoming milestones are on the calendar."
    assert program.delivered() == []
    assert program.refused('calendar add meeting 2027-03-28 01:30 "EU call" tz=Europe/London').startswith(
        "2027-03-28 01:30 does not exist in Europe/London"
    )


def test_a_time_the_clocks_pass_twice_takes_the_first_and_says_so(program: Harness) -> None:
    reply = program.ok('calendar add meeting 2027-11-07 01:30 "Autumn call" remind=0')
    assert reply.text == "Added #1 (meeting): Autumn call on 2027-11-07 01:30 EDT, reminder at the time."
    assert reply.lines == [
        "2027-11-07 01:30 happens twice in America/New_York (the clocks go back an hour that night): "
        "this is the first, 01:30 EDT, which is 05:30 UTC."
    ]
    assert program.ok("calendar tz=UTC").lines[0].startswith("#1 · meeting · Autumn call · 2027-11-07 05:30 UTC")


def test_an_unknown_time_zone_is_refused(program: Harness) -> None:
    for command in (ORIENTATION + " tz=Mars/Olympus", "calendar tz=Eastern", "calendar tz=../../etc/passwd"):
        reply = program.send(command)
        assert reply.is_error and reply.error_field == "tz"
        assert reply.text.endswith(
            "is not a time zone I know. Use an IANA zone name such as America/New_York, Europe/London or Asia/Shanghai."
        )


# --- reminders --------------------------------------------------------------------------------


def test_reminders_are_kept_in_minutes_largest_first(program: Harness) -> None:
    reply = program.ok(ORIENTATION + " remind=1h,7D,0,30m,1d,24h")
    assert reply.text.endswith("reminders 7d, 1d, 1h, 30m, at the time.")
    program.ok('calendar add launch 2027-02-15 09:00 "Launch"')
    program.ok('calendar add meeting 2027-02-20 09:00 "Call" remind=90d,36h,90m')
    assert stored_offsets(program) == {
        "Orientation for new members": "10080,1440,60,30,0",
        "Launch": "10080,1440,60,0",
        "Call": "129600,2160,90",
    }
    assert program.ok("calendar").lines[2].endswith("reminders 90d, 36h, 90m")


def test_bad_reminders_are_refused(program: Harness) -> None:
    how = (
        "Write reminders like remind=7d,1d,1h,0: days (d), hours (h) or minutes (m) before the time, 0 for at the time."
    )
    cases = {
        "1w": f"'1w' is not a reminder offset. {how}",
        "-1h": f"'-1h' is not a reminder offset. {how}",
        "5": f"'5' is not a reminder offset. {how}",
        "1.5h": f"'1.5h' is not a reminder offset. {how}",
        "7d,,1h": f"'7d,,1h' has an empty reminder between its commas. {how}",
        "91d": "A reminder 91d ahead is too early. Reminders can be at most 90 days (90d) ahead.",
        "2161h": "A reminder 2161h ahead is too early. Reminders can be at most 90 days (90d) ahead.",
        ",".join(f"{n}h" for n in range(1, 12)): "That is 11 reminders; the limit is 10.",
    }
    for remind, expected in cases.items():
        reply = program.send(f"{ORIENTATION} remind={remind}")
        assert reply.is_error, remind
        assert (reply.text, reply.error_field) == (expected, "remind")
    assert program.ok(ORIENTATION + " remind=" + ",".join(f"{n}h" for n in range(1, 11))).text.endswith(
        "reminders 10h, 9h, 8h, 7h, 6h, 5h, 4h, 3h, 2h, 1h."
    )


# --- refusals ---------------------------------------------------------------------------------


def test_a_time_in_the_past_is_refused(program: Harness) -> None:
    for when in ("2026-11-18 14:59", "2026-11-18 15:00", "2017-01-15 23:59"):
        reply = program.send(f'calendar add meeting {when} "Too late"')
        assert reply.is_error
        assert reply.text.endswith("is in the past. It is now 2026-11-18 15:00 EST; choose a later date or time.")
        assert reply.error_field == "date"
    assert program.ok('calendar add meeting 2026-11-18 15:01 "Just in time"').text.startswith("Added #1")


def test_each_part_of_a_milestone_is_checked(program: Harness) -> None:
    cases = {
        "calendar add": ("Missing kind of milestone. `help calendar add` shows the usage.", "kind"),
        'calendar add party 2027-01-12 10:00 "x"': (
            "'party' is not a kind of milestone. "
            "Use one of: application_deadline, status_update, orientation, launch, meeting.",
            "kind",
        ),
        "calendar add meeting": ("Missing date (YYYY-MM-DD). `help calendar add` shows the usage.", "date"),
        'calendar add meeting 2027-02-30 10:00 "x"': (
            "'2027-02-30' is not a valid date. Write dates as YYYY-MM-DD, e.g. 2027-02-07.",
            "date",
        ),
        'calendar add meeting 12/01/2027 10:00 "x"': (
            "'12/01/2027' is not a valid date. Write dates as YYYY-MM-DD, e.g. 2027-02-07.",
            "date",
        ),
        "calendar add meeting 2027-01-12": ("Missing time (HH:MM). `help calendar add` shows the usage.", "time"),
        'calendar add meeting 2027-01-12 24:00 "x"': (
            "'24:00' is not a time of day. Write times as HH:MM on a 24-hour clock, e.g. 09:30 or 17:00.",
            "time",
        ),
        'calendar add meeting 2027-01-12 10am "x"': (
            "'10am' is not a time of day. Write times as HH:MM on a 24-hour clock, e.g. 09:30 or 17:00.",
            "time",
        ),
        "calendar add meeting 2027-01-12 10:00": (
            'The milestone needs a title. Put it in quotes, e.g. "Orientation".',
            "title",
        ),
        'calendar add meeting 2027-01-12 10:00 "   "': (
            'The milestone needs a title. Put it in quotes, e.g. "Orientation".',
            "title",
        ),
        f'calendar add meeting 2027-01-12 10:00 "{"x" * 201}"': (
            "The title is 201 characters; the limit is 200.",
            "title",
        ),
    }
    for command, (message, field) in cases.items():
        reply = program.send(command)
        assert reply.is_error, command
        assert (reply.text, reply.error_field) == (message, field), command
    assert program.refused(f"{ORIENTATION} colour=red") == "Unknown option colour=. Options here: tz=, remind=."
    assert program.ok(f'calendar add meeting 2027-01-12 9:05 "{"x" * 200}"').text.startswith("Added #1 (meeting)")
    assert program.delivered()[0].text.endswith("on 2027-01-12 09:05 EST")


def test_an_unknown_action_is_refused(program: Harness) -> None:
    assert program.refused("calendar fly", as_="brand1") == (
        "'fly' is not a sub-command of `calendar`. Use one of: list, past, add, move, remove, load. "
        "`help calendar` shows each."
    )
    assert program.refused("calendar past fly", as_="brand1") == (
        "I did not expect 'fly' there. `help calendar past` shows the usage."
    )


def test_calendar_alone_and_calendar_list_show_the_same_milestones(program: Harness) -> None:
    program.ok(ORIENTATION)
    listing = program.ok("calendar list tz=Asia/Shanghai", as_="brand1")
    assert listing.text == "1 upcoming milestone (times in Asia/Shanghai):"
    assert program.ok("calendar tz=Asia/Shanghai", as_="brand1").lines == listing.lines


def test_only_admins_change_the_calendar(program: Harness) -> None:
    program.ok(ORIENTATION)
    program.delivered()
    for who in ("brand1", "brand2", "team1"):
        for command in (
            'calendar add launch 2027-02-15 09:00 "Launch"',
            "calendar move 1 2027-02-08 10:00",
            "calendar remove 1",
            "calendar load",
        ):
            assert program.refused(command, as_=who) == NOT_ADMIN
    assert program.ok("calendar", as_="brand1").lines[0].startswith("#1 · orientation · Orientation for new members")
    assert program.delivered() == []


def test_people_outside_the_program_cannot_see_the_calendar(program: Harness) -> None:
    assert program.refused("calendar", as_="stranger") == (
        "You need to be in the program to use `calendar`. Ask a program admin to add you to your organisation."
    )


def test_help_calendar_lists_its_sub_commands(program: Harness) -> None:
    reply = program.ok("help calendar", as_="brand1")
    assert reply.text == "calendar: program milestones: deadlines, orientation, launch, meetings"
    assert [line.split(":")[0] for line in reply.lines[:-1]] == [
        "calendar list", "calendar past", "calendar add", "calendar move", "calendar remove", "calendar load",
    ]  # fmt: skip
    assert "calendar add: put a milestone on the calendar (admins)" in reply.lines


def test_help_calendar_add_shows_its_one_usage(program: Harness) -> None:
    reply = program.ok("help calendar add", as_="brand1")
    assert reply.lines[0] == 'calendar add <kind> <YYYY-MM-DD> <HH:MM> "<title>" [tz=Area/City] [remind=7d,1d,1h,0]'
    assert reply.lines[-1].startswith("Example: calendar add orientation")


def test_help_calendar_move_shows_its_one_usage(program: Harness) -> None:
    reply = program.ok("help calendar move", as_="brand1")
    assert reply.text == "calendar move: move a milestone to another date or time (admins)"
    assert reply.lines[0] == "calendar move <id> <YYYY-MM-DD> <HH:MM> [tz=Area/City]"
    assert reply.lines[-1] == "Example: calendar move 3 2027-02-08 14:30"
    assert not any(line.startswith(("calendar add", "calendar remove", "calendar load")) for line in reply.lines)


def test_a_member_is_refused_calendar_add_by_its_declared_role(program: Harness) -> None:
    reply = program.send('calendar add launch 2027-02-15 09:00 "Launch" colour=red', as_="brand1")
    # The role is checked before the line is read: the unknown option is never reached.
    assert (reply.is_error, reply.text) == (True, NOT_ADMIN)
    assert program.ok("calendar", as_="brand1").text == "No upcoming milestones are on the calendar."


# --- moving and removing ----------------------------------------------------------------------


def test_a_moved_milestone_is_announced_and_relisted(program: Harness) -> None:
    program.ok(ORIENTATION)
    program.ok('calendar add launch 2027-02-05 09:00 "Launch"')
    program.delivered()
    reply = program.ok("calendar move 1 2027-02-03 14:30")
    assert reply.text == (
        "Moved #1 Orientation for new members to 2027-02-03 14:30 EST; it was on 2027-02-07 10:00 EST."
    )
    assert [(p.channel, p.text) for p in program.delivered()] == [
        (
            "announcements",
            "Moved: Orientation for new members is now on 2027-02-03 14:30 EST instead of 2027-02-07 10:00 EST",
        )
    ]
    assert [line.split(" · ")[0] for line in program.ok("calendar", as_="brand1").lines] == ["#1", "#2"]


def test_moving_keeps_the_milestones_own_zone_unless_told(program: Harness) -> None:
    program.ok('calendar add meeting 2027-03-02 15:00 "Hangzhou roundtable" tz=Asia/Shanghai')
    assert program.ok("calendar move 1 2027-03-03 09:00").text == (
        "Moved #1 Hangzhou roundtable to 2027-03-03 09:00 CST (2027-03-02 20:00 EST in America/New_York); "
        "it was on 2027-03-02 15:00 CST (2027-03-02 02:00 EST in America/New_York)."
    )
    program.ok("calendar move #1 2027-03-03 09:00 tz=America/New_York")
    assert program.ok("calendar").lines[0].startswith("#1 · meeting · Hangzhou roundtable · 2027-03-03 09:00 EST ·")


def test_moving_across_daylight_saving_is_checked_too(program: Harness) -> None:
    program.ok(ORIENTATION)
    reply = program.send("calendar move 1 2027-03-14 02:15")
    assert reply.is_error and reply.error_field == "time"
    assert reply.text.startswith("2027-03-14 02:15 does not exist in America/New_York")
    moved = program.ok("calendar move 1 2027-11-07 01:15")
    assert moved.lines == [
        "2027-11-07 01:15 happens twice in America/New_York (the clocks go back an hour that night): "
        "this is the first, 01:15 EDT, which is 05:15 UTC."
    ]


def test_bad_moves_are_refused(program: Harness) -> None:
    program.ok(ORIENTATION)
    assert program.refused("calendar move 1 2026-11-01 10:00").endswith(
        "is in the past. It is now 2026-11-18 15:00 EST; choose a later date or time."
    )
    assert program.refused("calendar move 1 2027-02-07 10:00") == (
        "#1 Orientation for new members is already on 2027-02-07 10:00 EST."
    )
    reply = program.send("calendar move 9 2027-02-08 10:00")
    assert reply.text == (
        "There is no milestone #9 on the calendar. `calendar` lists the upcoming ones with their ids, "
        "`calendar past` the earlier ones."
    )
    assert reply.error_field == "id"
    assert program.refused("calendar move orientation 2027-02-08 10:00") == (
        "'orientation' is not a milestone id. Milestone ids are numbers, as `calendar` lists them."
    )
    assert program.refused("calendar move 1") == (
        "Missing new date (YYYY-MM-DD). `help calendar move` shows the usage."
    )
    assert program.refused("calendar move 1 2027-02-08 10:00 later") == (
        "I did not expect 'later' there. `help calendar move` shows the usage."
    )
    assert program.refused("calendar move 1 2027-02-08 10:00 remind=1h") == "Unknown option remind=. Options here: tz=."
    assert program.ok("calendar").lines[0].startswith("#1 · orientation · Orientation for new members · 2027-02-07")


def test_a_removed_milestone_is_announced_and_gone(program: Harness) -> None:
    program.ok(ORIENTATION)
    program.delivered()
    assert program.ok("calendar remove 1").text == (
        "Removed #1 Orientation for new members, which was on 2027-02-07 10:00 EST."
    )
    assert [(p.channel, p.text) for p in program.delivered()] == [
        ("announcements", "Removed from the calendar: Orientation for new members, which was on 2027-02-07 10:00 EST")
    ]
    assert program.ok("calendar", as_="brand1").text == "No upcoming milestones are on the calendar."
    assert program.refused("calendar remove 1").startswith("There is no milestone #1 on the calendar.")
    assert program.refused("calendar remove") == "Missing milestone id. `help calendar remove` shows the usage."


def test_changes_are_in_the_audit_log(program: Harness) -> None:
    program.ok(ORIENTATION)
    program.ok("calendar move 1 2027-02-08 10:00")
    program.ok("calendar remove 1")
    with program.database.transaction() as session:
        entries = session.exec(
            select(AuditEntry).where(col(AuditEntry.entity) == "milestone").order_by(col(AuditEntry.id))
        ).all()
        seen = [(e.actor, e.action, e.from_status, e.to_status, e.note) for e in entries]
    title = "Orientation for new members"
    assert seen == [
        ("console:operator", "created", None, "2027-02-07T15:00Z", title),
        ("console:operator", "moved", "2027-02-07T15:00Z", "2027-02-08T15:00Z", title),
        ("console:operator", "removed", "2027-02-08T15:00Z", None, title),
    ]


# --- loading a file ---------------------------------------------------------------------------


def test_the_2017_seed_round_loads_once(program: Harness) -> None:
    seed = (Attachment(SEED.name, SEED.read_bytes()),)
    first = program.ok("calendar load", attachments=seed)
    assert first.text == "calendar-2017.csv: 5 milestones added."
    assert first.lines[0] == (
        f"#1 · application_deadline · Applications close for the 2017 seed round · 2017-01-15 23:59 EST · "
        f"{DEFAULT_REMINDERS}"
    )
    assert first.lines[-1] == "5 of the milestones added are in the past and will not be announced."
    assert program.delivered() == []
    again = program.ok("calendar load", attachments=seed)
    assert again.text == "calendar-2017.csv: 0 milestones added, 5 rows already on the calendar."
    assert program.ok("calendar", as_="brand1").text == "No upcoming milestones are on the calendar."
    past = program.ok("calendar past", as_="brand1")
    assert past.text == "5 past milestones (times in America/New_York):"
    assert [line.split(" · ")[1:3] for line in past.lines] == [
        ["meeting", "Working-group meeting"],
        ["launch", "MarketSafe launches"],
        ["orientation", "Orientation for the selected rights-holders"],
        ["status_update", "Applicants hear whether they were selected"],
        ["application_deadline", "Applications close for the 2017 seed round"],
    ]
    assert past.lines[2].split(" · ")[3] == "2017-02-07 10:00 EST"


def test_a_loaded_past_milestone_can_be_removed_quietly(program: Harness) -> None:
    program.ok("calendar load", attachments=(Attachment(SEED.name, SEED.read_bytes()),))
    assert program.ok("calendar remove 5").text == (
        "Removed #5 Working-group meeting, which was on 2017-03-08 11:00 EST."
    )
    assert program.delivered() == []
    assert program.ok("calendar past").text == "4 past milestones (times in America/New_York):"


def test_bad_rows_are_reported_and_good_ones_added(program: Harness) -> None:
    attachments = csv_file(
        "party,Kick-off,2027-01-10,10:00,,",
        "meeting,,2027-01-10,10:00,,",
        "meeting,Call,2027-02-30,10:00,,",
        "meeting,Call,2027-01-10,25:00,,",
        "meeting,Call,2027-03-14,02:30,America/New_York,",
        "meeting,Call,2027-01-10,10:00,Mars/Olympus,",
        'meeting,Call,2027-01-10,10:00,,"7d,2w"',
        'orientation,Orientation,2027-02-07,10:00,America/New_York,"1d,1h"',
        "meeting,Fall-back call,2026-11-01,01:30,America/New_York,0",
        "launch,Launch,2027-02-15,09:00,,",
    )
    reply = program.ok("calendar load", attachments=attachments)
    assert reply.text == "calendar.csv: 3 milestones added, 7 rows not loaded."
    assert reply.lines[:7] == [
        "line 2, column kind: 'party' is not a kind of milestone. "
        "Use one of: application_deadline, status_update, orientation, launch, meeting.",
        "line 3, column title: empty",
        "line 4, column date: '2027-02-30' is not a valid date. Write dates as YYYY-MM-DD, e.g. 2027-02-07.",
        "line 5, column time: '25:00' is not a time of day. Write times as HH:MM on a 24-hour clock, e.g. 09:30 or "
        "17:00.",
        "line 6, column time: 2027-03-14 02:30 does not exist in America/New_York: the clocks go forward an hour "
        "that night and skip it. Choose a time outside the skipped hour, e.g. 03:30.",
        "line 7, column timezone: 'Mars/Olympus' is not a time zone I know. Use an IANA zone name such as "
        "America/New_York, Europe/London or Asia/Shanghai.",
        "line 8, column remind: '2w' is not a reminder offset. Write reminders like remind=7d,1d,1h,0: days (d), "
        "hours (h) or minutes (m) before the time, 0 for at the time.",
    ]
    assert reply.lines[7:] == [
        "#1 · orientation · Orientation · 2027-02-07 10:00 EST · reminders 1d, 1h",
        "#2 · meeting · Fall-back call · 2026-11-01 01:30 EDT · reminder at the time",
        f"#3 · launch · Launch · 2027-02-15 09:00 EST · {DEFAULT_REMINDERS}",
        "line 10: 2026-11-01 01:30 happens twice in America/New_York (the clocks go back an hour that night): "
        "this is the first, 01:30 EDT, which is 05:30 UTC.",
        "1 of the milestones added is in the past and will not be announced.",
        "Fix the rows named above and load the file again: rows already loaded are skipped.",
    ]
    posted = program.delivered()
    assert [(p.channel, p.text) for p in posted] == [("announcements", "Added to the calendar: 2 milestones")]
    assert program.ok("calendar", as_="brand1").text == "2 upcoming milestones (times in America/New_York):"


def test_a_single_future_row_is_announced_like_an_added_milestone(program: Harness) -> None:
    reply = program.ok("calendar load", attachments=csv_file("meeting,Working-group call,2027-01-12,11:00,,1h"))
    assert reply.text == "calendar.csv: 1 milestone added."
    assert [p.text for p in program.delivered()] == [
        "Added to the calendar: Working-group call on 2027-01-12 11:00 EST"
    ]


def test_repeated_rows_in_one_file_are_added_once(program: Harness) -> None:
    row = "meeting,Working-group call,2027-01-12,11:00,America/New_York,1h"
    reply = program.ok("calendar load", attachments=csv_file(row, row))
    assert reply.text == "calendar.csv: 1 milestone added, 1 row already on the calendar."


def test_a_file_that_cannot_be_a_calendar_is_refused(program: Harness) -> None:
    assert program.refused("calendar load") == (
        "Attach the calendar as a CSV file with the columns kind, title, date, time, timezone, remind. "
        "On the console: calendar load file=examples/calendar-2017.csv"
    )
    headerless = (Attachment("dates.csv", b"kind,title,date\nmeeting,Call,2027-01-12\n"),)
    assert program.refused("calendar load", attachments=headerless) == (
        "dates.csv has no column named time. Its header must name: kind, title, date, time, timezone (optional), "
        "remind (optional)."
    )
    binary = (Attachment("dates.csv", b"kind,title,date,time\n\xff\xfe"),)
    assert program.refused("calendar load", attachments=binary).startswith("dates.csv is not UTF-8 text")
    assert program.ok("calendar").text == "No upcoming milestones are on the calendar."


def test_a_time_the_clocks_skip_is_refused_in_the_readers_language(program: Harness) -> None:
    program.ok("lang zh")
    reply = program.send('calendar add meeting 2027-03-14 02:30 "Spring call"')
    assert reply.is_error
    assert reply.text == (
        "America/New_York 不存在 2027-03-14 02:30：当晚时钟拨快一小时，跳过了这一时刻。 "
        "请选择被跳过的一小时之外的时间，例如 03:30。"
    )

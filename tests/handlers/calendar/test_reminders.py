"""`remind`: setting, listing and cancelling reminders, where they may go, and the limits.

The harness clock starts on Wednesday 2026-11-18 at 15:00 in New York (20:00 UTC).
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import col, select

from storage.models import AuditEntry, Reminder
from support.harness import Harness

EXAMPLE = "e.g. remind me tomorrow 09:00 to check MS-000123"


def stored(bot: Harness) -> list[Reminder]:
    """The reminders as the scheduler will read them."""
    with bot.database.transaction() as session:
        return list(session.exec(select(Reminder).order_by(col(Reminder.id))).all())


# --- setting a reminder -----------------------------------------------------------------------


def test_a_member_reminds_themselves_once(program: Harness) -> None:
    reply = program.ok("remind me in 3 days to check MS-000123", as_="brand1")
    assert reply.text == "Reminder #1 set: on Sat 2026-11-21 15:00 EST in a direct message: check MS-000123"
    [reminder] = stored(program)
    assert reminder.target == "dm:console:brand1"
    assert reminder.text == "check MS-000123"
    assert reminder.first_at == datetime(2026, 11, 21, 20, 0, tzinfo=UTC)
    assert reminder.recurrence is None
    assert reminder.timezone == "America/New_York"
    assert reminder.active


def test_a_weekly_reminder(program: Harness) -> None:
    reply = program.ok("remind me every monday 09:00 weekly triage", as_="brand1")
    assert reply.text == (
        "Reminder #1 set: every Monday at 09:00 (next Mon 2026-11-23 09:00 EST) in a direct message: weekly triage"
    )
    [reminder] = stored(program)
    assert (reminder.recurrence, reminder.first_at) == ("weekly:0:09:00", datetime(2026, 11, 23, 14, 0, tzinfo=UTC))


def test_a_daily_reminder_said_before_its_time_starts_today(program: Harness) -> None:
    reply = program.ok("remind me every day at 17:30 log the day's takedowns", as_="team1")
    assert reply.text == (
        "Reminder #1 set: every day at 17:30 (next Wed 2026-11-18 17:30 EST) in a direct message: "
        "log the day's takedowns"
    )
    assert stored(program)[0].recurrence == "daily:17:30"


def test_the_text_may_be_quoted_and_a_leading_to_is_dropped(program: Harness) -> None:
    program.ok('remind me tomorrow "to do: call ACME about the Tmall appeal"', as_="brand1")
    program.ok('remind me tomorrow 10:00 to "send the figures"', as_="brand1")
    program.ok("remind me tomorrow To   renew   the  trademark", as_="brand1")
    assert [reminder.text for reminder in stored(program)] == [
        "to do: call ACME about the Tmall appeal",
        "send the figures",
        "renew the trademark",
    ]


def test_the_words_are_read_in_any_letter_case(program: Harness) -> None:
    reply = program.ok("Remind ME Tomorrow 08:00 Check The Queue", as_="brand1")
    assert reply.text == "Reminder #1 set: on Thu 2026-11-19 08:00 EST in a direct message: Check The Queue"


def test_a_time_zone_may_be_given(program: Harness) -> None:
    reply = program.ok("remind me on 2026-12-01 10:00 call the London office tz=Europe/London", as_="brand1")
    assert reply.text == ("Reminder #1 set: on Tue 2026-12-01 10:00 GMT in a direct message: call the London office")
    reply = program.ok("remind me every friday 09:00 tz=asia/shanghai check Taobao", as_="brand1")
    assert reply.text == (
        "Reminder #2 set: every Friday at 09:00 (next Fri 2026-11-20 09:00 CST) in a direct message: check Taobao"
    )
    first, second = stored(program)
    assert (first.timezone, first.first_at) == ("Europe/London", datetime(2026, 12, 1, 10, 0, tzinfo=UTC))
    assert (second.timezone, second.first_at) == ("Asia/Shanghai", datetime(2026, 11, 20, 1, 0, tzinfo=UTC))


def test_an_unknown_time_zone_is_refused(program: Harness) -> None:
    for zone in ("Mars/Base", "EST+5", "../etc/passwd", "/etc/localtime", "America"):
        assert program.refused(f"remind me tomorrow call tz={zone}", as_="brand1") == (
            f"'{zone}' is not a time zone. Write it as Area/City, e.g. tz=Europe/London or tz=Asia/Shanghai."
        )
    assert stored(program) == []


def test_the_program_time_zone_is_the_default(program: Harness) -> None:
    program.ok("remind me on 2027-07-01 09:00 mid-year review", as_="brand1")
    assert program.ok("remind list", as_="brand1").lines == [
        "#1 on Thu 2027-07-01 09:00 EDT in a direct message: mid-year review"
    ]


# --- where reminders go and who may send them there -------------------------------------------


def test_a_member_may_remind_their_organisation(program: Harness) -> None:
    reply = program.ok("remind org tomorrow 10:00 send the monthly report", as_="brand1")
    assert (
        reply.text
        == "Reminder #1 set: on Thu 2026-11-19 10:00 EST in the acme organisation channel: send the monthly report"
    )
    reply = program.ok("remind org:acme in 2 hours review the new listings", as_="brand1")
    assert reply.text.endswith("in the acme organisation channel: review the new listings")
    program.ok("remind org every day renew", as_="brand2")
    assert [reminder.target for reminder in stored(program)] == ["org:acme", "org:acme", "org:globex"]


def test_members_may_not_post_to_team_channels_or_other_organisations(program: Harness) -> None:
    for who in ("brand1", "brand2"):
        for channel in ("team", "announcements", "outcomes", "working-group"):
            assert program.refused(f"remind {channel} tomorrow hello", as_=who) == (
                f"Only the IACC/Alibaba team can set reminders in the {channel} channel. "
                "Use `me` for a direct message or `org` for your organisation's channel."
            )
    assert program.refused("remind org:globex tomorrow hello", as_="brand1") == (
        "Only the IACC/Alibaba team can set reminders in another organisation's channel. "
        "Use `org` for your own organisation's channel."
    )
    assert stored(program) == []


def test_the_team_may_post_to_any_logical_channel(program: Harness) -> None:
    assert program.ok("remind team every monday 09:00 weekly triage", as_="team1").text == (
        "Reminder #1 set: every Monday at 09:00 (next Mon 2026-11-23 09:00 EST) in the team channel: weekly triage"
    )
    assert program.ok("remind announcements on 2026-12-01 submissions close today").text == (
        "Reminder #2 set: on Tue 2026-12-01 09:00 EST in the announcements channel: submissions close today"
    )
    assert program.ok("remind org:globex tomorrow send your figures", as_="team1").text.endswith(
        "in the globex organisation channel: send your figures"
    )
    program.ok("remind Rogueblock in 1 week review referrals", as_="team1")
    assert [reminder.target for reminder in stored(program)] == ["team", "announcements", "org:globex", "rogueblock"]
    assert all(reminder.member_id for reminder in stored(program))


def test_org_needs_an_organisation(program: Harness) -> None:
    assert program.refused("remind org tomorrow hello", as_="team1") == (
        "You are not in an organisation, so `org` names no channel. "
        "Name the organisation, e.g. remind org:acme tomorrow 09:00 to send the monthly figures."
    )
    assert program.refused("remind org:initech tomorrow hello", as_="team1") == (
        "There is no organisation 'initech'. `admin org list` shows them."
    )


def test_an_unknown_place_is_refused(program: Harness) -> None:
    for place in ("tomorrow", "everyone", "dm:console:brand2", "@brand2"):
        assert program.refused(f"remind {place} tomorrow hello", as_="brand1") == (
            f"'{place}' is not a place for a reminder. "
            f"Start with whom to remind: me, org, team or announcements, {EXAMPLE}."
        )


def test_people_outside_the_program_cannot_set_reminders(program: Harness) -> None:
    assert program.refused("remind me tomorrow hello", as_="stranger") == (
        "You need to be in the program to use `remind`. Ask a program admin to add you to your organisation."
    )


# --- mistakes ---------------------------------------------------------------------------------


def test_missing_parts_are_named(program: Harness) -> None:
    assert program.refused("remind", as_="brand1") == (
        f"Missing whom to remind. Write remind <me|org|team|announcements> <when> <text>, {EXAMPLE}."
    )
    assert program.refused("remind me", as_="brand1") == (
        f"Missing when the reminder is due. Write it before the text, {EXAMPLE}."
    )
    for text in ("remind me tomorrow", "remind me tomorrow 10:00", 'remind me in 2 days ""', "remind me every day to"):
        assert program.refused(text, as_="brand1") == (
            f"Missing what the reminder should say. Write it after the time, {EXAMPLE}."
        )


def test_a_badly_written_time_says_how_to_write_it(program: Harness) -> None:
    reply = program.send("remind me next week call ACME", as_="brand1")
    assert reply.is_error and reply.error_field == "when"
    assert reply.text == (
        "'next' is not a time for a reminder. Write one of: in 3 days, tomorrow 09:00, on 2026-12-01 14:30, "
        "every monday 09:00 or every day 08:30."
    )
    assert program.refused("remind me to call ACME tomorrow", as_="brand1") == (
        f"'to' is not a time for a reminder. Put the time before the text, {EXAMPLE}."
    )
    assert program.refused("remind me tomorrow 9am call", as_="brand1") == (
        "'9am' is not a time. Write times as HH:MM on a 24-hour clock, e.g. 09:00 or 17:30."
    )
    assert program.refused("remind me on 18/11/2026 call", as_="brand1") == (
        "'18/11/2026' is not a date. Write dates as YYYY-MM-DD, e.g. on 2026-12-01 14:30."
    )
    assert stored(program) == []


def test_a_time_in_the_past_or_skipped_by_the_clocks_is_refused(program: Harness) -> None:
    assert program.refused("remind me on 2026-11-18 09:00 call", as_="brand1") == (
        "2026-11-18 09:00 is in the past (it is now 2026-11-18 15:00 EST). "
        "Pick a later date or time, e.g. tomorrow 09:00 or in 2 hours."
    )
    assert program.refused("remind me on 2027-03-14 02:30 call", as_="brand1") == (
        "2027-03-14 02:30 does not exist in America/New_York: the clocks go forward that night. "
        "Pick another time, e.g. 03:30."
    )
    assert stored(program) == []


def test_the_text_has_a_limit(program: Harness) -> None:
    program.ok(f'remind me tomorrow "{"x" * 1000}"', as_="brand1")
    reply = program.send(f'remind me tomorrow "{"x" * 1001}"', as_="brand1")
    assert reply.is_error and reply.error_field == "text"
    assert reply.text == (
        "The reminder text is 1,001 characters; the limit is 1000. "
        "Shorten it, or put the details in a case and name the case, e.g. check MS-000123."
    )
    assert len(stored(program)) == 1


def test_text_with_an_equals_sign_must_be_quoted(program: Harness) -> None:
    assert program.refused("remind me tomorrow check id=42 again", as_="brand1") == (
        "Unknown option id=. The only option is tz=Area/City; "
        'put text with = in quotes, e.g. remind me tomorrow "check id=42".'
    )
    assert program.ok('remind me tomorrow "check id=42 again"', as_="brand1").text.endswith(": check id=42 again")


# --- the limit on active reminders ------------------------------------------------------------


def test_a_member_may_have_fifty_active_reminders(program: Harness) -> None:
    for number in range(1, 51):
        program.ok(f"remind me in {number} days renew listing {number}", as_="brand1")
    assert program.refused("remind me tomorrow one more", as_="brand1") == (
        "You already have 50 active reminders, the most one person may have. "
        "`remind list` shows them; `remind cancel <id>` stops one you no longer need."
    )
    # Others are not held back by one member's reminders.
    assert program.ok("remind me tomorrow mine", as_="brand2").text.startswith("Reminder #51 set:")
    program.ok("remind cancel 7", as_="brand1")
    assert program.ok("remind me tomorrow one more", as_="brand1").text.startswith("Reminder #52 set:")
    assert program.ok("remind list", as_="brand1").text == "You have 50 active reminders:"


# --- listing ----------------------------------------------------------------------------------


def test_list_shows_your_active_reminders_soonest_first(program: Harness) -> None:
    assert program.ok("remind list", as_="brand1").text == "You have no active reminders."
    program.ok("remind me every monday 09:00 weekly triage", as_="brand1")
    program.ok("remind org tomorrow 10:00 send the report", as_="brand1")
    program.ok("remind me on 2026-12-24 12:00 holiday notice tz=Europe/Berlin", as_="brand1")
    program.ok("remind me tomorrow someone else's", as_="brand2")
    reply = program.ok("remind list", as_="brand1")
    assert reply.text == "You have 3 active reminders:"
    assert reply.lines == [
        "#2 on Thu 2026-11-19 10:00 EST in the acme organisation channel: send the report",
        "#1 every Monday at 09:00 (next Mon 2026-11-23 09:00 EST) in a direct message: weekly triage",
        "#3 on Thu 2026-12-24 12:00 CET in a direct message: holiday notice",
    ]


def test_list_shows_the_next_firing_of_a_repeating_reminder(program: Harness) -> None:
    program.ok("remind me every day 09:00 check the queue", as_="brand1")
    program.clock.advance(days=5)  # Monday 2026-11-23, 15:00 in New York
    assert program.ok("remind list", as_="brand1").lines == [
        "#1 every day at 09:00 (next Tue 2026-11-24 09:00 EST) in a direct message: check the queue"
    ]


def test_list_shortens_long_texts(program: Harness) -> None:
    program.ok(f'remind me tomorrow "{"a" * 300}"', as_="brand1")
    [line] = program.ok("remind list", as_="brand1").lines
    assert line == "#1 on Thu 2026-11-19 09:00 EST in a direct message: " + "a" * 199 + "…"


def test_admins_may_list_everyone_s_reminders(program: Harness) -> None:
    program.ok("remind me tomorrow mine", as_="brand1")
    program.ok("remind team every day 08:00 stand-up", as_="team1")
    reply = program.ok("remind list all")
    assert reply.text == "There are 2 active reminders:"
    assert reply.lines == [
        "#2 every day at 08:00 (next Thu 2026-11-19 08:00 EST) in the team channel (set by console:team1): stand-up",
        "#1 on Thu 2026-11-19 09:00 EST in a direct message (set by console:brand1): mine",
    ]
    for who in ("brand1", "team1"):
        assert program.refused("remind list all", as_=who) == "Only program admins can list everyone's reminders."
    assert program.refused("remind list mine", as_="brand1") == (
        "'mine' is not a choice here. Use `remind list`, or `remind list all` (admins)."
    )


# --- cancelling -------------------------------------------------------------------------------


def test_a_member_cancels_their_reminder(program: Harness) -> None:
    program.ok("remind me every monday weekly triage", as_="brand1")
    program.ok("remind me tomorrow call ACME", as_="brand1")
    assert program.ok("remind cancel 1", as_="brand1").text == "Cancelled reminder #1: weekly triage"
    assert program.ok("remind cancel #2", as_="brand1").text == "Cancelled reminder #2: call ACME"
    assert program.ok("remind list", as_="brand1").text == "You have no active reminders."
    assert [reminder.active for reminder in stored(program)] == [False, False]
    with program.database.transaction() as session:
        trail = session.exec(
            select(AuditEntry).where(AuditEntry.entity == "reminder").order_by(col(AuditEntry.id))
        ).all()
    assert [(entry.actor, entry.entity_id, entry.action) for entry in trail] == [
        ("console:brand1", 1, "created"),
        ("console:brand1", 2, "created"),
        ("console:brand1", 1, "cancelled"),
        ("console:brand1", 2, "cancelled"),
    ]


def test_someone_else_s_reminder_reads_like_a_missing_one(program: Harness) -> None:
    program.ok("remind me tomorrow private note", as_="brand1")
    program.ok("remind team tomorrow triage", as_="team1")
    program.ok("remind cancel 2", as_="team1")
    for who, number in (("brand2", 1), ("team1", 1), ("brand1", 2), ("brand1", 99)):
        assert program.refused(f"remind cancel {number}", as_=who) == (
            f"There is no active reminder #{number} for you to cancel. `remind list` shows yours."
        )
    assert program.refused("remind cancel 99999999999999999999", as_="brand1") == (
        "There is no active reminder #99999999999999999999 for you to cancel. `remind list` shows yours."
    )
    assert program.ok("remind list", as_="brand1").lines[0].endswith(": private note")


def test_an_admin_may_cancel_anyone_s_reminder(program: Harness) -> None:
    program.ok("remind org every day 08:00 noisy", as_="brand1")
    assert program.ok("remind cancel 1").text == "Cancelled reminder #1 (set by console:brand1): noisy"
    assert program.ok("remind list", as_="brand1").text == "You have no active reminders."
    assert program.refused("remind cancel 1") == (
        "There is no active reminder #1 for you to cancel. `remind list` shows yours."
    )


def test_cancel_needs_one_id(program: Harness) -> None:
    assert program.refused("remind cancel", as_="brand1") == (
        "Missing the id of the reminder to cancel. `remind list` shows them, e.g. remind cancel 4."
    )
    for written in ("abc", "MS-000001", "-1", "1.5"):
        assert program.refused(f"remind cancel {written}", as_="brand1") == (
            f"'{written}' is not a reminder id. Ids are numbers; `remind list` shows them, e.g. remind cancel 4."
        )
    assert program.refused("remind cancel 1 2", as_="brand1") == "Cancel one reminder at a time. e.g. remind cancel 4."


# --- help -------------------------------------------------------------------------------------


def test_help_shows_how_to_remind(program: Harness) -> None:
    reply = program.ok("help remind", as_="brand1")
    assert reply.text == "remind: reminders for yourself, your organisation's channel or a team channel"
    assert [line.split(":")[0] for line in reply.lines[:-1]] == ["remind set", "remind list", "remind cancel"]
    reply = program.ok("help remind set", as_="brand1")
    assert reply.lines[0] == "remind set <me | org | team | announcements> <when> [to] <text> [tz=Area/City]"
    assert reply.lines[-1] == "Example: remind me every monday 09:00 to triage new cases"
    assert program.ok("help remind cancel", as_="brand1").lines == ["remind cancel <id>", "Example: remind cancel 4"]
    assert program.ok("remind me every monday 09:00 to triage new cases", as_="brand1").text.endswith(
        "in a direct message: triage new cases"
    )


def test_remind_set_is_the_same_as_remind_alone(program: Harness) -> None:
    first = program.ok("remind set me tomorrow call ACME", as_="brand1")
    second = program.ok("remind me tomorrow call ACME", as_="brand1")
    assert first.text == "Reminder #1 set: on Thu 2026-11-19 09:00 EST in a direct message: call ACME"
    assert second.text == first.text.replace("#1", "#2")

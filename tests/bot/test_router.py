"""The router: what anyone typing a command sees, whatever goes wrong behind it."""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

import pytest
from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Session, col, select

from bot.router import Incoming, Router
from handlers.kit.arguments import Args
from handlers.kit.context import Caller, Context, ProgramRules
from handlers.kit.registry import COMMANDS, GROUPS
from handlers.kit.replies import Reply
from storage.database import Database, WroteWhileReading
from storage.models import HandledRequest, Member, Organisation
from support.clock import FakeClock
from support.harness import Harness

REFERENCE = re.compile(r"reference ([0-9a-f]{8})")
TAOBAO = "https://item.taobao.com/item.htm?id={}"


def reference_in(text: str) -> str:
    match = REFERENCE.search(text)
    assert match is not None, f"no reference in {text!r}"
    return match.group(1)


def replace_handler(monkeypatch: pytest.MonkeyPatch, word: str, make: object) -> None:
    """Swap the function behind a registered command word for this test only."""
    spec = COMMANDS[word]
    handler = make(spec.handler)  # type: ignore[operator]
    monkeypatch.setitem(COMMANDS, word, dataclasses.replace(spec, handler=handler))


def test_the_marketsafe_prefix_is_optional(program: Harness) -> None:
    with_prefix = program.ok("/marketsafe admin org list")
    without = program.ok("admin org list")
    shouted = program.ok("  /MarketSafe   admin org list  ")
    assert with_prefix.render_plain() == without.render_plain() == shouted.render_plain()
    assert "acme: ACME Corp" in without.render_plain()


def test_an_empty_command_shows_help(program: Harness) -> None:
    for text in ("", "   ", "/marketsafe", "/marketsafe   "):
        reply = program.ok(text, as_="brand1")
        assert reply.text.startswith("MarketSafe commands")
        assert any(line.startswith("complaint: ") for line in reply.lines)


def test_command_words_are_case_insensitive(program: Harness) -> None:
    assert "acme: ACME Corp" in program.ok("ADMIN org list").render_plain()


def test_an_unknown_word_gets_a_suggestion(program: Harness) -> None:
    message = program.refused("complain https://item.taobao.com/item.htm?id=1", as_="brand1")
    assert "There is no command 'complain'" in message
    assert "Did you mean `complaint`?" in message
    assert "`help` lists the commands" in message


def test_a_word_far_from_any_command_gets_no_guess(program: Harness) -> None:
    message = program.refused("zzzzqqq", as_="brand1")
    assert "There is no command 'zzzzqqq'" in message and "Did you mean" not in message


def test_a_contract_word_not_built_in_this_deployment_says_so(
    program: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    for word in [word for word in COMMANDS if word.split()[0] == "practices"]:
        monkeypatch.delitem(COMMANDS, word)
    monkeypatch.delitem(GROUPS, "practices")
    message = program.refused("practices list", as_="brand1")
    assert "`practices` is not available in this version of the bot yet" in message


def test_an_unexpected_error_gives_a_reference_that_is_also_in_the_log(
    program: Harness, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def make(_original: object) -> object:
        def broken(ctx: Context, args: Args, session: Session) -> Reply:
            raise RuntimeError("the handler fell over")

        return broken

    replace_handler(monkeypatch, "stats show", make)
    with caplog.at_level(logging.ERROR, logger="bot.router"):
        reply = program.send("stats", as_="brand1")
    assert reply.is_error
    assert "Something went wrong on our side" in reply.text
    assert "the handler fell over" not in reply.text, "internal details must not reach the user"
    reference = reference_in(reply.text)
    logged = [record for record in caplog.records if reference in record.getMessage()]
    assert len(logged) == 1
    assert logged[0].levelno == logging.ERROR
    assert "console:brand1" in logged[0].getMessage() and "stats" in logged[0].getMessage()
    assert logged[0].exc_info is not None and "the handler fell over" in str(logged[0].exc_info[1])


def test_a_command_that_a_concurrent_one_beat_to_a_unique_row_is_answered_from_what_that_one_wrote(
    program: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its insert met the row the other command committed meanwhile: asked again, it sees that row."""
    attempts: list[str] = []
    make = beaten_once(attempts)
    program.ok('admin org add initech "Initech"')
    replace_handler(monkeypatch, "admin org add", make)
    assert program.refused('admin org add initech "Initech"') == "There is already an organisation 'initech'."
    assert len(attempts) == 2


def test_a_uniqueness_conflict_that_comes_back_on_the_second_run_is_logged_once_as_a_failure_not_a_race(
    program: Harness, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    attempts: list[str] = []

    def make(_original: object) -> object:
        def always_conflicts(ctx: Context, args: Args, session: Session) -> Reply:
            attempts.append(ctx.caller.ref)
            raise IntegrityError(
                "INSERT INTO ip_right ...", {}, Exception(f"UNIQUE constraint failed: #{len(attempts)}")
            )

        return always_conflicts

    replace_handler(monkeypatch, "admin org add", make)
    with caplog.at_level(logging.DEBUG, logger="bot.router"):
        reply = program.send('admin org add initech "Initech"')
    assert len(attempts) == 2, "a real race is still given a second run"
    assert reply.is_error and reply.text.startswith("Something went wrong on our side")
    (logged,) = caplog.records
    assert logged.levelno == logging.ERROR and "concurrent" not in logged.getMessage()
    assert "uniqueness conflict again on the second run" in logged.getMessage()
    assert reference_in(reply.text) in logged.getMessage()
    assert logged.exc_info is not None
    conflict = logged.exc_info[1]
    assert isinstance(conflict, IntegrityError) and str(conflict.orig) == "UNIQUE constraint failed: #2"
    assert conflict.__context__ is None, "the first conflict's traceback is not printed with it"


def test_a_race_lost_once_is_logged_once_as_a_race(
    program: Harness, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    attempts: list[str] = []
    make = beaten_once(attempts)
    replace_handler(monkeypatch, "admin org add", make)
    with caplog.at_level(logging.DEBUG, logger="bot.router"):
        assert program.ok('admin org add initech "Initech"').text.startswith("Created organisation initech")
    (logged,) = caplog.records
    assert logged.levelno == logging.INFO and logged.exc_info is None
    assert (
        "duplicate key value: slug" in logged.getMessage() and "a concurrent command wrote first" in logged.getMessage()
    )


def test_an_unexpected_error_is_answered_in_the_language_the_caller_chose(
    program: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    def make(_original: object) -> object:
        def broken(ctx: Context, args: Args, session: Session) -> Reply:
            raise RuntimeError("the handler fell over")

        return broken

    program.ok("lang zh", as_="brand1")
    replace_handler(monkeypatch, "stats show", make)
    reply = program.send("stats", as_="brand1")
    assert reply.is_error and reply.language == "zh"
    assert reply.text == (
        f"系统出错（参考编号 {reference_in_zh(reply.text)}），未做任何更改。请重试，或将此参考编号提供给团队。"
    )


def reference_in_zh(text: str) -> str:
    match = re.search(r"参考编号 ([0-9a-f]{8})", text)
    assert match is not None, f"no reference in {text!r}"
    return match.group(1)


def test_an_unexpected_error_commits_nothing_and_the_next_command_works(
    bot: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    def make(original: object) -> object:
        def writes_then_fails(ctx: Context, args: Args, session: Session) -> Reply:
            original(ctx, args, session)  # type: ignore[operator]
            session.flush()
            raise RuntimeError("after the write")

        return writes_then_fails

    with monkeypatch.context() as patch:
        replace_handler(patch, "admin org add", make)
        reply = bot.send('admin org add acme "ACME Corp"')
        assert reply.is_error and "Nothing was changed" in reply.text
    assert bot.ok("admin org list").text == "No organisations yet."
    assert bot.ok('admin org add acme "ACME Corp"').text.startswith("Created organisation acme")
    assert "acme: ACME Corp" in bot.ok("admin org list").render_plain()


def test_notices_of_a_failed_command_are_never_posted(program: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    def make(original: object) -> object:
        def files_then_fails(ctx: Context, args: Args, session: Session) -> Reply:
            reply: Reply = original(ctx, args, session)  # type: ignore[operator]
            assert reply.notices
            raise RuntimeError("after filing")

        return files_then_fails

    with monkeypatch.context() as patch:
        replace_handler(patch, "complaint", make)
        assert program.send(f"complaint {TAOBAO.format(1)}", as_="brand1").is_error
    assert program.delivered() == []
    assert program.ok("cases", as_="brand1").text == "No cases match."
    reply = program.ok(f"complaint {TAOBAO.format(1)}", as_="brand1")
    assert reply.text.startswith("Registered 1 item"), "the link was not left behind in a half-filed case"
    assert {p.channel for p in program.delivered()} == {"team", "org:acme"}


def test_a_database_error_in_the_middle_of_a_command_says_so_and_changes_nothing(
    bot: Harness, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def make(original: object) -> object:
        def connection_lost(ctx: Context, args: Args, session: Session) -> Reply:
            original(ctx, args, session)  # type: ignore[operator]
            session.flush()
            raise OperationalError("INSERT ...", {}, Exception("server closed the connection unexpectedly"))

        return connection_lost

    with monkeypatch.context() as patch:
        replace_handler(patch, "admin org add", make)
        with caplog.at_level(logging.ERROR, logger="bot.router"):
            reply = bot.send('admin org add acme "ACME Corp"')
    assert reply.is_error
    assert "cannot reach its database" in reply.text and "Nothing was changed" in reply.text
    reference = reference_in(reply.text)
    assert any(reference in record.getMessage() for record in caplog.records)
    assert bot.ok("admin org list").text == "No organisations yet."


@pytest.mark.parametrize("outage", ["sqlite file in a removed directory", "postgresql server not listening"])
def test_a_database_that_cannot_be_reached_gives_a_clear_reply_with_a_reference(
    outage: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    if outage.startswith("sqlite"):
        gone = tmp_path / "gone"
        gone.mkdir()
        gone.rmdir()
        url = f"sqlite:///{gone}/bot.db"
    else:
        url = "postgresql+psycopg://marketsafe@127.0.0.1:1/marketsafe?connect_timeout=5"
    database = Database(url)
    router = Router(database, ProgramRules(), frozenset({"console:operator"}), clock=FakeClock())
    try:
        with caplog.at_level(logging.ERROR, logger="bot.router"):
            for text in ("help", "admin org list", "cases"):
                reply = router.handle(Incoming(Caller("console", "operator"), text))
                assert reply.is_error, text
                assert "cannot reach its database right now" in reply.text
                assert "try again in a minute" in reply.text
                reference = reference_in(reply.text)
                assert any(reference in record.getMessage() for record in caplog.records)
    finally:
        database.dispose()


def test_settings_admins_are_admins_whatever_the_database_says(
    program: Harness, database: Database, clock: FakeClock
) -> None:
    boss = Router(database, ProgramRules(), frozenset({"console:boss"}), clock=clock)

    def as_boss(text: str) -> Reply:
        return boss.handle(Incoming(Caller("console", "boss"), text))

    program.ok("admin member add console:boss acme member")
    reply = as_boss('admin org add initech "Initech"')
    assert not reply.is_error, reply.text
    assert reply.text.startswith("Created organisation initech")

    program.ok("admin member remove console:boss")
    assert not as_boss("admin org list").is_error

    # Without the setting, the same person is an ordinary member again.
    program.ok("admin member add console:boss acme member")
    refused = program.send("admin org list", as_="boss")
    assert refused.is_error and "Only program admins" in refused.text
    assert not as_boss("admin org list").is_error


def test_people_outside_the_program_get_help_but_nothing_else(program: Harness) -> None:
    reply = program.ok("help", as_="stranger")
    assert reply.text.startswith("MarketSafe commands")
    assert "You are not in the program yet" in reply.render_plain()
    assert program.ok("help complaint", as_="stranger").text.startswith("complaint: ")
    for command in ("cases", "stats", f"complaint {TAOBAO.format(1)}", "case MS-000001"):
        message = program.refused(command, as_="stranger")
        word = command.split()[0]
        assert f"You need to be in the program to use `{word}`" in message
        assert "Ask a program admin to add you" in message
    assert program.refused("admin org list", as_="stranger") == "Only program admins can manage the program."


def test_members_are_not_told_they_are_outside_the_program(program: Harness) -> None:
    assert "not in the program" not in program.ok("help", as_="brand1").render_plain()


def test_an_admin_by_the_settings_is_admin_only_while_listed_and_keeps_their_membership(
    database: Database, clock: FakeClock
) -> None:
    program = Harness(database, clock)
    program.set_up_program()
    listed = Router(database, ProgramRules(), frozenset({"console:brand1", "console:newcomer"}), clock=clock)

    def ask(text: str, who: str) -> Reply:
        return listed.handle(Incoming(Caller("console", who), text))

    assert not ask("admin org list", "brand1").is_error, "while listed, an admin"
    assert not ask("admin org list", "newcomer").is_error, "while listed, an admin even with no membership"
    # No longer listed: the brand is the member of acme it was, the newcomer has no role at all.
    assert program.refused("admin org list", as_="brand1").startswith("Only program admins")
    assert program.ok("cases", as_="brand1").text == "No cases match."
    assert program.refused("admin org list", as_="newcomer").startswith("Only program admins")
    assert program.refused("cases", as_="newcomer").startswith("You need to be in the program")


@pytest.mark.parametrize(
    "line",
    ["cases month=0000-01", "cases month=9999-12", 'calendar add orientation 9999-12-31 10:00 "X"'],
)  # fmt: skip
def test_years_the_program_cannot_keep_are_refused_not_failed(program: Harness, line: str) -> None:
    refusal = program.refused(line)
    assert "is outside the years the program keeps" in refusal and "2000 to 2100" in refusal


def test_a_nul_character_is_refused_before_anything_runs(program: Harness) -> None:
    refusal = program.refused("admin org add nul A\x00B")
    assert refusal.startswith("That message contains a NUL character")
    assert program.refused("admin org show nul").startswith("There is no organisation")


@pytest.mark.parametrize("line", ["cases\x00", "\x00cases", "cas\x00es page=1", "nothing\x00 at all"])
def test_a_nul_character_in_the_command_word_gets_the_same_refusal(program: Harness, line: str) -> None:
    assert program.refused(line, as_="brand1") == (
        "That message contains a NUL character (\\0), which cannot be stored. Remove it and send it again."
    )
    program.ok("lang zh", as_="brand1")
    assert program.refused(line, as_="brand1") == "该消息包含无法保存的 NUL 字符（\\0）。请删除后重新发送。"


# --- commands that only read -------------------------------------------------------------------


def handled_keys(database: Database) -> set[str]:
    with database.transaction() as session:
        return {str(key) for (key,) in session.connection().execute(select(HandledRequest.__table__.c["key"]))}  # type: ignore[attr-defined]


def test_a_command_that_only_reads_keeps_no_record_of_its_request_and_a_retry_reads_again(
    program: Harness, database: Database
) -> None:
    router = Router(database, ProgramRules(), frozenset())
    caller = Caller("console", "brand1")
    program.ok(f"complaint {TAOBAO.format(76)}", as_="brand1")
    first = router.handle(Incoming(caller, "cases", request_key="slack:command:read-1"))
    assert first.text.startswith("1 case (page 1 of 1)"), first.text
    program.ok(f"complaint {TAOBAO.format(77)}", as_="brand1")
    again = router.handle(Incoming(caller, "cases", request_key="slack:command:read-1"))
    assert again.text.startswith("2 cases (page 1 of 1)"), again.text  # read anew, not the first answer
    router.handle(Incoming(caller, "lang en", request_key="slack:command:write-1"))
    assert handled_keys(database) >= {"slack:command:write-1"}
    assert "slack:command:read-1" not in handled_keys(database)


def test_a_command_marked_as_reading_only_that_writes_fails_and_keeps_nothing(
    program: Harness, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    def make(_original: object) -> object:
        def writes(ctx: Context, args: Args, session: Session) -> Reply:
            session.add(Organisation(slug="sneaky", name="Sneaky"))
            session.flush()
            return Reply("done")

        return writes

    replace_handler(monkeypatch, "cases", make)
    reply = program.send("cases", as_="brand1")
    assert reply.is_error and "Something went wrong on our side" in reply.text
    with database.transaction() as session:
        assert session.exec(select(Organisation).where(Organisation.slug == "sneaky")).first() is None


def test_a_settings_admin_seen_first_in_a_command_that_only_reads_is_written_down_and_answered(
    program: Harness, database: Database, clock: FakeClock
) -> None:
    boss = Router(database, ProgramRules(), frozenset({"console:newboss"}), clock=clock)
    reply = boss.handle(Incoming(Caller("console", "newboss"), "cases"))
    assert not reply.is_error, reply.text
    with database.transaction() as session:
        member = session.exec(select(Member).where(Member.user_id == "newboss")).one()
        assert member.active is False  # on record for the audit log, with no role of its own


def test_reading_refuses_what_would_be_written_and_undoes_it(database: Database) -> None:
    with pytest.raises(WroteWhileReading), database.reading() as session:
        session.add(Organisation(slug="unseen", name="Unseen"))
    with pytest.raises(WroteWhileReading), database.reading() as session:
        session.add(Organisation(slug="flushed", name="Flushed"))
        session.flush()  # the row is in the database's transaction: ending the reading undoes it
    if not database.is_postgresql:  # SQLite counts every row written, by any means
        with pytest.raises(WroteWhileReading), database.reading() as session:
            session.connection().execute(insert(Organisation.__table__).values(slug="core", name="Core"))  # type: ignore[attr-defined]
    with database.transaction() as session:
        left = session.exec(select(Organisation).where(col(Organisation.slug).in_(["unseen", "flushed", "core"]))).all()
        assert left == []


def beaten_once(attempts: list[str]) -> Callable[[Any], object]:
    """A maker of a handler whose first run meets the row a concurrent command committed meanwhile
    (each run is counted in `attempts`)."""

    def make(original: Any) -> object:
        def handler(ctx: Context, args: Args, session: Session) -> Reply:
            attempts.append(ctx.caller.ref)
            if len(attempts) == 1:
                raise IntegrityError("INSERT INTO organisation ...", {}, Exception("duplicate key value: slug"))
            return cast(Reply, original(ctx, args, session))

        return handler

    return make

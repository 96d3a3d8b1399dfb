"""The installed `marketsafe` console, driven by a piped script the way an operator scripts it."""

from __future__ import annotations

import io
import json
import logging
import os
import pty
import re
import select
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.console import OPERATOR, Console, Screen, completions
from bot.router import Router
from handlers.catalogue import COMMANDS, CommandSpec
from handlers.kit.context import ProgramRules
from handlers.kit.outbox import save_notices
from handlers.kit.replies import Notice, Reply
from storage.database import Database
from storage.models import utcnow
from support.fake_discord import FakeDiscord
from support.unreliable_database import UnreliableDatabase

MARKETSAFE = Path(sys.executable).with_name("marketsafe")
SLACK_TOKEN = "xoxb-2718281828-3141592653-Zq8vLmN4pR7sT1uW5yX9aB2c"
SLACK_SECRET = "9c1f0e7d3b5a48e2a6d4c8b0f2e1d3c5"
COMPLAINT = " ".join(
    [
        "请下架 https://item.taobao.com/item.htm?id=123&spm=a1z10.1 and",  # desktop Taobao, tracking parameter
        "https://h5.m.taobao.com/awp/core/detail.htm?id=123",  # the same listing, mobile link
        "https://detail.tmall.com/item.htm?id=456",
        "https://es.aliexpress.com/item/1005001234567890.html",  # locale subdomain
        "https://m.tb.cn/h.xyz",  # short link: held, never guessed
        "https://example.com/a",  # not a marketplace
    ]
)
DISCORD_TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe.f1g2h3i4j5k6l7m8n9o0p1q2r3s4t5u6v7w8x9"


def clean_env(**settings: str) -> dict[str, str]:
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("SLACK_", "DISCORD_", "MARKETSAFE_")) and name != "DATABASE_URL"
    }
    return env | settings


def marketsafe(command: str, script: str, cwd: Path, **settings: str) -> subprocess.CompletedProcess[str]:
    settings.setdefault("DATABASE_URL", f"sqlite:///{cwd / 'bot.db'}")
    return subprocess.run(
        [str(MARKETSAFE), command],
        input=script,
        cwd=cwd,
        env=clean_env(**settings),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@dataclass(frozen=True)
class Run:
    directory: Path
    returncode: int
    out: str
    err: str

    @property
    def lines(self) -> list[str]:
        return self.out.splitlines()

    def after(self, earlier: str, later: str) -> bool:
        """Whether `later` is printed after `earlier`."""
        first = self.out.index(earlier)
        return self.out.index(later, first) > first


@pytest.fixture(scope="module")
def whole_case(tmp_path_factory: pytest.TempPathFactory) -> Run:
    """One script plays every role: the operator sets up, a brand files, the team decides."""
    directory = tmp_path_factory.mktemp("console")
    links = directory / "more links.csv"
    links.write_text(
        "link,comment\nhttps://item.taobao.com/item.htm?id=201,seen on 11.11\n"
        "https://item.taobao.com/item.htm?id=202,\n",
        encoding="utf-8",
    )
    script = f"""\
# the operator sets the program up
admin org add acme "ACME Corp" country=US size=large
admin right add acme trademark 1234567 mark="ACME" jurisdiction=CN expires=2030-12-31
admin right verify 1
admin member add console:brand1 acme member
admin member add console:team1 - team
/as brand1
/marketsafe complaint {COMPLAINT}
frobnicate now
case MS-000099
/as bad name!
cases
complaint file="{links}"
complaint file={directory / "missing.csv"}

/as team1
outcome MS-000001 all removed
outcome MS-000001 1 counter_notice
outcome MS-000001 1 upheld
outcome MS-000002 all not_removed
outcome MS-000003 all removed
stats
/as brand1
case MS-000001
"""
    result = marketsafe("console", script, directory)
    return Run(directory, result.returncode, result.stdout, result.stderr)


def test_a_piped_script_runs_to_the_end_and_exits_0(whole_case: Run) -> None:
    assert whole_case.returncode == 0, whole_case.err
    assert (whole_case.directory / "bot.db").is_file()
    assert "Traceback" not in whole_case.err
    assert whole_case.lines[0] == (
        "Created organisation acme (ACME Corp). Add members with `admin member add <platform:user> acme member`."
    )
    assert "IP right #1 (ACME) is now verified." in whole_case.lines
    assert "console:brand1 is now member in acme." in whole_case.lines
    assert "console:team1 is now team with no organisation." in whole_case.lines
    assert whole_case.lines.count("(now acting as console:brand1)") == 2
    assert "(now acting as console:team1)" in whole_case.lines
    assert "MS-000001 · actioned · 1 Taobao listing" in whole_case.lines, "the script ran to its last line"


def test_a_complaint_with_mixed_links_is_split_by_platform_with_each_problem_reported(whole_case: Run) -> None:
    out = whole_case.out
    assert (
        "Registered 3 items in MS-000001 (1 Taobao listing), MS-000002 (1 Tmall listing), "
        "MS-000003 (1 AliExpress listing)." in whole_case.lines
    )
    assert "1 link merged as duplicates:" in out
    assert re.search(
        r"- https://h5\.m\.taobao\.com/awp/core/detail\.htm\?id=123: same listing as "
        r"https://item\.taobao\.com/item\.htm\?id=123",
        out,
    )
    assert "1 link held: short links cannot be resolved here" in out
    assert "    - https://m.tb.cn/h.xyz" in whole_case.lines
    assert "1 link rejected:" in out
    assert "- https://example.com/a: example.com is not a supported marketplace" in out


def test_new_cases_are_posted_to_the_team_and_to_the_brand(whole_case: Run) -> None:
    lines = whole_case.lines
    assert (
        "[#team > MS-000001] New case MS-000001 from ACME Corp: 1 Taobao listing;"
        " no team member covers Taobao: the whole team."
    ) in lines
    assert (
        "[#team > MS-000002] New case MS-000002 from ACME Corp: 1 Tmall listing;"
        " no team member covers Tmall: the whole team."
    ) in lines
    assert (
        "[#team > MS-000003] New case MS-000003 from ACME Corp: 1 AliExpress listing;"
        " no team member covers AliExpress: the whole team."
    ) in lines
    assert any(
        line.startswith("[#org:acme > MS-000001] Case MS-000001 registered: 1 Taobao listing.") for line in lines
    )
    assert "    Items: 1. https://item.taobao.com/item.htm?id=123" in lines, "tracking parameters are dropped"
    assert "    Items: 1. https://www.aliexpress.com/item/1005001234567890.html" in lines
    assert "    actions: outcome MS-000001 all removed | outcome MS-000001 all not_removed" in whole_case.out
    assert whole_case.after("Registered 3 items", "[#team > MS-000001] New case")


def test_the_per_item_action_reads_as_a_command_to_complete_not_a_bare_case(whole_case: Run) -> None:
    actions = next(line for line in whole_case.lines if line.startswith("    actions: outcome MS-000001 all removed"))
    assert actions.endswith(" | outcome MS-000001 <all | items> <outcome>"), actions


def test_outcomes_reach_the_team_thread_the_brand_and_the_outcomes_channel(whole_case: Run) -> None:
    lines = whole_case.lines
    assert "MS-000001: item 1 is now removed; the case is actioned." in lines
    assert "[#team > MS-000001] console:team1: item 1 removed." in lines
    assert "[#org:acme > MS-000001] Outcome for MS-000001: item 1 removed; the case is actioned." in lines
    assert "[#outcomes] MS-000001 (ACME Corp, 1 Taobao listing) actioned: 1 removed." in lines

    assert "MS-000001: item 1 is now counter_notice; the case is partially_actioned." in lines
    assert any(
        line.startswith("[#org:acme > MS-000001] The seller appealed a removal in MS-000001 (round 1). Respond by ")
        for line in lines
    )
    assert "MS-000001: item 1 is now upheld; the case is actioned." in lines
    assert "[#outcomes] MS-000001 (ACME Corp, 1 Taobao listing) actioned: 1 upheld." in lines

    assert "MS-000002: item 1 is now not_removed; the case is actioned." in lines
    assert "[#outcomes] MS-000002 (ACME Corp, 1 Tmall listing) actioned: 1 not_removed." in lines
    assert "[#outcomes] MS-000003 (ACME Corp, 1 AliExpress listing) actioned: 1 removed." in lines


def test_stats_count_what_the_script_reported_and_removed(whole_case: Run) -> None:
    assert any(line.startswith("The whole program: figures for ") for line in whole_case.lines)
    # 5 listings and no storefront reported; removed: MS-000001 (upheld) and MS-000003; decided: those and MS-000002.
    assert re.search(r"^  \d{4}-\d{2}\s+5\s+0\s+2\s+66\.7%\s+0\s+\S+$", whole_case.out, re.MULTILINE)
    assert "  Takedown success, last 3 months: 66.7% of 3 decided" in whole_case.lines
    assert "  Appeals lost, last 3 months: 0.0% of 1 decided" in whole_case.lines
    assert "  Warning: takedown success is under 90%; check the accuracy of complaints." in whole_case.lines


def test_a_bad_line_prints_a_clear_error_and_the_script_goes_on(whole_case: Run) -> None:
    unknown = "! There is no command 'frobnicate'. `help` lists the commands."
    wrong_case = "! There is no case MS-000099 among your organisation's cases. `cases` lists them."
    assert unknown in whole_case.lines
    assert wrong_case in whole_case.lines
    assert whole_case.after(unknown, wrong_case)
    assert whole_case.after(wrong_case, "3 cases (page 1 of 1):")


def test_as_with_an_invalid_name_is_refused_and_the_identity_stays(whole_case: Run) -> None:
    refusal = "! Use /as NAME with letters, digits, dots, hyphens or underscores, e.g. /as brand1."
    assert refusal in whole_case.lines
    assert "console:bad" not in whole_case.out
    # Still brand1: the organisation's own cases are listed.
    assert whole_case.after(refusal, "3 cases (page 1 of 1):")


def test_file_option_attaches_a_csv_and_a_missing_file_is_reported(whole_case: Run) -> None:
    assert "Registered 2 items in MS-000004 (2 Taobao listings)." in whole_case.lines
    assert (
        "[#team > MS-000004] New case MS-000004 from ACME Corp: 2 Taobao listings;"
        " no team member covers Taobao: the whole team."
    ) in whole_case.lines
    # The path is named as typed, so a mistyped name is seen.
    assert any(
        line.startswith("! Cannot read ") and line.endswith("missing.csv: No such file or directory.")
        for line in whole_case.lines
    )


@pytest.mark.parametrize("script", ["cases\n", ""], ids=["a command", "no command"])
def test_a_piped_console_prints_what_became_due_while_it_was_down_before_it_exits(tmp_path: Path, script: str) -> None:
    setup = """\
admin org add acme "ACME Corp" country=US size=large
admin right add acme trademark 1234567 mark="ACME" jurisdiction=CN expires=2030-12-31
admin right verify 1
admin member add console:brand1 acme member
/as brand1
complaint https://item.taobao.com/item.htm?id=123
"""
    assert marketsafe("console", setup, tmp_path).returncode == 0
    with sqlite3.connect(tmp_path / "bot.db") as database:
        # The case was filed three days ago, and the follow-ups' sweep fell due while the bot was down.
        database.execute("UPDATE complaint SET created_at = datetime(created_at, '-3 days')")
        (state,) = database.execute("SELECT job_state FROM apscheduler_jobs WHERE id = 'sweep:follow-ups'").fetchone()
        job = json.loads(state)
        due = datetime.now(UTC) - timedelta(minutes=10)
        job["next_run_time"] = due.isoformat()
        database.execute(
            "UPDATE apscheduler_jobs SET job_state = ?, next_run_time = ? WHERE id = 'sweep:follow-ups'",
            (json.dumps(job).encode(), due.timestamp()),
        )
    started = time.monotonic()
    result = marketsafe("console", script, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "[#team > MS-000001] MS-000001 has had no outcome for 3 days." in result.stdout.splitlines()
    assert time.monotonic() - started < 30


def test_run_without_chat_tokens_runs_the_console(tmp_path: Path) -> None:
    script = 'help\nadmin org add acme "ACME Corp"\nadmin org list\n'
    result = marketsafe("run", script, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "MarketSafe commands (`help <command>` for details):" in result.stdout
    assert "Created organisation acme (ACME Corp)." in result.stdout
    assert "  acme: ACME Corp" in result.stdout.splitlines()
    assert (tmp_path / "bot.db").is_file()


UNREACHABLE = {"DISCORD_API_URL": "http://127.0.0.1:1/api/v10", "SLACK_API_URL": "http://127.0.0.1:1/api/"}


@pytest.mark.parametrize(
    ("settings", "secrets", "platform"),
    [
        ({"DISCORD_BOT_TOKEN": DISCORD_TOKEN}, [DISCORD_TOKEN], "Discord"),
        ({"DISCORD_BOT_TOKEN": DISCORD_TOKEN, "SLACK_BOT_TOKEN": SLACK_TOKEN, "SLACK_SIGNING_SECRET": SLACK_SECRET},
         [DISCORD_TOKEN, SLACK_TOKEN, SLACK_SECRET], "Slack"),
    ],
)  # fmt: skip
def test_run_with_discord_tokens_serves_discord_and_stops_clearly_when_it_cannot_connect(
    tmp_path: Path, settings: dict[str, str], secrets: list[str], platform: str
) -> None:
    result = marketsafe("run", "help\n", tmp_path, **settings, **UNREACHABLE)
    assert result.returncode != 0
    assert f"cannot start {platform}" in result.stderr
    assert "MarketSafe commands" not in result.stdout, "it must not quietly run the console instead"
    for secret in secrets:
        assert secret not in result.stdout and secret not in result.stderr


@pytest.mark.parametrize(
    ("line", "text", "expected"),
    [
        ("st", "st", ["stats", "store"]),
        ("/marketsafe sto", "sto", ["store"]),
        ("  sto", "sto", ["store"]),
        ("STO", "STO", ["store"]),
        ("/a", "/a", ["/as"]),
        ("/m", "/m", ["/marketsafe"]),
        ("zzz", "zzz", []),
    ],
)
def test_tab_completes_the_command_word_at_the_start_of_a_line(line: str, text: str, expected: list[str]) -> None:
    assert completions(line, text) == expected


def test_tab_on_an_empty_line_offers_every_command_word_and_as() -> None:
    offered = completions("", "")
    assert {"help", "complaint", "store", "stats", "admin", "/as"} <= set(offered)
    assert "strike" not in offered


@pytest.mark.parametrize(
    ("line", "text", "expected"),
    [
        ("store st", "st", ["strike"]),
        ("store ref", "ref", ["refer", "referral"]),
        ("/marketsafe store re", "re", ["refer", "referral", "reinstate"]),
        ("Store SH", "SH", ["show"]),
    ],
)
def test_tab_completes_a_sub_command_after_its_command_word(line: str, text: str, expected: list[str]) -> None:
    assert completions(line, text) == expected


def test_tab_after_a_command_word_offers_its_sub_commands_only() -> None:
    offered = completions("store ", "")
    assert {"show", "strike", "close", "reinstate", "list"} <= set(offered)
    assert "stats" not in offered and "store" not in offered


@pytest.mark.parametrize(
    ("line", "text", "expected"),
    [
        ("help sto", "sto", ["store"]),
        ("/marketsafe help st", "st", ["stats", "store"]),
        ("help store str", "str", ["strike"]),
    ],
)
def test_tab_after_help_completes_the_command_it_asks_about(line: str, text: str, expected: list[str]) -> None:
    assert completions(line, text) == expected


@pytest.mark.parametrize(
    ("line", "text"),
    [
        ("cases ", ""),  # a command without sub-commands
        ("store strike ", ""),  # past the command's words: its arguments
        ("store strike https://sh", "https://sh"),
        ("complaint st", "st"),
        ("/as st", "st"),  # a name, not a command
        ("/marketsafe /a", "/a"),
    ],
)
def test_tab_offers_nothing_where_no_command_word_goes(line: str, text: str) -> None:
    assert completions(line, text) == []


def test_tab_completes_the_third_word_of_whatever_deeper_commands_are_registered(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def handler(*_: object) -> Reply:
        raise AssertionError("completion never runs a command")

    for path in ("admin member add", "admin member remove", "admin mirror"):
        spec = CommandSpec(tuple(path.split()), "summary", path, handler, None, "test")
        monkeypatch.setitem(COMMANDS, path, spec)
    assert {"member", "mirror"} <= set(completions("admin m", "m"))
    assert "add" in completions("admin member a", "a")
    assert "remove" in completions("/marketsafe help admin member re", "re")
    assert "member" not in completions("admin member ", "")
    assert completions("admin member add ", "") == []


def test_at_a_terminal_tab_completes_the_line_being_typed(tmp_path: Path) -> None:
    prompt = b"console:operator> "
    env = clean_env(DATABASE_URL=f"sqlite:///{tmp_path / 'bot.db'}")
    pid, terminal = pty.fork()
    if pid == 0:  # the child: the console, with a terminal as its stdin
        os.chdir(tmp_path)
        # Its log lines (the scheduler's) would otherwise cut through the prompt on the terminal.
        os.dup2(os.open(tmp_path / "stderr.log", os.O_WRONLY | os.O_CREAT), 2)
        os.execve(str(MARKETSAFE), [str(MARKETSAFE), "console"], env)
    code = None
    try:
        assert prompt in read_terminal(terminal, until=prompt)
        os.write(terminal, b"help store str\t\n")
        shown = read_terminal(terminal, until=b"Example: store strike")
        assert b"store strike <store link>" in shown, shown.decode(errors="replace")
        read_terminal(terminal, until=prompt)  # Ctrl-D ends the input only once the prompt reads again
        os.write(terminal, b"\x04")
        code = exit_code(pid, timeout=30)
    finally:
        if code is None:  # a console that did not leave must not outlive the test
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        os.close(terminal)
    assert code == 0


def test_an_announcement_printed_while_someone_types_goes_above_the_line_being_typed() -> None:
    out = io.StringIO()
    screen = Screen(out)
    screen.typed = lambda: "store st"
    with screen.prompting("console:operator> "):
        screen.print("[#announcements] Orientation starts in 1 hour")
    screen.print("a reply, after the line was sent")
    assert out.getvalue() == (
        "\r\x1b[K[#announcements] Orientation starts in 1 hour\nconsole:operator> store st"
        "a reply, after the line was sent\n"
    )


def test_at_a_terminal_an_announcement_leaves_the_typed_line_whole_under_it(tmp_path: Path) -> None:
    prompt = b"console:operator> "
    url = f"sqlite:///{tmp_path / 'bot.db'}"
    pid, terminal = pty.fork()
    if pid == 0:
        os.chdir(tmp_path)
        os.dup2(os.open(tmp_path / "stderr.log", os.O_WRONLY | os.O_CREAT), 2)
        os.execve(str(MARKETSAFE), [str(MARKETSAFE), "console"], clean_env(DATABASE_URL=url))
    code = None
    try:
        read_terminal(terminal, until=prompt)
        os.write(terminal, b"help sto")
        read_terminal(terminal, until=b"help sto")
        database = Database(url)  # another process announces something while the line is half typed
        with database.transaction() as session:
            save_notices(session, [Notice(channel="announcements", text="Orientation starts in 1 hour")], utcnow())
        database.dispose()
        shown = read_terminal(terminal, until=b"1 hour\r\n" + prompt + b"help sto")
        assert b"\r\x1b[K[#announcements] Orientation starts in 1 hour\r\n" + prompt + b"help sto" in shown, shown
        os.write(terminal, b"re strike\n")  # the line goes on where it was
        shown = read_terminal(terminal, until=b"Example: store strike")
        assert b"store strike <store link>" in shown, shown.decode(errors="replace")
        read_terminal(terminal, until=prompt)
        os.write(terminal, b"\x04")
        code = exit_code(pid, timeout=30)
    finally:
        if code is None:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        os.close(terminal)
    assert code == 0


def read_terminal(terminal: int, *, until: bytes, timeout: float = 60.0) -> bytes:
    """What the console writes to its terminal, up to `until` (or all of it by the timeout)."""
    seen, deadline = b"", time.monotonic() + timeout
    while until not in seen and time.monotonic() < deadline:
        if select.select([terminal], [], [], 0.5)[0]:
            try:
                seen += os.read(terminal, 4096)
            except OSError:  # the console has exited
                break
    return seen


def exit_code(pid: int, *, timeout: float) -> int | None:
    """The child's exit code, or None if it is still running after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        time.sleep(0.1)
    return None


def test_file_accepts_only_regular_files_and_never_hangs_on_a_device_or_a_pipe(tmp_path: Path) -> None:
    pipe = tmp_path / "links.csv"
    os.mkfifo(pipe)
    script = f"complaint file=/dev/zero\ncomplaint file={pipe}\n"
    started = time.monotonic()
    result = marketsafe("console", script, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "! zero is not a regular file: give the path of a file." in result.stdout.splitlines()
    assert "! links.csv is not a regular file: give the path of a file." in result.stdout.splitlines()
    assert time.monotonic() - started < 60


def test_escape_sequences_people_write_are_shown_not_obeyed_by_the_operators_terminal(tmp_path: Path) -> None:
    script = 'admin org add evil "\x1b]0;owned\x07\x1b[2JEvil Corp"\nadmin org list\n'
    result = marketsafe("console", script, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "evil: \\x1b]0;owned\\x07\\x1b[2JEvil Corp" in result.stdout


def test_run_without_the_message_content_intent_stops_with_one_line_saying_how_to_enable_it(tmp_path: Path) -> None:
    with FakeDiscord(privileged_intents=()) as portal:  # the Developer Portal switch left off: Discord closes 4014
        result = marketsafe(
            "run", "", tmp_path, DISCORD_BOT_TOKEN=DISCORD_TOKEN, DISCORD_API_URL=portal.api_url,
            NO_PROXY="127.0.0.1,localhost",
        )  # fmt: skip
    assert result.returncode != 0
    assert "Error: cannot start Discord: the bot needs the Message Content intent" in result.stderr
    assert "Privileged Gateway Intents -> Message Content Intent" in result.stderr
    assert "Traceback" not in result.stderr and DISCORD_TOKEN not in result.stderr


def test_the_console_keeps_taking_commands_while_its_database_is_away_and_works_again_once_it_is_back(
    database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    unreliable = UnreliableDatabase(database)
    router = Router(unreliable, ProgramRules(), frozenset({f"console:{OPERATOR}"}))

    def reconcile() -> None:  # as the scheduler does after each command: it reads the database
        with unreliable.transaction():
            pass

    out = io.StringIO()
    console = Console(router, unreliable, out, after_command=reconcile)
    caplog.set_level(logging.INFO, logger="bot.console")
    console.run_line("admin org list")
    unreliable.down.set()
    console.run_line("admin org list")
    console.run_line("admin org list")
    console.drain(timeout=5)
    logged = [(record.levelno, record.getMessage()) for record in caplog.records if record.name == "bot.console"]
    unreliable.down.clear()
    with database.transaction() as session:
        save_notices(session, [Notice("announcements", "Orientation starts in 1 hour")], utcnow())
    console.run_line('admin org add acme "ACME Corp"')

    shown = out.getvalue()
    assert shown.count("The bot cannot reach its database right now") == 2
    assert "Created organisation acme (ACME Corp)" in shown
    assert "[#announcements] Orientation starts in 1 hour" in shown
    after_command = "the work after a console command failed; the console goes on"
    assert logged == [
        (logging.ERROR, after_command),
        (logging.ERROR, "console delivery failed; retrying in 1 s"),
        (logging.ERROR, after_command),
    ]
    (recovered,) = [r.getMessage() for r in caplog.records if r.name == "bot.console"][len(logged) :]
    assert recovered.startswith("console delivery works again, after 3 failed attempts")

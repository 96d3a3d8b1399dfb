"""`marketsafe import`, `export` and `db upgrade`, run against the database the bot uses."""

from __future__ import annotations

import csv
import io
import logging
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from bot.cli import main
from storage.database import Database
from storage.queries.export import EXPORT_COLUMNS
from support.harness import Harness

TAOBAO = "https://item.taobao.com/item.htm?id={}"
HEADER = "organisation,right,link,reason,note\n"


@pytest.fixture(autouse=True)
def restore_logging() -> Iterator[None]:
    """The CLI configures logging for the whole process; put it back after each test."""
    root = logging.getLogger()
    alembic = logging.getLogger("alembic")
    handlers, level, alembic_level = root.handlers[:], root.level, alembic.level
    yield
    root.handlers[:], root.level = handlers, level
    alembic.setLevel(alembic_level)


@pytest.fixture
def cli(database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    """The `marketsafe` command pointed at the test database, with no chat settings and no .env."""
    monkeypatch.chdir(tmp_path)
    unset: dict[str, str | None] = {
        name: None for name in os.environ if name.startswith(("SLACK_", "DISCORD_", "MARKETSAFE_"))
    }
    return CliRunner(env=unset | {"DATABASE_URL": database.url})


def marketsafe(cli: CliRunner, *args: str) -> Result:
    return cli.invoke(main, list(args), catch_exceptions=False)


def csv_file(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def test_import_registers_good_rows_and_reports_each_bad_one_by_line_and_column(
    program: Harness, cli: CliRunner, tmp_path: Path
) -> None:
    program.ok('admin right add acme copyright R-9 mark="ACME logo" jurisdiction=US')  # #3, not verified
    path = csv_file(
        tmp_path,
        "takedowns.csv",
        HEADER
        + f"acme,1,{TAOBAO.format(1001)},,\n"  # line 2: good
        + f"acme,1234567,{TAOBAO.format(1002)},counterfeit,\n"  # line 3: good (right by number)
        + f"initech,1,{TAOBAO.format(1003)},,\n"  # line 4: unknown organisation
        + f"acme,3,{TAOBAO.format(1004)},,\n"  # line 5: unverified right
        + f"acme,1,{TAOBAO.format(1005)},fake,\n"  # line 6: bad reason
        + "acme,1,https://example.com/a,,\n"  # line 7: rejected link
        + "acme,1,https://m.tb.cn/h.xyz,,\n"  # line 8: short link
        + "acme,1,,,\n"  # line 9: empty link
        + "globex,2,https://www.aliexpress.com/item/1005001.html,,\n",  # line 10: good
    )
    result = marketsafe(cli, "import", str(path))
    assert result.exit_code == 3, "a script must be able to tell that rows were rejected"
    lines = result.stdout.splitlines()
    assert lines[0] == "3 items registered in 2 complaints (MS-000001, MS-000002)"
    assert "takedowns.csv: line 4, column organisation: no organisation 'initech'" in lines
    assert "takedowns.csv: line 5, column right: '3' is not a verified, unexpired right of acme" in lines
    assert any(line.startswith("takedowns.csv: line 6, column reason: 'fake' is not a reason code") for line in lines)
    assert any(
        line.startswith("takedowns.csv: line 7, column link: example.com is not a supported marketplace")
        for line in lines
    )
    assert any(line.startswith("takedowns.csv: line 8, column link: ") and "short link" in line for line in lines)
    assert "takedowns.csv: line 9, column link: empty" in lines
    assert "6 rows not imported" in lines
    assert not any("line 2," in line or "line 3," in line or "line 10," in line for line in lines)

    acme_case = program.ok("case MS-000001", as_="brand1").render_plain()
    assert "2 Taobao listings" in acme_case
    assert TAOBAO.format(1001) in acme_case and TAOBAO.format(1002) in acme_case
    posted = {(p.channel, p.case_id) for p in program.delivered()}
    assert {("team", "MS-000001"), ("org:acme", "MS-000001"), ("org:globex", "MS-000002")} <= posted


def test_importing_the_same_file_twice_registers_nothing_the_second_time(
    program: Harness, cli: CliRunner, tmp_path: Path
) -> None:
    path = csv_file(
        tmp_path,
        "batch.csv",
        HEADER + "".join(f"acme,1,{TAOBAO.format(n)},,\n" for n in range(1, 6)) + "acme,1,https://example.com/x,,\n",
    )
    first = marketsafe(cli, "import", str(path))
    assert first.stdout.splitlines()[0] == "5 items registered in 1 complaints (MS-000001)"
    program.delivered()
    again = marketsafe(cli, "import", str(path))
    assert again.exit_code == 3, "the bad row is still refused"
    assert again.stdout.splitlines()[0] == "0 items registered in 0 complaints"
    assert "5 rows were imported before and skipped" in again.stdout
    assert "batch.csv: line 7, column link:" in again.stdout, "bad rows are still reported"
    assert "1 case" in program.ok("cases", as_="brand1").text
    assert program.delivered() == []


def test_a_file_that_is_not_utf8_is_refused_with_a_clear_message(
    program: Harness, cli: CliRunner, tmp_path: Path
) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes((HEADER + f"acme,1,{TAOBAO.format(1)},,Caf\xe9\n").encode("latin-1"))
    result = cli.invoke(main, ["import", str(path)])
    assert result.exit_code != 0
    assert "Error: latin1.csv is not UTF-8 text" in result.output
    assert "Save it as 'CSV UTF-8'" in result.output
    assert "No cases match." in program.ok("cases", as_="brand1").text


def test_a_file_without_a_required_column_is_refused_naming_it(
    program: Harness, cli: CliRunner, tmp_path: Path
) -> None:
    path = csv_file(tmp_path, "no-right.csv", f"organisation,link\nacme,{TAOBAO.format(1)}\n")
    result = cli.invoke(main, ["import", str(path)])
    assert result.exit_code != 0
    assert "Error: no-right.csv has no column named right." in result.output
    assert "organisation, right, link" in result.output
    assert "No cases match." in program.ok("cases", as_="brand1").text


def test_import_of_a_missing_file_fails_clearly(cli: CliRunner, tmp_path: Path) -> None:
    result = cli.invoke(main, ["import", str(tmp_path / "nowhere.csv")])
    assert result.exit_code != 0
    assert "nowhere.csv" in result.output and "does not exist" in result.output


def export_table(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_export_writes_one_row_per_item_under_the_documented_header(program: Harness, cli: CliRunner) -> None:
    program.ok(f"complaint {TAOBAO.format(1)} {TAOBAO.format(2)} https://detail.tmall.com/item.htm?id=3", as_="brand1")
    program.ok(f"complaint {TAOBAO.format(4)}", as_="brand2")
    program.ok("outcome MS-000001 2 removed", as_="team1")
    result = marketsafe(cli, "export")
    assert result.exit_code == 0, result.output
    table = export_table(result.stdout)
    assert table[0] == list(EXPORT_COLUMNS)
    rows = [dict(zip(EXPORT_COLUMNS, row, strict=True)) for row in table[1:]]
    assert [(r["case_id"], r["organisation"], r["item"]) for r in rows] == [
        ("MS-000001", "acme", "1"),
        ("MS-000001", "acme", "2"),
        ("MS-000002", "acme", "1"),
        ("MS-000003", "globex", "1"),
    ]
    assert [r["item_status"] for r in rows] == ["reported", "removed", "reported", "reported"]
    assert rows[1]["canonical_url"] == TAOBAO.format(2)
    assert rows[2]["platform"] == "tmall"
    assert rows[1]["decided_at"] and not rows[0]["decided_at"]


def test_export_to_a_file_for_one_organisation(program: Harness, cli: CliRunner, tmp_path: Path) -> None:
    program.ok(f"complaint {TAOBAO.format(1)}", as_="brand1")
    program.ok(f"complaint {TAOBAO.format(4)} {TAOBAO.format(5)}", as_="brand2")
    target = tmp_path / "globex.csv"
    result = marketsafe(cli, "export", "--org", "globex", "--output", str(target))
    assert result.exit_code == 0, result.output
    table = export_table(target.read_text(encoding="utf-8"))
    assert table[0] == list(EXPORT_COLUMNS)
    assert [(row[0], row[1]) for row in table[1:]] == [("MS-000002", "globex"), ("MS-000002", "globex")]


def test_export_of_an_unknown_organisation_fails_clearly(program: Harness, cli: CliRunner) -> None:
    result = cli.invoke(main, ["export", "--org", "initech"])
    assert result.exit_code != 0
    assert "Error: there is no organisation 'initech'" in result.stderr


def test_db_upgrade_can_be_run_again_and_again(program: Harness, cli: CliRunner, tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.db"
    for _ in range(2):
        result = cli.invoke(main, ["db", "upgrade"], env={"DATABASE_URL": f"sqlite:///{fresh}"})
        assert result.exit_code == 0, result.output
        assert result.stdout.strip() == "database is up to date"
    assert fresh.is_file()
    # A database in use: upgrading it again changes nothing and keeps its data.
    assert marketsafe(cli, "db", "upgrade").stdout.strip() == "database is up to date"
    assert "acme: ACME Corp" in program.ok("admin org list").render_plain()
    assert program.ok(f"complaint {TAOBAO.format(1)}", as_="brand1").text.startswith("Registered 1 item")


def test_import_as_a_member_files_only_for_its_own_organisation_and_never_elevates_it(
    program: Harness, cli: CliRunner, tmp_path: Path
) -> None:
    path = csv_file(
        tmp_path,
        "mixed.csv",
        HEADER + f"acme,1,{TAOBAO.format(2001)},,\n" + "globex,2,https://www.aliexpress.com/item/1005009.html,,\n",
    )
    result = marketsafe(cli, "import", str(path), "--as", "console:brand1")
    assert result.stdout.splitlines()[0] == "1 items registered in 1 complaints (MS-000001)"
    assert "mixed.csv: line 3, column organisation: console:brand1 files only for its own organisation" in result.stdout
    assert program.refused("admin org list", as_="brand1").startswith("Only program admins")
    assert program.ok("cases", as_="brand1").lines[0].startswith("MS-000001 ")
    stranger = marketsafe(cli, "import", str(path), "--as", "console:stranger")
    assert stranger.exit_code == 1 and "console:stranger is not in the program" in stranger.output

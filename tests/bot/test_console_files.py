"""The console hands over a reply's files by writing them to its export directory."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from bot.console import Console
from bot.settings import Settings
from support.harness import Harness

TAOBAO = "https://item.taobao.com/item.htm?id={}"


def console(program: Harness, directory: Path) -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    return Console(program.router, program.database, out, export_dir=directory), out


def test_an_export_is_written_to_the_export_directory_and_its_path_printed(program: Harness, tmp_path: Path) -> None:
    program.ok(f"complaint {TAOBAO.format(1)} 仿冒品", as_="brand1")
    runner, out = console(program, tmp_path / "exports")
    runner.run(["/as brand1", "export"])
    (written,) = (tmp_path / "exports").iterdir()
    assert f"file: {written} (" in out.getvalue()
    rows = list(csv.DictReader(io.StringIO(written.read_text(encoding="utf-8-sig"), newline="")))
    assert [row["case_id"] for row in rows] == ["MS-000001"]


def test_a_second_export_of_the_same_name_does_not_replace_the_first(program: Harness, tmp_path: Path) -> None:
    program.ok(f"complaint {TAOBAO.format(1)}", as_="brand1")
    runner, _ = console(program, tmp_path / "out")
    runner.run(["/as brand1", "export timeline MS-000001", "export timeline MS-000001"])
    names = sorted(path.name for path in (tmp_path / "out").iterdir())
    assert names == ["MS-000001-timeline-2.csv", "MS-000001-timeline.csv"]


def test_a_directory_that_cannot_be_written_is_reported(program: Harness, tmp_path: Path) -> None:
    program.ok(f"complaint {TAOBAO.format(1)}", as_="brand1")
    blocker = tmp_path / "taken"
    blocker.write_text("a file, not a directory")
    runner, out = console(program, blocker / "exports")
    runner.run(["/as brand1", "export"])
    assert "! The file could not be written to" in out.getvalue()


def test_the_export_directory_is_a_setting_with_a_default() -> None:
    assert Settings(_env_file=None).marketsafe_export_dir == "exports"
    assert Settings(_env_file=None, marketsafe_export_dir="/srv/out").marketsafe_export_dir == "/srv/out"

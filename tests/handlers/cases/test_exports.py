"""`export`: the caller's cases, or one case's timeline, as a CSV or XLSX file sent to them alone."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from handlers.cases import exports
from handlers.kit.replies import Reply
from storage.queries.export import EXPORT_COLUMNS
from support.harness import Harness

TAOBAO = "https://item.taobao.com/item.htm?id={}"
CHINESE = "这些是2026年款手袋的仿冒品"


def file_listings(bot: Harness, count: int, as_: str = "brand1", first: int = 1) -> None:
    bot.ok("complaint " + " ".join(TAOBAO.format(n) for n in range(first, first + count)), as_=as_)


def csv_rows(reply: Reply) -> list[dict[str, str]]:
    (file,) = reply.files
    assert file.content_type == "text/csv"
    assert file.data.startswith("\ufeff".encode()), "Excel reads UTF-8 as such only after a byte order mark"
    return list(csv.DictReader(io.StringIO(file.data.decode("utf-8-sig"), newline="")))


def xlsx_rows(reply: Reply) -> list[tuple[object, ...]]:
    (file,) = reply.files
    assert file.name.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(file.data), read_only=True).worksheets[0]
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def test_a_member_exports_their_organisations_cases_one_row_per_item(program: Harness) -> None:
    file_listings(program, 2)
    file_listings(program, 1, as_="brand2", first=10)
    program.ok("outcome MS-000001 1 removed", as_="team1")
    reply = program.ok("export", as_="brand1")
    assert reply.text.startswith("Exported 2 items of the matching cases to cases-acme-")
    assert reply.private
    rows = csv_rows(reply)
    assert [(row["case_id"], row["organisation"], row["item"], row["item_status"]) for row in rows] == [
        ("MS-000001", "acme", "1", "removed"),
        ("MS-000001", "acme", "2", "reported"),
    ]
    assert rows[0]["canonical_url"] == TAOBAO.format(1)


def test_another_organisations_member_exports_none_of_its_cases(program: Harness) -> None:
    file_listings(program, 2)
    file_listings(program, 1, as_="brand2", first=10)
    rows = csv_rows(program.ok("export", as_="brand2"))
    assert {row["organisation"] for row in rows} == {"globex"}
    assert len(rows) == 1
    assert "Only the IACC/Alibaba team" in program.refused("export org=acme", as_="brand2")
    assert "There is no case MS-000001" in program.refused("export timeline MS-000001", as_="brand2")


def test_the_team_exports_every_case_or_one_organisations(program: Harness) -> None:
    file_listings(program, 2)
    file_listings(program, 1, as_="brand2", first=10)
    assert len(csv_rows(program.ok("export", as_="team1"))) == 3
    only = csv_rows(program.ok("export org=globex", as_="team1"))
    assert [row["canonical_url"] for row in only] == [TAOBAO.format(10)]


def test_the_filters_are_those_of_cases(program: Harness) -> None:
    file_listings(program, 1)
    file_listings(program, 1, first=2)
    program.ok("withdraw MS-000002", as_="brand1")
    rows = csv_rows(program.ok("export status=withdrawn", as_="brand1"))
    assert [row["case_id"] for row in rows] == ["MS-000002"]
    assert [row["case_id"] for row in csv_rows(program.ok("export open", as_="brand1"))] == ["MS-000001"]
    assert "No cases match" in program.ok("export month=2020-01", as_="brand1").text
    assert "'sideways' is not a filter here" in program.refused("export sideways", as_="brand1")
    assert "'pdf' is not an export format." in program.refused("export format=pdf", as_="brand1")


def test_an_xlsx_export_reads_back_with_its_header_and_rows(program: Harness) -> None:
    file_listings(program, 2)
    rows = xlsx_rows(program.ok("export format=xlsx", as_="brand1"))
    assert rows[0] == EXPORT_COLUMNS
    assert [row[:2] for row in rows[1:]] == [("MS-000001", "acme"), ("MS-000001", "acme")]


def test_a_timeline_export_keeps_chinese_text_in_csv_and_xlsx(program: Harness) -> None:
    file_listings(program, 1)
    program.delivered()
    program.say_in_thread("org:acme", "MS-000001", CHINESE, as_="brand1")
    rows = csv_rows(program.ok("export timeline MS-000001", as_="brand1"))
    assert any(row["source"] == "message" and row["entry"].endswith(CHINESE) for row in rows)
    assert all(row["source"] != "notice" or "to org:acme" in row["entry"] for row in rows)
    sheet = xlsx_rows(program.ok("export timeline MS-000001 format=xlsx", as_="brand1"))
    assert sheet[0] == exports.TIMELINE_COLUMNS
    assert any(str(row[2]).endswith(CHINESE) for row in sheet[1:])


def test_the_team_timeline_export_holds_what_the_team_sees(program: Harness) -> None:
    file_listings(program, 1)
    program.delivered()
    team = csv_rows(program.ok("export timeline MS-000001", as_="team1"))
    brand = csv_rows(program.ok("export timeline MS-000001", as_="brand1"))
    assert any("to team:" in row["entry"] for row in team)
    assert not any("to team:" in row["entry"] for row in brand)


def test_a_capped_export_says_so_and_how_many_there_were(program: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(exports, "MAX_EXPORT_ROWS", 3)
    file_listings(program, 5)
    reply = program.ok("export", as_="brand1")
    assert len(csv_rows(reply)) == 3
    assert reply.text.startswith("Exported 3 items")
    assert "The file holds the first 3 of 5 items" in reply.render_plain()


def test_an_uncapped_export_says_nothing_of_a_cap(program: Harness) -> None:
    file_listings(program, 3)
    assert "holds the first" not in program.ok("export", as_="brand1").render_plain()

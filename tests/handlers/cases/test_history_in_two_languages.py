"""The notes the program writes into a case's history are read in each reader's language, whoever
wrote them; a note someone typed reads as typed, and an entry written before notes were kept as
messages reads as it was stored."""

from __future__ import annotations

import csv
import io

from sqlmodel import select

from handlers.kit.i18n import deferred_plural
from storage.models import AuditEntry
from storage.vocabulary import AuditEntity, Platform
from support.harness import Harness

LINKS = "https://item.taobao.com/item.htm?id=1 https://item.taobao.com/item.htm?id=2"
STORE = "https://shop123456.taobao.com"


def history(bot: Harness, who: str, command: str = "case MS-000001 history") -> list[str]:
    """The entries `command` shows `who`, without their time."""
    return [line.split(" ", 3)[3] for line in bot.ok(command, as_=who).lines if not line.startswith(("More", "更多"))]


def test_a_chinese_reader_reads_the_filing_note_of_an_english_member_in_chinese(program: Harness) -> None:
    program.ok(f"complaint {LINKS}", as_="brand1")  # brand1 reads English
    program.ok('outcome MS-000001 1 removed note="gone, 已下架"', as_="team1")
    program.ok("lang zh", as_="team1")

    assert history(program, "brand1") == [
        "console:brand1: case filed (2 listing items on Taobao)",
        "console:team1: item 1 reported -> removed (gone, 已下架)",
        "console:team1: case submitted -> partially_actioned",
    ]
    assert history(program, "team1") == [
        "console:brand1: 案件 已提交 (Taobao上的 2 个商品链接)",
        "console:team1: 第 1 项 reported -> removed (gone, 已下架)",  # typed: as typed
        "console:team1: 案件 submitted -> partially_actioned",
    ]
    # The case's latest history and its timeline read the same.
    assert (
        "console:brand1: 案件 已提交 (Taobao上的 2 个商品链接)"
        in program.ok("case MS-000001", as_="team1").render_plain()
    )
    assert (
        history(program, "team1", "case MS-000001 timeline")[0]
        == "console:brand1: 案件 已提交 (Taobao上的 2 个商品链接)"
    )
    assert (
        history(program, "brand1", "case MS-000001 timeline")[0]
        == "console:brand1: case filed (2 listing items on Taobao)"
    )


def test_a_storefront_complaint_of_one_item_reads_in_the_singular_and_in_chinese(program: Harness) -> None:
    program.ok(f"complaint {STORE}", as_="brand1")
    program.ok("lang zh", as_="team1")
    assert history(program, "brand1")[0] == "console:brand1: case filed (1 storefront item on Taobao)"
    assert history(program, "team1")[0] == "console:brand1: 案件 已提交 (Taobao上的 1 个店铺)"


def test_the_exported_timeline_reads_the_notes_in_the_exporters_language(program: Harness) -> None:
    program.ok(f"complaint {LINKS}", as_="brand1")
    program.ok("lang zh", as_="brand1")
    exported = program.ok("export timeline MS-000001", as_="brand1").files[0]
    rows = list(csv.reader(io.StringIO(exported.data.decode("utf-8-sig"))))
    assert rows[1][1:] == ["history", rows[1][2]] and rows[1][2].endswith(
        "console:brand1: 案件 已提交 (Taobao上的 2 个商品链接)"
    )


def test_the_note_keeps_its_english_and_its_message(program: Harness) -> None:
    program.ok(f"complaint {LINKS}", as_="brand1")
    with program.database.transaction() as session:
        entry = session.exec(select(AuditEntry).where(AuditEntry.action == "filed")).one()
        assert entry.note == "2 listing items on Taobao"
        assert entry.note_message == {
            "id": "{count} listing item on {platform}",
            "plural": "{count} listing items on {platform}",
            "count": 2,
            "domain": "cases",
            "values": {"platform": {"platform": "taobao"}},
        }


def test_an_entry_written_with_a_plain_note_reads_as_stored(program: Harness) -> None:
    program.ok(f"complaint {LINKS}", as_="brand1")
    program.ok("lang zh", as_="team1")
    with program.database.transaction() as session:
        # As an entry written before notes were kept as messages: its note alone.
        session.add(
            AuditEntry(
                at=program.clock(), actor="console:team1", entity=AuditEntity.COMPLAINT, entity_id=1,
                action="status", from_status="submitted", to_status="returned", note="3 listing items on Tmall",
            )
        )  # fmt: skip
        # One whose message no longer reads (a value lost): its English.
        broken = deferred_plural("{count} listing item on {platform}", "{count} listing items on {platform}", 4)
        session.add(
            AuditEntry(
                at=program.clock(), actor="console:team1", entity=AuditEntity.COMPLAINT, entity_id=1,
                action="reopened", note="4 listing items on Tmall", note_message=broken.as_json(),
            )
        )  # fmt: skip
    assert history(program, "team1")[-2:] == [
        "console:team1: 案件 submitted -> returned (3 listing items on Tmall)",
        "console:team1: 案件 reopened (4 listing items on Tmall)",
    ]
    assert history(program, "brand1")[-2] == "console:team1: case submitted -> returned (3 listing items on Tmall)"


def test_a_platforms_label_is_read_from_the_vocabulary() -> None:
    note = deferred_plural(
        "{count} listing item on {platform}", "{count} listing items on {platform}", 1, platform=Platform.TMALL_GLOBAL
    )
    assert note.english() == "1 listing item on Tmall Global"

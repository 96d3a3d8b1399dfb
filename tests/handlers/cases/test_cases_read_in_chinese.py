"""Reading cases in Chinese: `case`, `cases`, `lookup`, `case … timeline`, `stats`, `store show`,
`withdraw`, `export` and a rejected link answer a Chinese reader in Chinese and an English reader as
before, with ids, links and status words unchanged."""

from __future__ import annotations

import pytest

from handlers.cases import stats_chart
from handlers.cases.link_parsing import RejectedLink, parse_link
from handlers.kit import charts
from handlers.kit.charts import MonthlySeries
from handlers.kit.i18n import in_language
from support.harness import Harness

LINK = "https://item.taobao.com/item.htm?id=123"
OTHER = "https://item.taobao.com/item.htm?id=124"
STORE = "https://shop123456.taobao.com"


@pytest.fixture
def filed(program: Harness) -> Harness:
    """A brand reading Chinese with one case of two listings, the first removed; the team reads English."""
    program.ok("lang zh", as_="brand1")
    program.ok(f"complaint {LINK} {OTHER}", as_="brand1")
    program.ok("outcome MS-000001 1 removed", as_="team1")
    return program


def test_a_case_reads_in_the_readers_language(filed: Harness) -> None:
    chinese = filed.ok("case MS-000001", as_="brand1")
    assert chinese.text == "MS-000001 · partially_actioned · 2 个Taobao商品链接"
    fields = dict(chinese.fields)
    assert fields["提交"] == "2026-11-18 15:00 EST，由 console:brand1 提交"
    assert fields["项目"] == "1 项 removed，1 项 reported"
    assert chinese.lines[:3] == ["项目（第 1 页，共 1 页）：", f"1. removed {LINK}", f"2. reported {OTHER}"]
    assert chinese.lines[3] == "历史记录："
    assert chinese.lines[5] == "2026-11-18 15:00 EST console:team1: 第 1 项 reported -> removed"

    english = filed.ok("case MS-000001", as_="team1")
    assert english.text == "MS-000001 · partially_actioned · 2 Taobao listings"
    assert dict(english.fields)["Items"] == "1 removed, 1 reported"
    assert dict(english.fields)["Assigned to"] == "the whole team"
    assert english.lines[0] == "Items, page 1 of 1:"
    assert english.lines[5] == "2026-11-18 15:00 EST console:team1: item 1 reported -> removed"

    refused = filed.refused("case MS-000099", as_="brand1")
    assert refused.startswith("贵机构的案件中没有 MS-000099。")


def test_the_list_of_cases_and_the_timeline_read_in_chinese(filed: Harness) -> None:
    listed = filed.ok("cases", as_="brand1")
    assert listed.text == "案件共 1 个（第 1 页，共 1 页）："
    assert listed.lines == ["MS-000001 2026-11-18 2 个Taobao商品链接 · partially_actioned · 已处理 1/2"]
    assert filed.ok("cases", as_="team1").lines == [
        "MS-000001 2026-11-18 2 Taobao listings · partially_actioned · 1/2 decided"
    ]
    assert filed.ok("cases status=withdrawn", as_="brand1").text == "没有符合条件的案件。"

    timeline = filed.ok("case MS-000001 timeline", as_="brand1")
    assert timeline.text == "MS-000001 时间线，共 6 条，第 1 页，共 1 页："
    # The bot's notices to the brand's channel are shown as a Chinese reader reads them.
    assert any(
        line.endswith("机器人发往 org:acme：MS-000001 的处理结果：第 1 项 removed；案件状态为 partially_actioned。")
        for line in timeline.lines
    )
    english = filed.ok("case MS-000001 timeline", as_="team1")
    assert english.text == "MS-000001 timeline, 9 entries, page 1 of 1:"  # the team sees its own channel's notices too
    assert any(line.endswith("the bot, to org:acme: Outcome for MS-000001: item 1 removed; the case is "
                             "partially_actioned.") for line in english.lines)  # fmt: skip


def test_lookup_and_a_rejected_link_read_in_chinese(filed: Harness) -> None:
    found = filed.ok(f"lookup {LINK}", as_="brand1")
    assert found.text == f"项目对 {LINK} 的记录："
    assert found.lines == [
        f"Taobao商品链接：{LINK}",
        "  MS-000001 第 1 项：removed；案件 partially_actioned；投诉于 2026-11-18 15:00 EST。",
    ]
    assert filed.ok(f"lookup {LINK}", as_="team1").lines[0] == f"Taobao listing: {LINK}"

    assert filed.refused("lookup https://evil.com/x", as_="brand1").startswith(
        "“https://evil.com/x”不是项目可识别的链接：evil.com 不是支持的电商平台（支持：Taobao, Tmall,"
    )
    assert filed.refused("lookup taobao.com/item.htm", as_="team1") == (
        "'taobao.com/item.htm' is not a link the program knows: Taobao link without an item id: paste the item "
        "page link (item.taobao.com/item.htm?id=...)."
    )
    # A rejected link's reason is written when it is parsed, in the reader's language.
    with in_language("zh"):
        rejected = parse_link("https://item.taobao.com/item.htm?id=12x")
    assert isinstance(rejected, RejectedLink) and rejected.reason == "商品 ID '12x' 不是数字"
    english = parse_link("https://item.taobao.com/item.htm?id=12x")
    assert isinstance(english, RejectedLink) and english.reason == "item id '12x' is not a number"


def test_withdraw_reads_in_chinese_and_tells_the_team_in_its_language(filed: Harness) -> None:
    filed.delivered()
    assert filed.refused("withdraw MS-000001 1", as_="brand1") == "以下项目已有处理结果，无法撤回：1 (removed)。"
    done = filed.ok('withdraw MS-000001 note="授权经销商"', as_="brand1")
    assert done.text == "已撤回 MS-000001 的所有未处理项目；案件状态为 actioned。"
    posted = {p.kind: p.text for p in filed.delivered() if p.channel == "team"}
    assert posted["withdrawn"] == "console:brand1 withdrew all undecided items of MS-000001: 授权经销商"


def test_stats_and_a_storefront_read_in_chinese(filed: Harness) -> None:
    filed.ok(f"complaint {STORE}", as_="brand1")
    shown = filed.ok(f"store show {STORE}", as_="brand1")
    assert shown.text == f"{STORE}/ · active"
    assert shown.fields == [("平台", "Taobao"), ("有效违规", "0 次（达到 3 次关店）"), ("涉及的投诉", "贵机构 1 个")]
    english = filed.ok(f"store show {STORE}", as_="team1")
    assert english.fields[1:] == [("Active strikes", "0 (closes at 3)"), ("Complaints naming it", "1")]

    figures = filed.ok("stats", as_="brand1")
    assert figures.text == "ACME Corp：2026-06 至 2026-11 的数据"
    assert figures.lines[0].split() == [
        "月份",
        "商品链接投诉数",
        "店铺投诉数",
        "已删除",
        "删除率",
        "关闭店铺数",
        "删除用时中位数",
    ]
    assert "近 3 个月删除成功率：已处理 1 项，成功 100.0%" in figures.lines
    team = filed.ok("stats org=acme", as_="team1")
    assert team.text == "ACME Corp: figures for 2026-06 to 2026-11"
    assert "Takedown success, last 3 months: 100.0% of 1 decided" in team.lines


def test_the_chart_is_titled_and_labelled_in_the_readers_language(
    filed: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    drawn: list[MonthlySeries] = []

    def spy(series: MonthlySeries) -> bytes:
        drawn.append(series)
        return charts.render_monthly(series)

    monkeypatch.setattr(stats_chart, "render_monthly", spy)
    chinese = filed.ok("stats chart months=2", as_="brand1")
    assert chinese.text == "ACME Corp：2026-10 至 2026-11：图表见 stats-acme-2026-10-2026-11.png。"
    assert chinese.files[0].name == "stats-acme-2026-10-2026-11.png"
    filed.ok("stats chart months=2 org=acme", as_="team1")
    zh, en = drawn
    assert (zh.title, zh.labels.reported, zh.labels.takedown_axis) == (
        "ACME Corp：2026-10 至 2026-11",
        "投诉数",
        "删除率（%）",
    )
    assert (en.title, en.labels.reported, en.labels.takedown_axis) == (
        "ACME Corp: 2026-10 to 2026-11",
        "reported",
        "takedown rate (%)",
    )


def test_an_export_answers_in_chinese_and_keeps_its_file_machine_readable(filed: Harness) -> None:
    exported = filed.ok("export", as_="brand1")
    (file,) = exported.files
    assert exported.text == f"已将符合条件案件中的 2 个项目导出到 {file.name}。"
    assert file.name.isascii() and file.name.startswith("cases-acme-")
    assert file.description == "案件及处理结果，每个项目一行"
    header = file.data.decode("utf-8-sig").splitlines()[0]
    assert header.isascii() and header.startswith("case")
    timeline = filed.ok("export timeline MS-000001", as_="team1")
    assert timeline.text == "Exported the timeline of MS-000001, 9 entries, to MS-000001-timeline.csv."

"""A case played with the brand in English and the team in Chinese: each side reads its own
language, while ids, links, names and what people typed pass through unchanged."""

from __future__ import annotations

from handlers.kit.i18n import in_language
from handlers.kit.local_time import local_time
from storage.models import Member
from storage.queries.members import member_by_identity
from support.harness import Harness

LINK = "https://item.taobao.com/item.htm?id=123"


def test_the_brand_reads_english_and_the_team_chinese_through_a_whole_case(program: Harness) -> None:
    program.ok("admin channel team slack C0123ABCD lang=zh")
    program.ok("admin channel org:acme slack C0456EFGH lang=en")
    assert program.ok("lang zh", as_="team1").text == "机器人现在用中文与您交流。"

    filed = program.ok(f'complaint reason=counterfeit note="假货 fake" {LINK}', as_="brand1")
    assert filed.text == "Registered 1 item in MS-000001 (1 Taobao listing)."

    posted = {p.channel: p for p in program.delivered() if p.kind == "case_opened"}
    assert posted["team"].text.startswith("新案件 MS-000001，来自 ACME Corp：1 个Taobao商品链接")
    assert posted["org:acme"].text == (
        "Case MS-000001 registered: 1 Taobao listing. The IACC/Alibaba team acts on it; "
        "outcomes are posted in this thread."
    )
    # The buttons run the same command words in both languages.
    assert "outcome MS-000001 all removed" in posted["team"].buttons

    # The team records an outcome in Chinese, with a full-width comma in the selection.
    recorded = program.ok("outcome MS-000001 1，1 removed note＝已下架", as_="team1")
    assert recorded.text == "MS-000001：第 1 项现为 removed；案件状态为 actioned。"
    outcomes = {p.channel: p.text for p in program.delivered() if p.kind == "outcome"}
    assert outcomes["team"] == "console:team1: 第 1 项 removed (已下架)."
    assert outcomes["org:acme"] == "Outcome for MS-000001: item 1 removed (已下架); the case is actioned."

    # Refusals too: each in the caller's language.
    assert program.refused("outcome MS-000001 all removed", as_="brand1").startswith(
        "Only the IACC/Alibaba team can record outcomes."
    )
    assert program.refused("outcome MS-000001 all frobnicate", as_="team1").startswith("“frobnicate”不是处理结果。")
    assert program.refused("frobnicate", as_="team1") == "没有“frobnicate”这个命令。 `help` 可列出所有命令。"
    assert program.refused("frobnicate", as_="brand1") == "There is no command 'frobnicate'. `help` lists the commands."


def test_one_notice_to_two_channels_is_rendered_once_in_each_language(program: Harness) -> None:
    program.ok("admin channel team slack C0123ABCD lang=zh")
    program.ok("complaint https://item.taobao.com/item.htm?id=9", as_="brand1")
    program.delivered()
    program.ok('outcome MS-000001 need_info note="Which size?"', as_="team1")
    posted = program.delivered()
    status = [p.text for p in posted if p.kind == "case_status"]
    returned = [p.text for p in posted if p.kind == "case_returned"]
    assert status == ["console:team1：案件现为 returned (Which size?)。"]
    assert returned == [
        "The team returned MS-000001 for more information: Which size? Answer with `case MS-000001 reply <message>`."
    ]


def test_lang_auto_forgets_the_choice_and_the_program_language_applies(program: Harness) -> None:
    program.ok("lang zh", as_="brand1")
    assert program.refused("frobnicate", as_="brand1").startswith("没有“frobnicate”这个命令。")
    assert program.ok("lang auto", as_="brand1").text == "The bot now follows your Slack or Discord language."
    with program.database.transaction() as session:
        member = member_by_identity(session, "console", "brand1")
        assert isinstance(member, Member) and member.language is None
    assert program.refused("lang klingon", as_="brand1").startswith("'klingon' is not a language the bot speaks.")


def test_dates_and_rates_are_written_the_way_each_reader_writes_them(program: Harness) -> None:
    moment = program.clock()
    zone = program.router.rules.timezone
    with in_language("zh"):
        chinese = local_time(moment, zone, weekday=True)
    english = local_time(moment, zone, weekday=True)
    assert english[:3] in ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
    assert chinese[11] == "周" and chinese[:10] == english[4:14]


def test_the_console_says_who_is_acting_in_that_persons_language(program: Harness) -> None:
    import io

    from bot.console import Console

    program.ok("lang zh", as_="team1")
    out = io.StringIO()
    console = Console(program.router, program.database, out)
    console.run(["/as team1", "/as brand1"])
    assert out.getvalue().splitlines() == ["（现以 console:team1 的身份操作）", "(now acting as console:brand1)"]

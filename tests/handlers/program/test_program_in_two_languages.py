"""The program's own flows read in each reader's language: applying and its status update, raid
evidence and language help. Ids, links, names, command words and what people typed pass through
unchanged; an English reader reads exactly what they read before."""

from __future__ import annotations

from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import col, select

import handlers.catalogue  # noqa: F401  (registers the program's commands)
from bot.router import Incoming
from handlers.kit.context import Attachment, Caller
from handlers.kit.i18n import set_program_language
from handlers.kit.outbox import NoticePayload, save_notices
from handlers.kit.replies import Reply
from handlers.program.application_review import status_update_notices
from storage.models import Application, OutboxNotice
from storage.queries.members import notice_language
from support.harness import Harness, Posted

SHOP = "https://shop123456.taobao.com/"
RAID = 'raid raid_date=2026-10-02 authority="Yiwu AMR" case_number="YW-2026-118" ' + SHOP
RECORD = Attachment("raid-record.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n")
NEW_YORK = ZoneInfo("America/New_York")


def apply_line(name: str, *, country: str = "US", size: str = "large", role: str = "rights_holder") -> str:
    return (
        f'apply legal_name="{name}" country={country} size={size} contact="Jo Lee, jo@example.com" '
        f'role={role} good_faith=no marks="WIDGETCO"'
    )


def add_program_dates(bot: Harness) -> None:
    bot.ok('calendar add application_deadline 2027-01-15 23:59 "Applications close"')
    bot.ok('calendar add status_update 2027-01-18 17:00 "Status update"')
    bot.ok('calendar add orientation 2027-02-07 10:00 "Orientation"')
    bot.ok('calendar add launch 2027-02-15 09:00 "Launch"')
    bot.delivered()


def run_status_update(bot: Harness) -> None:
    with bot.database.transaction() as session:
        save_notices(session, status_update_notices(session, bot.clock.now, NEW_YORK), bot.clock.now)


def texts(posted: list[Posted]) -> list[tuple[str, str]]:
    return [(p.channel, p.text) for p in posted]


def from_discord_in_chinese(bot: Harness, who: str, text: str) -> Reply:
    """`who`, whose Discord speaks Chinese (`zh-CN`) and who has chosen no language, sends `text`."""
    return bot.router.handle(Incoming(Caller("console", who), text, locale="zh-CN"))


def stored_wording(bot: Harness, channel: str, lang: str) -> list[str]:
    """The text each notice for `channel` carries for readers of `lang`, in the order written."""
    with bot.database.transaction() as session:
        rows = session.exec(
            select(OutboxNotice).where(OutboxNotice.channel == channel).order_by(col(OutboxNotice.id))
        ).all()
        return [NoticePayload.model_validate(row.payload).in_language(lang, row.text)[0] for row in rows]


@pytest.fixture
def chinese_program() -> Iterator[None]:
    """The program runs in Chinese (MARKETSAFE_LANGUAGE=zh) for the test."""
    set_program_language("zh")
    try:
        yield
    finally:
        set_program_language("en")


# --- applying -----------------------------------------------------------------------------------


def test_a_chinese_reader_applies_and_reads_where_the_application_stands(program: Harness) -> None:
    add_program_dates(program)
    reply = from_discord_in_chinese(program, "xinpai", apply_line("信牌 Xinpai Ltd", country="cn", size="medium"))
    assert not reply.is_error, reply.render_plain()
    assert reply.text == "已收到申请 #1：信牌 Xinpai Ltd 正在大中华区（medium）组排队，按提交顺序排第 1 位。"
    assert reply.lines == [
        "名额按提交先后顺序分配给符合资格的申请人；我们将在状态更新时（2027-01-18 17:00 EST）通过私信通知您。",
        "`apply status` 可查看申请进度；`apply withdraw` 可撤回申请。",
    ]
    # The team's notice is written in both languages; the team channel here reads English.
    assert texts(program.delivered()) == [("team", "New application #1 from 信牌 Xinpai Ltd (greater-china:medium)")]
    assert stored_wording(program, "team", "zh") == ["信牌 Xinpai Ltd 提交了新申请 #1（greater-china:medium）"]

    status = from_discord_in_chinese(program, "xinpai", "apply status")
    assert status.text == "申请 #1（信牌 Xinpai Ltd）正在大中华区（medium）组排队。"
    assert status.lines[0] == "按提交先后顺序，它在本组排第 1 位。"

    refused = from_discord_in_chinese(program, "xinpai", "apply status now")
    assert refused.is_error
    assert refused.text == "此处不应出现“now”。 只需输入 `apply status`。"


def test_a_chinese_readers_refusals_name_the_answer_to_fix(program: Harness) -> None:
    missing = from_discord_in_chinese(program, "xinpai", 'apply legal_name="Xinpai" country=CN size=small')
    assert missing.is_error and missing.error_field == "contact"
    assert missing.text.startswith("申请需要填写联系人。 请加上 contact=")
    country = from_discord_in_chinese(program, "xinpai", apply_line("Xinpai", country="ZZ"))
    assert country.text.startswith("无法识别国家代码“ZZ”。 请使用公司所在国家的 ISO 3166 代码")
    # The ineligible reason is kept in English on the application and read in each reader's language.
    other = from_discord_in_chinese(program, "xinpai", apply_line("Xinpai", role="other"))
    assert other.text == "Xinpai 的申请 #1 不符合资格：只有权利人及其委托的代理人可以加入。"
    shown = dict(program.ok("applications show 1", as_="team1").fields)
    assert shown["reason"] == "only rights-holders and representatives they appointed can join"


def test_the_status_update_reaches_a_chinese_applicant_in_chinese(program: Harness, chinese_program: None) -> None:
    add_program_dates(program)
    from_discord_in_chinese(program, "xinpai", apply_line("信牌 Xinpai Ltd", country="CN", size="medium"))
    program.ok("applications seats greater-china:medium 1", as_="team1")
    program.ok("applications select", as_="team1")
    program.delivered()
    run_status_update(program)
    # An applicant is not a member yet: their direct message reads the language they applied in.
    assert texts(program.delivered()) == [
        (
            "dm:console:xinpai",
            "MarketSafe：申请 #1（信牌 Xinpai Ltd）已在大中华区（medium）组入选。入门培训：2027-02-07 10:00 EST；"
            "正式启动：2027-02-15 09:00 EST。请用 `apply accept` 接受名额：系统会立即为您建立机构，项目管理员核验您的"
            "商标后即可提交投诉。`apply decline` 会将名额让给候补名单上的下一位。",
        )
    ]
    # The same message carries its English wording for a program that runs in English.
    assert stored_wording(program, "dm:console:xinpai", "en") == [
        "MarketSafe: Application #1 (信牌 Xinpai Ltd) is selected in Greater China, medium. Orientation: "
        "2027-02-07 10:00 EST; launch: 2027-02-15 09:00 EST. Accept your seat with `apply accept`: your "
        "organisation is set up at once, and you can file complaints once a program admin has verified your marks. "
        "`apply decline` gives the seat to the next on the waitlist."
    ]
    accepted = from_discord_in_chinese(program, "xinpai", "apply accept")
    assert accepted.text == "欢迎加入 MarketSafe：信牌 Xinpai Ltd 的机构名为 xinpai-ltd，您的角色是 member。"


def test_an_applicant_who_applied_in_chinese_hears_of_the_decision_in_chinese_in_an_english_program(
    program: Harness,
) -> None:
    add_program_dates(program)
    from_discord_in_chinese(program, "xinpai", apply_line("信牌 Xinpai Ltd", country="CN", size="medium"))
    program.ok(apply_line("Widgetco Inc."), as_="widgetco")  # an English reader, in the same program
    from_discord_in_chinese(program, "huapai", apply_line("华牌 Huapai Ltd", country="CN", size="medium"))
    with program.database.transaction() as session:
        languages = [(a.applicant_user_id, a.language) for a in session.exec(select(Application)).all()]
    assert languages == [("xinpai", "zh"), ("widgetco", "en"), ("huapai", "zh")]
    program.ok("applications seats greater-china:medium 1", as_="team1")
    program.ok("applications seats north-america:large 1", as_="team1")
    program.ok("applications select", as_="team1")
    program.delivered()
    run_status_update(program)
    told = dict(texts(program.delivered()))
    assert told["dm:console:xinpai"].startswith("MarketSafe：申请 #1（信牌 Xinpai Ltd）已在大中华区（medium）组入选。")
    assert told["dm:console:widgetco"].startswith("MarketSafe: Application #2 (Widgetco Inc.) is selected in")
    assert told["dm:console:huapai"].startswith("MarketSafe：申请 #3（华牌 Huapai Ltd）在大中华区（medium）组的候补")
    # Declining gives the seat away; the next on the waitlist, who applied in Chinese, hears in Chinese too.
    assert from_discord_in_chinese(program, "xinpai", "apply decline").is_error is False
    promoted = dict(texts(program.delivered()))
    assert promoted["dm:console:huapai"].startswith("MarketSafe 好消息：大中华区（medium）组空出了一个名额。申请 #3")


def test_a_members_own_choice_outweighs_the_language_they_applied_in(program: Harness) -> None:
    from_discord_in_chinese(program, "xinpai", apply_line("信牌 Xinpai Ltd", country="CN", size="medium"))
    with program.database.transaction() as session:
        assert notice_language(session, "console", "dm:console:xinpai") == "zh"
        assert notice_language(session, "console", "dm:console:nobody") is None
    program.ok("admin member add console:xinpai acme member")
    program.ok("lang en", as_="xinpai")
    with program.database.transaction() as session:
        assert notice_language(session, "console", "dm:console:xinpai") == "en"


def test_an_english_reader_applies_and_reads_english(program: Harness) -> None:
    add_program_dates(program)
    reply = program.ok(apply_line("Widgetco Inc."), as_="widgetco")
    assert reply.text == (
        "Application #1 received: Widgetco Inc. is queued in North America, large, number 1 in order of arrival."
    )
    program.ok("applications seats north-america:large 1", as_="team1")
    program.ok("applications select", as_="team1")
    program.delivered()
    run_status_update(program)
    assert [text for _channel, text in texts(program.delivered())] == [
        "MarketSafe: Application #1 (Widgetco Inc.) is selected in North America, large. Orientation: 2027-02-07 "
        "10:00 EST; launch: 2027-02-15 09:00 EST. Accept your seat with `apply accept`: your organisation is set up "
        "at once, and you can file complaints once a program admin has verified your marks. `apply decline` gives "
        "the seat to the next on the waitlist."
    ]


def test_the_apply_form_reads_chinese_for_a_chinese_reader(program: Harness) -> None:
    form = from_discord_in_chinese(program, "xinpai", "apply").form
    assert form is not None
    assert (form.form.title, form.form.submit) == ("申请加入 MarketSafe", "申请")
    labels = {field.name: field.label for field in form.form.fields}
    assert labels["legal_name"] == "公司法定名称" and labels["good_faith"] == "是否参加了 Good Faith 计划？"
    role = next(field for field in form.form.fields if field.name == "role")
    assert [(choice.value, choice.label) for choice in role.choices] == [
        ("rights_holder", "权利人（公司拥有该商标）"),
        ("representative", "权利人委托的代理人"),
        ("other", "其他（经销商、被许可人、零售商）"),
    ]


# --- raid evidence ------------------------------------------------------------------------------


def test_a_chinese_member_submits_raid_evidence_and_follows_it_in_chinese(program: Harness) -> None:
    program.ok("admin channel team slack C0123ABCD lang=en")
    program.ok("admin channel org:acme slack C0456EFGH lang=zh")
    program.ok("lang zh", as_="brand1")
    reply = program.send(RAID, "brand1", attachments=(RECORD,))
    assert not reply.is_error, reply.render_plain()
    summary = "1 个店铺，1 份文件，Yiwu AMR 2026-10-02 的案件 YW-2026-118"
    assert reply.text == f"打假证据 RAID-000001 已提交：{summary}。已通知团队；每一步进展都会发布在其讨论串中。"
    assert reply.lines[:2] == ["店铺：", SHOP]
    assert reply.lines[2] == "文件（请保留原件；SHA-256 可证明其为原件）："
    assert reply.lines[3].startswith("raid-record.pdf（application/pdf，")
    posted = {p.channel: p for p in program.delivered()}
    assert posted["team"].text == (
        "Raid evidence RAID-000001 from ACME Corp: 1 storefront, 1 document, Yiwu AMR case YW-2026-118 of 2026-10-02."
    )
    assert posted["team"].buttons == ("raid forward RAID-000001",)
    assert posted["org:acme"].text == (
        f"RAID-000001 已提交：{summary}。团队会将其转交阿里巴巴；每一步进展都会发布在这里。"
    )

    program.ok('raid forward RAID-000001 note="sent to IPP"', as_="team1")
    posted = {p.channel: p for p in program.delivered()}
    assert posted["team"].text == "RAID-000001 forwarded to Alibaba by console:team1: sent to IPP"
    assert posted["org:acme"].text == "RAID-000001 已转交阿里巴巴，以便处罚卖家：sent to IPP"

    shown = program.ok("raid show RAID-000001", as_="brand1")
    assert shown.text == "RAID-000001 · forwarded · ACME Corp"
    assert shown.fields[0] == ("打假行动", "2026-10-02，Yiwu AMR 案件 YW-2026-118")
    assert "历史记录：" in shown.lines
    assert program.refused("raid show RAID-000009", as_="brand1") == "您机构的打假证据中没有 RAID-000009。"


def test_a_chinese_members_bad_raid_document_is_refused_in_chinese(program: Harness) -> None:
    program.ok("lang zh", as_="brand1")
    refused = program.send(RAID, "brand1", attachments=(Attachment("setup.pdf", b"MZ\x90\x00" + bytes(40)),))
    assert refused.is_error
    assert refused.text == (
        "1 个文件被拒绝：setup.pdf：文件名为 .pdf，但内容不是PDF 文件（看起来是Windows 程序）。 "
        "可接受：PDF、PNG、JPEG、DOCX、XLSX、TXT 或 CSV，每个不超过 20 MB。未提交任何内容。"
    )


# --- language help ------------------------------------------------------------------------------


def test_a_chinese_member_asks_for_language_help_and_reads_the_answer_in_chinese(program: Harness) -> None:
    program.ok("admin channel language slack C0789IJKL lang=en")
    program.ok("lang zh", as_="brand1")
    asked = program.ok("language source=en target=zh Please provide the letter of authorisation", as_="brand1")
    assert asked.text == (
        "语言协助请求 LR-000001（en → zh）已交给 IACC/阿里巴巴团队。答复将发回这里：您机构的频道中 LR-000001 "
        "讨论串内，并通过私信发送给您。"
    )
    posted = {p.channel: p.text for p in program.delivered()}
    assert posted["language"] == "Language help LR-000001 from ACME Corp: en → zh"

    program.ok("language answer LR-000001 请提供授权书。", as_="team1")
    posted = {p.channel: p.text for p in program.delivered()}
    # The member chose Chinese: their direct message reads Chinese; the answer itself is as written.
    assert posted["dm:console:brand1"] == "IACC/阿里巴巴团队已答复您的语言协助请求 LR-000001（en → zh）："
    assert posted["language"] == "LR-000001 answered by console:team1; the answer was sent to ACME Corp."
    shown = program.ok("language show LR-000001", as_="brand1")
    assert dict(shown.fields)["答复"] == "请提供授权书。"
    listed = program.ok("language list", as_="brand1")
    assert listed.text == "1 个语言协助请求，最新的在前（第 1 页，共 1 页）："


def test_an_english_member_reads_language_help_in_english(program: Harness) -> None:
    asked = program.ok("language source=en target=zh Please provide the letter", as_="brand1")
    assert asked.text.startswith("Language request LR-000001 (en → zh) is with the IACC/Alibaba team.")
    program.delivered()
    program.ok("language answer LR-000001 请提供授权书。", as_="team1")
    posted = {p.channel: p.text for p in program.delivered()}
    assert posted["dm:console:brand1"] == "The IACC/Alibaba team answered your language request LR-000001 (en → zh):"
    glossary = program.ok("language glossary", as_="brand1")
    assert glossary.lines[0] == "Reasons:"


def test_the_glossary_headings_read_chinese_and_its_terms_stay_bilingual(program: Harness) -> None:
    program.ok("lang zh", as_="brand1")
    glossary = program.ok("language glossary", as_="brand1")
    assert glossary.text.startswith("项目投诉理由和处理结果词汇表")
    assert glossary.lines[0] == "投诉理由："
    assert "  counterfeit: counterfeit · 假冒商品（售假）" in glossary.lines
    assert "处理结果：" in glossary.lines

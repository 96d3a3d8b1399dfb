"""The working group, the calendar and reminders in Chinese for a reader who chose it, in English for
the others; references, titles, tags, status words and typed text pass through unchanged.

The harness clock starts on Wednesday 2026-11-18 at 20:00 UTC (15:00 in New York).
"""

from __future__ import annotations

from support.harness import Harness

TEXT = "Sellers removed twice should be named."


def test_propose_and_its_notice_read_the_readers_and_the_channels_language(program: Harness) -> None:
    program.ok("admin channel working-group slack C0999WXYZ lang=zh")
    program.ok("lang zh", as_="brand1")
    posted = program.ok(f'propose title="Flag repeat sellers" tags=taobao {TEXT}', as_="brand1")
    assert posted.text == "已将提案 P-0001 发布到工作组：Flag repeat sellers"
    assert posted.fields == [("标签", "taobao")]
    assert posted.lines == ["成员可用按钮或 `propose vote P-0001 up|down` 投票。"]
    (notice,) = [p for p in program.delivered() if p.kind == "proposal"]
    assert notice.text == "新提案 P-0001，来自 console:brand1（ACME Corp）：Flag repeat sellers"
    assert notice.buttons == ("propose vote P-0001 up", "propose vote P-0001 down")

    assert program.ok("propose vote P-0001 up", as_="brand2").text == (
        "You voted for P-0001 (Flag repeat sellers). Score now +1 (1 for, 0 against)."
    )
    assert program.ok("propose list", as_="brand1").text == "1 项未决提案，得票多者在前："
    assert program.ok("propose list", as_="brand2").text == "1 undecided proposal, most votes first:"
    assert program.refused("propose vote P-0001 sideways", as_="brand1") == (
        "“sideways”不是投票选项。 请投 up（赞成）或 down（反对）：请写 propose vote <P-0001> up|down。"
    )
    assert program.refused("propose title=Hi", as_="brand1").startswith("标题只有 2 个字符；需要 3 到 200 个字符。")


def test_practices_read_chinese_for_a_chinese_reader(program: Harness) -> None:
    program.ok("lang zh", as_="brand1")
    program.ok(f'practices share title="Relabelled watches" tags=watches {TEXT}', as_="brand2")
    listed = program.ok("practices", as_="brand1")
    assert listed.text == "1 条最佳实践，得票多者在前："
    assert listed.lines == ["BP-0001 · Relabelled watches · 0（赞成 0，反对 0） · watches"]
    assert program.ok("practices", as_="brand2").text == "1 best practice, most votes first:"
    shown = program.ok("practices show BP-0001", as_="brand1")
    assert [name for name, _value in shown.fields] == ["状态", "投票", "标签", "提交人", "发布时间"]
    assert program.refused("practices show BP-0009", as_="brand1").startswith("没有最佳实践 BP-0009。")


def test_the_calendar_reads_chinese_for_a_chinese_reader(program: Harness) -> None:
    program.ok('calendar add orientation 2027-02-07 10:00 "Orientation" remind=1d,0')
    program.ok("lang zh", as_="team1")
    listed = program.ok("calendar", as_="team1")
    assert listed.text == "1 个即将到来的里程碑（时间按 America/New_York）："
    assert listed.lines == ["#1 · orientation · Orientation · 2027-02-07 10:00 EST · 提醒：1d, 准时"]
    english = program.ok("calendar", as_="brand1")
    assert english.lines == ["#1 · orientation · Orientation · 2027-02-07 10:00 EST · reminders 1d, at the time"]
    assert program.refused("calendar add orientation 2027-02-30 10:00 X").startswith(
        "'2027-02-30' is not a valid date."
    )
    assert program.refused("calendar tz=Mars/Olympus", as_="team1").startswith("无法识别时区“Mars/Olympus”。")


def test_remind_list_and_the_time_words_refusals_read_chinese(program: Harness) -> None:
    program.ok("lang zh", as_="brand1")
    set_reply = program.ok("remind me every monday 09:00 to check the outcomes", as_="brand1")
    assert set_reply.text == (
        "已设置提醒 #1：每星期一 09:00（下次 2026-11-23 周一 09:00 EST），通过私信：check the outcomes"
    )
    listed = program.ok("remind list", as_="brand1")
    assert listed.text == "您有 1 个有效提醒："
    assert listed.lines == ["#1 每星期一 09:00（下次 2026-11-23 周一 09:00 EST），通过私信：check the outcomes"]
    assert program.refused("remind me next week call ACME", as_="brand1") == (
        "“next”不是有效的提醒时间。 请使用以下写法之一：in 3 days, tomorrow 09:00, on 2026-12-01 14:30, "
        "every monday 09:00 或 every day 08:30。"
    )
    program.ok("remind me every friday 16:00 to send the report", as_="brand2")
    english = program.ok("remind list", as_="brand2")
    assert english.text == "You have 1 active reminder:"
    assert english.lines == [
        "#2 every Friday at 16:00 (next Fri 2026-11-20 16:00 EST) in a direct message: send the report"
    ]
